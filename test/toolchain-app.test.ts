import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AppRuntime, DeploymentStrategyType } from '../src';
import { synthService } from './helpers';

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
  /** The managed module as compiled against this checkout, its imports pointed at this repository's modules. */
  function loadToolchainModule(source: string): any {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'toolchain-module-')), 'toolchain.generated.ts');
    fs.writeFileSync(file, source.replace(/from '([^'.][^']*)'/g, (_match, name: string) =>
      `from '${name === 'projen-codestar-fargate' ? path.join(__dirname, '..', 'src') : require.resolve(name)}'`));
    return jest.requireActual(file);
  }

  it('passes no strategy when the project sets none, so the construct\'s per-stage default applies', () => {
    const managed = synthService()['infra/toolchain.generated.ts'];
    expect(managed).not.toContain('deploymentStrategy');
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

describe('the Node.js app\'s biome.jsonc', () => {
  const files = synthService({ appRuntime: AppRuntime.NODE });

  it('is managed: listed in the app\'s .projen/files.json, so a release without Biome removes it', () => {
    expect(files['app/.projen/files.json'].files).toContain('biome.jsonc');
  });

  it('points at Biome\'s published schema whether or not Biome is installed, so a synth after an install changes nothing', () => {
    expect(files['app/biome.jsonc'].$schema).toBe('https://biomejs.dev/schemas/latest/schema.json');
  });
});
