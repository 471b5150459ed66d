import { Component, Project, Task, TaskShell } from 'projen';
import { ServiceSettings } from '../options';

/** Finds the container tool a developer has; CONTAINER_TOOL picks one when several are installed. */
const FIND_TOOL = [
  'tool="${CONTAINER_TOOL:-$(command -v docker || command -v podman || command -v buildah || true)}"',
  '[ -n "$tool" ] || { echo "no container tool found: install docker, podman or buildah, or set CONTAINER_TOOL" >&2; exit 1; }',
];

/**
 * `image:build` and `image:run`: the service's image built and started on a
 * developer's machine with docker, podman or buildah, tagged like the
 * buildspec's (`<serviceName>:<commit, 12 characters>`, or `:local` outside git).
 *
 * buildah in a container without overlay mounts needs `STORAGE_DRIVER=vfs`
 * and `BUILDAH_ISOLATION=chroot` in the environment.
 */
export class ContainerTasks extends Component {
  /** Builds what the Dockerfile copies in (the app's build), then the image. */
  public readonly buildTask: Task;
  /** Starts the image built for the current commit, on the container port, in the foreground. */
  public readonly runTask: Task;

  constructor(project: Project, settings: ServiceSettings, appBuild: Task) {
    super(project);
    const port = settings.containerPort;
    const tag = [
      'commit="$(git rev-parse HEAD 2>/dev/null | cut -c 1-12)"',
      `tag="${settings.serviceName}:\${commit:-local}"`,
    ];

    this.buildTask = project.addTask('image:build', {
      description: `Build the app, then the container image ${settings.serviceName}:<commit> from the Dockerfile`,
      // POSIX sh: projen's built-in cross-platform shell has no `command -v`, `case` or `trap`.
      shell: TaskShell.sh(),
    });
    this.buildTask.spawn(appBuild);
    // docker, podman and buildah (1.23 and later) all take `build --tag`.
    this.buildTask.exec(script(...FIND_TOOL, ...tag, '"$tool" build --tag "$tag" .'));

    this.runTask = project.addTask('image:run', {
      description: `Run the image built for the current commit on http://localhost:${port}`,
      shell: TaskShell.sh(),
    });
    this.runTask.exec(script(...FIND_TOOL, ...tag,
      'case "$tool" in',
      `  *buildah) ${buildahRun(port)} ;;`,
      `  *) exec "$tool" run --rm --pull=never --publish ${port}:${port} --env PORT=${port} "$tag" ;;`,
      'esac',
    ));
  }
}

/**
 * buildah runs no image command by itself and shares the host's network (no port mapping needed):
 * a working container, the image's entrypoint and command read back, removed on exit.
 */
function buildahRun(port: number): string {
  const command = '{{range .OCIv1.Config.Entrypoint}}{{printf "%q " .}}{{end}}{{range .OCIv1.Config.Cmd}}{{printf "%q " .}}{{end}}';
  // No `$@` here: projen splices a task's own arguments in where it finds one.
  return [
    `command="$("$tool" inspect --type image --format '${command}' "$tag")"`,
    'container="$("$tool" from --pull=never "$tag")"',
    'trap \'"$tool" rm "$container" >/dev/null\' EXIT',
    'trap "exit 130" INT TERM',
    `eval "\\"\\$tool\\" run --env PORT=${port} \\"\\$container\\" -- $command"`,
  ].join(' && ');
}

/** Lines joined into one POSIX shell script; any failing line stops it. */
function script(...lines: string[]): string {
  return ['set -e', ...lines].join('\n');
}
