import { EXCLUDED, handlerCalls, HandlerCall, PHASES, readRegistrySchemas, specificCalls } from './handler-calls';
import { ACCOUNT, arn, Call, decide, ECS, ECS_TASKS, INFRASTRUCTURE_ROLE, policiesOfRole, Principal, REGION } from './iam-simulation';
import { boundedRoleOn, ORDERS, ORDERS_EU, PAYMENTS, platformValues, serviceOnPlatform, synthesizePlatformProductionElsewhere, synthesizePlatformToolchain } from './platform-simulation';
import { StageAlarm, stageAlarmName } from '../src/contract';

/**
 * Containment across services on one platform, proven by the policy simulator (see iam-simulation.ts): `orders`,
 * `payments` and the neighbour `orders-eu` share platform `acme`'s VPC, cluster, load balancer and listeners per
 * stage; each one's deploy role may change only its own rules, target groups, service and scaling.
 */

const toolchains = Object.fromEntries([ORDERS, PAYMENTS, ORDERS_EU].map(service => [service, synthesizePlatformToolchain(service)]));
const deployRoleOf = (service: string, stage: string): Principal => ({ identityPolicies: policiesOfRole(toolchains[service], `PipelineStage${stage}DeploymentRole`) });
const orders = serviceOnPlatform(ORDERS, 'dev');
const payments = serviceOnPlatform(PAYMENTS, 'dev');
const ordersEu = serviceOnPlatform(ORDERS_EU, 'dev');
const ordersProduction = serviceOnPlatform(ORDERS, 'production');
const platform = platformValues('dev');
const ordersTags = { 'aws:RequestTag/service': ORDERS, 'aws:RequestTag/stage': 'dev', 'aws:TagKeys': ['service', 'stage'] };

