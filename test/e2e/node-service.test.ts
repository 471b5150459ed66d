import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { parse } from 'yaml';
import { buildService, createService } from '../../scripts/sample-service';
import { commandsWithoutAws, freePort, lint, requireTool, sharedTarball, startInBackground, stopGracefully, waitForHttp } from './harness';

/**
 * A user's first minutes, for real: pack this package, `projen new --from`
 * the tarball in an empty folder, `npx projen build`, run the app, lint what
 * was generated, then change options and re-synthesize.
 */
describe('a Node.js service created with projen new --from', () => {
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-e2e-node-'));
  const service = path.join(workdir, 'orders-api');
  const read = (file: string) => fs.readFileSync(path.join(service, file), 'utf-8');

  beforeAll(async () => {
    requireTool('hadolint', 'pip install -r requirements-dev.txt');
    requireTool('cfn-lint', 'pip install -r requirements-dev.txt');
    const tarball = await sharedTarball();
    createService(tarball, service, ['--app-runtime', 'node']);
  });

  afterAll(() => {
    if (!process.env.KEEP_E2E) {
      fs.rmSync(workdir, { recursive: true, force: true });
    }
  });

  it('renders the runtime as an enum in .projenrc.ts and names the service after the folder', () => {
    const projenrc = read('.projenrc.ts');
    expect(projenrc).toContain('appRuntime: AppRuntime.NODE');
    expect(projenrc).toMatch(/name: ["']orders-api["']/);
    expect(read('template.yml')).toContain('orders-api');
  });

  it('builds with npx projen build: app tests, type-check, and an offline cdk synth', () => {
    // No AWS credentials anywhere: the synth must not need them.
    buildService(service, { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', CDK_DEFAULT_ACCOUNT: '', CDK_DEFAULT_REGION: '' });
    expect(fs.existsSync(path.join(service, 'app', 'lib', 'server.js'))).toBe(true);
    expect(fs.readFileSync(path.join(service, 'app', 'test-reports', 'junit.xml'), 'utf-8')).toMatch(/<testsuites[^>]*tests="[1-9]/);
    const toolchain = JSON.parse(fs.readFileSync(path.join(service, 'cdk.out', 'orders-api-toolchain.template.json'), 'utf-8'));
    const pipelines = Object.values<any>(toolchain.Resources).filter((resource) => resource.Type === 'AWS::CodePipeline::Pipeline');
    expect(pipelines).toHaveLength(1);
  });

  it('starts the built app, which answers the health path and the sample route, and stops on SIGTERM', async () => {
    const port = await freePort();
    const app = startInBackground('npm', ['start', '--silent'], { cwd: path.join(service, 'app'), env: { PORT: String(port) }, log: path.join(workdir, 'app.log') });
    try {
      const health = await waitForHttp(`http://127.0.0.1:${port}/health`, 30_000);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const hello = await fetch(`http://127.0.0.1:${port}/hello`);
      expect(await hello.json()).toEqual({ message: 'Hello from orders-api' });
    } finally {
      const stopped = await stopGracefully(app, 25_000);
      expect(stopped.code === 0 || stopped.signal === 'SIGTERM').toBe(true);
    }
  });

  it('generates a Dockerfile hadolint reports nothing on', () => {
    const result = lint('hadolint', ['Dockerfile'], service);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('generates a template.yml cfn-lint reports nothing on', () => {
    const result = lint('cfn-lint', ['template.yml'], service);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('runs the buildspec phases that need no AWS, and they write the test report the buildspec publishes', () => {
    const buildspec = parse(read('buildspec.yml'));
    const commands = commandsWithoutAws(buildspec.phases.build.commands);
    expect(commands.length).toBeGreaterThan(0);
    fs.rmSync(path.join(service, 'app', 'test-reports'), { recursive: true, force: true });
    execFileSync('bash', ['-euo', 'pipefail', '-c', commands.join('\n')], { cwd: service, stdio: 'inherit' });
    const report = buildspec.reports.tests;
    for (const file of report.files) {
      expect(fs.existsSync(path.join(service, report['base-directory'], file))).toBe(true);
    }
  });

  it('keeps the user\'s code, follows changed options and adds an app dependency on the next npx projen', () => {
    const serverPath = path.join(service, 'app', 'src', 'server.ts');
    const edited = `${fs.readFileSync(serverPath, 'utf-8')}\n// a line the user added\n`;
    fs.writeFileSync(serverPath, edited);
    const projenrc = read('.projenrc.ts').replace(
      "appRuntime: AppRuntime.NODE,",
      "appRuntime: AppRuntime.NODE,\n  containerPort: 9090,\n  healthCheckPath: '/status',\n  appDeps: ['ms@^2.1.3'],",
    );
    fs.writeFileSync(path.join(service, '.projenrc.ts'), projenrc);

    execFileSync('npx', ['projen'], { cwd: service, stdio: 'inherit' });

    expect(fs.readFileSync(serverPath, 'utf-8')).toBe(edited);
    expect(read('Dockerfile')).toMatch(/^EXPOSE 9090$/m);
    expect(read('app/src/service.generated.ts')).toContain('containerPort: 9090');
    expect(read('app/src/service.generated.ts')).toContain('healthCheckPath: "/status"');
    const template = parse(read('template.yml'));
    const targetGroup = Object.values<any>(template.Resources).find((resource) => resource.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup');
    expect(targetGroup.Properties.Port).toBe(9090);
    expect(targetGroup.Properties.HealthCheckPath).toBe('/status');
    const appPackage = JSON.parse(read('app/package.json'));
    expect(appPackage.dependencies.ms).toBe('^2.1.3');
    expect(fs.existsSync(path.join(service, 'app', 'node_modules', 'ms'))).toBe(true);
    expect(lint('hadolint', ['Dockerfile'], service).output).toBe('');
    expect(lint('cfn-lint', ['template.yml'], service).output).toBe('');
  });
});
