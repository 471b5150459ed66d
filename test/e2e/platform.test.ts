// A platform team's first minutes: `projen new --from projen-codestar-fargate codestar-fargate-platform` by name from
// a real npm registry holding this checkout, in an empty folder, then `npx projen build` there offline; then two
// services join it (`--platform-name`), each created by name in an empty folder and built offline.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lint, sharedTarball } from './harness';
import { LocalRegistry } from './registry';
import { developerEnvironment } from '../../scripts/sample-service';

/** What a checkout packs as until a release bumps it; any version the registry holds by name does. */
const PUBLISHED_VERSION = '1.1.0';

let registry: LocalRegistry;
const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-e2e-platform-'));
/** The folder's name is what the platform's name defaults from. */
const platform = path.join(workdir, 'Acme_Platform');

beforeAll(async () => {
  registry = await LocalRegistry.start();
  registry.publish(await sharedTarball(), PUBLISHED_VERSION);
});

afterAll(async () => {
  await registry?.stop();
  if (!process.env.KEEP_E2E) {
    fs.rmSync(workdir, { recursive: true, force: true });
  }
});

function run(command: string, args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}): { status: number | null; output: string } {
  // npm_config_yes answers npx's "Ok to proceed?" as a user at a terminal does.
  const env = developerEnvironment({ ...registry.env, npm_config_yes: 'true', ...extra });
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const read = (file: string) => fs.readFileSync(path.join(platform, file), 'utf-8');
/** The platform's name, from its folder. */
const PLATFORM_NAME = 'acme-platform';
const SERVICES = ['orders', 'payments'];
const offline = { npm_config_offline: 'true', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'none-configured' };

describe('a platform created with projen new --from projen-codestar-fargate codestar-fargate-platform', () => {
  it('is created by name in an empty folder, depending on the release by a range', () => {
    fs.mkdirSync(platform);
    const created = run('npx', ['projen', 'new', '--from', 'projen-codestar-fargate', 'codestar-fargate-platform', '--no-git'], platform, { npm_config_prefer_offline: 'true' });
    expect({ status: created.status, tail: created.output.slice(-3000) }).toEqual({ status: 0, tail: expect.any(String) });
    expect(read('.projenrc.ts')).toContain('new CodeStarFargatePlatformProject(');
    expect(JSON.parse(read('package.json')).devDependencies['projen-codestar-fargate']).toBe(`^${PUBLISHED_VERSION}`);
  });

  it('writes the platform name from the folder, the default stages, infra/main.ts, the managed module, README and cdk.json', () => {
    expect(read('infra/platform.generated.ts')).toContain('export const platformName = "acme-platform";');
    expect(read('infra/platform.generated.ts')).toContain('stages: [{ name: "dev" }, { name: "production" }],');
    expect(read('infra/main.ts')).toContain('// Your code:');
    expect(read('README.md')).toContain('platformName: "acme-platform"');
    expect(JSON.parse(read('rule-priorities.json'))).toEqual(expect.objectContaining({ services: {}, retired: {} }));
    expect(JSON.parse(read('cdk.json')).app).toBe('node --require ts-node/register/transpile-only infra/main.ts');
  });

  it('builds offline: type-check, then cdk synth of every stage with cdk-nag and CloudFormation validation', () => {
    // No registry and no AWS: the build needs neither.
    const built = run('npx', ['projen', 'build'], platform, { npm_config_offline: 'true', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'none-configured' });
    expect({ status: built.status, tail: built.output.slice(-3000) }).toEqual({ status: 0, tail: expect.any(String) });
    const assembly = JSON.parse(read('cdk.out/manifest.json'));
    const stacks = Object.values(assembly.artifacts).filter((artifact: any) => artifact.type === 'aws:cloudformation:stack').map((artifact: any) => artifact.properties.stackName);
    expect(stacks.sort()).toEqual(['acme-platform-platform-dev', 'acme-platform-platform-production']);
  });

  it('synthesizes stage templates that pass cfn-lint', () => {
    const templates = fs.readdirSync(path.join(platform, 'cdk.out')).filter(file => file.endsWith('.template.json')).map(file => path.join('cdk.out', file));
    expect(templates).toHaveLength(2);
    // W3005: aws-cdk-lib's provider that empties the VPC's default security group writes a DependsOn beside a GetAtt.
    expect(lint('cfn-lint', ['--ignore-checks', 'W3005', '--', ...templates], platform)).toEqual({ status: 0, output: '' });
  });

  it('refuses a bad option in .projenrc.ts with its message alone, writing nothing', () => {
    const projenrc = read('.projenrc.ts');
    const before = read('infra/platform.generated.ts');
    fs.writeFileSync(path.join(platform, '.projenrc.ts'), projenrc.replace(/new CodeStarFargatePlatformProject\(\{/, "new CodeStarFargatePlatformProject({\n  services: [{ name: 'orders-api', rulePriority: 0 }],"));
    try {
      const refused = run('npx', ['projen'], platform, { npm_config_offline: 'true' });
      expect(refused.status).toBe(1);
      // The message first, then projen's own line that the synthesis failed: no source lines, no frames.
      const [message, ...rest] = refused.output.trim().split('\n');
      expect(message).toBe('services[0].rulePriority 0 is not allowed: it must be a whole number from 1 to 50000 (an Application Load Balancer listener rule priority).');
      expect(rest).toEqual([expect.stringMatching(/^👾 Synthesis failed: Task "default" failed/)]);
      expect(read('infra/platform.generated.ts')).toBe(before);
    } finally {
      fs.writeFileSync(path.join(platform, '.projenrc.ts'), projenrc);
    }
  });

  it('publishes a rule priority for each service it lists, once listed in .projenrc.ts', () => {
    const projenrc = read('.projenrc.ts');
    const listed = projenrc.replace(/new CodeStarFargatePlatformProject\(\{/, `new CodeStarFargatePlatformProject({\n  services: ${JSON.stringify(SERVICES.map((name, index) => ({ name, rulePriority: 10 * (index + 1) })))},`);
    expect(listed).not.toBe(projenrc);
    fs.writeFileSync(path.join(platform, '.projenrc.ts'), listed);
    const built = run('npx', ['projen', 'build'], platform, offline);
    expect({ status: built.status, tail: built.output.slice(-3000) }).toEqual({ status: 0, tail: expect.any(String) });
    const assembly = JSON.parse(read('cdk.out/manifest.json'));
    const dev: any = Object.values(assembly.artifacts).find((artifact: any) => artifact.properties?.stackName === `${PLATFORM_NAME}-platform-dev`);
    const template = JSON.parse(read(`cdk.out/${dev.properties.templateFile}`));
    const priorities = Object.values<any>(template.Resources)
      .filter(resource => resource.Type === 'AWS::SSM::Parameter' && String(resource.Properties.Name).includes('/services/'))
      .map(resource => [resource.Properties.Name, resource.Properties.Value]);
    expect(priorities.sort()).toEqual(SERVICES.map((name, index) => [`/codestar-fargate/platforms/${PLATFORM_NAME}/dev/services/${name}/rule-priority`, String(10 * (index + 1))]));
  });
});

describe('two services joining the platform with --platform-name', () => {
  const serviceDir = (name: string) => path.join(workdir, name);

  it.each(SERVICES)('creates %s by name in an empty folder, on the platform', (name) => {
    fs.mkdirSync(serviceDir(name));
    const created = run('npx', ['projen', 'new', '--from', 'projen-codestar-fargate', 'codestar-fargate', '--app-runtime', 'node', '--platform-name', PLATFORM_NAME, '--no-git'], serviceDir(name), { npm_config_prefer_offline: 'true' });
    expect({ status: created.status, tail: created.output.slice(-3000) }).toEqual({ status: 0, tail: expect.any(String) });
    expect(fs.readFileSync(path.join(serviceDir(name), '.projenrc.ts'), 'utf-8')).toContain(`platformName: "${PLATFORM_NAME}"`);
  });

  it.each(SERVICES)('builds %s offline: its app, its tests and the toolchain synthesized with cdk-nag', (name) => {
    const built = run('npx', ['projen', 'build'], serviceDir(name), offline);
    expect({ status: built.status, tail: built.output.slice(-3000) }).toEqual({ status: 0, tail: expect.any(String) });
  });

  it.each(SERVICES)('gives %s a template.yml with no environment of its own, which cfn-lint and checkov pass', (name) => {
    const template = fs.readFileSync(path.join(serviceDir(name), 'template.yml'), 'utf-8');
    for (const ownEnvironment of ['AWS::ECS::Cluster', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancingV2::Listener\n']) {
      expect(template).not.toContain(`Type: ${ownEnvironment}`);
    }
    expect(template).toContain(`${name}.\${PlatformDomainName}`);
    expect(lint('cfn-lint', ['template.yml'], serviceDir(name))).toEqual({ status: 0, output: '' });
    // Each skip carries its reason in the template's Metadata; checkov honours them.
    expect(lint('checkov', ['-f', 'template.yml', '--framework', 'cloudformation', '--compact', '--quiet', '--skip-download'], serviceDir(name)).status).toBe(0);
  });
});