describe('a platform service\'s deploy role (orders, dev), evaluated by an IAM policy simulator', () => {
  it.each<[string, Call]>([
    ['modify payments\' listener rule', { action: 'elasticloadbalancing:ModifyRule', resource: payments.productionRule, context: payments.tags }],
    ['modify the rule of orders-eu, whose name starts like its own', { action: 'elasticloadbalancing:ModifyRule', resource: ordersEu.productionRule, context: ordersEu.tags }],
    ['modify its own production stage\'s rule', { action: 'elasticloadbalancing:ModifyRule', resource: ordersProduction.productionRule, context: ordersProduction.tags }],
    ['delete payments\' test listener rule', { action: 'elasticloadbalancing:DeleteRule', resource: payments.testRule, context: payments.tags }],
    ['move payments\' rule to another priority', { action: 'elasticloadbalancing:SetRulePriorities', resource: payments.productionRule, context: payments.tags }],
    ['change the production listener\'s default action', { action: 'elasticloadbalancing:ModifyListener', resource: platform.productionListenerArn }],
    ['delete the test listener', { action: 'elasticloadbalancing:DeleteListener', resource: platform.testListenerArn }],
    ['add a listener to the platform\'s load balancer', { action: 'elasticloadbalancing:CreateListener', resource: platform.loadBalancerArn, context: ordersTags }],
    ['change the load balancer\'s attributes', { action: 'elasticloadbalancing:ModifyLoadBalancerAttributes', resource: platform.loadBalancerArn }],
    ['change the load balancer\'s security groups', { action: 'elasticloadbalancing:SetSecurityGroups', resource: platform.loadBalancerArn }],
    ['add a rule with payments\' tags', { action: 'elasticloadbalancing:CreateRule', resource: platform.productionListenerArn, context: { ...ordersTags, 'aws:RequestTag/service': PAYMENTS } }],
    ['add an untagged rule', { action: 'elasticloadbalancing:CreateRule', resource: platform.productionListenerArn }],
    ['add a rule to another load balancer\'s listener', { action: 'elasticloadbalancing:CreateRule', resource: arn('elasticloadbalancing', 'listener/app/billing/1234567890abcdef/fedcba0987654321'), context: ordersTags }],
    ['update payments\' ECS service', { action: 'ecs:UpdateService', resource: payments.service, context: { 'ecs:cluster': platform.clusterArn, 'ecs:task-definition': orders.taskDefinition } }],
    ['update the ECS service of orders-eu', { action: 'ecs:UpdateService', resource: ordersEu.service, context: { 'ecs:cluster': platform.clusterArn } }],
    ['delete payments\' ECS service', { action: 'ecs:DeleteService', resource: payments.service, context: { 'ecs:cluster': platform.clusterArn } }],
    ['stop payments\' deployment', { action: 'ecs:StopServiceDeployment', resource: arn('ecs', `service-deployment/${platform.clusterName}/${PAYMENTS}/r8dxYJxW2pnO0hV5ZKkw1`) }],
    ['create its service in another cluster', { action: 'ecs:CreateService', resource: arn('ecs', `service/billing/${ORDERS}`), context: { 'ecs:cluster': arn('ecs', 'cluster/billing'), 'ecs:task-definition': orders.taskDefinition, ...ordersTags } }],
    ['create its service in production\'s cluster', { action: 'ecs:CreateService', resource: ordersProduction.service, context: { 'ecs:task-definition': orders.taskDefinition } }],
    ['run payments\' task definition', { action: 'ecs:UpdateService', resource: orders.service, context: { 'ecs:task-definition': payments.taskDefinition } }],
    ['run its tasks in subnets outside the platform\'s', { action: 'ecs:UpdateService', resource: orders.service, context: { 'ecs:task-definition': orders.taskDefinition, 'ecs:subnet': ['subnet-0elsewhere0000a'] } }],
    ['change the cluster\'s capacity providers', { action: 'ecs:PutClusterCapacityProviders', resource: platform.clusterArn }],
    ['change the cluster\'s settings', { action: 'ecs:UpdateClusterSettings', resource: platform.clusterArn }],
    ['change the cluster', { action: 'ecs:UpdateCluster', resource: platform.clusterArn }],
    ['delete the cluster', { action: 'ecs:DeleteCluster', resource: platform.clusterArn }],
    ['deregister payments\' targets', { action: 'elasticloadbalancing:DeregisterTargets', resource: payments.targetGroup, context: payments.tags }],
    ['register targets into payments\' target group', { action: 'elasticloadbalancing:RegisterTargets', resource: payments.targetGroup, context: payments.tags }],
    ['change payments\' target group', { action: 'elasticloadbalancing:ModifyTargetGroup', resource: payments.targetGroup, context: payments.tags }],
    ['run its tasks with payments\' task role', { action: 'iam:PassRole', resource: payments.role('TaskRole-AbC123'), context: { 'iam:PassedToService': ECS_TASKS } }],
    ['hand ECS payments\' infrastructure role', { action: 'iam:PassRole', resource: payments.role(INFRASTRUCTURE_ROLE), context: { 'iam:PassedToService': ECS } }],
    ['run its tasks with the task role of orders-eu', { action: 'iam:PassRole', resource: ordersEu.role('TaskRole-AbC123'), context: { 'iam:PassedToService': ECS_TASKS } }],
    ['re-tag payments\' rule as its own', { action: 'elasticloadbalancing:AddTags', resource: payments.productionRule, context: { ...payments.tags, ...ordersTags } }],
    ['untag payments\' rule', { action: 'elasticloadbalancing:RemoveTags', resource: payments.productionRule, context: { ...payments.tags, 'aws:TagKeys': ['service'] } }],
    ['re-tag payments\' target group as its own', { action: 'elasticloadbalancing:AddTags', resource: payments.targetGroup, context: { ...payments.tags, ...ordersTags } }],
    ['untag payments\' target group', { action: 'elasticloadbalancing:RemoveTags', resource: payments.targetGroup, context: { ...payments.tags, 'aws:TagKeys': ['stage'] } }],
    ['tag payments\' ECS service', { action: 'ecs:TagResource', resource: payments.service, context: { ...ordersTags } }],
    ['untag payments\' ECS service', { action: 'ecs:UntagResource', resource: payments.service, context: { 'aws:TagKeys': ['service'] } }],
    ['re-tag payments\' scalable target as its own', { action: 'application-autoscaling:TagResource', resource: payments.scalableTarget, context: { ...payments.tags, ...ordersTags } }],
    ['change payments\' scaling', { action: 'application-autoscaling:PutScalingPolicy', resource: payments.scalableTarget, context: payments.tags }],
    ['deregister payments\' scalable target', { action: 'application-autoscaling:DeregisterScalableTarget', resource: payments.scalableTarget, context: payments.tags }],
    ['change a target-tracking alarm of payments', { action: 'cloudwatch:PutMetricAlarm', resource: arn('cloudwatch', `alarm:TargetTracking-service/${platform.clusterName}/${PAYMENTS}-AlarmHigh-1b2c3d4e`) }],
    ['delete a target-tracking alarm of orders-eu', { action: 'cloudwatch:DeleteAlarms', resource: arn('cloudwatch', `alarm:TargetTracking-service/${platform.clusterName}/${ORDERS_EU}-AlarmLow-1b2c3d4e`) }],
    ['silence payments\' error-rate alarm', { action: 'cloudwatch:PutMetricAlarm', resource: arn('cloudwatch', `alarm:${stageAlarmName(PAYMENTS, 'dev', StageAlarm.ERROR_RATE)}`) }],
    ['open payments\' security group', { action: 'ec2:AuthorizeSecurityGroupIngress', resource: payments.securityGroup, context: { ...payments.tags, 'ec2:Vpc': arn('ec2', `vpc/${platform.vpcId}`) } }],
  ])('may not %s', async (_what, call) => {
    expect(await decide(deployRoleOf(ORDERS, 'dev'), call)).not.toBe('Allowed');
  });

  it('may create rules only on the platform\'s two listeners, with its own tags, and change only the rules tagged for it', async () => {
    const role = deployRoleOf(ORDERS, 'dev');
    expect(await Promise.all([
      decide(role, { action: 'elasticloadbalancing:CreateRule', resource: platform.productionListenerArn, context: ordersTags }),
      decide(role, { action: 'elasticloadbalancing:CreateRule', resource: platform.testListenerArn, context: ordersTags }),
      decide(role, { action: 'elasticloadbalancing:AddTags', resource: orders.productionRule, context: { ...ordersTags, 'elasticloadbalancing:CreateAction': 'CreateRule' } }),
      decide(role, { action: 'elasticloadbalancing:ModifyRule', resource: orders.productionRule, context: orders.tags }),
      decide(role, { action: 'elasticloadbalancing:SetRulePriorities', resource: orders.testRule, context: orders.tags }),
    ])).toEqual(['Allowed', 'Allowed', 'Allowed', 'Allowed', 'Allowed']);
  });

  it('may read the platform\'s parameters for its stage and its own rule priority, and nothing else of them', async () => {
    const parameter = (name: string) => arn('ssm', `parameter/codestar-fargate/platforms/acme/${name}`);
    const role = deployRoleOf(ORDERS, 'dev');
    expect(await Promise.all([
      decide(role, { action: 'ssm:GetParameters', resource: parameter('dev/production-listener-arn') }),
      decide(role, { action: 'ssm:GetParameters', resource: parameter(`dev/services/${ORDERS}/rule-priority`) }),
      decide(role, { action: 'ssm:GetParameters', resource: parameter('production/production-listener-arn') }),
      decide(role, { action: 'ssm:PutParameter', resource: parameter(`dev/services/${ORDERS}/rule-priority`) }),
      decide(role, { action: 'ssm:PutParameter', resource: parameter(`dev/services/${PAYMENTS}/rule-priority`) }),
    ])).toEqual(['Allowed', 'Allowed', 'ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied']);
  });
});

