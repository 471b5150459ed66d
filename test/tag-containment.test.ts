import { decide, policiesOfRole, Principal } from './iam-simulation';
import { ORDERS, PAYMENTS, serviceOnPlatform, synthesizePlatformToolchain } from './platform-simulation';

/**
 * A stage may tag its own resources only with its own service and stage values, and may not take those tags off: they
 * decide which stage's role reaches a resource (attacker finding 4). CloudFormation's tags on create and update, and
 * removing any other key, stay allowed.
 */

const toolchain = synthesizePlatformToolchain(ORDERS);
const role: Principal = { identityPolicies: policiesOfRole(toolchain, 'PipelineStagedevDeploymentRole') };
const orders = serviceOnPlatform(ORDERS, 'dev');

const tagging = (service: string, stage: string) => ({ 'aws:RequestTag/service': service, 'aws:RequestTag/stage': stage, 'aws:TagKeys': ['service', 'stage'] });
const asPayments = tagging(PAYMENTS, 'dev');
const asProduction = tagging(ORDERS, 'production');
const ownTags = tagging(ORDERS, 'dev');
const cloudFormationTags = { 'aws:RequestTag/aws:cloudformation:stack-name': 'orders-dev', 'aws:TagKeys': ['aws:cloudformation:stack-name'] };

/** Each own resource with its tag and untag actions. */
const resources: Array<[string, string, string, string]> = [
  ['listener rule', orders.productionRule, 'elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
  ['target group', orders.targetGroup, 'elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
  ['ECS service', orders.service, 'ecs:TagResource', 'ecs:UntagResource'],
  ['scalable target', orders.scalableTarget, 'application-autoscaling:TagResource', 'application-autoscaling:UntagResource'],
  ['security group', orders.securityGroup, 'ec2:CreateTags', 'ec2:DeleteTags'],
];

describe.each(resources)('the dev deploy role on its own %s', (_, resource, tag, untag) => {
  const call = (action: string, context: object) => decide(role, { action, resource, context: { ...orders.tags, ...context } });

  it('may not re-tag it as another service\'s or as production\'s', async () => {
    expect(await Promise.all([call(tag, asPayments), call(tag, asProduction), call(tag, { 'aws:RequestTag/stage': 'production', 'aws:TagKeys': ['stage'] })]))
      .toEqual(['ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied']);
  });

  it('may not take its service or stage tag off, alone, together, beside another key or in another case, nor remove tags without naming them', async () => {
    const removing = (...keys: string[]) => call(untag, { 'aws:TagKeys': keys });
    expect(await Promise.all([removing('stage'), removing('service'), removing('service', 'stage'), removing('team', 'stage'), removing('Stage'), call(untag, {})]))
      .toEqual(['ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied']);
  });

  it('may still tag it as CloudFormation does on create and update, and remove other tags', async () => {
    expect(await Promise.all([call(tag, ownTags), call(tag, cloudFormationTags), call(untag, { 'aws:TagKeys': ['team'] })]))
      .toEqual(['Allowed', 'Allowed', 'Allowed']);
  });
});
