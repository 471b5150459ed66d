import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { deployedAs } from '../template-conditions';
import { commandsWithoutAws, freePort, lint, requireTool, sharedTarball, startInBackground, stopGracefully, waitForHttp } from './harness';
import { buildService, createService, developerEnvironment } from '../../scripts/sample-service';

/** What differs between runtimes in a user's first minutes; everything else is the same specification. */
export interface GeneratedServiceSpec {
  /** The `--app-runtime` flag value. */
  readonly runtime: 'node' | 'spring-boot';
  /** How the enum member appears in the generated .projenrc.ts. */
  readonly enumMember: string;
  /** The built app's start command, run in `app/`, reading PORT. */
  readonly start: (appDir: string) => [string, string[]];
  /** A user-owned source file of the app the test edits. */
  readonly userFile: (appDir: string) => string;
  /** The managed file in the app that carries port and health path. */
  readonly appSettingsFile: string;
  /** An app dependency in the runtime's notation, and how to see it arrived. */
  readonly appDependency: { spec: string; arrived: (serviceDir: string) => boolean };
  /** Extra environment for builds (a JDK for Spring Boot). */
  readonly env?: NodeJS.ProcessEnv;
  /** Milliseconds the app may take to answer after it starts. */
  readonly startupTimeoutMs: number;
  /** The files projen writes once and the user owns from then on, besides .projenrc.ts, README.md and infra/main.ts. */
  readonly userOwnedFiles: string[];
  /** The skeleton's own tests, run in `app/` after the build, and how many times the stress run repeats them. */
  readonly skeletonTests: { command: string; args: string[]; env?: NodeJS.ProcessEnv; runs: number };
}

/** The CloudFormation resource aws-cdk-lib's validation refuses: a queue's visibility timeout must be a number. */
const BROKEN_QUEUE = "new (require('aws-cdk-lib').CfnResource)(stack, 'BrokenQueue', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 'soon' } });";
/** A bucket without access logs, which cdk-nag's AWS Solutions rules refuse (AwsSolutions-S1). */
const UNCHECKED_BUCKET = "new (require('aws-cdk-lib/aws-s3').Bucket)(stack, 'UncheckedBucket');";
/** The first infra/main.ts this package wrote (commit 964f6c0): it builds the app and registers cdk-nag itself. */
const OLDEST_ENTRY_POINT = path.join(__dirname, '..', 'fixtures', 'infra-main-964f6c0.ts.txt');
/** The stress run starts no more skeleton test runs after this, once it has run MIN_STRESS_RUNS. */
const STRESS_BUDGET_MS = 30_000;
const MIN_STRESS_RUNS = 3;
/** CPU burners beside the runs: every core but one, which jest's other worker keeps busy in CI; one on a single core. */
const STRESS_BURNERS = Math.max(1, os.cpus().length - 1);

/**
 * A user's first minutes, for real: pack this package, `projen new --from`
 * the tarball in an empty folder, `npx projen build`, run the app, lint what
 * was generated, then change options and re-synthesize.
 */
