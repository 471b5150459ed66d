import { Component, Project, Task, TaskShell, TextFile } from 'projen';
import { renderAsset } from '../assets';
import { ServiceSettings } from '../options';
import { ImageSource } from '../runtimes/runtime';

/** The script the tasks run: one short line in projen's log instead of the whole script, twice when it fails. */
const IMAGE_SCRIPT = 'scripts/image.sh';

/** buildah's Go template for an image's entrypoint and command, each word quoted for the shell. */
const IMAGE_COMMAND_FORMAT = '{{range .OCIv1.Config.Entrypoint}}{{printf "%q " .}}{{end}}{{range .OCIv1.Config.Cmd}}{{printf "%q " .}}{{end}}';

/**
 * `image:build` and `image:run`: the service's image built and started on a
 * developer's machine with docker, podman or buildah, tagged like the
 * buildspec's (`<serviceName>:<commit, 12 characters>`, or `:local` outside git).
 * Both check the tool and its engine first; `image:run` says to run `image:build` when there is no image yet.
 *
 * buildah in a container without overlay mounts needs `STORAGE_DRIVER=vfs`
 * and `BUILDAH_ISOLATION=chroot` in the environment.
 */
export class ContainerTasks extends Component {
  /** The managed script the tasks run (`scripts/image.sh check|build|run`). */
  public readonly script: TextFile;
  /** Checks the container tool and its engine, builds what the Dockerfile copies in (the app's build), then the image. */
  public readonly buildTask: Task;
  /** Starts the image built for the current commit, on the container port, in the foreground. */
  public readonly runTask: Task;

  /** `appBuild`: what the Dockerfile copies in, built first; none when the team's Dockerfile builds the app itself. */
  constructor(project: Project, settings: ServiceSettings, image: ImageSource, appBuild?: Task) {
    super(project);
    const port = settings.containerPort;
    this.script = new TextFile(project, IMAGE_SCRIPT, {
      lines: renderAsset('container/image.sh', {
        serviceName: settings.serviceName,
        containerPort: port,
        imageCommandFormat: IMAGE_COMMAND_FORMAT,
        buildSource: dockerBuildSource(image),
      }).trimEnd().split('\n'),
      readonly: true,
      marker: false,
    });

    // POSIX sh: projen's built-in cross-platform shell has no `command -v`, `case` or `trap`.
    this.buildTask = project.addTask('image:build', {
      description: appBuild
        ? `Build the app, then the container image ${settings.serviceName}:<commit> from the Dockerfile`
        : `Build the container image ${settings.serviceName}:<commit> from ${image.dockerfile}`,
      shell: TaskShell.sh(),
    });
    // The tool and its engine first: a docker without its daemon fails in a second, not after the app's build.
    this.buildTask.exec(`sh ${IMAGE_SCRIPT} check`);
    if (appBuild) {
      this.buildTask.spawn(appBuild);
    }
    this.buildTask.exec(`sh ${IMAGE_SCRIPT} build`);

    this.runTask = project.addTask('image:run', {
      description: `Run the image built for the current commit on http://localhost:${port}`,
      shell: TaskShell.sh(),
      exec: `sh ${IMAGE_SCRIPT} run`,
    });
  }
}

/** `docker build`'s last arguments for an image source: `.` for the managed root Dockerfile, else `--file <path> <context>`. */
export function dockerBuildSource(image: ImageSource): string {
  const defaultDockerfile = image.context === '.' ? 'Dockerfile' : `${image.context}/Dockerfile`;
  return image.dockerfile === defaultDockerfile ? image.context : `--file ${image.dockerfile} ${image.context}`;
}
