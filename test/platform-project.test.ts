import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Testing } from 'projen';
import { loadToolchainModule, synthWritesFilesOnly } from './helpers';
import { CodeStarFargatePlatformProject, CodeStarFargatePlatformProjectOptions, TaskSubnets } from '../src';
import { OptionError } from '../src/errors';

function platformOptions(overrides: Partial<CodeStarFargatePlatformProjectOptions> = {}): CodeStarFargatePlatformProjectOptions {
  return { name: 'acme', defaultReleaseBranch: 'main', outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'csf-platform-')), ...overrides };
}

function synthPlatform(overrides: Partial<CodeStarFargatePlatformProjectOptions> = {}): Record<string, any> {
  return Testing.synth(new CodeStarFargatePlatformProject(platformOptions(overrides)));
}

/** Runs the generated module's createPlatform against this checkout, in a fresh cdk.out. */
function createPlatformFrom(files: Record<string, any>): { app: App; platform: any } {
  const module = loadToolchainModule(files['infra/platform.generated.ts']);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-platform-out-'));
  const previous = process.env.CDK_OUTDIR;
  process.env.CDK_OUTDIR = outdir;
  try {
    return module.createPlatform();
  } finally {
    if (previous === undefined) {
      delete process.env.CDK_OUTDIR;
    } else {
      process.env.CDK_OUTDIR = previous;
    }
  }
}

synthWritesFilesOnly();

