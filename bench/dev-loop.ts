// Edit-to-answer time of a generated service's `npx projen dev`: start the task, edit the sample route, poll it until the answer changes.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { freePort } from '../test/e2e/harness';

const USAGE = [
  'usage: npx ts-node --transpile-only bench/dev-loop.ts [--runs N] <generated service folder>...',
  '',
  'For each service (its app built or installed once, e.g. npm ci in app/ or a first mvnw package), runs the steps of its',
  '`dev` task from .projen/tasks.json as projen would (sh -c in the task\'s cwd, PORT set to a free port), waits for',
  '/hello to answer on 127.0.0.1, then N times edits the sample route\'s source and times until /hello answers the edit.',
  'Prints a markdown table. The file edited is restored at the end.',
].join('\n');

const log = (message: string) => console.error(`[dev-loop ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** How to change the answer of /hello in one runtime's skeleton: the file and an edit that makes round `n` answer `(edit n)`. */
interface RouteEdit {
  readonly runtime: string;
  readonly file: string;
  edit(source: string, round: number): string;
}

function routeEditOf(service: string): RouteEdit {
  const app = path.join(service, 'app');
  if (fs.existsSync(path.join(app, 'pom.xml'))) {
    const controller = findFile(path.join(app, 'src', 'main', 'java'), 'HelloController.java');
    return {
      runtime: 'spring-boot',
      file: controller,
      edit: (source, round) => replaceOnce(source, 'this.properties.greeting()', `this.properties.greeting() + " (edit ${round})"`, controller),
    };
  }
  const server = path.join(app, 'src', 'server.ts');
  return {
    runtime: 'node',
    file: server,
    edit: (source, round) => replaceOnce(source, 'message: config.greeting', `message: \`\${config.greeting} (edit ${round})\``, server),
  };
}

function replaceOnce(source: string, find: string, replacement: string, file: string): string {
  if (!source.includes(find)) throw new Error(`${file} has no "${find}" to edit: the skeleton changed, so update bench/dev-loop.ts`);
  return source.replace(find, replacement);
}

function findFile(dir: string, name: string): string {
  const found = (fs.readdirSync(dir, { recursive: true }) as string[]).find((file) => path.basename(file) === name);
  if (!found) throw new Error(`no ${name} under ${dir}`);
  return path.join(dir, found);
}

/** The shell lines of the service's dev task and the folder they run in (spawned tasks, such as app:check, are left out). */
function devTaskOf(service: string): { cwd: string; lines: string[] } {
  const tasks = JSON.parse(fs.readFileSync(path.join(service, '.projen', 'tasks.json'), 'utf-8')).tasks;
  const dev = tasks.dev;
  if (!dev) throw new Error(`${service} has no dev task`);
  const lines = (dev.steps ?? []).filter((step: any) => typeof step.exec === 'string').map((step: any) => step.exec as string);
  return { cwd: path.join(service, dev.cwd ?? '.'), lines };
}

/** The body of `url`, or undefined while nothing answers 2xx. */
async function bodyOf(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

/** Seconds until `url` answers a 2xx body for which `accept` is true, polled every 100 ms; throws after `timeoutSeconds`. */
async function secondsUntil(url: string, accept: (body: string) => boolean, timeoutSeconds: number, child: ChildProcess): Promise<number> {
  const started = process.hrtime.bigint();
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the dev task ended (exit ${child.exitCode}) before ${url} answered`);
    const body = await bodyOf(url);
    if (body !== undefined && accept(body)) return Number(process.hrtime.bigint() - started) / 1e9;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer as expected within ${timeoutSeconds} s`);
}

/** Stops the task's whole process group: SIGTERM, then SIGKILL after 20 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const ended = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, 20_000);
  await ended;
  clearTimeout(timer);
}

interface DevLoopFigures {
  readonly runtime: string;
  readonly command: string;
  readonly firstAnswerSeconds: number;
  readonly editSeconds: number[];
}

async function measure(service: string, runs: number): Promise<DevLoopFigures> {
  const routeEdit = routeEditOf(service);
  const task = devTaskOf(service);
  const original = fs.readFileSync(routeEdit.file, 'utf-8');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/hello`;
  log(`${routeEdit.runtime}: ${task.lines.join(' && ')} (in ${task.cwd}, PORT=${port})`);
  const started = process.hrtime.bigint();
  // Its own process group, so stopping it stops the watcher, the build tool and the app alike.
  const child = spawn('sh', ['-c', task.lines.join(' && ')], { cwd: task.cwd, env: { ...process.env, PORT: String(port) }, detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
  const editSeconds: number[] = [];
  try {
    await secondsUntil(url, () => true, 300, child);
    const firstAnswerSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    log(`${routeEdit.runtime}: first answer after ${firstAnswerSeconds.toFixed(2)} s`);
    for (let round = 1; round <= runs; round++) {
      // A pause first: a watcher that compares modification times needs the edit to land in a later second than the start.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      fs.writeFileSync(routeEdit.file, routeEdit.edit(original, round));
      const seconds = await secondsUntil(url, (body) => body.includes(`(edit ${round})`), 180, child);
      editSeconds.push(seconds);
      log(`${routeEdit.runtime}: edit ${round} answered after ${seconds.toFixed(2)} s`);
    }
    return { runtime: routeEdit.runtime, command: task.lines.join(' && '), firstAnswerSeconds, editSeconds };
  } finally {
    fs.writeFileSync(routeEdit.file, original);
    await stopGroup(child);
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.includes('--help')) {
    console.log(USAGE);
    return;
  }
  let runs = 5;
  const services: string[] = [];
  for (let index = 0; index < args.length; index++) {
    if (args[index] === '--runs') {
      runs = Number(args[++index]);
      if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error(`--runs ${args[index]} is not allowed: give a whole number from 1 to 50`);
    } else {
      services.push(path.resolve(args[index]));
    }
  }
  const rows: string[] = [];
  for (const service of services) {
    const figures = await measure(service, runs);
    const seconds = figures.editSeconds;
    rows.push(`| ${figures.runtime} | \`${figures.command}\` | ${figures.firstAnswerSeconds.toFixed(1)} | ${Math.min(...seconds).toFixed(2)} / ${median(seconds).toFixed(2)} / ${Math.max(...seconds).toFixed(2)} |`);
  }
  console.log([
    `Edit to answer of \`npx projen dev\`, ${runs} edits each; load average before: ${fs.readFileSync('/proc/loadavg', 'utf-8').split(' ').slice(0, 3).join(' ')}.`,
    '',
    '| runtime | dev task | first answer s | edit to answer s min / median / max |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n'));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
