import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Project } from 'projen';
import { AppRuntime } from '../src';
import { ContainerTasks } from '../src/components/container-tasks';
import { MANAGED_IMAGE_SOURCE } from '../src/runtimes/runtime';
import { resolveServiceSettings } from '../src/validation';

const PROJEN = path.join(__dirname, '..', 'node_modules', 'projen', 'bin', 'projen');
const scratch: string[] = [];
const tempDir = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
};
afterAll(() => scratch.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A project with the tasks, for a service on port 9090, written to a new folder; returns the folder and its tasks.json. */
function synthService(): { dir: string; tasks: Record<string, any> } {
  const dir = tempDir('csf-container-tasks-');
  const project = new Project({ name: 'orders-api', outdir: dir });
  const appBuild = project.addTask('app:build', { exec: 'echo app built > app-build.log' });
  const settings = resolveServiceSettings({ name: 'orders-api', defaultReleaseBranch: 'main', appRuntime: AppRuntime.NODE, containerPort: 9090 }, { cpu: 256, memoryMiB: 512 });
  const containerTasks = new ContainerTasks(project, settings, MANAGED_IMAGE_SOURCE, appBuild);
  expect(containerTasks.buildTask.name).toBe('image:build');
  expect(containerTasks.runTask.name).toBe('image:run');
  project.synth();
  return { dir, tasks: JSON.parse(fs.readFileSync(path.join(dir, '.projen', 'tasks.json'), 'utf-8')).tasks };
}

const { dir: serviceDir, tasks } = synthService();
const imageScript = fs.readFileSync(path.join(serviceDir, 'scripts', 'image.sh'), 'utf-8');

/** A git repository with one commit in `dir`; returns the commit id. */
function commitAll(dir: string): string {
  const git = (...args: string[]) => spawnSync('git', args, {
    cwd: dir,
    encoding: 'utf-8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  }).stdout.trim();
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'first');
  return git('rev-parse', 'HEAD');
}

/**
 * Runs a task with the projen CLI, as `npx projen <task>` does, in a freshly written service.
 * On PATH: stand-ins for the container tools named, which record their arguments one per line,
 * and only sh, git and cut besides them.
 */
function runTask(task: string, tools: string[], options: { git?: boolean; env?: Record<string, string> } = {}) {
  const { dir } = synthService();
  const commit = options.git ? commitAll(dir) : undefined;
  const bin = tempDir('csf-tools-');
  for (const real of ['sh', 'git', 'cut']) {
    fs.symlinkSync(spawnSync('sh', ['-c', `command -v ${real}`], { encoding: 'utf-8' }).stdout.trim(), path.join(bin, real));
  }
  const log = path.join(bin, 'calls');
  for (const tool of tools) {
    fs.writeFileSync(path.join(bin, tool), [
      '#!/bin/sh',
      `{ printf '%s\\n' "${tool}" "$@"; echo ---; } >> "${log}"`,
      // FAIL_SUBCOMMAND makes one subcommand fail with FAIL_MESSAGE, as a docker without its daemon fails `info`.
      'if [ "$1" = "$FAIL_SUBCOMMAND" ]; then echo "$FAIL_MESSAGE" >&2; exit 1; fi',
      'case "$1" in',
      '  inspect) echo \'"java" "-Dgreeting=hello world" "-jar" "app.jar" \' ;;',
      '  from) echo orders-api-working-container ;;',
      'esac',
    ].join('\n'), { mode: 0o755 });
  }
  const result = spawnSync(process.execPath, [PROJEN, task], { cwd: dir, env: { PATH: bin, HOME: bin, ...options.env }, encoding: 'utf-8' });
  if (result.error) {
    throw result.error;
  }
  const calls = fs.existsSync(log)
    ? fs.readFileSync(log, 'utf-8').split('---\n').filter(Boolean).map((call) => call.trimEnd().split('\n'))
    : [];
  return { status: result.status, output: `${result.stdout}${result.stderr}`, calls, commit, dir };
}

describe('image:build', () => {
  it('builds the app first, with the app:build task, so the Dockerfile finds what it copies', () => {
    expect(tasks['image:build'].steps[1]).toEqual({ spawn: 'app:build' });
    const result = runTask('image:build', ['docker']);
    expect(fs.readFileSync(path.join(result.dir, 'app-build.log'), 'utf-8')).toBe('app built\n');
  });

  it('looks for docker, then podman, then buildah, in a POSIX shell (projen\'s own shell has no `command -v`)', () => {
    expect(imageScript).toContain('command -v docker || command -v podman || command -v buildah');
    expect(tasks['image:build'].steps).toEqual([{ exec: 'sh scripts/image.sh check' }, { spawn: 'app:build' }, { exec: 'sh scripts/image.sh build' }]);
    expect(tasks['image:build'].shell).toEqual(['sh', '-c']);
    expect(tasks['image:run'].shell).toEqual(['sh', '-c']);
  });

  it('tags the image <serviceName>:<first 12 characters of the commit>, as the buildspec tags it', () => {
    const result = runTask('image:build', ['docker'], { git: true });
    expect(result.status).toBe(0);
    expect(result.calls).toEqual([['docker', 'info'], ['docker', 'build', '--tag', `orders-api:${result.commit!.slice(0, 12)}`, '.']]);
  });

  it('tags the image <serviceName>:local outside a git repository', () => {
    expect(runTask('image:build', ['docker']).calls).toEqual([['docker', 'info'], ['docker', 'build', '--tag', 'orders-api:local', '.']]);
  });

  it('uses podman when there is no docker, and buildah when there is neither', () => {
    expect(runTask('image:build', ['podman', 'buildah']).calls[0][0]).toBe('podman');
    expect(runTask('image:build', ['buildah']).calls).toEqual([['buildah', 'info'], ['buildah', 'build', '--tag', 'orders-api:local', '.']]);
  });

  it('uses the tool CONTAINER_TOOL names when several are installed', () => {
    expect(runTask('image:build', ['docker', 'podman'], { env: { CONTAINER_TOOL: 'podman' } }).calls[0][0]).toBe('podman');
  });

  it('checks the tool\'s engine before building the app: docker without its daemon fails at once, saying what to start', () => {
    const daemonDown = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
    const result = runTask('image:build', ['docker'], { env: { FAIL_SUBCOMMAND: 'info', FAIL_MESSAGE: daemonDown } });
    expect(result.status).not.toBe(0);
    expect(fs.existsSync(path.join(result.dir, 'app-build.log'))).toBe(false);
    expect(result.output).toContain([
      `docker is installed but cannot build or run images; "docker info" says: ${daemonDown}`,
      'Start its engine (docker: Docker Desktop or "sudo systemctl start docker"; podman: "podman machine start"), or pick another tool with CONTAINER_TOOL=podman or CONTAINER_TOOL=buildah.',
    ].join('\n'));
    // projen's log names the script once, not its whole text twice.
    expect(result.output).not.toContain('command -v');
    expect(result.calls).toEqual([['docker', 'info']]);
  });

  it('fails, naming the tools it looked for, when none is installed', () => {
    const result = runTask('image:build', []);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('no container tool found: install docker, podman or buildah');
  });
});

describe('image:run', () => {
  it('publishes the container port on the same host port and sets PORT, with docker or podman', () => {
    const result = runTask('image:run', ['docker']);
    expect(result.status).toBe(0);
    expect(result.calls).toEqual([
      ['docker', 'info'],
      ['docker', 'image', 'inspect', 'orders-api:local'],
      ['docker', 'run', '--rm', '--pull=never', '--publish', '9090:9090', '--env', 'PORT=9090', 'orders-api:local'],
    ]);
  });

  it('with buildah, starts the image\'s own entrypoint and command in a working container and removes it afterwards', () => {
    const result = runTask('image:run', ['buildah']);
    expect(result.status).toBe(0);
    expect(result.calls.map((call) => call.slice(0, 2))).toEqual([
      ['buildah', 'info'], ['buildah', 'inspect'], ['buildah', 'inspect'], ['buildah', 'from'], ['buildah', 'run'], ['buildah', 'rm'],
    ]);
    expect(result.calls[4]).toEqual(['buildah', 'run', '--env', 'PORT=9090', 'orders-api-working-container', '--', 'java', '-Dgreeting=hello world', '-jar', 'app.jar']);
    expect(result.calls[5]).toEqual(['buildah', 'rm', 'orders-api-working-container']);
  });

  it('says to run image:build first when there is no image for the commit, with docker and with buildah', () => {
    for (const tool of ['docker', 'buildah']) {
      const result = runTask('image:run', [tool], { env: { FAIL_SUBCOMMAND: tool === 'docker' ? 'image' : 'inspect', FAIL_MESSAGE: 'no such image' } });
      expect(result.status).not.toBe(0);
      expect(result.output).toContain('There is no image orders-api:local (the current commit\'s) yet: run npx projen image:build first.');
      expect(result.output).not.toContain('no such image');
      expect(result.calls.map((call) => call[1])).not.toContain('run');
    }
  });

  it('does not build: it runs the image image:build made for the same commit', () => {
    expect(tasks['image:run'].steps).toEqual([{ exec: 'sh scripts/image.sh run' }]);
  });
});
