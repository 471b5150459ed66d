import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { packThisCheckout } from '../../scripts/sample-service';

/**
 * The package, compiled and packed once per jest run: test files run in
 * parallel workers, so the first one packs and the others wait for it.
 */
export async function sharedTarball(): Promise<string> {
  const dir = path.join(os.tmpdir(), `csf-e2e-pack-${process.ppid}`);
  const done = path.join(dir, 'tarball-path');
  try {
    fs.mkdirSync(dir);
  } catch {
    for (let waited = 0; !fs.existsSync(done); waited += 1) {
      if (waited > 600) {
        throw new Error(`waited 10 minutes for another test file to pack into ${dir}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    return fs.readFileSync(done, 'utf-8');
  }
  const tarball = packThisCheckout(path.join(dir, 'pack'));
  fs.writeFileSync(done, tarball);
  return tarball;
}

/** Fails clearly when a linter the suite relies on is missing (.ci/run installs them). */
export function requireTool(tool: string, installHint: string): void {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} is not on PATH: install it with ${installHint} (see README, "Running the tests")`);
  }
}

/** Runs a linter; returns its output so the test can show it when it is not empty. */
export function lint(tool: string, args: string[], cwd: string): { status: number; output: string } {
  try {
    const output = execFileSync(tool, args, { cwd, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: 0, output };
  } catch (error: any) {
    return { status: error.status ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` };
  }
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Polls `url` until it answers 2xx or `timeoutMs` passes, as a load balancer's health check retries a starting
 * task (Spring Boot answers 503 until it is ready for traffic); returns the last answer.
 */
export async function waitForHttp(url: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let lastAnswer: Response | undefined;
  while (Date.now() < deadline) {
    try {
      lastAnswer = await fetch(url);
      if (lastAnswer.ok) {
        return lastAnswer;
      }
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (lastAnswer) {
    return lastAnswer;
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

export interface StoppedProcess {
  readonly code: number | null;
  readonly signal: string | null;
  readonly elapsedMs: number;
}

/** Sends SIGTERM and resolves with how the process ended and the milliseconds it took. */
export async function stopGracefully(child: ChildProcess, timeoutMs: number): Promise<StoppedProcess> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the app did not exit within ${timeoutMs} ms of SIGTERM`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, elapsedMs: Date.now() - started });
    });
    child.kill('SIGTERM');
  });
}

/** Starts a command in the background, its output appended to a log the test can show. */
export function startInBackground(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; log: string }): ChildProcess {
  const log = fs.openSync(options.log, 'a');
  return spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', log, log] });
}

/** Commands of a buildspec phase that run without AWS or Docker: the app's own build and tests. */
export function commandsWithoutAws(commands: string[]): string[] {
  return commands.filter((command) => !/\b(aws|docker)\b/.test(command));
}

/**
 * JAVA_HOME and PATH for a JDK of at least `release`: the default `java` when
 * it is new enough, otherwise one of the usual install folders.
 */
export function jdkHome(release: number): NodeJS.ProcessEnv {
  // `java -version` writes to stderr.
  const major = (javaBin: string) => Number(/version "(\d+)/.exec(spawnSync(javaBin, ['-version'], { encoding: 'utf-8' }).stderr ?? '')?.[1] ?? 0);
  const candidates = [process.env.JAVA_HOME, ...fs.readdirSync('/usr/lib/jvm', { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => path.join('/usr/lib/jvm', entry.name))]
    .filter((home): home is string => !!home && fs.existsSync(path.join(home, 'bin', 'java')));
  const home = candidates.find((candidate) => major(path.join(candidate, 'bin', 'java')) >= release);
  if (!home) {
    throw new Error(`no JDK ${release} or newer found (JAVA_HOME or /usr/lib/jvm): the Spring Boot service compiles for Java ${release}`);
  }
  return { JAVA_HOME: home, PATH: `${path.join(home, 'bin')}:${process.env.PATH}` };
}
