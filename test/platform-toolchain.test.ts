import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CodeStarFargatePipeline, PipelineSource } from '../src';
import { PlatformParameter, platformParameterPath } from '../src/contract';

/** The toolchain of a service on platform `acme`, with its stages in the toolchain's account or elsewhere: offline, cdk-nag and cfn-lint clean. */

const PIPELINE_ACCOUNT = '111111111111';
const STAGE_ACCOUNT = '222222222222';

/** Production where the platform's production stage is: the toolchain's account and region, or another of each. */
function synthOnPlatform(production: { account?: string; region?: string } = {}) {
  const app = new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'platform-toolchain-')),
    context: { [`availability-zones:account=${PIPELINE_ACCOUNT}:region=eu-west-1`]: ['eu-west-1a', 'eu-west-1b'] },
  });
  const stack = new Stack(app, 'orders-toolchain', { env: { account: PIPELINE_ACCOUNT, region: 'eu-west-1' } });
  new CodeStarFargatePipeline(stack, 'Pipeline', {
    serviceName: 'orders',
    source: PipelineSource.connection({ connectionArn: `arn:aws:codeconnections:eu-west-1:${PIPELINE_ACCOUNT}:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`, owner: 'acme', repository: 'orders' }),
    stages: [{ name: 'dev' }, { name: 'production', ...production }],
    platformName: 'acme',
  });
  const checks = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(checks);
  return { app, assembly: app.synth() };
}

/** cfn-lint on a stack's template as `cdk synth` wrote it, with the checks named skipped. */
function expectCfnLintPasses(assembly: CloudAssembly, stackName: string, skipped: string[]): void {
  const templateFile = path.join(assembly.directory, assembly.getStackByName(stackName).templateFile);
  const lint = spawnSync('cfn-lint', ['--ignore-checks', ...skipped, '--', templateFile], { encoding: 'utf-8' });
  expect({ status: lint.status, output: `${lint.stdout}${lint.stderr}` }).toEqual({ status: 0, output: '' });
}

describe('a service\'s toolchain on a platform', () => {
  const { app, assembly } = synthOnPlatform();

  it('synthesizes offline with no unacknowledged cdk-nag finding', () => {
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((plugin: any) => plugin.violations)).toEqual([]);
  });

  it('reads each stage\'s platform from SSM, the stage\'s own parameters, and creates no VPC', () => {
    const parameterNames = (stackName: string) => Object.values(Template.fromStack(app.node.findChild(stackName) as Stack).toJSON().Parameters ?? {})
      .filter((parameter: any) => String(parameter.Type).startsWith('AWS::SSM::Parameter::Value'))
      .map((parameter: any) => parameter.Default).sort();
    const read = [PlatformParameter.CLUSTER_NAME, PlatformParameter.LOAD_BALANCER_FULL_NAME, PlatformParameter.PRODUCTION_LISTENER_ARN,
      PlatformParameter.SERVICE_SUBNET_IDS, PlatformParameter.TEST_LISTENER_ARN, PlatformParameter.VPC_ID];
    expect(parameterNames('orders-toolchain')).toEqual(expect.arrayContaining(read.map(name => `${platformParameterPath('acme', 'dev')}${name}`)));
    expect(parameterNames('orders-toolchain')).toEqual(expect.arrayContaining(read.map(name => `${platformParameterPath('acme', 'production')}${name}`)));
    expect(Template.fromStack(app.node.findChild('orders-toolchain') as Stack).findResources('AWS::EC2::VPC')).toEqual({});
  });

  it.each([
    // W3005 as in test/pipeline.test.ts.
    ['orders-toolchain', ['W3005']],
  ])('writes %s so that cfn-lint passes it', (stackName, skipped) => {
    expectCfnLintPasses(assembly, stackName as string, skipped as string[]);
  });
});

describe('a service\'s toolchain on a platform, its production in another account and region', () => {
  const { app, assembly } = synthOnPlatform({ account: STAGE_ACCOUNT, region: 'eu-central-1' });
  const ssmNames = (stackName: string) => Object.values(Template.fromStack(app.node.findChild(stackName) as Stack).toJSON().Parameters ?? {})
    .filter((parameter: any) => String(parameter.Type).startsWith('AWS::SSM::Parameter::Value'))
    .map((parameter: any) => String(parameter.Default)).sort();

  it('synthesizes offline with no unacknowledged cdk-nag finding', () => {
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((plugin: any) => plugin.violations)).toEqual([]);
  });

  it('reads production\'s platform from SSM in the stage\'s own account stack, and creates no VPC in either', () => {
    const production = platformParameterPath('acme', 'production');
    expect(ssmNames('orders-production-access')).toEqual(expect.arrayContaining([PlatformParameter.VPC_ID, PlatformParameter.SERVICE_SUBNET_IDS,
      PlatformParameter.CLUSTER_NAME, PlatformParameter.PRODUCTION_LISTENER_ARN, PlatformParameter.TEST_LISTENER_ARN].map(name => `${production}${name}`)));
    expect(ssmNames('orders-toolchain').filter(name => name.startsWith(production))).toEqual([]);
    expect(ssmNames('orders-toolchain')).toContain(`${platformParameterPath('acme', 'dev')}${PlatformParameter.VPC_ID}`);
    for (const stackName of ['orders-toolchain', 'orders-production-access']) {
      expect(Template.fromStack(app.node.findChild(stackName) as Stack).findResources('AWS::EC2::VPC')).toEqual({});
    }
    expect(assembly.getStackByName('orders-production-access').environment).toMatchObject({ account: STAGE_ACCOUNT, region: 'eu-central-1' });
  });

  it.each([
    // W3005 as in test/pipeline.test.ts; E3703: aws-cdk-lib writes the deploy action's role in the stage's account as a Join of the partition and its ARN.
    ['orders-toolchain', ['W3005', 'E3703']],
    ['orders-production-access', ['W3005']],
  ])('writes %s so that cfn-lint passes it', (stackName, skipped) => {
    expectCfnLintPasses(assembly, stackName as string, skipped as string[]);
  });

  it('writes the stage\'s own account stack so that checkov passes it', () => {
    const templateFile = path.join(assembly.directory, assembly.getStackByName('orders-production-access').templateFile);
    const checkov = spawnSync('checkov', ['-f', templateFile, '--framework', 'cloudformation', '--compact', '--quiet', '--skip-download'], { encoding: 'utf-8' });
    expect({ status: checkov.status, output: checkov.stdout.split('\n').filter(line => /Check:|FAILED/.test(line)) }).toEqual({ status: 0, output: [] });
  });
});
