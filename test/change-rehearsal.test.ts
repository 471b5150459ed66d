import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Project, Testing } from 'projen';
import { parse } from 'yaml';
import { orderApiSettings, synthService } from './helpers';
import { Json, PIPELINE_PARAMETERS, referencedIds, renamedResources, replacements, resourcesAsDeployed } from './template-rehearsal';
import { ServiceTemplate } from '../src/components/service-template';
import { TemplateParameter } from '../src/contract';
import { DeploymentStrategyType, ServiceSettings } from '../src/options';

/**
 * Every option change a user makes to a deployed stage, rehearsed as CloudFormation would apply it: template.yml
 * rendered before and after, its conditions resolved for the parameters the pipeline passes, each resource's
 * changed properties classified by the registry schemas' createOnlyProperties and conditionalCreateOnlyProperties
 * (cfn-lint's bundled copy), and a replacement carried to every resource that names the replaced one in a
 * create-only property. Replacing a resource with a fixed name, or a stateful one, fails CloudFormation or loses
 * data: such a change must be refused before CloudFormation runs.
 */

const DOMAIN = { [TemplateParameter.DOMAIN_NAME]: 'dev.orders-api.example.com', [TemplateParameter.HOSTED_ZONE_ID]: 'Z0123456789ABCDEFGHIJ' };

const templates = new Map<string, Json>();
function templateOf(settings: ServiceSettings): Json {
  const key = JSON.stringify(settings);
  if (!templates.has(key)) {
    const project = new Project({ name: 'rehearsal', outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'rehearsal-')) });
    new ServiceTemplate(project, {
      settings,
      healthCheck: { gracePeriodSeconds: 60, deregistrationDelaySeconds: 30, startPeriodSeconds: 45, containerHealthCheckCommand: (s: ServiceSettings) => `curl -fs http://127.0.0.1:${s.containerPort}${s.healthCheckPath} || exit 1` },
    });
    templates.set(key, parse(Testing.synth(project)['template.yml']));
  }
  return templates.get(key)!;
}

/** The resources as CloudFormation sees them for these parameters: conditions resolved, parameters filled in. */
function deployed(settings: ServiceSettings, parameters: Record<string, string>): Record<string, Json> {
  return resourcesAsDeployed(templateOf(settings), { ...PIPELINE_PARAMETERS, ...parameters });
}

interface Change {
  readonly name: string;
  readonly before: { settings?: ServiceSettings; parameters?: Record<string, string> };
  readonly after: { settings?: ServiceSettings; parameters?: Record<string, string> };
  /** Set when the change is refused before CloudFormation runs: where, and the test that proves it. */
  readonly refusedBy?: string;
}

const BASE = orderApiSettings();
const STRATEGIES = Object.values(DeploymentStrategyType);
const strategy = (type: DeploymentStrategyType) => ({ [TemplateParameter.DEPLOYMENT_STRATEGY]: type });
const withSecrets = (() => {
  const settings = orderApiSettings();
  return { ...settings, stageSettings: settings.stageSettings.map(stage => ({ ...stage, secrets: { DB_PASSWORD: { source: 'secretsManager' as const, id: 'orders/db', jsonKey: 'password' } } })) };
})();

const CHANGES: Change[] = [
  { name: 'Fargate Spot turned on', before: {}, after: { parameters: { [TemplateParameter.FARGATE_SPOT]: 'true' } } },
  { name: 'Fargate Spot turned off', before: { parameters: { [TemplateParameter.FARGATE_SPOT]: 'true' } }, after: {} },
  { name: 'architecture X86_64 -> ARM64', before: {}, after: { parameters: { [TemplateParameter.CPU_ARCHITECTURE]: 'ARM64' } } },
  { name: 'architecture ARM64 -> X86_64', before: { parameters: { [TemplateParameter.CPU_ARCHITECTURE]: 'ARM64' } }, after: {} },
  ...STRATEGIES.flatMap(from => STRATEGIES.filter(to => to !== from).map(to => ({
    name: `strategy ${from} -> ${to}`,
    before: { parameters: strategy(from) },
    after: { parameters: strategy(to) },
    // The one order that could leave production on a group with no tasks (test/production-target-group.test.ts).
    ...(from !== DeploymentStrategyType.ROLLING && to === DeploymentStrategyType.ROLLING ? { refusedBy: 'Prepare, while AlternateTargetGroup serves' } : {}),
  }))),
  ...STRATEGIES.flatMap(type => [
    { name: `domain added under ${type}`, before: { parameters: strategy(type) }, after: { parameters: { ...strategy(type), ...DOMAIN } } },
    { name: `domain removed under ${type}`, before: { parameters: { ...strategy(type), ...DOMAIN } }, after: { parameters: strategy(type) } },
  ]),
  { name: 'CPU and memory 256/512 -> 1024/2048', before: {}, after: { settings: orderApiSettings({ cpu: 1024, memoryMiB: 2048 }) } },
  { name: 'container port 8080 -> 3000', before: {}, after: { settings: orderApiSettings({ containerPort: 3000 }) } },
  { name: 'health path /health -> /ready', before: {}, after: { settings: orderApiSettings({ healthCheckPath: '/ready' }) } },
  { name: 'secrets added', before: {}, after: { settings: withSecrets } },
  { name: 'min/max tasks 1/4 -> 2/8', before: {}, after: { parameters: { [TemplateParameter.MIN_CONTAINERS]: '2', [TemplateParameter.MAX_CONTAINERS]: '8' } } },
  { name: 'container port 8080 -> 3000 under CANARY', before: { parameters: strategy(DeploymentStrategyType.CANARY) }, after: { settings: orderApiSettings({ containerPort: 3000 }), parameters: strategy(DeploymentStrategyType.CANARY) } },
];

