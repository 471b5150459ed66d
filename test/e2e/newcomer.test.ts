// A newcomer's first hour, scripted: a fresh copy of this checkout, the README's first command, then the generated
// service's docs/service.md commands in the order it gives them, and the mistakes of ERROR_PATHS, asserting what each prints.
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { ERROR_PATHS, FIRST_DEPLOY_STEPS, NEWCOMER_SERVICE, NewcomerStep, ROOT_README_STEPS, SERVICE_README_STEPS } from './newcomer-steps';
import { developerEnvironment } from '../../scripts/sample-service';
import { documentedCommands, NEEDS_AWS_ACCOUNT, readmeFirstCommand, REPO_ROOT } from '../documented-commands';

/** The tools image:build and image:run look for. */
const CONTAINER_TOOLS = ['docker', 'podman', 'buildah'];

describe('a newcomer\'s first hour, from a fresh clone', () => {
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-newcomer-'));
  const checkout = path.join(workdir, 'projen-codestar-fargate');
  const service = path.join(workdir, NEWCOMER_SERVICE);
  // Warm npm cache first, as on a developer's machine after their first install; it still fetches what the cache lacks.
  // No NODE_ENV: jest sets it to "test", which a developer's shell does not have (the app then logs nothing).
  const { NODE_ENV: _jestNodeEnv, ...env } = developerEnvironment({ npm_config_prefer_offline: 'true', CONTAINER_TOOL: '' });
  const noContainerTool = { ...env, PATH: pathWithout(CONTAINER_TOOLS, workdir) };
  const background: ChildProcess[] = [];

  const shell = (command: string, cwd: string, environment = env) => {
    const result = spawnSync('bash', ['-c', command], { cwd, encoding: 'utf-8', env: environment, maxBuffer: 64 * 1024 * 1024 });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };
  const expectStep = (step: NewcomerStep, result: { status: number | null; output: string }, succeeds: boolean) => {
    // The command in the failure message says which step broke.
    expect({ command: step.command, succeeded: result.status === 0 }).toEqual({ command: step.command, succeeded: succeeds });
    const expected = asPattern(step.expectedText);
    expect({ command: step.command, output: result.output }).toEqual({ command: step.command, output: expect.stringMatching(expected) });
    if (step.absentText) {
      expect({ command: step.command, output: result.output })
        .toEqual({ command: step.command, output: expect.not.stringContaining(step.absentText) });
    }
  };

  beforeAll(() => {
    // A clone has what git tracks; the working tree's uncommitted files count too, so the run tests this checkout.
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf-8' })
      .split('\0').filter((file) => file && fs.existsSync(path.join(REPO_ROOT, file)));
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
      fs.copyFileSync(path.join(REPO_ROOT, file), path.join(checkout, file));
    }
  });

  afterAll(async () => {
    background.forEach((child) => signalGroup(child, 'SIGTERM'));
    // Whatever did not stop on SIGTERM must not keep the port bound for the next run.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    background.forEach((child) => signalGroup(child, 'SIGKILL'));
    if (!process.env.KEEP_E2E) {
      fs.rmSync(workdir, { recursive: true, force: true });
    }
  });

  it('runs the README\'s first command: npm ci, then a Node.js service built in ../orders-api', () => {
    const command = readmeFirstCommand(fs.readFileSync(path.join(checkout, 'README.md'), 'utf-8'));
    expect(command).toContain(`../${NEWCOMER_SERVICE}`);
    const result = shell(command, checkout);
    expect({ status: result.status, tail: result.output.slice(-3000) }).toEqual({ status: 0, tail: expect.any(String) });
    expect(result.output).toContain(`A node service is ready in ${service}. Start it with: cd ../${NEWCOMER_SERVICE} && npx projen app:start`);
    expect(fs.readFileSync(path.join(service, 'README.md'), 'utf-8')).toContain('[docs/service.md](docs/service.md)');
  });

  it.each(ROOT_README_STEPS.map((step) => [step.command, step]))('runs %s from the README in the fresh clone', (_command, step) => {
    expectStep(step, shell(step.command, checkout), true);
  });

  /** Runs the commands of a Markdown file that need no AWS account, in its order, each against its entry in `steps`. */
  const runDocumentedSteps = async (markdownFile: string, steps: NewcomerStep[], stepEnv: NodeJS.ProcessEnv) => {
    const documented = documentedCommands(fs.readFileSync(markdownFile, 'utf-8'), path.basename(markdownFile))
      .filter(({ comment }) => !comment.includes(NEEDS_AWS_ACCOUNT));
    const unexpected = documented.filter(({ command }) => !steps.some((step) => step.command === command));
    expect(unexpected.map(({ command, where }) => `${where}: ${command} has no expected output in newcomer-steps.ts`)).toEqual([]);
    expect(documented.length).toBeGreaterThan(0);

    for (const { command } of documented) {
      const step = steps.find((candidate) => candidate.command === command)!;
      const environment = step.withoutContainerTool ? noContainerTool : stepEnv;
      if (step.background) {
        // One server at a time, on the port the docs name: the one running is stopped as Ctrl+C would, and must free it.
        for (const previous of background.splice(0)) {
          signalGroup(previous, 'SIGINT');
          await until(() => previous.exitCode !== null || previous.signalCode !== null, 20_000);
        }
        expect(await portFreedWithin(8080, 10_000)).toBe(true);
        const log = path.join(workdir, `${command.replace(/\W+/g, '-')}.log`);
        fs.writeFileSync(log, '');
        // Variables set for the command (`GREETING=... npx projen dev`) go before exec, which takes a program first.
        const [, assignments, program] = /^((?:[A-Za-z_]\w*=(?:'[^']*'|"[^"]*"|\S*)\s+)*)([\s\S]*)$/.exec(command)!;
        const child = spawn('bash', ['-c', `${assignments}exec ${program} >>${log} 2>&1`], { cwd: service, env: environment, detached: true, stdio: 'ignore' });
        background.push(child);
        await until(() => asPattern(step.expectedText).test(fs.readFileSync(log, 'utf-8')), 60_000);
        expectStep(step, { status: child.exitCode ?? 0, output: fs.readFileSync(log, 'utf-8') }, true);
        continue;
      }
      let result = shell(command, service, environment);
      for (const deadline = Date.now() + (step.retryMs ?? 0); result.status !== 0 && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        result = shell(command, service, environment);
      }
      expectStep(step, result, !step.withoutContainerTool);
    }
  };

  it('runs the generated docs/service.md commands in order, each printing what it should', async () => {
    expect(await portIsFree(8080)).toBe(true);
    await runDocumentedSteps(path.join(service, 'docs', 'service.md'), SERVICE_README_STEPS, env);
  });

  it('commits the service as docs/first-deploy.md says, up to the push that needs an AWS account', async () => {
    const author = { GIT_AUTHOR_NAME: 'A Newcomer', GIT_AUTHOR_EMAIL: 'newcomer@example.com', GIT_COMMITTER_NAME: 'A Newcomer', GIT_COMMITTER_EMAIL: 'newcomer@example.com' };
    await runDocumentedSteps(path.join(checkout, 'docs', 'first-deploy.md'), FIRST_DEPLOY_STEPS, { ...env, ...author });
    // The commit holds the service and none of what the build left behind.
    const committed = execFileSync('git', ['ls-files'], { cwd: service, encoding: 'utf-8' }).split('\n');
    expect(committed).toEqual(expect.arrayContaining(['.projenrc.ts', 'docs/service.md', 'template.yml', 'app/src/server.ts']));
    expect(committed.filter((file) => /(^|\/)(node_modules|cdk\.out|lib)\//.test(file))).toEqual([]);
  });

  it('shows the port and stages changed in .projenrc.ts in docs/service.md after the next npx projen', () => {
    const projenrc = path.join(service, '.projenrc.ts');
    const original = fs.readFileSync(projenrc, 'utf-8');
    fs.writeFileSync(projenrc, original.replace('appRuntime: AppRuntime.NODE,', "appRuntime: AppRuntime.NODE,\n  containerPort: 9090,\n  stages: ['dev', 'qa', 'production'],"));
    try {
      expect(shell('npx projen', service).status).toBe(0);
      const guide = fs.readFileSync(path.join(service, 'docs', 'service.md'), 'utf-8');
      expect(guide).toContain('curl http://localhost:9090/health');
      expect(guide).toContain('`dev`, then `qa`, then manual approval, then `production`');
    } finally {
      fs.writeFileSync(projenrc, original);
    }
  });

  it.each(ERROR_PATHS.map((errorPath) => [errorPath.mistake, errorPath]))('tells a newcomer what to do after %s', (_mistake, errorPath) => {
    const projenrc = path.join(service, '.projenrc.ts');
    const original = fs.readFileSync(projenrc, 'utf-8');
    if (errorPath.projenrcEdit) {
      expect(original).toContain(errorPath.projenrcEdit.from);
      fs.writeFileSync(projenrc, original.replace(errorPath.projenrcEdit.from, errorPath.projenrcEdit.to));
    }
    try {
      const [tarball] = fs.readdirSync(path.join(checkout, 'dist', 'sample-service')).filter((file) => file.endsWith('.tgz'));
      const command = errorPath.command.replace('{tarball}', path.join(checkout, 'dist', 'sample-service', tarball));
      // An empty folder a newcomer would name: the folder's name is the default service name, and mkdtemp's has capitals.
      const cwd = errorPath.inEmptyFolder ? path.join(fs.mkdtempSync(path.join(workdir, 'empty-')), 'orders-api') : service;
      fs.mkdirSync(cwd, { recursive: true });
      // npm_config_yes answers npx's "Ok to proceed?" for projen in an empty folder, as a user at a terminal does.
      const result = shell(command, cwd, { ...(errorPath.withoutContainerTool ? noContainerTool : env), ...(errorPath.inEmptyFolder ? { npm_config_yes: 'true' } : {}) });
      expect(result.status).not.toBe(0);
      expect(result.output).toMatch(asPattern(errorPath.expectedText));
      if (errorPath.leavesFolderEmpty) {
        expect(fs.readdirSync(cwd)).toEqual([]);
      }
    } finally {
      fs.writeFileSync(projenrc, original);
    }
  });
});

function asPattern(text: string | RegExp): RegExp {
  return typeof text === 'string' ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : text;
}

/** A PATH under `workdir` with links to every program of the current PATH except `tools`. */
function pathWithout(tools: string[], workdir: string): string {
  const bin = path.join(workdir, 'bin-without-container-tools');
  fs.mkdirSync(bin, { recursive: true });
  for (const dir of (process.env.PATH ?? '').split(':').filter((entry) => entry && fs.existsSync(entry))) {
    for (const name of fs.readdirSync(dir)) {
      const link = path.join(bin, name);
      if (!tools.includes(name) && !fs.existsSync(link)) {
        fs.symlinkSync(path.join(dir, name), link);
      }
    }
  }
  return bin;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer().once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

async function portFreedWithin(port: number, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 250))) {
    if (await portIsFree(port)) return true;
  }
  return portIsFree(port);
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition() && Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Signals a background command and everything it started (npx, projen, the app). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}
