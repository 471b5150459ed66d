import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { packThisCheckout } from '../../scripts/sample-service';

/**
 * The package, compiled and packed once per jest run: test files run in
 * parallel workers, so the first one packs and the others wait for it. A later
 * run of unchanged sources takes the tarball an earlier one packed (see packedOnce).
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
  const tarball = packedOnce();
  fs.writeFileSync(done, tarball);
  return tarball;
}

/** Tarballs kept between jest runs, one folder per hash of the sources they were packed from. */
const PACK_CACHE = path.join(os.tmpdir(), 'csf-pack-cache');
const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** In the checkout but not in the package, nor read by the compile: a change there needs no new pack. */
const NOT_PACKED = /^(test|bench|samples|dist|\.ci)\//;

/**
 * This checkout packed, or the tarball an earlier run packed from the same sources (a compile and pack is one to two
 * minutes of each single-file run). The compiled lib/ and .jsii must also be what that run left, since the consumer
 * and command-line tests read them in the checkout; otherwise it compiles and packs again.
 */
export function packedOnce(): string {
  const entry = path.join(PACK_CACHE, sourceHash());
  const record = path.join(entry, 'packed.json');
  if (fs.existsSync(record)) {
    const { tarball, compiled } = JSON.parse(fs.readFileSync(record, 'utf-8'));
    if (fs.existsSync(tarball) && compiled === compiledHash()) {
      return tarball;
    }
  }
  // A folder of this process's own, renamed into place: two runs packing the same sources never write one file.
  const tarball = packThisCheckout(path.join(entry, `pack-${process.pid}`));
  fs.writeFileSync(`${record}.${process.pid}`, JSON.stringify({ tarball, compiled: compiledHash() }));
  fs.renameSync(`${record}.${process.pid}`, record);
  return tarball;
}

/** The contents of every file git tracks or would track (ignored build output aside), the unpacked folders left out. */
function sourceHash(): string {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 })
    .split('\0').filter((file) => file && !NOT_PACKED.test(file)).sort();
  return hashFiles(files);
}

/** What the compile wrote: lib/ and the jsii assembly. */
function compiledHash(): string {
  const lib = path.join(REPO_ROOT, 'lib');
  const files = fs.existsSync(lib) ? (fs.readdirSync(lib, { recursive: true }) as string[]).map((file) => path.join('lib', file)) : [];
  return hashFiles([...files, '.jsii'].sort());
}

function hashFiles(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    const full = path.join(REPO_ROOT, file);
    // A file deleted from the work tree that git still lists hashes as missing.
    const content = fs.existsSync(full) && fs.statSync(full).isFile() ? fs.readFileSync(full) : Buffer.from('(missing)');
    hash.update(file).update('\0').update(content).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
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