export function describeGeneratedService(spec: GeneratedServiceSpec): void {
  describe(`a ${spec.runtime} service created with projen new --from`, () => {
    const workdir = fs.mkdtempSync(path.join(os.tmpdir(), `csf-e2e-${spec.runtime}-`));
    const service = path.join(workdir, 'orders-api');
    const appDir = path.join(service, 'app');
    const read = (file: string) => fs.readFileSync(path.join(service, file), 'utf-8');
    const env = developerEnvironment(spec.env);

    /** Runs `check` with `line` added to infra/main.ts (or to `entryPoint`) just before `app.synth()`, then restores the file. */
    const withLineBeforeSynth = (line: string, check: () => void, entryPoint?: string) => {
      const main = path.join(service, 'infra', 'main.ts');
      const original = fs.readFileSync(main, 'utf-8');
      fs.writeFileSync(main, (entryPoint ?? original).replace('app.synth();', `${line}\napp.synth();`));
      try {
        check();
      } finally {
        fs.writeFileSync(main, original);
      }
    };
    const run = (command: string, args: string[], cwd = service, extraEnv: NodeJS.ProcessEnv = {}) => {
      const result = spawnSync(command, args, { cwd, encoding: 'utf-8', env: { ...env, ...extraEnv } });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    };

    /** The committed files as `projen new` left them. */
    let createdTree: Record<string, string>;

    beforeAll(async () => {
      requireTool('hadolint', 'pip install -r requirements-dev.txt');
      requireTool('cfn-lint', 'pip install -r requirements-dev.txt');
      const tarball = await sharedTarball();
      createService(tarball, service, ['--app-runtime', spec.runtime]);
      createdTree = treeState(service);
    });

    afterAll(() => {
      if (!process.env.KEEP_E2E) {
        fs.rmSync(workdir, { recursive: true, force: true });
      }
    });

    it('renders the runtime as an enum in .projenrc.ts and names the service after the folder', () => {
      const projenrc = read('.projenrc.ts');
      expect(projenrc).toContain(`appRuntime: AppRuntime.${spec.enumMember}`);
      expect(projenrc).toMatch(/name: ["']orders-api["']/);
      expect(read('template.yml')).toContain('orders-api');
    });

    it('builds with npx projen build: app build and tests, type-check, and an offline cdk synth', () => {
      // No AWS credentials anywhere: the synth must not need them.
      buildService(service, { ...spec.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', CDK_DEFAULT_ACCOUNT: '', CDK_DEFAULT_REGION: '' });
      const toolchain = JSON.parse(read('cdk.out/orders-api-toolchain.template.json'));
      const pipelines = Object.values<any>(toolchain.Resources).filter((resource) => resource.Type === 'AWS::CodePipeline::Pipeline');
      expect(pipelines).toHaveLength(1);
    });

    it('fails the toolchain\'s cdk synth when cdk-nag finds something, so the check cannot rot', () => {
      withLineBeforeSynth(UNCHECKED_BUCKET, () => {
        const result = spawnSync('npx', ['cdk', 'synth', '-q'], { cwd: service, encoding: 'utf-8', env });
        expect(result.status).not.toBe(0);
        expect(`${result.stdout}${result.stderr}`).toContain('AwsSolutions-S1');
      });
    });

    it('fails the build\'s synth on a CloudFormation validation finding, which a quick cdk synth skips', () => {
      withLineBeforeSynth(BROKEN_QUEUE, () => {
        const build = spawnSync('npx', ['projen', 'synth:silent'], { cwd: service, encoding: 'utf-8', env });
        expect(build.status).not.toBe(0);
        expect(`${build.stdout}${build.stderr}`).toContain('VisibilityTimeout');
        const quick = spawnSync('npx', ['cdk', 'synth', '-q'], { cwd: service, encoding: 'utf-8', env });
        expect(`${quick.stdout}${quick.stderr}`).not.toContain('VisibilityTimeout');
        expect(quick.status).toBe(0);
      });
    });

    it('still validates and runs cdk-nag in the build with the oldest infra/main.ts this package wrote', () => {
      const oldest = fs.readFileSync(OLDEST_ENTRY_POINT, 'utf-8');
      withLineBeforeSynth('', () => {
        expect(run('npx', ['tsc', '--noEmit', '-p', 'projenrc/tsconfig.json'])).toEqual({ status: 0, output: '' });
        expect(run('npx', ['projen', 'synth:silent']).status).toBe(0);
      }, oldest);
      // One synth reports both: aws-cdk-lib runs every validation plugin before it fails.
      withLineBeforeSynth(`${BROKEN_QUEUE}\n${UNCHECKED_BUCKET}`, () => {
        const build = run('npx', ['projen', 'synth:silent']);
        expect(build.status).not.toBe(0);
        expect(build.output).toContain('VisibilityTimeout');
        expect(build.output).toContain('AwsSolutions-S1');
      }, oldest);
    });

    it('runs the skeleton\'s tests many times under CPU load without a failure', async () => {
      const { command, args, runs } = spec.skeletonTests;
      const burners = Array.from({ length: STRESS_BURNERS }, () => spawn(process.execPath, ['-e', `const end = Date.now() + ${STRESS_BUDGET_MS + 60_000}; while (Date.now() < end) {}`], { stdio: 'ignore' }));
      const started = Date.now();
      const failures: string[] = [];
      let done = 0;
      try {
        // At least three runs whatever the machine's speed, then more while the budget lasts.
        while (done < runs && (done < MIN_STRESS_RUNS || Date.now() - started < STRESS_BUDGET_MS)) {
          const result = await runAsync(command, args, appDir, { ...env, ...spec.skeletonTests.env });
          done += 1;
          if (result.status !== 0) {
            failures.push(result.output.slice(-2000));
          }
        }
      } finally {
        burners.forEach((burner) => burner.kill('SIGKILL'));
      }
      console.log(`${spec.runtime} skeleton tests under load (${burners.length} CPU burners): ${done} runs, ${failures.length} failures, ${Math.round((Date.now() - started) / 1000)} s`);
      expect(failures).toEqual([]);
    });

    it('starts the built app, which answers the health path and the sample route, and stops on SIGTERM', async () => {
      const port = await freePort();
      const [command, args] = spec.start(appDir);
      // GREETING as a stage's `environment` in .projenrc.ts sets it in the task definition.
      const app = startInBackground(command, args, { cwd: appDir, env: { ...spec.env, PORT: String(port), GREETING: 'Hello from the e2e stage' }, log: path.join(workdir, 'app.log') });
      try {
        const health = await waitForHttp(`http://127.0.0.1:${port}/health`, spec.startupTimeoutMs);
        expect(health.status).toBe(200);
        const hello = await fetch(`http://127.0.0.1:${port}/hello`);
        expect(hello.status).toBe(200);
        expect(await hello.json()).toEqual({ message: 'Hello from the e2e stage' });

        // The pipeline's smoke test, as a user runs it: it passes against the app as generated...
        const smokeTest = await runAsync('npx', ['projen', 'smoke-test', `http://127.0.0.1:${port}`], service, env);
        expect(smokeTest).toMatchObject({ status: 0 });
        expect(smokeTest.output).toContain(`smoke test passed: http://127.0.0.1:${port}`);
        // ...and fails, naming the route and its status, once it checks a route the app does not serve.
        const broken = path.join(workdir, 'smoke-test-broken.sh');
        fs.writeFileSync(broken, read('smoke-test.sh').replace("expect_ok /hello '\"message\"'", "expect_ok /hello '\"message\"'\nexpect_ok /orders"));
        const failed = await runAsync('bash', [broken, `http://127.0.0.1:${port}`], service, { ...env, SMOKE_TEST_ATTEMPTS: '2', SMOKE_TEST_DELAY_SECONDS: '0' });
        expect(failed.status).toBe(1);
        expect(failed.output).toContain(`smoke test failed: GET http://127.0.0.1:${port}/orders answered 404 (expected 200) after 2 attempts`);
      } finally {
        // ECS sends SIGKILL 30 s after SIGTERM; the app must be gone well before.
        const stopped = await stopGracefully(app, 25_000);
        expect([0, 143].includes(stopped.code ?? -1) || stopped.signal === 'SIGTERM').toBe(true);
      }
    });

    it('generates a smoke-test.sh shellcheck reports nothing on', () => {
      requireTool('shellcheck', 'pip install -r requirements-dev.txt');
      expect(lint('shellcheck', ['smoke-test.sh'], service)).toEqual({ status: 0, output: '' });
    });

    it('generates a Dockerfile hadolint reports nothing on', () => {
      expect(lint('hadolint', ['Dockerfile'], service)).toEqual({ status: 0, output: '' });
    });

    it('generates a template.yml cfn-lint reports nothing on', () => {
      expect(lint('cfn-lint', ['template.yml'], service)).toEqual({ status: 0, output: '' });
    });

    it('runs the buildspec phases that need no AWS, and they write the test report the buildspec publishes', () => {
      const buildspec = parse(read('buildspec.yml'));
      const commands = commandsWithoutAws(buildspec.phases.build.commands);
      expect(commands.length).toBeGreaterThan(0);
      const report = buildspec.reports.tests;
      const reportDir = path.join(service, report['base-directory']);
      fs.rmSync(reportDir, { recursive: true, force: true });
      execFileSync('bash', ['-euo', 'pipefail', '-c', commands.join('\n')], { cwd: service, stdio: 'inherit', env });
      const written = fs.readdirSync(reportDir).filter((file) => report.files.some((pattern: string) => globToRegExp(pattern).test(file)));
      expect(written.length).toBeGreaterThan(0);
      // The same build on a template.yml edited by hand fails before it tests anything, naming the file.
      fs.chmodSync(path.join(service, 'template.yml'), 0o644);
      fs.appendFileSync(path.join(service, 'template.yml'), '# scaled by hand\n');
      const drifted = spawnSync('bash', ['-euo', 'pipefail', '-c', commands.join('\n')], { cwd: service, encoding: 'utf-8', env });
      expect(drifted.status).toBe(1);
      expect(drifted.stderr).toContain('These managed files are not what .projenrc.ts makes of them (edited by hand, or .projenrc.ts changed without a synth):\n  template.yml\n');
    });

    it('has every file either managed (in .projen/files.json, read-only) or the user\'s own (written once)', () => {
      const userOwned = ['.projenrc.ts', 'README.md', 'infra/main.ts', 'smoke-test.sh', ...spec.userOwnedFiles];
      const unclassified: string[] = [];
      const writableManaged: string[] = [];
      for (const file of committedFiles(service)) {
        // The app is a projen subproject with its own manifest.
        const projectDir = file.startsWith('app/') ? 'app' : '.';
        const managed: string[] = JSON.parse(fs.readFileSync(path.join(service, projectDir, '.projen', 'files.json'), 'utf-8')).files;
        if (managed.includes(path.relative(projectDir, file))) {
          if (/[2367]/.test(permissions(path.join(service, file)))) {
            writableManaged.push(file);
          }
        } else if (!userOwned.includes(file) && !PACKAGE_MANAGER_FILES.includes(path.basename(file))) {
          unclassified.push(file);
        }
      }
      expect(unclassified).toEqual([]);
      expect(writableManaged).toEqual([]);
      // Written once: a synth keeps every line the user added.
      const originals = new Map(userOwned.map((file) => [file, read(file)]));
      try {
        for (const file of userOwned) {
          fs.writeFileSync(path.join(service, file), `${originals.get(file)}\n${commentFor(file)} a line the team added\n`);
        }
        execFileSync('npx', ['projen'], { cwd: service, stdio: 'inherit', env });
        for (const file of userOwned) {
          expect(read(file)).toBe(`${originals.get(file)}\n${commentFor(file)} a line the team added\n`);
        }
      } finally {
        originals.forEach((text, file) => fs.writeFileSync(path.join(service, file), text));
      }
    });

    it('changes nothing on two synths in a row, before and after npm ci, nor on the first synth after projen new', () => {
      const synth = () => {
        execFileSync('npx', ['projen'], { cwd: service, stdio: 'inherit', env });
        return treeState(service);
      };
      const first = synth();
      // Nothing since projen new (a build, the tests above) may change a committed file either.
      expect(first).toEqual(createdTree);
      expect(synth()).toEqual(first);
      // The Node app installs in app/; a Spring Boot service's npm packages are the toolchain's, at the top.
      const installDir = fs.existsSync(path.join(appDir, 'package-lock.json')) ? appDir : service;
      execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: installDir, stdio: 'inherit', env });
      expect(treeState(service)).toEqual(first);
      expect(synth()).toEqual(first);
      expect(synth()).toEqual(first);
    });

    it('keeps the user\'s code, follows changed options and adds an app dependency on the next npx projen', () => {
      const userFile = spec.userFile(appDir);
      const edited = `${fs.readFileSync(userFile, 'utf-8')}\n// a line the user added\n`;
      fs.writeFileSync(userFile, edited);
      const projenrc = read('.projenrc.ts').replace(
        `appRuntime: AppRuntime.${spec.enumMember},`,
        `appRuntime: AppRuntime.${spec.enumMember},\n  containerPort: 9090,\n  healthCheckPath: '/status',\n  appDeps: ['${spec.appDependency.spec}'],\n${STAGE_OPTIONS}`,
      );
      fs.writeFileSync(path.join(service, '.projenrc.ts'), projenrc);

      execFileSync('npx', ['projen'], { cwd: service, stdio: 'inherit', env });

      expect(fs.readFileSync(userFile, 'utf-8')).toBe(edited);
      expect(read('Dockerfile')).toMatch(/^EXPOSE 9090$/m);
      expect(read(spec.appSettingsFile)).toContain('9090');
      expect(read(spec.appSettingsFile)).toContain('/status');
      const template = parse(read('template.yml'));
      const targetGroup = Object.values<any>(template.Resources).find((resource) => resource.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup');
      expect(targetGroup.Properties.Port).toBe(9090);
      expect(targetGroup.Properties.HealthCheckPath).toBe('/status');
      expect(spec.appDependency.arrived(service)).toBe(true);
      // The managed guide follows; the README the team owns only links to it.
      expect(read('docs/service.md')).toContain('| container port | 9090 |');
      expect(read('docs/service.md')).toContain('curl http://localhost:9090/status');
      // Each stage's variables and secret reach its task definition, and the secret its execution role's policy.
      const taskDefinition = deployedStage(template, 'dev').Resources.TaskDefinition.Properties.ContainerDefinitions[0];
      expect(taskDefinition.Environment).toEqual([{ Name: 'GREETING', Value: 'Hello from dev' }]);
      expect(JSON.stringify(taskDefinition.Secrets)).toContain('secret:orders-api/dev/db:password::');
      expect(deployedStage(template, 'production').Resources.TaskDefinition.Properties.ContainerDefinitions[0].Environment).toEqual([{ Name: 'GREETING', Value: 'Hello from every stage' }]);
      expect(read('infra/toolchain.generated.ts')).toContain('secrets: { DB_PASSWORD: {"secretsManager":"orders-api/dev/db","jsonKey":"password"} }');
      expect(lint('hadolint', ['Dockerfile'], service)).toEqual({ status: 0, output: '' });
      expect(lint('cfn-lint', ['template.yml'], service)).toEqual({ status: 0, output: '' });
    });
  });
}

/** Stage objects with a variable per stage and a secret reference, as a user adds them to .projenrc.ts. */
const STAGE_OPTIONS = `  environment: { GREETING: 'Hello from every stage' },
  stageOptions: [
    { name: 'dev', environment: { GREETING: 'Hello from dev' }, secrets: { DB_PASSWORD: { secretsManager: 'orders-api/dev/db', jsonKey: 'password' } } },
    { name: 'production' },
  ],`;

/** template.yml as a stage's stack gets it: its own `Is<Stage>Stage` choices made. */
function deployedStage(template: any, stage: string): any {
  const conditions = Object.keys(template.Conditions).filter((name) => /^Is[A-Z][a-z0-9]*Stage$/.test(name));
  return deployedAs(template, { Stage: stage }, conditions);
}

/** projen writes package.json writable because npm edits it too; the lock file is npm's own. */
const PACKAGE_MANAGER_FILES = ['package.json', 'package-lock.json'];

/** The files a team commits: everything the generated .gitignore files do not exclude (build output, node_modules). */
function committedFiles(service: string): string[] {
  const gitDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-tree-'));
  try {
    execFileSync('git', ['init', '-q', gitDir]);
    const listed = execFileSync('git', [`--git-dir=${path.join(gitDir, '.git')}`, `--work-tree=${service}`, 'ls-files', '--cached', '--others', '--exclude-standard'], { cwd: service, encoding: 'utf-8' });
    return listed.split('\n').filter(Boolean);
  } finally {
    fs.rmSync(gitDir, { recursive: true, force: true });
  }
}

/** Each committed file's permissions and content, to compare two moments. */
function treeState(service: string): Record<string, string> {
  return Object.fromEntries(committedFiles(service).map((file) => {
    const full = path.join(service, file);
    return [file, `${permissions(full)} ${fs.readFileSync(full, 'utf-8')}`];
  }));
}

/** Owner, group and other permissions in octal, e.g. `444` for a read-only file. */
function permissions(file: string): string {
  return fs.statSync(file).mode.toString(8).slice(-3);
}

/** A line comment in the file's own language. */
function commentFor(file: string): string {
  return /\.(md)$/.test(file) ? '<!-- -->' : /\.(ya?ml|sh)$/.test(file) ? '#' : '//';
}

/** Runs a command without blocking the event loop, so the test's own timers and children keep running. */
function runAsync(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env });
    let output = '';
    child.stdout.on('data', (chunk) => output += chunk);
    child.stderr.on('data', (chunk) => output += chunk);
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** `TEST-*.xml` as a regular expression over file names. */
function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}
