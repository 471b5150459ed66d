import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Project, Testing } from 'projen';
import { parse } from 'yaml';
import { orderApiSettings } from './helpers';
import { deployedAs } from './template-conditions';
import { registrySchemas } from '../scripts/registry-schemas';
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

type Json = Record<string, any>;

const schemaOf = registrySchemas('eu-west-1');

interface CreateOnly {
  readonly always: string[];
  readonly conditional: string[];
}

const schemaCache = new Map<string, CreateOnly>();
function createOnlyOf(type: string): CreateOnly {
  if (!schemaCache.has(type)) {
    const schema = schemaOf(type);
    if (!schema) {
      throw new Error(`${type} has no registry schema in cfn-lint: the rehearsal cannot tell what replaces it`);
    }
    const property = (pointer: string) => pointer.replace(/^\/properties\//, '');
    schemaCache.set(type, {
      always: (schema.createOnlyProperties ?? []).map(property),
      conditional: (schema.conditionalCreateOnlyProperties ?? []).map(property),
    });
  }
  return schemaCache.get(type)!;
}

/** Data a replacement would lose, whatever its name. */
const STATEFUL_TYPES = ['AWS::Logs::LogGroup', 'AWS::ECR::Repository', 'AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::SNS::Topic'];

/**
 * A create-only property that names the resource (`ServiceName`, `ClusterName`, `AlarmName`, ...), set by the
 * template: CloudFormation creates the replacement before deleting the old one, so the name is taken and it fails.
 * A task definition's `Family` is no such name: a replacement registers the family's next revision.
 */
function fixedName(resource: Json): string | undefined {
  return createOnlyOf(resource.Type).always.find(property => /Name$/.test(property) && resource.Properties?.[property] !== undefined);
}

/** What the pipeline passes to a stage that is not changed by the option under test. */
const PIPELINE_PARAMETERS: Record<string, string> = {
  [TemplateParameter.STAGE]: 'dev',
  [TemplateParameter.IMAGE_URI]: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api@sha256:${'ab'.repeat(32)}`,
  [TemplateParameter.VPC_ID]: 'vpc-0123456789abcdef0',
  [TemplateParameter.LOAD_BALANCER_SUBNET_IDS]: 'subnet-0123456789abcdef0,subnet-0123456789abcdef1',
  [TemplateParameter.SERVICE_SUBNET_IDS]: 'subnet-0123456789abcdef2,subnet-0123456789abcdef3',
  [TemplateParameter.DEPLOYMENT_STRATEGY]: DeploymentStrategyType.ROLLING,
  [TemplateParameter.CPU_ARCHITECTURE]: 'X86_64',
  [TemplateParameter.FARGATE_SPOT]: 'false',
  [TemplateParameter.PRODUCTION_TARGET_GROUP]: 'TargetGroup',
  [TemplateParameter.NOTIFICATION_TOPIC_ARN]: 'arn:aws:sns:eu-west-1:123456789012:orders-api-dev',
};
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
  const template = templateOf(settings);
  const values: Record<string, string> = { ...PIPELINE_PARAMETERS, ...parameters };
  const resolved = deployedAs(template, values, Object.keys(template.Conditions));
  const valueOf = (name: string) => (name in values ? values[name] : String(template.Parameters[name].Default ?? ''));
  const fill = (text: string) => text.replace(/\$\{([A-Za-z0-9]+)\}/g, (whole, name) => (name in template.Parameters ? valueOf(name) : whole));
  const substitute = (value: any): any => {
    if (Array.isArray(value)) return value.map(substitute);
    if (value === null || typeof value !== 'object') return value;
    if (typeof value.Ref === 'string' && value.Ref in template.Parameters) return valueOf(value.Ref);
    if ('Fn::Sub' in value) {
      const sub = value['Fn::Sub'];
      return { 'Fn::Sub': typeof sub === 'string' ? fill(sub) : [fill(sub[0]), substitute(sub[1])] };
    }
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, substitute(child)]));
  };
  return substitute(resolved.Resources);
}

/** The logical ids a value refers to by Ref, GetAtt or Fn::Sub. */
function referencedIds(value: any): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (value === null || typeof value !== 'object') return [];
  if (typeof value.Ref === 'string') return [value.Ref];
  if (Array.isArray(value['Fn::GetAtt'])) return [value['Fn::GetAtt'][0]];
  const own = typeof value['Fn::Sub'] === 'string' ? [...value['Fn::Sub'].matchAll(/\$\{([A-Za-z0-9]+)(\.[A-Za-z]+)?\}/g)].map(match => match[1]) : [];
  return [...own, ...Object.values(value).flatMap(referencedIds)];
}

interface Replacement {
  readonly id: string;
  readonly type: string;
  /** The create-only property that changed, or `via <id>` when a replaced resource it names gets a new id. */
  readonly cause: string;
  readonly conditional: boolean;
  /** Why CloudFormation could not do it: the resource's fixed name, or the data it holds. */
  readonly blocker?: string;
}

/** What CloudFormation replaces when a stage goes from `before` to `after`. */
function replacements(before: Record<string, Json>, after: Record<string, Json>): Replacement[] {
  const found = new Map<string, Replacement>();
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const kept = Object.keys(after).filter(id => before[id] && before[id].Type === after[id].Type);
  const record = (id: string, cause: string, conditional: boolean) => {
    const resource = after[id];
    const name = fixedName(resource);
    const blocker = name ? `fixed ${name}` : STATEFUL_TYPES.includes(resource.Type) ? 'stateful' : undefined;
    found.set(id, { id, type: resource.Type, cause, conditional, ...(blocker ? { blocker } : {}) });
  };
  for (const id of kept) {
    const { always, conditional } = createOnlyOf(after[id].Type);
    const changed = (property: string) => !same(before[id].Properties?.[property], after[id].Properties?.[property]);
    const hit = always.find(changed) ?? conditional.find(changed);
    if (hit) record(id, hit, !always.includes(hit));
  }
  // A replaced resource has a new physical id: what names it in a create-only property is replaced too.
  let grew = true;
  while (grew) {
    grew = false;
    for (const id of kept.filter(candidate => !found.has(candidate))) {
      const { always } = createOnlyOf(after[id].Type);
      const via = always.flatMap(property => referencedIds(after[id].Properties?.[property])).find(other => found.has(other));
      if (via) {
        record(id, `via ${via}`, false);
        grew = true;
      }
    }
  }
  return [...found.values()];
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