describe('ECS\'s infrastructure role of a platform service, capped by the stage\'s boundary', () => {
  const infrastructureRole = boundedRoleOn(toolchains[ORDERS], ORDERS, 'dev');

  it.each<[string, Call]>([
    ['change the production listener\'s default action', { action: 'elasticloadbalancing:ModifyListener', resource: platform.productionListenerArn }],
    ['move payments\' traffic', { action: 'elasticloadbalancing:ModifyRule', resource: payments.productionRule, context: payments.tags }],
    ['register tasks into payments\' target group', { action: 'elasticloadbalancing:RegisterTargets', resource: payments.targetGroup, context: payments.tags }],
    ['deregister payments\' tasks', { action: 'elasticloadbalancing:DeregisterTargets', resource: payments.targetGroup, context: payments.tags }],
  ])('may not %s', async (_what, call) => {
    expect(await decide(infrastructureRole, call)).not.toBe('Allowed');
  });

  it('moves the weights of its own rules and registers tasks in its own target groups', async () => {
    expect(await Promise.all([
      decide(infrastructureRole, { action: 'elasticloadbalancing:ModifyRule', resource: orders.productionRule, context: orders.tags }),
      decide(infrastructureRole, { action: 'elasticloadbalancing:RegisterTargets', resource: orders.targetGroup, context: orders.tags }),
    ])).toEqual(['Allowed', 'Allowed']);
  });
});