const rehearsed = CHANGES.map(change => ({
  change,
  replaced: replacements(
    deployed(change.before.settings ?? BASE, change.before.parameters ?? {}),
    deployed(change.after.settings ?? BASE, change.after.parameters ?? {}),
  ),
}));

describe('every option change a user makes, rehearsed as CloudFormation would apply it', () => {
  it('prints the table: change -> replaced resources', () => {
    const rows = rehearsed.map(({ change, replaced }) => `| ${change.name} | ${replaced.length === 0 ? 'none' : replaced.map(r => `${r.id} (${r.type}; ${r.conditional ? 'may replace: ' : ''}${r.cause}${r.blocker ? `; ${r.blocker}` : ''})`).join('<br>')} | ${change.refusedBy ?? '-'} |`);
    console.log(['| change | replaced resources | refused |', '| --- | --- | --- |', ...rows].join('\n'));
    expect(rows).toHaveLength(CHANGES.length);
  });

  it.each(CHANGES.map(change => [change.name]))('%s replaces no resource with a fixed name and no stateful one, unless it is refused', (name) => {
    const { change, replaced } = rehearsed.find(entry => entry.change.name === name)!;
    const blocked = replaced.filter(replacement => replacement.blocker !== undefined)
      .map(({ id, type, cause, blocker }) => `${name}: ${type} ${id} is replaced (${cause}) but has ${blocker}`);
    expect(change.refusedBy !== undefined ? [] : blocked).toEqual([]);
  });

  it('replaces only the task definition (a new revision of its family) when Spot, architecture, size or secrets change, never the service', () => {
    for (const name of ['Fargate Spot turned on', 'Fargate Spot turned off']) {
      expect(rehearsed.find(entry => entry.change.name === name)!.replaced).toEqual([]);
    }
    for (const name of ['architecture X86_64 -> ARM64', 'CPU and memory 256/512 -> 1024/2048', 'secrets added']) {
      expect(rehearsed.find(entry => entry.change.name === name)!.replaced.map(r => r.id)).toEqual(['TaskDefinition']);
    }
  });
});

