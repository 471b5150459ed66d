// One platform and 1, 10 and 50 services on it: synth time per service, and the rule priorities each service deploys at.
//   npx ts-node --transpile-only bench/platform-scale.ts [--counts 1,10,50]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import { Testing } from 'projen';
import * as YAML from 'yaml';
import { AppRuntime, CodeStarFargatePipeline, CodeStarFargatePlatform, CodeStarFargateProject, PipelineSource } from '../src';
import { platformRulePriorityParameter, PlatformTemplateParameter } from '../src/contract';
import { overridesByStage } from '../test/helpers';

const PLATFORM = 'acme';
const STAGES = ['dev', 'production'];
/** Elastic Load Balancing's defaults per Application Load Balancer (load-balancer-limits.html). */
const RULES_PER_LOAD_BALANCER = 100;
const TARGET_GROUPS_PER_LOAD_BALANCER = 100;

const log = (message: string) => console.error(`[platform-scale ${new Date().toISOString().slice(11, 19)}] ${message}`);

function parseCounts(argv: string[]): number[] {
  const index = argv.indexOf('--counts');
  if (index === -1) return [1, 10, 50];
  const counts = (argv[index + 1] ?? '').split(',').map(Number);
  if (counts.length === 0 || counts.some((count) => !Number.isInteger(count) || count < 1 || count > 500)) {
    throw new Error(`--counts ${JSON.stringify(argv[index + 1])} is not allowed: give whole numbers from 1 to 500, comma-separated, e.g. 1,10,50`);
  }
  return counts;
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** The platform's stacks synthesized, and each stage's SSM parameters by name. */
function synthPlatform(serviceNames: string[]): { seconds: number; parameters: Map<string, string> } {
  const started = process.hrtime.bigint();
  const app = new App();
  const platform = new CodeStarFargatePlatform(app, 'Platform', {
    platformName: PLATFORM,
    stages: STAGES.map((name) => ({ name })),
    services: serviceNames.map((name, index) => ({ name, rulePriority: index + 1 })),
  });
  const assembly = app.synth();
  const parameters = new Map<string, string>();
  for (const stack of platform.stacks) {
    const template = assembly.getStackByName(stack.stackName).template;
    for (const resource of Object.values<any>(template.Resources)) {
      if (resource.Type === 'AWS::SSM::Parameter') parameters.set(resource.Properties.Name, resource.Properties.Value);
    }
  }
  return { seconds: seconds(started), parameters };
}

interface ServiceFigures {
  readonly projenSeconds: number;
  readonly toolchainSeconds: number;
  /** Per stage, the SSM parameter the deploy action gives template.yml's rule priority. */
  readonly priorityParameters: string[];
  /** Listener rules in template.yml, each of which must take its priority from the platform. */
  readonly rules: number;
  /** The rules a rolling deploy creates (the test listener's only exists while traffic shifts). */
  readonly rollingRules: number;
  readonly rulesFromPlatform: number;
}

function synthService(serviceName: string, outdir: string): ServiceFigures {
  const projenStarted = process.hrtime.bigint();
  const files = Testing.synth(new CodeStarFargateProject({
    name: serviceName,
    defaultReleaseBranch: 'main',
    appRuntime: AppRuntime.NODE,
    platformName: PLATFORM,
    outdir,
  }));
  const projenSeconds = seconds(projenStarted);
  const template = typeof files['template.yml'] === 'string' ? YAML.parse(files['template.yml']) : files['template.yml'];
  const rules = Object.values<any>(template.Resources).filter((resource) => resource.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule');
  const rulesFromPlatform = rules.filter((rule) => rule.Properties?.Priority?.Ref === PlatformTemplateParameter.RULE_PRIORITY).length;

  const toolchainStarted = process.hrtime.bigint();
  const app = new App();
  const stack = new Stack(app, `${serviceName}-toolchain`);
  new CodeStarFargatePipeline(stack, 'Toolchain', {
    serviceName,
    platformName: PLATFORM,
    source: PipelineSource.codeCommit({ repository: codecommit.Repository.fromRepositoryName(stack, 'Repository', serviceName) }),
    stages: STAGES.map((name) => ({ name })),
  });
  const toolchain = app.synth().getStackByName(stack.stackName).template;
  const toolchainSeconds = seconds(toolchainStarted);
  // Each stage's deploy action gives template.yml the SSM name of the priority the platform gave this service.
  const priorityParameters = Object.values(overridesByStage(Template.fromJSON(toolchain)))
    .map((overrides) => overrides[PlatformTemplateParameter.RULE_PRIORITY])
    .filter((name): name is string => typeof name === 'string');
  const rollingRules = rules.filter((rule) => rule.Condition === undefined).length;
  return { projenSeconds, toolchainSeconds, priorityParameters, rules: rules.length, rollingRules, rulesFromPlatform };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main(): void {
  const counts = parseCounts(process.argv.slice(2));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-platform-scale-'));
  const rows: string[] = [];
  const findings: string[] = [];
  for (const count of counts) {
    const names = Array.from({ length: count }, (_, index) => `service-${String(index + 1).padStart(3, '0')}`);
    const platform = synthPlatform(names);
    log(`${count} services: platform synthesized in ${platform.seconds.toFixed(2)} s`);
    const figures = names.map((name) => synthService(name, fs.mkdtempSync(path.join(work, `${name}-`))));
    const priorities = new Map<string, string>();
    for (const [index, service] of figures.entries()) {
      const name = names[index];
      for (const stage of STAGES) {
        const parameter = platformRulePriorityParameter(PLATFORM, stage, name);
        if (!service.priorityParameters.includes(parameter)) findings.push(`${name}: the ${stage} deploy gives no ${parameter}`);
        const priority = platform.parameters.get(parameter);
        if (priority === undefined) {
          findings.push(`${name}: the platform publishes no ${parameter}`);
          continue;
        }
        const holder = priorities.get(`${stage}/${priority}`);
        if (holder) findings.push(`${name} and ${holder} share priority ${priority} in ${stage}`);
        priorities.set(`${stage}/${priority}`, name);
      }
      if (service.rules === 0 || service.rulesFromPlatform !== service.rules) {
        findings.push(`${name}: ${service.rulesFromPlatform} of ${service.rules} listener rules take their priority from the platform`);
      }
    }
    const perService = figures.map((service) => service.projenSeconds + service.toolchainSeconds);
    const rulesPerStage = figures.reduce((sum, service) => sum + service.rollingRules, 0);
    const shiftingRulesPerStage = figures.reduce((sum, service) => sum + service.rules, 0);
    rows.push(`| ${count} | ${platform.seconds.toFixed(2)} | ${median(figures.map((service) => service.projenSeconds)).toFixed(2)} | `
      + `${median(figures.map((service) => service.toolchainSeconds)).toFixed(2)} | ${median(perService).toFixed(2)} (${Math.min(...perService).toFixed(2)}-${Math.max(...perService).toFixed(2)}) | `
      + `${priorities.size / STAGES.length} of ${count} | ${rulesPerStage} / ${shiftingRulesPerStage} of ${RULES_PER_LOAD_BALANCER} |`);
    log(`${count} services: median ${median(perService).toFixed(2)} s per service`);
  }
  fs.rmSync(work, { recursive: true, force: true });
  console.log([
    `Platform \`${PLATFORM}\` with stages ${STAGES.join(', ')}; each service a Node.js service with \`platformName: '${PLATFORM}'\`, rolling.`,
    'Per service: `projen` synth of the project (Testing.synth, in process) and `cdk synth` of its toolchain (in process).',
    '',
    '| services | platform synth s | projen synth s per service (median) | toolchain synth s per service (median) | total s per service, median (min-max) | unique rule priorities per stage | listener rules per stage, rolling / traffic shifting (quota) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Quotas of one load balancer (Elastic Load Balancing's defaults): ${RULES_PER_LOAD_BALANCER} rules (adjustable), `
      + `${TARGET_GROUPS_PER_LOAD_BALANCER} target groups (not adjustable).`,
    findings.length === 0 ? 'Every service deploys at the priority the platform gave it; no two share one.' : `Findings:\n${findings.map((finding) => `- ${finding}`).join('\n')}`,
  ].join('\n'));
  if (findings.length > 0) process.exitCode = 1;
}

main();
