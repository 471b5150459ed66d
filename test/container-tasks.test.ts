import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Project } from 'projen';
import { AppRuntime } from '../src';
import { ContainerTasks } from '../src/components/container-tasks';
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
  const containerTasks = new ContainerTasks(project, settings, appBuild);
  expect(containerTasks.buildTask.name).toBe('image:build');
  expect(containerTasks.runTask.name).toBe('image:run');
  project.synth();
  return { dir, tasks: JSON.parse(fs.readFileSync(path.join(dir, '.projen', 'tasks.json'), 'utf-8')).tasks };
}

const { tasks } = synthService();
const buildScript: string = tasks['image:build'].steps[1].exec;
const runScript: string = tasks['image:run'].steps[0].exec;

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
    expect(tasks['image:build'].steps[0]).toEqual({ spawn: 'app:build' });
    const result = runTask('image:build', ['docker']);
    expect(fs.readFileSync(path.join(result.dir, 'app-build.log'), 'utf-8')).toBe('app built\n');
  });

  it('looks for docker, then podman, then buildah, in a POSIX shell (projen\'s own shell has no `command -v`)', () => {
    expect(buildScript).toContain('command -v docker || command -v podman || command -v buildah');
    expect(tasks['image:build'].shell).toEqual(['sh', '-c']);
    expect(tasks['image:run'].shell).toEqual(['sh', '-c']);
  });

  it('tags the image <serviceName>:<first 12 characters of the commit>, as the buildspec tags it', () => {
    const result = runTask('image:build', ['docker'], { git: true });
    expect(result.status).toBe(0);
    expect(result.calls).toEqual([['docker', 'build', '--tag', `orders-api:${result.commit!.slice(0, 12)}`, '.']]);
  });

  it('tags the image <serviceName>:local outside a git repository', () => {
    expect(runTask('image:build', ['docker']).calls).toEqual([['docker', 'build', '--tag', 'orders-api:local', '.']]);
  });

  it('uses podman when there is no docker, and buildah when there is neither', () => {
    expect(runTask('image:build', ['podman', 'buildah']).calls[0][0]).toBe('podman');
    expect(runTask('image:build', ['buildah']).calls).toEqual([['buildah', 'build', '--tag', 'orders-api:local', '.']]);
  });

  it('uses the tool CONTAINER_TOOL names when several are installed', () => {
    expect(runTask('image:build', ['docker', 'podman'], { env: { CONTAINER_TOOL: 'podman' } }).calls[0][0]).toBe('podman');
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
    expect(result.calls).toEqual([['docker', 'run', '--rm', '--pull=never', '--publish', '9090:9090', '--env', 'PORT=9090', 'orders-api:local']]);
  });

  it('with buildah, starts the image\'s own entrypoint and command in a working container and removes it afterwards', () => {
    const result = runTask('image:run', ['buildah']);
    expect(result.status).toBe(0);
    expect(result.calls.map((call) => call.slice(0, 2))).toEqual([['buildah', 'inspect'], ['buildah', 'from'], ['buildah', 'run'], ['buildah', 'rm']]);
    expect(result.calls[2]).toEqual(['buildah', 'run', '--env', 'PORT=9090', 'orders-api-working-container', '--', 'java', '-Dgreeting=hello world', '-jar', 'app.jar']);
    expect(result.calls[3]).toEqual(['buildah', 'rm', 'orders-api-working-container']);
  });

  it('does not build: it runs the image image:build made for the same commit', () => {
    expect(tasks['image:run'].steps).toHaveLength(1);
    expect(runScript).not.toContain(' build ');
  });
});
