import * as fc from 'fast-check';
import { Testing } from 'projen';
import { parse } from 'yaml';
import { CodeStarFargateProject } from '../src';
import { imported, service } from './copilot-workspace';
import { serviceOptions, synthWritesFilesOnly } from './helpers';
import { adviceFor } from '../src/importers/copilot-fields';

/* Every manifest value the import accepts reaches the generated service; every field it does not carry is named. Seeded. */

synthWritesFilesOnly();

const RUNS = { seed: 26, numRuns: 12 };
const FARGATE_SIZES: Array<[number, number]> = [[256, 512], [512, 1024], [1024, 2048], [2048, 4096], [4096, 8192]];
const name = (first: string, rest: string, max: number) => fc.tuple(fc.constantFrom(...first), fc.array(fc.constantFrom(...rest), { maxLength: max }))
  .map(([head, tail]) => head + tail.join(''));
const variable = name('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789', 8).filter((text) => !/^(AWS_|ECS_)/.test(text));

const manifest = fc.record({
  port: fc.integer({ min: 1, max: 65535 }),
  health: name('abcdefghijklmnopqrstuvwxyz', 'abcdefghijklmnopqrstuvwxyz-', 10).map((text) => `/${text}`),
  size: fc.constantFrom(...FARGATE_SIZES),
  min: fc.integer({ min: 1, max: 5 }),
  extra: fc.integer({ min: 0, max: 5 }),
  target: fc.integer({ min: 10, max: 90 }),
  arm: fc.boolean(),
  variables: fc.dictionary(variable, name('abcxyz', 'abcxyz0123456789', 10), { maxKeys: 3 }),
  secrets: fc.dictionary(variable, name('abcxyz', 'abcxyz0123456789', 10).map((text) => `/orders/${text}`), { maxKeys: 2 }),
  prodCount: fc.integer({ min: 1, max: 10 }),
});

describe('a Copilot manifest\'s accepted values', () => {
  it('each reach template.yml or the resolved stages of the service built from the import', () => {
    fc.assert(fc.property(manifest, (m) => {
      const text = service('image:', '  build: ./Dockerfile', `  port: ${m.port}`, 'http:', '  path: /', `  healthcheck: ${m.health}`,
        `cpu: ${m.size[0]}`, `memory: ${m.size[1]}`, 'count:', `  range: ${m.min}-${m.min + m.extra}`, `  cpu_percentage: ${m.target}`,
        `platform: linux/${m.arm ? 'arm64' : 'x86_64'}`,
        'variables:', ...Object.entries(m.variables).map(([key, value]) => `  ${key}: ${value}`), ...(Object.keys(m.variables).length === 0 ? ['  {}'] : []),
        'secrets:', ...Object.entries(m.secrets).map(([key, value]) => `  ${key}: ${value}`), ...(Object.keys(m.secrets).length === 0 ? ['  {}'] : []),
        'environments:', '  test:', '  prod:', `    count: ${m.prodCount}`);
      const result = imported(text);
      expect(result.notApplied).toEqual([]);
      const project = new CodeStarFargateProject({ ...serviceOptions(), ...result.options } as any);
      const template = parse(Testing.synth(project)['template.yml']);
      const container = (Object.values(template.Resources).find((resource: any) => resource.Type === 'AWS::ECS::TaskDefinition') as any).Properties.ContainerDefinitions[0];
      expect(container.PortMappings[0].ContainerPort).toBe(m.port);
      expect(JSON.stringify(template)).toContain(`"HealthCheckPath":"${m.health}"`);
      const task = resourceOf(template, 'AWS::ECS::TaskDefinition');
      const policy = resourceOf(template, 'AWS::ApplicationAutoScaling::ScalingPolicy');
      for (const stage of ['test', 'prod']) {
        // A value all stages share is written in place; one that differs is looked up in StageSettings.
        const perStage = (key: string, inPlace: unknown) => template.Mappings?.StageSettings?.[stage]?.[key] ?? inPlace;
        expect([stage, perStage('Cpu', task.Cpu), perStage('Memory', task.Memory), perStage('AutoScalingTargetCpu', policy.TargetTrackingScalingPolicyConfiguration.TargetValue)])
          .toEqual([stage, String(m.size[0]), String(m.size[1]), m.target]);
      }
      expect(Object.fromEntries((container.Environment ?? []).map((entry: any) => [entry.Name, entry.Value]))).toMatchObject(m.variables);
      for (const [key, parameter] of Object.entries(m.secrets)) {
        expect(JSON.stringify(container.Secrets.find((entry: any) => entry.Name === key))).toContain(`parameter${parameter}`);
      }
      expect(project.settings.architecture).toBe(m.arm ? 'ARM64' : 'X86_64');
      expect(project.settings.stageSettings.map((stage) => [stage.name, stage.minContainers, stage.maxContainers]))
        .toEqual([['test', m.min, m.min + m.extra], ['prod', m.prodCount, m.prodCount]]);
    }), RUNS);
  }, 120_000);
});

function resourceOf(template: any, type: string): any {
  return (Object.values(template.Resources).find((resource: any) => resource.Type === type) as any).Properties;
}

const UNSUPPORTED = ['sidecars.proxy', 'storage', 'publish', 'network.connect', 'nlb', 'taskdef_overrides', 'logging', 'observability',
  'http.stickiness', 'deployment', 'entrypoint', 'command', 'count.response_time', 'image.location'];

describe('a Copilot manifest\'s fields without an option', () => {
  it('are each named by path, at the top level or in an environment, with advice of their own', () => {
    fc.assert(fc.property(fc.constantFrom(...UNSUPPORTED), fc.boolean(), (field, inEnvironment) => {
      const nested = (indent: string) => field.split('.').map((key, depth) => `${indent}${'  '.repeat(depth)}${key}:`).join('\n') + ' true';
      const text = inEnvironment
        ? service('image:', '  build: ./Dockerfile', '  port: 80', 'http:', '  path: /', 'environments:', '  prod:', nested('    '))
        : service('image:', '  build: ./Dockerfile', '  port: 80', 'http:', '  path: /', nested(''));
      // The field's parent (http, image) may already be written: one key, as YAML requires.
      const merged = text.replace(/^http:\n {2}path: \/\nhttp:\n/m, 'http:\n  path: /\n').replace(/^image:\n {2}build: \.\/Dockerfile\n {2}port: 80\nimage:\n/m, 'image:\n  build: ./Dockerfile\n  port: 80\n').replace(/^http:\n {2}path: \/\n(\s*)http:/m, 'http:\n  path: /\n$1');
      const path = inEnvironment ? `environments.prod.${field}` : field;
      const result = imported(merged);
      expect(result.notApplied.map((entry) => entry.field)).toEqual([path]);
      expect(result.notApplied[0].advice).toBe(adviceFor(path));
      expect(adviceFor(path)).not.toBe(adviceFor('no.such.field'));
    }), { seed: 26, numRuns: 28 });
  });
});