describe('CodeStarFargatePlatformProject', () => {
  it('writes a user-owned infra/main.ts, the managed platform module, the README and cdk.json', () => {
    const files = synthPlatform();
    expect(files['infra/main.ts']).toContain('// Your code: projen-codestar-fargate wrote this file once and never overwrites it.');
    expect(files['infra/main.ts']).toContain('createPlatform()');
    expect(files['infra/platform.generated.ts']).toMatch(/^\/\/ Managed by projen-codestar-fargate: edit \.projenrc\.ts instead\./);
    expect(files['infra/platform.generated.ts']).toContain('export const platformName = "acme";');
    expect(files['infra/platform.generated.ts']).toContain('stages: [{ name: "dev" }, { name: "production" }],');
    expect(files['README.md']).toContain('platformName: "acme"');
    expect(files['cdk.json'].app).toBe('node --require ts-node/register/transpile-only infra/main.ts');
    expect(files['cdk.json'].context['@aws-cdk/core:validateAgainstDefaultRules']).toBe(true);
    expect(files['cdk.json'].build).toBeUndefined();
  });

  it('never overwrites infra/main.ts or the README once they exist', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-platform-'));
    fs.mkdirSync(path.join(outdir, 'infra'));
    fs.writeFileSync(path.join(outdir, 'infra', 'main.ts'), '// ours\n');
    fs.writeFileSync(path.join(outdir, 'README.md'), '# ours\n');
    new CodeStarFargatePlatformProject(platformOptions({ outdir })).synth();
    expect(fs.readFileSync(path.join(outdir, 'infra', 'main.ts'), 'utf-8')).toBe('// ours\n');
    expect(fs.readFileSync(path.join(outdir, 'README.md'), 'utf-8')).toBe('# ours\n');
  });

  it('takes the platform name from the project name, lowercased, other characters as hyphens', () => {
    expect(new CodeStarFargatePlatformProject(platformOptions({ name: 'Acme_Platform.2' })).platformName).toBe('acme-platform-2');
    expect(new CodeStarFargatePlatformProject(platformOptions({ name: '@corp/acme' })).platformName).toBe('corp-acme');
    expect(new CodeStarFargatePlatformProject(platformOptions({ name: 'x', platformName: 'shared' })).platformName).toBe('shared');
  });

  it('deploys every stage with cdk deploy --all, with CloudFormation validation on in build and deploy', () => {
    const tasks = synthPlatform()['.projen/tasks.json'].tasks;
    expect(tasks.deploy.steps[0].execArgs).toEqual(['cdk', 'deploy', '--all']);
    expect(tasks.deploy.env.CDK_VALIDATION).toBe('true');
    expect(tasks['synth:silent'].env.CDK_VALIDATION).toBe('true');
    expect(tasks.compile.steps).toEqual([{ exec: 'tsc --noEmit' }]);
    expect(tasks.build.steps.map((step: any) => step.spawn)).toEqual(expect.arrayContaining(['compile', 'post-compile']));
    expect(tasks['post-compile'].steps).toEqual([{ spawn: 'synth:silent' }]);
    expect(tasks.watch).toBeUndefined();
  });

  it('depends on cdk-nag, aws-cdk-lib and this package, and not on esbuild', () => {
    const deps = synthPlatform()['package.json'];
    expect(Object.keys(deps.devDependencies)).toEqual(expect.arrayContaining(['cdk-nag', 'aws-cdk', 'ts-node']));
    expect(Object.keys(deps.dependencies)).toEqual(expect.arrayContaining(['aws-cdk-lib', 'constructs']));
    expect(deps.devDependencies.esbuild).toBeUndefined();
  });

  it('renders stage objects and services as .projenrc.ts gives them, leaving defaults out', () => {
    const files = synthPlatform({
      stageOptions: [
        { name: 'dev', taskSubnets: TaskSubnets.PUBLIC, testTrafficCidr: '203.0.113.0/24' },
        { name: 'production', hostedZone: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' }, natGateways: 2, internetFacing: false },
      ],
      services: [{ name: 'orders-api', rulePriority: 100 }],
    });
    const module = files['infra/platform.generated.ts'];
    expect(module).toContain('{ name: "dev", taskSubnets: TaskSubnets.PUBLIC, testTrafficCidr: "203.0.113.0/24" }');
    expect(module).toContain('{ name: "production", natGateways: 2, hostedZone: { hostedZoneId: "Z0123456789ABCDEFGHIJ", zoneName: "example.com" }, internetFacing: false }');
    expect(module).toContain('services: [{ name: "orders-api", rulePriority: 100 }],');
    expect(module).toContain('import { CodeStarFargatePlatform, CodeStarFargatePlatformProps, TaskSubnets } from \'projen-codestar-fargate\';');
  });

  it('synthesizes the generated app: one stack per stage, with cdk-nag and no finding', () => {
    const files = synthPlatform({ services: [{ name: 'orders-api', rulePriority: 100 }] });
    const { app, platform } = createPlatformFrom(files);
    const assembly = app.synth();
    expect(platform.stacks.map((stack: any) => stack.stackName)).toEqual(['acme-platform-dev', 'acme-platform-production']);
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((plugin: any) => plugin.violations)).toEqual([]);
  });

  it('fails the synth on a cdk-nag finding of a construct main.ts adds', () => {
    const { app, platform } = createPlatformFrom(synthPlatform());
    new s3.Bucket(platform.stacks[0], 'Unchecked');
    expect(() => app.synth()).toThrow(/ERROR The S3 Bucket has server access logs disabled. \(AwsSolutions\)/);
  });

  it.each([
    [{ name: '123' }, 'platformName "" (taken from the project name'],
    [{ platformName: 'Acme' }, 'platformName "Acme" is not allowed'],
    [{ stages: ['dev', 'Prod'] }, 'stages[1].name "Prod" is not allowed'],
    [{ stages: ['dev'], stageOptions: [{ name: 'dev' }] }, 'stages ["dev"] and stageOptions are both given: give the stages once, as names in stages or as objects in stageOptions.'],
    [{ stageOptions: [{ name: 'dev', natGateways: 5 }] }, 'stageOptions[0].natGateways 5 is not allowed: it must be a whole number from 0 to 2.'],
    [{ services: [{ name: 'a-b', rulePriority: 1 }, { name: 'c-d', rulePriority: 1 }] }, 'services[1].rulePriority 1 is not allowed'],
  ])('refuses %j with an OptionError and writes nothing', (overrides, message) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-platform-'));
    expect(() => new CodeStarFargatePlatformProject(platformOptions({ outdir, ...overrides as any }))).toThrow(OptionError);
    expect(() => new CodeStarFargatePlatformProject(platformOptions({ outdir, ...overrides as any }))).toThrow(message);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  it('stops projen new on a refused value with the message alone, removing what projen new installed first', () => {
    // projen's CLI is the main module of projen new: a stand-in named like it creates the project as projen does.
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-platform-new-'));
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ devDependencies: { 'projen': '*', 'projen-codestar-fargate': '*' } }));
    const cli = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'csf-cli-')), 'projen', 'bin', 'projen');
    fs.mkdirSync(path.dirname(cli), { recursive: true });
    fs.writeFileSync(cli, [
      `require(${JSON.stringify(require.resolve('ts-node/register/transpile-only'))});`,
      `const { CodeStarFargatePlatformProject } = require(${JSON.stringify(path.join(__dirname, '..', 'src'))});`,
      'new CodeStarFargatePlatformProject({ name: \'2024\', defaultReleaseBranch: \'main\' });',
    ].join('\n'));
    const result = spawnSync(process.execPath, [cli, 'new', '--from', 'projen-codestar-fargate', 'codestar-fargate-platform'], {
      cwd: folder,
      encoding: 'utf-8',
      env: { ...process.env, PROJEN_CREATE_PROJECT: 'true', TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.dev.json') },
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 1,
      stderr: 'platformName "" (taken from the project name "2024"; set platformName to choose another) is not allowed: it must start with a lowercase letter, end with a letter or digit, and contain only lowercase letters, digits and single hyphens, 2 to 21 characters (with "-production", the same limit as a service name), e.g. "acme".\nNothing was created; package.json, which projen new installed first, was removed.\n',
    });
    expect(fs.readdirSync(folder)).toEqual([]);
  });
});