/** The resource types a platform service's template.yml creates: no cluster, load balancer or listener. */
const PLATFORM_SERVICE_TYPES = [
  'AWS::ECS::Service', 'AWS::ECS::TaskDefinition', 'AWS::ElasticLoadBalancingV2::TargetGroup', 'AWS::ElasticLoadBalancingV2::ListenerRule',
  'AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress', 'AWS::IAM::Role', 'AWS::Logs::LogGroup',
  'AWS::ApplicationAutoScaling::ScalableTarget', 'AWS::ApplicationAutoScaling::ScalingPolicy', 'AWS::CloudWatch::Alarm',
];

/** Each handler permission of those types as a call of `service` on its own resources in `stage` (see handler-calls.ts). */
async function platformServiceCalls(service: string, stage: string): Promise<HandlerCall[]> {
  const schemaOf = readRegistrySchemas();
  const own = serviceOnPlatform(service, stage);
  const shared = platformValues(stage);
  const topic = `arn:aws:sns:${REGION}:${ACCOUNT}:${service}-${stage}`;
  const resources = {
    'ecs:service': [{ arn: own.service, tagsOf: 'AWS::ECS::Service', context: { 'ecs:cluster': shared.clusterArn, 'ecs:task-definition': own.taskDefinition } }],
    'ecs:service-deployment': [{ arn: arn('ecs', `service-deployment/${shared.clusterName}/${service}/r8dxYJxW2pnO0hV5ZKkw1`), context: { 'ecs:cluster': shared.clusterArn, 'ecs:service': own.service } }],
    'ecs:service-revision': [{ arn: arn('ecs', `service-revision/${shared.clusterName}/${service}/4980306466373577095`) }],
    'ecs:task-definition': [{ arn: own.taskDefinition, tagsOf: 'AWS::ECS::TaskDefinition' }],
    'elasticloadbalancing:targetgroup': [{ arn: own.targetGroup, tagsOf: 'AWS::ElasticLoadBalancingV2::TargetGroup' }],
    // The platform's listeners carry none of the service's tags.
    'elasticloadbalancing:listener/app': [{ arn: shared.productionListenerArn }, { arn: shared.testListenerArn }],
    'elasticloadbalancing:listener-rule/app': [{ arn: own.productionRule, tagsOf: 'AWS::ElasticLoadBalancingV2::ListenerRule' }, { arn: own.testRule, tagsOf: 'AWS::ElasticLoadBalancingV2::ListenerRule' }],
    'iam:role': ['TaskRole-AbC123', 'TaskExecutionRole-XyZ789', INFRASTRUCTURE_ROLE].map(role => ({
      arn: own.role(role), tagsOf: 'AWS::IAM::Role', context: { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/${service}/${stage}/${service}-${stage}-boundary` },
    })),
    'logs:log-group': [{ arn: arn('logs', `log-group:/ecs/${service}/${stage}/6f1c2b3a-0000-4000-8000-000000000000`), tagsOf: 'AWS::Logs::LogGroup' }],
    'ec2:security-group': [{ arn: own.securityGroup, tagsOf: 'AWS::EC2::SecurityGroup', context: { 'ec2:Vpc': arn('ec2', `vpc/${shared.vpcId}`) } }],
    'ec2:security-group-rule': [{ arn: arn('ec2', 'security-group-rule/sgr-0123456789abcdef0') }],
    'ec2:vpc': [{ arn: arn('ec2', `vpc/${shared.vpcId}`) }],
    'application-autoscaling:ScalableTarget': [{ arn: own.scalableTarget, tagsOf: 'AWS::ApplicationAutoScaling::ScalableTarget' }],
    'cloudwatch:alarm': Object.values(StageAlarm).map(what => ({ arn: arn('cloudwatch', `alarm:${stageAlarmName(service, stage, what)}`), tagsOf: 'AWS::CloudWatch::Alarm', context: { 'cloudwatch:AlarmActions': [topic] } })),
  };
  const stageTags = { service, stage };
  const tags = Object.fromEntries(PLATFORM_SERVICE_TYPES.map(type => [type, stageTags]));
  // handler-calls.ts writes these for the isolated service; a platform service's are below.
  const isolatedOnly = Object.keys(specificCalls(stage));
  const calls: HandlerCall[] = [];
  for (const type of PLATFORM_SERVICE_TYPES) {
    // template.yml retains its task definitions (DeletionPolicy and UpdateReplacePolicy Retain): CloudFormation never deletes one.
    const phases = PHASES.filter(phase => phase !== 'delete' || type !== 'AWS::ECS::TaskDefinition');
    const derived = await handlerCalls(type, schemaOf(type), phases, stage, resources, tags);
    expect(derived.unmapped.filter(entry => !(`${type} ${entry.split(' ')[0]}` in EXCLUDED))).toEqual([]);
    calls.push(...derived.calls.filter(call => !(`${type} ${call.permission}` in EXCLUDED) && !isolatedOnly.includes(`${type} ${call.permission}`))
      // CreateRule carries the rule's Tags (the schema tags it on create), which IAM sees as aws:RequestTag.
      .map(call => (call.permission === 'elasticloadbalancing:CreateRule' ? { ...call, context: { ...call.context, 'aws:RequestTag/service': service, 'aws:RequestTag/stage': stage, 'aws:TagKeys': ['service', 'stage'] } } : call)));
  }
  const specific = (type: string, permission: string, call: Call, shared_ = false): HandlerCall =>
    ({ ...call, type, phase: 'create', permission, shared: shared_, request: `${type} create ${permission} ${call.resource}` });
  const scalingPolicy = `arn:aws:autoscaling:${REGION}:${ACCOUNT}:scalingPolicy:6d8f0b3c-1a2b-4c5d-8e9f-0a1b2c3d4e5f:resource/ecs/service/${shared.clusterName}/${service}:policyName/${service}-${stage}-cpu`;
  const targetTrackingAlarm = arn('cloudwatch', `alarm:TargetTracking-service/${shared.clusterName}/${service}-AlarmHigh-1b2c3d4e`);
  calls.push(
    ...['TaskRole-AbC123', 'TaskExecutionRole-XyZ789'].flatMap(role => [
      specific('AWS::ECS::TaskDefinition', 'iam:GetRole', { action: 'iam:GetRole', resource: own.role(role) }),
      specific('AWS::ECS::TaskDefinition', 'iam:PassRole', { action: 'iam:PassRole', resource: own.role(role), context: { 'iam:PassedToService': ECS_TASKS } }),
    ]),
    specific('AWS::ECS::Service', 'iam:PassRole', { action: 'iam:PassRole', resource: own.role(INFRASTRUCTURE_ROLE), context: { 'iam:PassedToService': ECS } }),
    specific('AWS::ApplicationAutoScaling::ScalableTarget', 'iam:CreateServiceLinkedRole', {
      action: 'iam:CreateServiceLinkedRole',
      resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
      context: { 'iam:AWSServiceName': 'ecs.application-autoscaling.amazonaws.com' },
    }, true),
    specific('AWS::ApplicationAutoScaling::ScalableTarget', 'cloudwatch:PutMetricAlarm', { action: 'cloudwatch:PutMetricAlarm', resource: targetTrackingAlarm, context: { 'cloudwatch:AlarmActions': [scalingPolicy] } }),
    specific('AWS::ApplicationAutoScaling::ScalableTarget', 'cloudwatch:DeleteAlarms', { action: 'cloudwatch:DeleteAlarms', resource: targetTrackingAlarm }),
    specific('AWS::ApplicationAutoScaling::ScalableTarget', 'cloudwatch:DescribeAlarms', { action: 'cloudwatch:DescribeAlarms', resource: targetTrackingAlarm }),
  );
  return calls;
}

const shown = (call: HandlerCall) => `${call.type} ${call.phase} ${call.permission} on ${call.resource}${Object.keys(call.context ?? {}).length > 0 ? ` ${JSON.stringify(call.context)}` : ''}`;

describe('a platform service\'s deploy role against CloudFormation\'s handler permissions (registry schemas from cfn-lint)', () => {
  it.each([[ORDERS, 'dev'], [ORDERS, 'production'], [PAYMENTS, 'dev'], [ORDERS_EU, 'production']])('lets %s\'s %s deploy role make every handler call on its own resources', async (service, stage) => {
    const calls = await platformServiceCalls(service, stage);
    expect(await deniedCalls(deployRoleOf(service, stage), calls)).toEqual([]);
    expect(calls.length).toBeGreaterThan(100);
  });

  it.each([[ORDERS, PAYMENTS], [PAYMENTS, ORDERS], [ORDERS, ORDERS_EU], [ORDERS_EU, ORDERS]])('refuses %s\'s deploy role every handler call that changes %s\'s resources', async (service, other) => {
    const { allowed, requests } = await allowedChanges(deployRoleOf(service, 'dev'), await platformServiceCalls(other, 'dev'));
    expect(allowed).toEqual([]);
    expect(requests).toBeGreaterThan(50);
  });
});

describe('a platform service\'s production deploy role in production\'s own account, the toolchain in another account and region', () => {
  const role: Principal = { identityPolicies: policiesOfRole(synthesizePlatformProductionElsewhere(ORDERS), 'DeploymentRole') };
  const paymentsProduction = serviceOnPlatform(PAYMENTS, 'production');
  const production = platformValues('production');

  it('makes every handler call on its own resources there', async () => {
    const calls = await platformServiceCalls(ORDERS, 'production');
    expect(await deniedCalls(role, calls)).toEqual([]);
    expect(calls.length).toBeGreaterThan(100);
  });

  it('refuses every handler call that changes payments\' production resources', async () => {
    const { allowed, requests } = await allowedChanges(role, await platformServiceCalls(PAYMENTS, 'production'));
    expect(allowed).toEqual([]);
    expect(requests).toBeGreaterThan(50);
  });

  it.each<[string, Call]>([
    ['modify payments\' listener rule', { action: 'elasticloadbalancing:ModifyRule', resource: paymentsProduction.productionRule, context: paymentsProduction.tags }],
    ['change the production listener\'s default action', { action: 'elasticloadbalancing:ModifyListener', resource: production.productionListenerArn }],
    ['update payments\' ECS service', { action: 'ecs:UpdateService', resource: paymentsProduction.service, context: { 'ecs:cluster': production.clusterArn } }],
    ['deregister payments\' targets', { action: 'elasticloadbalancing:DeregisterTargets', resource: paymentsProduction.targetGroup, context: paymentsProduction.tags }],
    ['run its tasks with payments\' task role', { action: 'iam:PassRole', resource: paymentsProduction.role('TaskRole-AbC123'), context: { 'iam:PassedToService': ECS_TASKS } }],
    ['delete the cluster', { action: 'ecs:DeleteCluster', resource: production.clusterArn }],
  ])('may not %s', async (_what, call) => {
    expect(await decide(role, call)).not.toBe('Allowed');
  });
});

/** The calls `role` is not allowed, as shown in a failure. */
async function deniedCalls(role: Principal, calls: HandlerCall[]): Promise<string[]> {
  const denied: string[] = [];
  for (const call of calls) {
    if (await decide(role, call) !== 'Allowed') {
      denied.push(shown(call));
    }
  }
  return denied;
}

/** The requests among another service's changing calls that `role` is allowed, and how many requests there were. */
async function allowedChanges(role: Principal, othersCalls: HandlerCall[]): Promise<{ allowed: string[]; requests: number }> {
  const requests = new Map<string, HandlerCall[]>();
  othersCalls.filter(call => !call.shared && !isReadOnly(call.permission))
    .forEach(call => requests.set(call.request, [...requests.get(call.request) ?? [], call]));
  const allowed: string[] = [];
  for (const request of requests.values()) {
    // IAM allows a request only if it allows it on every resource the request names.
    const answers = await Promise.all(request.map(call => decide(role, call)));
    if (answers.every(answer => answer === 'Allowed')) {
      allowed.push(request.map(shown).join(' and '));
    }
  }
  return { allowed, requests: requests.size };
}

/** Reads of another service's configuration on the platform are allowed to its neighbours; no change is. */
function isReadOnly(permission: string): boolean {
  return /^[a-z-]+:(Describe|List|Get)/.test(permission);
}
