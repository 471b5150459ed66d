import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
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
}

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

    /** Runs `check` with `line` added to infra/main.ts just before `app.synth()`, then restores the file. */
    const withLineBeforeSynth = (line: string, check: () => void) => {
      const main = path.join(service, 'infra', 'main.ts');
      const original = fs.readFileSync(main, 'utf-8');
      fs.writeFileSync(main, original.replace('app.synth();', `${line}\napp.synth();`));
      try {
        check();
      } finally {
        fs.writeFileSync(main, original);
      }
    };

    beforeAll(async () => {
      requireTool('hadolint', 'pip install -r requirements-dev.txt');
      requireTool('cfn-lint', 'pip install -r requirements-dev.txt');
      const tarball = await sharedTarball();
      createService(tarball, service, ['--app-runtime', spec.runtime]);
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
      withLineBeforeSynth("new (require('aws-cdk-lib/aws-s3').Bucket)(stack, 'UncheckedBucket');", () => {
        const result = spawnSync('npx', ['cdk', 'synth', '-q'], { cwd: service, encoding: 'utf-8', env });
        expect(result.status).not.toBe(0);
        expect(`${result.stdout}${result.stderr}`).toContain('AwsSolutions-S1');
      });
    });

    it('fails the build\'s synth on a CloudFormation validation finding, which a quick cdk synth skips', () => {
      const broken = "new (require('aws-cdk-lib').CfnResource)(stack, 'BrokenQueue', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 'soon' } });";
      withLineBeforeSynth(broken, () => {
        const build = spawnSync('npx', ['projen', 'synth:silent'], { cwd: service, encoding: 'utf-8', env });
        expect(build.status).not.toBe(0);
        expect(`${build.stdout}${build.stderr}`).toContain('VisibilityTimeout');
        const quick = spawnSync('npx', ['cdk', 'synth', '-q'], { cwd: service, encoding: 'utf-8', env });
        expect(`${quick.stdout}${quick.stderr}`).not.toContain('VisibilityTimeout');
        expect(quick.status).toBe(0);
      });
    });

    it('starts the built app, which answers the health path and the sample route, and stops on SIGTERM', async () => {
      const port = await freePort();
      const [command, args] = spec.start(appDir);
      const app = startInBackground(command, args, { cwd: appDir, env: { ...spec.env, PORT: String(port) }, log: path.join(workdir, 'app.log') });
      try {
        const health = await waitForHttp(`http://127.0.0.1:${port}/health`, spec.startupTimeoutMs);
        expect(health.status).toBe(200);
        const hello = await fetch(`http://127.0.0.1:${port}/hello`);
        expect(hello.status).toBe(200);
        expect(await hello.json()).toEqual({ message: expect.any(String) });
      } finally {
        // ECS sends SIGKILL 30 s after SIGTERM; the app must be gone well before.
        const stopped = await stopGracefully(app, 25_000);
        expect([0, 143].includes(stopped.code ?? -1) || stopped.signal === 'SIGTERM').toBe(true);
      }
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
    });

    it('keeps the user\'s code, follows changed options and adds an app dependency on the next npx projen', () => {
      const userFile = spec.userFile(appDir);
      const edited = `${fs.readFileSync(userFile, 'utf-8')}\n// a line the user added\n`;
      fs.writeFileSync(userFile, edited);
      const projenrc = read('.projenrc.ts').replace(
        `appRuntime: AppRuntime.${spec.enumMember},`,
        `appRuntime: AppRuntime.${spec.enumMember},\n  containerPort: 9090,\n  healthCheckPath: '/status',\n  appDeps: ['${spec.appDependency.spec}'],`,
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
      expect(lint('hadolint', ['Dockerfile'], service)).toEqual({ status: 0, output: '' });
      expect(lint('cfn-lint', ['template.yml'], service)).toEqual({ status: 0, output: '' });
    });
  });
}

/** `TEST-*.xml` as a regular expression over file names. */
function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}
