import * as fs from 'fs';
import * as path from 'path';
import { AppRuntime, DeploymentStrategyType } from '../src';
import { loadToolchainModule, synthService } from './helpers';

/** The first infra/main.ts this package wrote: services generated then still run it. */
const OLDEST_ENTRY_POINT = fs.readFileSync(path.join(__dirname, 'fixtures', 'infra-main-964f6c0.ts.txt'), 'utf-8');

/** The names a module imports from `from`. */
function importedNames(source: string, from: string): string[] {
  const statement = new RegExp(`import \\{([^}]*)\\} from '${from.replace(/[.]/g, '\\.')}'`).exec(source);
  return statement ? statement[1].split(',').map((name) => name.trim()).filter(Boolean) : [];
}

describe('the toolchain app in infra/', () => {
  const files = synthService();
  const managed = files['infra/toolchain.generated.ts'];

  it('keeps in the user\'s main.ts only a call to the managed createToolchain() and app.synth()', () => {
    const main = files['infra/main.ts'];
    expect(importedNames(main, './toolchain.generated')).toEqual(['createToolchain']);
    expect(main).not.toMatch(/new App\(|Validations\.|AwsSolutionsChecks|new Stack\(/);
    expect(main).toContain('app.synth();');
  });

  it('builds the app, its cdk-nag and CloudFormation validation checks, the stack and the pipeline in the managed module', () => {
    expect(files['.projen/files.json'].files).toContain('infra/toolchain.generated.ts');
    expect(managed).toContain('Validations.of(app).addPlugins(new AwsSolutionsChecks(app));');
    expect(managed).toContain("if (process.env.CDK_VALIDATION === 'true') {");
    expect(managed).toContain('new CloudFormationValidatePlugin()');
    expect(managed).toContain("new CodeStarFargatePipeline(stack, 'Pipeline', toolchainProps(stack))");
  });

  it('still exports every name the oldest entry point imports, and applies the checks through toolchainProps', () => {
    const names = importedNames(OLDEST_ENTRY_POINT, './toolchain.generated');
    expect(names).toEqual(['serviceName', 'toolchainProps']);
    for (const name of names) {
      expect(managed).toMatch(new RegExp(`export (const|function) ${name}\\b`));
    }
    expect(managed).toMatch(/export function toolchainProps\(scope: Construct\)[^{]*\{\n\s*applyToolchainChecks\(scope\);/);
  });

  it('takes a CodeConnections source without creating a repository', () => {
    const connected = synthService({ sourceConnectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789', sourceRepository: 'acme/orders-api' })['infra/toolchain.generated.ts'];
    expect(connected).not.toContain('aws-codecommit');
    expect(connected).toContain('PipelineSource.connection({ connectionArn: "arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789", owner: "acme", repository: "orders-api", branch: "main" })');
  });
});

describe('the toolchain app\'s deployment strategy', () => {
  it('passes no strategy when the project sets none, so the construct\'s per-stage default applies', () => {
    const managed = synthService()['infra/toolchain.generated.ts'];
    // The settings' digests name it as a string key ("deploymentStrategy": ...); no property passes one.
    expect(managed).not.toMatch(/deploymentStrategy:/);
    expect(managed).not.toContain('DeploymentStrategyType');
  });

  it('passes the project\'s deploymentStrategy to the pipeline, as a construct prop that synthesizes', () => {
    const managed = synthService({ deploymentStrategy: { type: DeploymentStrategyType.LINEAR, linearStepPercent: 25 } })['infra/toolchain.generated.ts'];
    expect(managed).toContain('deploymentStrategy: { type: DeploymentStrategyType.LINEAR, linearStepPercent: 25 },');
    const { app, stack } = loadToolchainModule(managed).createToolchain();
    const pipeline: any = Object.values(app.synth().getStackByName(stack.stackName).template.Resources).find((resource: any) => resource.Type === 'AWS::CodePipeline::Pipeline');
    const deployOf = (stage: string) => JSON.stringify(pipeline.Properties.Stages.find((each: any) => each.Name === stage).Actions.find((action: any) => action.Name === 'Deploy').Configuration.ParameterOverrides);
    for (const stage of ['dev', 'production']) {
      expect(deployOf(stage)).toContain('\\"DeploymentStrategy\\":\\"LINEAR\\",\\"BakeTimeMinutes\\":\\"5\\",\\"LinearStepPercent\\":\\"25\\",\\"LinearStepBakeTimeMinutes\\":\\"3\\"');
    }
  });
});

describe('the toolchain app\'s stages from stageOptions', () => {
  const managed = synthService({
    stageOptions: [
      { name: 'dev', minContainers: 0, maxContainers: 2, secrets: { DB_PASSWORD: { secretsManager: 'orders/dev/db', jsonKey: 'password' } } },
      {
        name: 'production',
        approval: false,
        deploymentStrategy: { type: DeploymentStrategyType.BLUE_GREEN },
        notificationEmails: ['oncall@example.com'],
        network: { vpcId: 'vpc-0123456789abcdef0', publicSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], privateSubnetIds: ['subnet-0123456789abcdef2'] },
      },
    ],
  })['infra/toolchain.generated.ts'];

  it('passes each stage what differs from the defaults, as PipelineStage objects', () => {
    expect(managed).toContain('{ name: "dev", minContainers: 0, maxContainers: 2, secrets: { DB_PASSWORD: {"secretsManager":"orders/dev/db","jsonKey":"password"} } },');
    expect(managed).toContain('{ name: "production", approvalRequired: false, deploymentStrategy: { type: DeploymentStrategyType.BLUE_GREEN }, notificationEmails: ["oncall@example.com"], vpc: ec2.Vpc.fromVpcAttributes(');
  });

  it('synthesizes with cdk-nag and aws-cdk-lib\'s validation, each stage deployed with its own counts, network and approval', () => {
    const previous = process.env.CDK_VALIDATION;
    process.env.CDK_VALIDATION = 'true';
    try {
      const { app, stack } = loadToolchainModule(managed).createToolchain();
      const resources: Record<string, any> = app.synth().getStackByName(stack.stackName).template.Resources;
      const pipeline = Object.values(resources).find((resource: any) => resource.Type === 'AWS::CodePipeline::Pipeline');
      const actionsOf = (stage: string) => pipeline.Properties.Stages.find((each: any) => each.Name === stage).Actions;
      const overridesOf = (stage: string) => JSON.stringify(actionsOf(stage).find((action: any) => action.Name === 'Deploy').Configuration.ParameterOverrides).replace(/\\/g, '');
      expect(overridesOf('dev')).toContain('"MinContainers":"0","MaxContainers":"2"');
      expect(overridesOf('production')).toContain('"VpcId":"vpc-0123456789abcdef0"');
      expect(overridesOf('production')).toContain('"DeploymentStrategy":"BLUE_GREEN"');
      expect(actionsOf('production').map((action: any) => action.Name)).not.toContain('Approve');
    } finally {
      if (previous === undefined) {
        delete process.env.CDK_VALIDATION;
      } else {
        process.env.CDK_VALIDATION = previous;
      }
    }
  });
});

describe('the Node.js app\'s biome.jsonc', () => {
  const files = synthService({ appRuntime: AppRuntime.NODE });

  it('is managed: listed in the app\'s .projen/files.json, so a release without Biome removes it', () => {
    expect(files['app/.projen/files.json'].files).toContain('biome.jsonc');
  });

  it('points at Biome\'s published schema whether or not Biome is installed, so a synth after an install changes nothing', () => {
    expect(files['app/biome.jsonc'].$schema).toBe('https://biomejs.dev/schemas/latest/schema.json');
  });
});
