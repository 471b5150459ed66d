import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { synthService } from './helpers';
import { AppRuntime } from '../src';
import { assetPath } from '../src/assets';
import { CHECK_FAILED_HINT, NODE_IMAGES } from '../src/runtimes/node';

/**
 * A folder with `server`, a stand-in for the app: it logs its start and how it stopped, and ends like Spring Boot's JVM
 * on SIGTERM (exit 143). With `exitWith`, it ends on its own with that status instead.
 */
function serverFolder(exitWith?: number): { dir: string; log: () => string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-serve-'));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'server'), [
    '#!/bin/sh',
    'echo "started $$" >> server.log',
    exitWith === undefined ? 'trap \'echo "stopped by TERM" >> server.log; exit 143\' TERM' : `exit ${exitWith}`,
    'while :; do sleep 0.1; done',
  ].join('\n'), { mode: 0o755 });
  const log = () => (fs.existsSync(path.join(dir, 'server.log')) ? fs.readFileSync(path.join(dir, 'server.log'), 'utf-8').trim().split('\n') : []);
  return { dir, log };
}

async function until(condition: () => boolean, what: string, seconds = 8): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/** The generated project's scripts/serve.sh, run as app:start (no flags) or dev (`--watch src`) run it. */
const serve = (...flags: string[]) => ['sh', [assetPath('serve.sh'), ...flags, '--', './server']] as const;

/** A stand-in for projen (and npx above it): it runs a command and, like both, passes no signal on to it. */
const PASS_NO_SIGNAL = 'require("child_process").spawnSync(process.argv[1], process.argv.slice(2), { stdio: "inherit" })';