describe('strategy and domain switches keep production on the target group that has tasks', () => {
  const alternateServes = { [TemplateParameter.PRODUCTION_TARGET_GROUP]: 'AlternateTargetGroup' };
  const weightsOf = (rule: Json) => rule.Properties.Actions[0].ForwardConfig.TargetGroups.map((group: Json) => `${group.TargetGroupArn.Ref}=${group.Weight}`);

  it.each([DeploymentStrategyType.BLUE_GREEN, DeploymentStrategyType.CANARY, DeploymentStrategyType.LINEAR])(
    'adding a domain under %s while the last release left production on the alternate group: the replacing rule and HTTPS forward there', (type) => {
      const before = deployed(BASE, { ...strategy(type), ...alternateServes });
      const after = deployed(BASE, { ...strategy(type), ...alternateServes, ...DOMAIN });
      // Before: ECS's weights on the HTTP listener's rule, as the Prepare step read them.
      expect(weightsOf(before.ProductionListenerRule)).toEqual(['TargetGroup=0', 'AlternateTargetGroup=100']);
      expect(replacements(before, after).map(r => `${r.id} ${r.cause}`)).toContain('ProductionListenerRule ListenerArn');
      // After: the new rule on HTTPS starts where ECS left the traffic, not at 100/0; so does HTTPS's default.
      expect(after.ProductionListenerRule.Properties.ListenerArn).toEqual({ Ref: 'HttpsListener' });
      expect(weightsOf(after.ProductionListenerRule)).toEqual(['TargetGroup=0', 'AlternateTargetGroup=100']);
      expect(after.HttpsListener.Properties.DefaultActions).toEqual([{ Type: 'forward', TargetGroupArn: { Ref: 'AlternateTargetGroup' } }]);
      // The test listener's rule is ECS's to move; CloudFormation leaves its weights alone.
      expect(weightsOf(after.TestListenerRule)).toEqual(weightsOf(before.TestListenerRule));
    });

  it('removing a domain under CANARY with production on the alternate group: HTTP forwards there until the new rule exists', () => {
    const before = deployed(BASE, { ...strategy(DeploymentStrategyType.CANARY), ...alternateServes, ...DOMAIN });
    const after = deployed(BASE, { ...strategy(DeploymentStrategyType.CANARY), ...alternateServes });
    expect(before.HttpListener.Properties.DefaultActions[0].Type).toBe('redirect');
    expect(after.HttpListener.Properties.DefaultActions).toEqual([{ Type: 'forward', TargetGroupArn: { Ref: 'AlternateTargetGroup' } }]);
    expect(weightsOf(after.ProductionListenerRule)).toEqual(['TargetGroup=0', 'AlternateTargetGroup=100']);
  });

  it('a stage whose production is on the primary group keeps 100/0, and a ROLLING stage forwards to the only group it has', () => {
    expect(weightsOf(deployed(BASE, strategy(DeploymentStrategyType.CANARY)).ProductionListenerRule)).toEqual(['TargetGroup=100', 'AlternateTargetGroup=0']);
    const rolling = deployed(BASE, alternateServes);
    expect(rolling.AlternateTargetGroup).toBeUndefined();
    expect(rolling.HttpListener.Properties.DefaultActions).toEqual([{ Type: 'forward', TargetGroupArn: { Ref: 'TargetGroup' } }]);
  });

  it('adding a domain under ROLLING redirects HTTP only after the HTTPS listener exists, not while its certificate is validated', () => {
    const after = templateOf(BASE).Resources;
    expect(after.HttpListener.DependsOn).toContain('HttpsListenerReady');
    const ready = deployed(BASE, DOMAIN).HttpsListenerReady;
    expect(referencedIds(ready.Metadata)).toEqual(['HttpsListener']);
    expect(referencedIds(after.HttpsListener.Properties.Certificates)).toContain('Certificate');
  });
});

describe('the last release\'s template against this one, as an upgrade of a deployed stage applies it', () => {
  // template.yml of a Node.js service named orders-api created by release 1.0.0 (93c31d9); test/e2e/upgrade.test.ts
  // checks it is what that release writes.
  const lastRelease = parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'releases', '1.0.0', 'template.yml'), 'utf-8'));
  const thisRelease = parse(synthService()['template.yml']);
  // Release 1.0.0 deployed every stage ROLLING on regular Fargate, by LaunchType.
  const before = (stage: string) => resourcesAsDeployed(lastRelease, { ...PIPELINE_PARAMETERS, [TemplateParameter.STAGE]: stage });
  const after = (stage: string, parameters: Record<string, string>) =>
    resourcesAsDeployed(thisRelease, { ...PIPELINE_PARAMETERS, [TemplateParameter.STAGE]: stage, ...parameters });
  const blocked = (replaced: ReturnType<typeof replacements>) => replaced.filter(r => r.blocker).map(r => `${r.type} ${r.id} (${r.cause}; ${r.blocker})`);
  // What the Prepare step reads from such a stage: its service's LaunchType and its log group's name (test/service-placement.test.ts).
  const keptLaunchType = { [TemplateParameter.SERVICE_PLACEMENT]: 'LaunchType', [TemplateParameter.LOG_GROUP_NAMING]: 'Release1' };

  it('would replace the named service and the log group if the upgrade did not keep what release 1.0 created', () => {
    expect(blocked(replacements(before('dev'), after('dev', {})))).toEqual([
      'AWS::Logs::LogGroup LogGroup (LogGroupName; fixed LogGroupName)',
      'AWS::ECS::Service Service (LaunchType; fixed ServiceName)',
      'AWS::ApplicationAutoScaling::ScalingPolicy CpuScalingPolicy (via ScalableTarget; fixed PolicyName)',
    ]);
  });

  it.each([
    ['dev', DeploymentStrategyType.ROLLING],
    ['production', DeploymentStrategyType.CANARY],
    ['production', DeploymentStrategyType.BLUE_GREEN],
    ['production', DeploymentStrategyType.LINEAR],
  ])('upgrades %s to %s, with the launch type the Prepare step read, replacing nothing with a fixed name or data', (stage, type) => {
    const from = before(stage);
    const to = after(stage, { ...keptLaunchType, ...strategy(type) });
    const replaced = replacements(from, to);
    console.log(`1.0.0 -> this release, ${stage} ${type}: ${replaced.length === 0 ? 'nothing replaced' : replaced.map(r => `${r.id} (${r.cause}${r.blocker ? `; ${r.blocker}` : ''})`).join(', ')}`);
    expect(blocked(replaced)).toEqual([]);
    expect(renamedResources(from, to)).toEqual({ conflicts: [], deletedStateful: [] });
    expect(to.Service.Properties.LaunchType).toBe('FARGATE');
  });
});
