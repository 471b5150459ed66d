import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { Testing } from 'projen';
import { AppRuntime, CodeStarFargateProject, CodeStarFargateProjectOptions, CpuArchitecture, ServiceSettings, StageSettings } from '../src';
import { resolveStageSettings } from '../src/stage-settings';
import { DEFAULT_ALARMS } from '../src/validation';

/** Options a test leaves out get these; the project is named like a real folder would be. */
export function serviceOptions(overrides: Partial<CodeStarFargateProjectOptions> = {}): CodeStarFargateProjectOptions {
  return {
    name: 'orders-api',
    defaultReleaseBranch: 'main',
    appRuntime: AppRuntime.NODE,
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'csf-unit-')),
    ...overrides,
  };
}

/** Builds a project and returns every file it would write, as projen's Testing.synth does. */
export function synthService(overrides: Partial<CodeStarFargateProjectOptions> = {}): Record<string, any> {
  return Testing.synth(new CodeStarFargateProject(serviceOptions(overrides)));
}

/** Every file under `dir`, relative, sorted, without dependency folders. */
export function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) {
        if (!['node_modules', '.git', 'cdk.out', 'target', 'lib', 'coverage', 'test-reports'].includes(entry.name)) {
          walk(child);
        }
      } else {
        files.push(child);
      }
    }
  };
  walk('');
  return files.sort();
}

/** Hand-written settings whose stages, unless given, take the project-wide values, as plain `stages` names do. */
export function withPlainStages(settings: Omit<ServiceSettings, 'stageSettings'> & { readonly stageSettings?: StageSettings[] }): ServiceSettings {
  const { cpu, memoryMiB: memory, minContainers, maxContainers, autoScalingTargetCpu } = settings;
  const defaults = { cpu, memory, minContainers, maxContainers, autoScalingTargetCpu };
  const stageSettings = settings.stageSettings ?? resolveStageSettings({} as CodeStarFargateProjectOptions, settings.stages, defaults);
  return { ...settings, stageSettings, stages: stageSettings.map(stage => stage.name) };
}

/** The settings of `orders-api` with every option at its default (two stages, Node.js's task size), for template tests. */
export function orderApiSettings(overrides: Partial<Omit<ServiceSettings, 'stageSettings'>> = {}): ServiceSettings {
  return withPlainStages({
    serviceName: 'orders-api',
    containerPort: 8080,
    healthCheckPath: '/health',
    cpu: 256,
    memoryMiB: 512,
    minContainers: 1,
    maxContainers: 4,
    autoScalingTargetCpu: 50,
    stages: ['dev', 'production'],
    codeStarTransform: false,
    source: { branch: 'main' },
    alarms: DEFAULT_ALARMS,
    notificationEmails: [],
    architecture: CpuArchitecture.X86_64,
    fargateSpot: false,
    ...overrides,
  });
}

/** The managed module as compiled against this checkout, its imports pointed at this repository's modules. */
export function loadToolchainModule(source: string): any {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'toolchain-module-')), 'toolchain.generated.ts');
  fs.writeFileSync(file, source.replace(/from '([^'.][^']*)'/g, (_match, name: string) =>
    `from '${name === 'projen-codestar-fargate' ? path.join(__dirname, '..', 'src') : require.resolve(name)}'`));
  return jest.requireActual(file);
}

/** The parameter overrides each stage's deploy action passes to template.yml, with tokens (VPC, topic) shown as TOKEN. */
export function overridesByStage(template: Template): Record<string, Record<string, unknown>> {
  const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline'));
  const result: Record<string, Record<string, unknown>> = {};
  for (const stage of pipeline.Properties.Stages) {
    const deploy = stage.Actions.find((action: any) => action.Name === 'Deploy');
    if (deploy) {
      // The overrides are JSON joined with tokens; the plain values are what the tests read.
      const overrides = deploy.Configuration.ParameterOverrides;
      const text: string = typeof overrides === 'string' ? overrides : overrides['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : 'TOKEN')).join('');
      result[stage.Name] = Object.fromEntries([...text.matchAll(/"(\w+)":"([^"]*)"/g)].map(([, key, value]) => [key, value]));
    }
  }
  return result;
}

/** Makes a test file's `synth()` write the files only: projen's install after it (npm ci under CI=true) needs a lock file no test has. */
export function synthWritesFilesOnly(): void {
  const postSynthesis = process.env.PROJEN_DISABLE_POST;
  beforeAll(() => {
    process.env.PROJEN_DISABLE_POST = 'true';
  });
  afterAll(() => {
    if (postSynthesis === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = postSynthesis;
  });
}
