import { deployedAs } from './template-conditions';
import { registrySchemas } from '../scripts/registry-schemas';
import { TemplateParameter } from '../src/contract';
import { DeploymentStrategyType } from '../src/options';

/**
 * A template change rehearsed as CloudFormation would apply it: the template resolved for the parameters a stage is
 * deployed with, each kept resource's changed properties classified by the registry schemas' createOnlyProperties and
 * conditionalCreateOnlyProperties (cfn-lint's bundled copy), and a replacement carried to every resource that names
 * the replaced one in a create-only property. Used within a release (test/change-rehearsal.test.ts) and across
 * releases (the same file, and test/e2e/upgrade.test.ts).
 */

export type Json = Record<string, any>;

const schemaOf = registrySchemas('eu-west-1');

interface CreateOnly {
  readonly always: string[];
  readonly conditional: string[];
}

const schemaCache = new Map<string, CreateOnly>();
export function createOnlyOf(type: string): CreateOnly {
  // A custom resource is updated in place by its provider whatever changes (ServiceToken cannot change at all).
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') {
    return { always: [], conditional: [] };
  }
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
export const STATEFUL_TYPES = ['AWS::Logs::LogGroup', 'AWS::ECR::Repository', 'AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::SNS::Topic'];

/**
 * A create-only property that names the resource (`ServiceName`, `ClusterName`, `AlarmName`, ...), set by the
 * template: CloudFormation creates the replacement before deleting the old one, so the name is taken and it fails.
 * A task definition's `Family` is no such name: a replacement registers the family's next revision.
 */
export function fixedName(resource: Json): string | undefined {
  return createOnlyOf(resource.Type).always.find(property => /Name$/.test(property) && resource.Properties?.[property] !== undefined);
}

/** The logical ids a value refers to by Ref, GetAtt or Fn::Sub. */
export function referencedIds(value: any): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (value === null || typeof value !== 'object') return [];
  if (typeof value.Ref === 'string') return [value.Ref];
  if (Array.isArray(value['Fn::GetAtt'])) return [value['Fn::GetAtt'][0]];
  const own = typeof value['Fn::Sub'] === 'string' ? [...value['Fn::Sub'].matchAll(/\$\{([A-Za-z0-9]+)(\.[A-Za-z]+)?\}/g)].map(match => match[1]) : [];
  return [...own, ...Object.values(value).flatMap(referencedIds)];
}

export interface Replacement {
  readonly id: string;
  readonly type: string;
  /** The create-only property that changed, or `via <id>` when a replaced resource it names gets a new id. */
  readonly cause: string;
  readonly conditional: boolean;
  /** Why CloudFormation could not do it: the resource's fixed name, or the data it holds. */
  readonly blocker?: string;
}

/** What CloudFormation replaces when a stage goes from `before` to `after`. */
export function replacements(before: Record<string, Json>, after: Record<string, Json>): Replacement[] {
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

/** What the pipeline passes to a stage that is not changed by the option under test. */
export const PIPELINE_PARAMETERS: Record<string, string> = {
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
/** The region and account a rehearsal deploys to. */
const PSEUDO_PARAMETERS: Record<string, string> = { 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '123456789012', 'AWS::Partition': 'aws' };

/** A template's resources as CloudFormation sees them for these parameters: conditions resolved, parameters filled in. */
export function resourcesAsDeployed(template: Json, parameters: Record<string, string>): Record<string, Json> {
  const declared = template.Parameters ?? {};
  // What a stage passes that this template does not declare is not passed to it; pseudo parameters always are.
  const values = { ...PSEUDO_PARAMETERS, ...Object.fromEntries(Object.entries(parameters).filter(([name]) => name in declared)) };
  const resolved = deployedAs(template, values, Object.keys(template.Conditions ?? {}));
  const valueOf = (name: string) => (name in values ? values[name] : String(declared[name].Default ?? ''));
  const fill = (text: string) => text.replace(/\$\{([A-Za-z0-9]+)\}/g, (whole, name) => (name in declared ? valueOf(name) : whole));
  const substitute = (value: any): any => {
    if (Array.isArray(value)) return value.map(substitute);
    if (value === null || typeof value !== 'object') return value;
    if (typeof value.Ref === 'string' && value.Ref in declared) return valueOf(value.Ref);
    if ('Fn::Sub' in value) {
      const sub = value['Fn::Sub'];
      return { 'Fn::Sub': typeof sub === 'string' ? fill(sub) : [fill(sub[0]), substitute(sub[1])] };
    }
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, substitute(child)]));
  };
  return substitute(resolved.Resources);
}

/** A resource the new template creates under a new logical id while the old one, with the same fixed name, still exists. */
export interface NameConflict {
  readonly name: string;
  readonly type: string;
  readonly removed: string;
  readonly added: string;
}

export interface RenamedResources {
  readonly conflicts: NameConflict[];
  readonly deletedStateful: string[];
}

/**
 * What a logical id change does across releases: CloudFormation creates the new resource before it deletes the old
 * one, so a fixed name both carry is taken at create time, and a stateful resource under the old id is deleted.
 */
export function renamedResources(before: Record<string, Json>, after: Record<string, Json>): RenamedResources {
  const removed = Object.keys(before).filter(id => after[id]?.Type !== before[id].Type);
  const added = Object.keys(after).filter(id => before[id]?.Type !== after[id].Type);
  const nameOf = (resource: Json) => {
    const property = fixedName(resource);
    return property ? JSON.stringify(resource.Properties[property]) : undefined;
  };
  const conflicts = added.flatMap(id => removed
    .filter(old => before[old].Type === after[id].Type && nameOf(after[id]) !== undefined && nameOf(after[id]) === nameOf(before[old]))
    .map(old => ({ name: nameOf(after[id])!, type: after[id].Type, removed: old, added: id })));
  const deletedStateful = removed.filter(id => STATEFUL_TYPES.includes(before[id].Type) && before[id].DeletionPolicy !== 'Retain');
  return { conflicts, deletedStateful };
}