describe('app:start', () => {
  it('stops the app when the projen running the task is stopped, so its port is free again', async () => {
    const { dir, log } = serverFolder();
    const projen = spawn(process.execPath, ['-e', PASS_NO_SIGNAL, 'sh', ...serve()[1]], { cwd: dir, stdio: 'ignore' });
    await until(() => log().length === 1, 'the server started');
    projen.kill('SIGTERM');
    await until(() => log().includes('stopped by TERM'), 'the server was stopped');
    fs.rmSync(dir, { recursive: true });
  });

  it('stops the app when the npx that ran projen is stopped and projen lives on', async () => {
    const { dir, log } = serverFolder();
    // npx, its shell, projen and projen's task shell, as `npx projen app:start` runs them.
    const npx = spawn(process.execPath, ['-e', PASS_NO_SIGNAL, 'sh', '-c', `"${process.execPath}" -e '${PASS_NO_SIGNAL}' sh -c 'sh "$0" "$@"' ${serve()[1].join(' ')}`], {
      cwd: dir, stdio: 'ignore',
    });
    await until(() => log().length === 1, 'the server started');
    npx.kill('SIGTERM');
    await until(() => log().includes('stopped by TERM'), 'the server was stopped');
    fs.rmSync(dir, { recursive: true });
  });

  it('reports an app ended by SIGTERM (Spring Boot exits 143) as stopped, not failed', async () => {
    const { dir, log } = serverFolder();
    const task = spawn(...serve(), { cwd: dir, stdio: 'ignore' });
    await until(() => log().length === 1, 'the server started');
    process.kill(Number(log()[0].split(' ')[1]), 'SIGTERM');
    expect(await exitOf(task)).toBe(0);
    fs.rmSync(dir, { recursive: true });
  });

  it('stops the app gracefully on Ctrl+C and ends with success', async () => {
    const { dir, log } = serverFolder();
    const task = spawn(...serve(), { cwd: dir, stdio: 'ignore' });
    await until(() => log().length === 1, 'the server started');
    task.kill('SIGINT');
    expect(await exitOf(task)).toBe(0);
    expect(log()).toContain('stopped by TERM');
    fs.rmSync(dir, { recursive: true });
  });

  it('fails with the app\'s own status when it fails', async () => {
    const { dir } = serverFolder(3);
    expect(await exitOf(spawn(...serve(), { cwd: dir, stdio: 'ignore' }))).toBe(3);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('dev', () => {
  it('restarts the app when a file under src changes, and stops it on Ctrl+C', async () => {
    const { dir, log } = serverFolder();
    const task = spawn(...serve('--watch', 'src'), { cwd: dir, stdio: 'ignore' });
    await until(() => log().length === 1, 'the server started');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    fs.writeFileSync(path.join(dir, 'src', 'server.ts'), 'changed');
    await until(() => log().filter((line) => line.startsWith('started')).length === 2, 'the server started again');
    expect(log()[1]).toBe('stopped by TERM');
    task.kill('SIGINT');
    expect(await exitOf(task)).toBe(0);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('dev with --on-change, for a runtime that reloads the app itself', () => {
  it('runs the command on a change under src and keeps the app running', async () => {
    const { dir, log } = serverFolder();
    const task = spawn(...serve('--watch', 'src', '--on-change', 'echo compiled >> server.log'), { cwd: dir, stdio: 'ignore' });
    await until(() => log().length === 1, 'the server started');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    fs.writeFileSync(path.join(dir, 'src', 'Hello.java'), 'changed');
    await until(() => log().includes('compiled'), 'the command ran');
    expect(log().filter((line) => line.startsWith('started'))).toHaveLength(1);
    expect(log()).not.toContain('stopped by TERM');
    task.kill('SIGINT');
    expect(await exitOf(task)).toBe(0);
    fs.rmSync(dir, { recursive: true });
  });

  it('starts an app that stopped by itself again on the next change, instead of running the command', async () => {
    const { dir, log } = serverFolder(1);
    const task = spawn(...serve('--watch', 'src', '--on-change', 'echo compiled >> server.log'), { cwd: dir, stdio: 'ignore' });
    await until(() => log().length === 1, 'the server started and ended');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    fs.writeFileSync(path.join(dir, 'src', 'Hello.java'), 'changed');
    await until(() => log().filter((line) => line.startsWith('started')).length === 2, 'the server started again');
    expect(log()).not.toContain('compiled');
    task.kill('SIGINT');
    expect(await exitOf(task)).toBe(0);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('the Node.js app\'s generated build', () => {
  const files = synthService();
  const appTasks = files['app/.projen/tasks.json'].tasks;

  it('checks formatting and lint in its tests without rewriting the code; app:fix rewrites it when asked', () => {
    expect(appTasks.biome.steps).toEqual([{ exec: `biome check --no-errors-on-unmatched || { echo "${CHECK_FAILED_HINT}" >&2; exit 1; }`, shell: ['sh', '-c'] }]);
    expect(appTasks.fix.steps).toEqual([{ exec: 'biome check --no-errors-on-unmatched --write', receiveArgs: true }]);
    expect(files['.projen/tasks.json'].tasks['app:fix'].steps).toEqual([{ exec: 'projen fix' }]);
  });

  it('checks formatting and lint in CodeBuild too', () => {
    expect(YAML.parse(files['buildspec.yml']).phases.build.commands.join('\n')).toContain('npx biome check --no-errors-on-unmatched &&');
  });

  it('names .projenrc.ts, the file that exists, in the app\'s generated files', () => {
    const markers = ['app/package.json', 'app/.gitignore', 'app/.projen/tasks.json']
      .map((file) => JSON.stringify(files[file]).match(/edit (\S+) and run/)?.[1]);
    expect(markers).toEqual(['../.projenrc.ts', '../.projenrc.ts', '../.projenrc.ts']);
    expect(Object.keys(files).filter((file) => JSON.stringify(files[file]).includes('.projenrc.js'))).toEqual([]);
  });

  it('has npx projen dev, which runs the app from its sources in Node\'s own watch mode, stopped with the task', () => {
    const dev = files['.projen/tasks.json'].tasks.dev;
    expect(dev.cwd).toBe('app');
    expect(dev.steps).toEqual([{ exec: 'sh ../scripts/serve.sh -- node --watch --require ts-node/register/transpile-only src/server.ts' }]);
    expect(files['scripts/serve.sh']).toBe(fs.readFileSync(assetPath('serve.sh'), 'utf-8').trimEnd());
  });
});

describe('the root\'s jest', () => {
  const files = synthService({ jest: true });
  const jestStep = files['.projen/tasks.json'].tasks.test.steps.find((step: any) => step.execArgs?.[0] === 'jest');

  it('runs only once there is a toolchain test, instead of printing "No tests found" and an empty coverage table', () => {
    const service = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-root-tests-'));
    fs.mkdirSync(path.join(service, 'infra'));
    fs.writeFileSync(path.join(service, 'infra', 'main.ts'), '');
    const runs = () => spawnSync('sh', ['-c', jestStep.condition], { cwd: service }).status === 0;
    expect(runs()).toBe(false);
    fs.mkdirSync(path.join(service, 'test'));
    fs.writeFileSync(path.join(service, 'test', 'toolchain.test.ts'), '');
    expect(runs()).toBe(true);
    fs.rmSync(service, { recursive: true });
  });
});

describe('the Node.js version', () => {
  const root = path.join(__dirname, '..');
  const major = (range: string | undefined) => /(\d+)/.exec(range ?? '')?.[1];
  const versionsIn = (files: Record<string, any>) => ({
    generatedRoot: major(files['package.json'].engines?.node),
    generatedRootTypes: major(files['package.json'].devDependencies?.['@types/node']),
    generatedApp: major(files['app/package.json'].engines?.node),
    generatedAppTypes: major(files['app/package.json'].devDependencies?.['@types/node']),
    image: /FROM \S+node:(\d+)/.exec(files.Dockerfile)?.[1],
    codeBuild: String(YAML.parse(files['buildspec.yml']).phases.install['runtime-versions'].nodejs),
  });
  const all = (release: string) => Object.fromEntries(
    ['generatedRoot', 'generatedRootTypes', 'generatedApp', 'generatedAppTypes', 'image', 'codeBuild'].map((where) => [where, release]));

  it('is 24, the active LTS, in a Node service generated with no options (engines, types, image, CodeBuild), as the README says; this package runs on 20', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf-8');
    expect({
      thisPackage: major(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf-8')).engines?.node),
      readme: /service needs Node\.js (\d+)/.exec(readme)?.[1],
      readmeForThisPackage: /This package runs on Node\.js (\d+)/.exec(readme)?.[1],
      ...versionsIn(synthService()),
    }).toEqual({ thisPackage: '20', readmeForThisPackage: '20', readme: '24', ...all('24') });
  });

  it('is 22 everywhere with nodeVersion 22, on the pinned 22 image', () => {
    const files = synthService({ nodeVersion: 22 });
    expect(versionsIn(files)).toEqual(all('22'));
    expect(files.Dockerfile).toContain(`FROM ${NODE_IMAGES[22]}`);
  });

  it('pins each release\'s image by tag and index digest', () => {
    expect(Object.keys(NODE_IMAGES)).toEqual(['22', '24']);
    for (const [release, image] of Object.entries(NODE_IMAGES)) {
      expect(image).toMatch(new RegExp(`^public\\.ecr\\.aws/docker/library/node:${release}\\.\\d+\\.\\d+-bookworm-slim@sha256:[0-9a-f]{64}$`));
    }
  });

  it('gives a Spring Boot service\'s toolchain the same release', () => {
    const files = synthService({ appRuntime: AppRuntime.SPRING_BOOT, nodeVersion: 22 });
    expect(major(files['package.json'].engines?.node)).toBe('22');
    expect(major(files['package.json'].devDependencies?.['@types/node'])).toBe('22');
    expect(major(synthService({ appRuntime: AppRuntime.SPRING_BOOT })['package.json'].engines?.node)).toBe('24');
  });

  it.each([20, 23, 26, 24.5])('refuses nodeVersion %d', (nodeVersion) => {
    expect(() => synthService({ nodeVersion })).toThrow(`nodeVersion ${nodeVersion} is not allowed: use one of 22, 24, the Node.js LTS releases the image and CodeBuild offer.`);
  });

  it('refuses a nodeVersion that is not a number', () => {
    expect(() => synthService({ nodeVersion: '24' as any })).toThrow('nodeVersion "24" is not allowed: use one of 22, 24');
  });
});

describe('the generated tasks', () => {
  // projen's default task shell is its own cross-platform one, which runs simple commands only: `if`, `{ …; }` and
  // multi-line scripts fail there with "Unsupported reserved word", so a step that needs a shell must name one.
  const SHELL_SYNTAX = /\n|(^|[;&|]\s*)(if|for|while|case|trap)\b|\{ |\bthen\b/;

  it.each(['node', 'spring-boot'])('of a %s service run every shell script in a POSIX shell', (appRuntime) => {
    const files = synthService({ appRuntime: appRuntime as any });
    const taskFiles = Object.keys(files).filter((file) => file.endsWith('.projen/tasks.json'));
    expect(taskFiles).toContain('.projen/tasks.json');
    const withoutShell = taskFiles.flatMap((file) => Object.values<any>(files[file].tasks).flatMap((task) =>
      (task.steps ?? [])
        .filter((step: any) => typeof step.exec === 'string' && SHELL_SYNTAX.test(step.exec))
        .filter((step: any) => !(step.shell ?? task.shell ?? files[file].shell) || (step.shell ?? task.shell ?? files[file].shell) === 'projen')
        .map(() => `${file}: ${task.name}`)));
    expect(withoutShell).toEqual([]);
  });
});
