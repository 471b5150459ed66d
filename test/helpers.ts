import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
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
