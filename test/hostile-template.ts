import { ACCOUNT, arn, boundaryArn, Call, domainOf, ECS, ECS_TASKS, INFRASTRUCTURE_ROLE, REGION, roleArn, SERVICE, StageNetworkIds, ZONE_ARN } from './iam-simulation';

/**
 * The hostile template's view of the two stages: what a dev template.yml could name of production, and the calls
 * CloudFormation then makes with the dev stage's deploy role, with the request context the Service Authorization
 * Reference documents for each call.
 */

/** One stage's resources as IAM sees them when a template names them. */
export interface StageWorld {
  readonly stage: string;
  readonly vpcArn: string;
  readonly loadBalancerSubnetIds: string[];
  readonly serviceSubnetIds: string[];
  /** Template.yml's groups (tagged for the stage, or older ones by CloudFormation's stack tag); production's database group, made by a team, untagged. */
  readonly securityGroups: Array<{ readonly arn: string; readonly context: Record<string, string> }>;
  readonly cluster: string;
  readonly serviceArn: string;
  readonly taskDefinitionArn: string;
  readonly loadBalancerArn: string;
  readonly listenerArn: string;
  readonly targetGroup: { readonly arn: string; readonly context: Record<string, string> };
  readonly scalableTarget: { readonly arn: string; readonly context: Record<string, string> };
  readonly taskRoleArn: string;
  readonly executionRoleArn: string;
  readonly infrastructureRoleArn: string;
  readonly boundaryArn: string;
  readonly topicArn: string;
  readonly logGroupArn: string;
  readonly alarmArn: string;
  readonly dashboardArn: string;
  readonly ruleArn: string;
  /** Both stages' rules are on the account's default event bus. */
  readonly eventBusName: string;
  readonly domainName: string;
  readonly hostedZoneArn: string;
  readonly secretArn: string;
  readonly fileSystemArn: string;
  readonly hookFunctionArn: string;
}

const tags = (key: 'aws:ResourceTag' | 'aws:RequestTag', stage: string) => ({ [`${key}/service`]: SERVICE, [`${key}/stage`]: stage });

/** A stage's world, given where its network is (from the pipeline's parameter overrides). */
export function stageWorld(stage: string, network: StageNetworkIds): StageWorld {
  const vpcArn = arn('ec2', `vpc/${network.vpcId}`);
  const stackTag = { 'aws:ResourceTag/aws:cloudformation:stack-name': `${SERVICE}-${stage}` };
  const group = (id: string, groupTags: Record<string, string>) => ({ arn: arn('ec2', `security-group/${id}`), context: { 'ec2:Vpc': vpcArn, ...groupTags } });
  const hex = stage === 'production' ? 'b' : 'a';
  return {
    stage,
    vpcArn,
    ...network,
    securityGroups: [
      group(`sg-0${hex}${'1'.repeat(15)}`, { ...tags('aws:ResourceTag', stage), ...stackTag }),
      // Created by a release before template.yml tagged its groups: only CloudFormation's own tag says whose it is.
      group(`sg-0${hex}${'2'.repeat(15)}`, stackTag),
      ...(stage === 'production' ? [group(`sg-0${hex}${'3'.repeat(15)}`, {})] : []),
    ],
    cluster: `${SERVICE}-${stage}`,
    serviceArn: arn('ecs', `service/${SERVICE}-${stage}/${SERVICE}`),
    taskDefinitionArn: arn('ecs', `task-definition/${SERVICE}-${stage}:7`),
    loadBalancerArn: arn('elasticloadbalancing', `loadbalancer/app/${SERVICE}-${stage}/50dc6c495c0c918${hex}`),
    listenerArn: arn('elasticloadbalancing', `listener/app/${SERVICE}-${stage}/50dc6c495c0c918${hex}/f2f7dc8efc522ab2`),
    targetGroup: { arn: arn('elasticloadbalancing', `targetgroup/orders-Targe-${hex.toUpperCase()}1B2C3/73e2d6bc24d8a06${hex}`), context: tags('aws:ResourceTag', stage) },
    scalableTarget: { arn: arn('application-autoscaling', `scalable-target/0ec5e2b1a2f34b1c9d8e7f6a5b4c3d2${hex}`), context: tags('aws:ResourceTag', stage) },
    taskRoleArn: roleArn(stage, 'TaskRole-AbC123'),
    executionRoleArn: roleArn(stage, 'TaskExecutionRole-XyZ789'),
    infrastructureRoleArn: roleArn(stage, INFRASTRUCTURE_ROLE),
    boundaryArn: boundaryArn(stage),
    topicArn: arn('sns', `${SERVICE}-${stage}`),
    logGroupArn: arn('logs', `log-group:/ecs/${SERVICE}/${stage}/6f1c2b3a-0000-4000-8000-00000000000${hex}`),
    alarmArn: arn('cloudwatch', `alarm:${SERVICE}-${stage}-error-rate`),
    dashboardArn: `arn:aws:cloudwatch::${ACCOUNT}:dashboard/${SERVICE}-${stage}`,
    ruleArn: arn('events', `rule/${SERVICE}-${stage}-deployment-events`),
    eventBusName: 'default',
    domainName: domainOf(stage),
    // Every stage's names are in the pipeline's one hosted zone.
    hostedZoneArn: ZONE_ARN,
    secretArn: arn('secretsmanager', `secret:orders/${stage}/db-AbCdE${hex}`),
    fileSystemArn: arn('elasticfilesystem', `file-system/fs-0123456789abcdef${hex}`),
    hookFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${SERVICE}-${stage}-hook`,
  };
}

/** Who makes the calls: the deploy role (CloudFormation), or a role of the stage under its boundary (ECS, the tasks). */
export type Caller = 'deploy role' | 'stage boundary';

/** A property mapped to the calls that carry its value: with production's value each must be denied. */
export interface Mapped {
  readonly calls: (target: StageWorld, dev: StageWorld) => Call[];
  readonly by?: Caller;
  /** Why the call is refused with dev's own value too (a feature template.yml does not use); else it must be allowed. */
  readonly refusedForDev?: string;
  /** Denial waits for another item of issue 24; the suite records it and fails once it is denied (then map it). */
  readonly pendingOn?: string;
}

/** AWS offers no condition key or resource for this value on the calls; the reason says what keeps production safe. */
export interface NoCondition {
  readonly noCondition: string;
}

/** Not a reference to another stage's resource; the reason says why. */
export interface NotAReference {
  readonly notAReference: string;
}

export type Case = Mapped | NoCondition | NotAReference;

const passRole = (role: string, service: string): Call => ({ action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': service } });

/** Dev's service, created with its own task definition and subnets, plus what a hostile property adds. */
const createService = (dev: StageWorld, context: Record<string, string | string[]> = {}, serviceArn = dev.serviceArn): Call[] => ['CreateService', 'UpdateService']
  .map(action => ({ action: `ecs:${action}`, resource: serviceArn, context: { 'ecs:task-definition': dev.taskDefinitionArn, 'ecs:subnet': dev.serviceSubnetIds, ...context } }));

const authorize = (target: StageWorld, direction: 'Ingress' | 'Egress'): Call[] => target.securityGroups.flatMap(group => [
  ...[`ec2:AuthorizeSecurityGroup${direction}`, `ec2:RevokeSecurityGroup${direction}`, 'ec2:ModifySecurityGroupRules', `ec2:UpdateSecurityGroupRuleDescriptions${direction}`]
    .map(action => ({ action, resource: group.arn, context: group.context })),
  // Or make the group the stage's first, by its tags.
  { action: 'ec2:CreateTags', resource: group.arn, context: { ...group.context, ...tags('aws:RequestTag', 'dev'), 'aws:TagKeys': ['service', 'stage'] } },
]);

const createLoadBalancer = (dev: StageWorld, subnets: string[]): Call[] => [
  { action: 'elasticloadbalancing:CreateLoadBalancer', resource: dev.loadBalancerArn, context: { 'elasticloadbalancing:Subnet': subnets, 'elasticloadbalancing:Scheme': 'internet-facing' } },
  { action: 'elasticloadbalancing:SetSubnets', resource: dev.loadBalancerArn, context: { 'elasticloadbalancing:Subnet': subnets } },
];

const OWN_RULE_ONLY = 'a rule of dev\'s own group: it opens dev\'s group to or from that source, and production\'s group admits only what its own rules say';
// "verify that the target group is not in use by a listener for any other load balancer": docs.aws.amazon.com/elasticloadbalancing/latest/application/create-target-group.html
const TARGET_GROUP_ONE_LOAD_BALANCER = 'ELB has no condition key for the target group a listener or rule forwards to; an Application Load Balancer\'s target group serves one load balancer only, so production\'s, in use by production\'s, is refused';
const NO_AUTHENTICATION_KEY = 'ELB checks no caller permission on the identity provider and has no key for it; dev\'s listener would sign in production\'s users to dev, which reads nothing of production\'s';
const KEY_POLICY = 'encrypts dev\'s own data with the key; KMS decides by production\'s key policy, which grants nothing to dev, and no production data is read';
const EVENTS_ROLE = 'the target runs with Targets[].RoleArn, and the deploy role passes roles to ECS only (iam:PassedToService), never to EventBridge';
const METRIC_QUERY_ID = 'an id within the resource\'s own metric math, not a resource';

/**
 * What each property that names a resource becomes in calls. A property of a type template.yml creates that is
 * missing here fails the suite, naming the type and the property.
 */
export const HOSTILE_CASES: Record<string, Case> = {
  'AWS::ApplicationAutoScaling::ScalableTarget ResourceId': {
    // Registering another service needs ecs:UpdateService on it: docs.aws.amazon.com/autoscaling/application/userguide/security_iam_id-based-policy-examples.html#application-auto-scaling-additional-permissions
    calls: target => [
      { action: 'ecs:UpdateService', resource: target.serviceArn },
      { action: 'application-autoscaling:RegisterScalableTarget', resource: target.scalableTarget.arn, context: target.scalableTarget.context },
    ],
  },
  'AWS::ApplicationAutoScaling::ScalableTarget RoleARN': {
    calls: target => [passRole(target.infrastructureRoleArn, 'application-autoscaling.amazonaws.com'), passRole(target.taskRoleArn, 'application-autoscaling.amazonaws.com')],
    refusedForDev: 'template.yml names no role: Application Auto Scaling uses its service-linked role, and the deploy role passes no role to it',
  },
  'AWS::ApplicationAutoScaling::ScalingPolicy PolicyName': { notAReference: 'a policy name is unique per scalable target only; ScalingTargetId/ResourceId say whose target it is' },
  'AWS::ApplicationAutoScaling::ScalingPolicy ResourceId': {
    calls: target => [{ action: 'application-autoscaling:PutScalingPolicy', resource: target.scalableTarget.arn, context: target.scalableTarget.context }],
  },
  'AWS::ApplicationAutoScaling::ScalingPolicy ScalingTargetId': {
    calls: target => ['PutScalingPolicy', 'DeleteScalingPolicy'].map(action => ({ action: `application-autoscaling:${action}`, resource: target.scalableTarget.arn, context: target.scalableTarget.context })),
  },
  'AWS::ApplicationAutoScaling::ScalingPolicy PredictiveScalingPolicyConfiguration/MetricSpecifications[]/CustomizedCapacityMetricSpecification/MetricDataQueries[]/Id': { notAReference: METRIC_QUERY_ID },
  'AWS::ApplicationAutoScaling::ScalingPolicy PredictiveScalingPolicyConfiguration/MetricSpecifications[]/CustomizedLoadMetricSpecification/MetricDataQueries[]/Id': { notAReference: METRIC_QUERY_ID },
  'AWS::ApplicationAutoScaling::ScalingPolicy PredictiveScalingPolicyConfiguration/MetricSpecifications[]/CustomizedScalingMetricSpecification/MetricDataQueries[]/Id': { notAReference: METRIC_QUERY_ID },
  'AWS::ApplicationAutoScaling::ScalingPolicy TargetTrackingScalingPolicyConfiguration/CustomizedMetricSpecification/Metrics[]/Id': { notAReference: METRIC_QUERY_ID },

  'AWS::CertificateManager::Certificate CertificateAuthorityArn': {
    calls: (target, dev) => [{ action: 'acm:RequestCertificate', resource: '*', context: { 'acm:DomainNames': [dev.domainName], 'acm:CertificateAuthority': `arn:aws:acm-pca:${REGION}:${ACCOUNT}:certificate-authority/${target.stage}-ca`, ...tags('aws:RequestTag', 'dev') } }],
    refusedForDev: 'a private certificate has no DNS validation, and the deploy role requests DNS-validated ones only (acm:ValidationMethod)',
  },
  'AWS::CertificateManager::Certificate DomainName': {
    calls: target => [{ action: 'acm:RequestCertificate', resource: '*', context: { 'acm:DomainNames': [target.domainName], 'acm:ValidationMethod': 'DNS', ...tags('aws:RequestTag', 'dev'), 'aws:TagKeys': ['service', 'stage'] } }],
  },
  'AWS::CertificateManager::Certificate DomainValidationOptions[]/HostedZoneId': {
    calls: (target, dev) => [{
      action: 'route53:ChangeResourceRecordSets',
      resource: target.hostedZoneArn,
      context: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [`_3639ac514e785e898d2646601fa951d5.${dev.domainName}`], 'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'], 'route53:ChangeResourceRecordSetsActions': ['CREATE'] },
    }],
  },
  'AWS::CertificateManager::Certificate Id': { notAReference: 'the certificate\'s own ARN, which CloudFormation returns; a template does not set it' },

  ...alarmCases(),
  'AWS::CloudWatch::Dashboard DashboardName': {
    calls: target => ['PutDashboard', 'DeleteDashboards'].map(action => ({ action: `cloudwatch:${action}`, resource: target.dashboardArn })),
  },

  'AWS::EC2::SecurityGroup GroupName': { notAReference: 'a group name is unique per VPC, so EC2 refuses production\'s in a shared VPC, and the group created is dev\'s (tagged for dev)' },
  'AWS::EC2::SecurityGroup SecurityGroupEgress[]/DestinationPrefixListId': { noCondition: OWN_RULE_ONLY },
  'AWS::EC2::SecurityGroup SecurityGroupEgress[]/DestinationSecurityGroupId': { noCondition: OWN_RULE_ONLY },
  'AWS::EC2::SecurityGroup SecurityGroupIngress[]/SourcePrefixListId': { noCondition: OWN_RULE_ONLY },
  'AWS::EC2::SecurityGroup SecurityGroupIngress[]/SourceSecurityGroupId': { noCondition: OWN_RULE_ONLY },
  'AWS::EC2::SecurityGroup SecurityGroupIngress[]/SourceSecurityGroupName': { noCondition: OWN_RULE_ONLY },
  'AWS::EC2::SecurityGroup SecurityGroupIngress[]/SourceSecurityGroupOwnerId': { noCondition: OWN_RULE_ONLY },
  'AWS::EC2::SecurityGroup VpcId': {
    calls: target => [{ action: 'ec2:CreateSecurityGroup', resource: target.vpcArn }],
  },
  'AWS::EC2::SecurityGroupEgress DestinationPrefixListId': { noCondition: OWN_RULE_ONLY },
  'AWS::EC2::SecurityGroupEgress DestinationSecurityGroupId': { noCondition: OWN_RULE_ONLY },
  'AWS::EC2::SecurityGroupEgress GroupId': { calls: target => authorize(target, 'Egress') },
  'AWS::EC2::SecurityGroupIngress GroupId': { calls: target => authorize(target, 'Ingress') },
  // A default VPC's group may be named instead of given by id; IAM authorizes the group itself either way.
  'AWS::EC2::SecurityGroupIngress GroupName': { calls: target => authorize(target, 'Ingress') },
  'AWS::EC2::SecurityGroupIngress SourcePrefixListId': { noCondition: OWN_RULE_ONLY },
  'AWS::EC2::SecurityGroupIngress SourceSecurityGroupId': { noCondition: OWN_RULE_ONLY },
  'AWS::EC2::SecurityGroupIngress SourceSecurityGroupName': { noCondition: OWN_RULE_ONLY },
  'AWS::EC2::SecurityGroupIngress SourceSecurityGroupOwnerId': { noCondition: OWN_RULE_ONLY },

  'AWS::ECS::Cluster ClusterName': {
    calls: target => ['CreateCluster', 'UpdateCluster', 'PutClusterCapacityProviders', 'DeleteCluster'].map(action => ({ action: `ecs:${action}`, resource: arn('ecs', `cluster/${target.cluster}`) })),
  },
  'AWS::ECS::Cluster Configuration/ExecuteCommandConfiguration/KmsKeyId': { noCondition: KEY_POLICY },
  'AWS::ECS::Cluster Configuration/ExecuteCommandConfiguration/LogConfiguration/S3BucketName': { noCondition: 'ECS Exec writes session logs with the task role, which the stage\'s boundary confines to the stage\'s own grants; production\'s bucket policy decides the rest' },
  'AWS::ECS::Cluster Configuration/ManagedStorageConfiguration/FargateEphemeralStorageKmsKeyId': { noCondition: KEY_POLICY },
  'AWS::ECS::Cluster Configuration/ManagedStorageConfiguration/KmsKeyId': { noCondition: KEY_POLICY },

  ...serviceCases(),
  ...taskDefinitionCases(),
  ...loadBalancingCases(),
  ...eventRuleCases(),

  'AWS::IAM::Role ManagedPolicyArns': { notAReference: 'any managed policy may be attached while the role keeps the stage\'s boundary, which caps it (containment: attach AdministratorAccess)' },
  'AWS::IAM::Role Path': {
    calls: (target, dev) => ['CreateRole', 'PutRolePolicy', 'UpdateAssumeRolePolicy'].map(action => ({ action: `iam:${action}`, resource: target.taskRoleArn, context: { 'iam:PermissionsBoundary': dev.boundaryArn } })),
  },
  'AWS::IAM::Role PermissionsBoundary': {
    calls: (target, dev) => ['CreateRole', 'PutRolePermissionsBoundary'].map(action => ({ action: `iam:${action}`, resource: dev.taskRoleArn, context: { 'iam:PermissionsBoundary': target.boundaryArn } })),
  },
  'AWS::IAM::Role RoleName': { notAReference: 'role names are unique in the account whatever the path, so IAM refuses production\'s; the role created is under dev\'s path' },

  'AWS::Logs::LogGroup KmsKeyId': { noCondition: KEY_POLICY },
  'AWS::Logs::LogGroup LogGroupName': {
    calls: target => ['CreateLogGroup', 'PutRetentionPolicy', 'DeleteLogGroup'].map(action => ({ action: `logs:${action}`, resource: target.logGroupArn })),
  },

  'AWS::Route53::RecordSet AliasTarget/HostedZoneId': { notAReference: 'the load balancer\'s canonical hosted zone, one per region, not a zone of either stage' },
  'AWS::Route53::RecordSet CidrRoutingConfig/CollectionId': { noCondition: 'Route 53 has no key for a CIDR collection; it only steers dev\'s own record' },
  'AWS::Route53::RecordSet HealthCheckId': { noCondition: 'Route 53 has no key for a health check; it only reads its status for dev\'s own record' },
  'AWS::Route53::RecordSet HostedZoneId': { calls: (target, dev) => recordChange(target.hostedZoneArn, dev.domainName) },
  'AWS::Route53::RecordSet HostedZoneName': { calls: (target, dev) => recordChange(target.hostedZoneArn, dev.domainName) },
  'AWS::Route53::RecordSet Name': { calls: target => recordChange(target.hostedZoneArn, target.domainName) },
};

function recordChange(zoneArn: string, name: string): Call[] {
  return ['CREATE', 'UPSERT', 'DELETE'].map(change => ({
    action: 'route53:ChangeResourceRecordSets',
    resource: zoneArn,
    context: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [name], 'route53:ChangeResourceRecordSetsRecordTypes': ['A'], 'route53:ChangeResourceRecordSetsActions': [change] },
  }));
}

function alarmCases(): Record<string, Case> {
  const actions = (target: StageWorld, dev: StageWorld): Call[] => [{ action: 'cloudwatch:PutMetricAlarm', resource: dev.alarmArn, context: { 'cloudwatch:AlarmActions': [target.topicArn] } }];
  // AWS documents cloudwatch:AlarmActions for the alarm actions only; production's topic policy refuses dev's alarms for the others.
  const okAndInsufficient = { noCondition: 'cloudwatch:AlarmActions covers ALARM actions only; production\'s topic policy accepts only production\'s own alarms (aws:SourceArn)' };
  return {
    'AWS::CloudWatch::Alarm AlarmActions': { calls: actions },
    'AWS::CloudWatch::Alarm OKActions': okAndInsufficient,
    'AWS::CloudWatch::Alarm InsufficientDataActions': okAndInsufficient,
    'AWS::CloudWatch::Alarm AlarmName': {
      calls: target => ['PutMetricAlarm', 'DeleteAlarms'].map(action => ({ action: `cloudwatch:${action}`, resource: target.alarmArn })),
    },
    'AWS::CloudWatch::Alarm MetricName': { notAReference: 'a metric\'s name: the alarm reads it, and its actions are what it can do' },
    'AWS::CloudWatch::Alarm Metrics[]/AccountId': { notAReference: 'the account a metric is read from, for cross-account observability; reading changes nothing' },
    'AWS::CloudWatch::Alarm Metrics[]/Id': { notAReference: METRIC_QUERY_ID },
    'AWS::CloudWatch::Alarm ThresholdMetricId': { notAReference: METRIC_QUERY_ID },
  };
}

function serviceCases(): Record<string, Case> {
  const unusedFeature = (key: string) => ({
    calls: (_target: StageWorld, dev: StageWorld) => createService(dev, { [key]: 'true' }),
    refusedForDev: `template.yml does not use it, and the deploy role creates services only without it (${key})`,
  });
  return {
    'AWS::ECS::Service Cluster': { calls: (target, dev) => createService(dev, {}, target.serviceArn) },
    'AWS::ECS::Service DeploymentConfiguration/LifecycleHooks[]/HookTargetArn': {
      calls: target => [{ action: 'lambda:InvokeFunction', resource: target.hookFunctionArn }],
      by: 'stage boundary',
      refusedForDev: 'ECS invokes the hook with the role passed in RoleArn, a role of the stage, whose boundary allows no Lambda',
    },
    'AWS::ECS::Service DeploymentConfiguration/LifecycleHooks[]/RoleArn': { calls: target => [passRole(target.infrastructureRoleArn, ECS)] },
    'AWS::ECS::Service LoadBalancers[]/AdvancedConfiguration/AlternateTargetGroupArn': {
      // ECS moves traffic and registers tasks with the infrastructure role, which carries the stage's boundary.
      calls: target => ['RegisterTargets', 'DeregisterTargets'].map(action => ({ action: `elasticloadbalancing:${action}`, resource: target.targetGroup.arn, context: target.targetGroup.context })),
      by: 'stage boundary',
    },
    'AWS::ECS::Service LoadBalancers[]/AdvancedConfiguration/RoleArn': { calls: target => [passRole(target.infrastructureRoleArn, ECS)] },
    'AWS::ECS::Service LoadBalancers[]/TargetGroupArn': {
      noCondition: 'CreateService and UpdateService have no target group key, and a rolling service\'s tasks are registered by ECS\'s service-linked role. Two VPCs: ecs:subnet keeps dev\'s tasks in dev\'s VPC, and ELB takes an IP target outside the group\'s VPC only with Availability Zone "all", which ECS does not set (nor could production\'s load balancer reach an unpeered VPC). One shared VPC gives this up: dev\'s tasks could join production\'s target group and serve its traffic',
    },
    'AWS::ECS::Service NetworkConfiguration/AwsvpcConfiguration/SecurityGroups': {
      noCondition: 'CreateService and UpdateService have no security group key. Two VPCs: EC2 puts a task\'s network interface only in groups of its subnet\'s VPC, and ecs:subnet pins dev\'s subnets, so production\'s groups are refused. One shared VPC gives this up: dev\'s tasks could wear production\'s task group and reach what admits it (a database)',
    },
    'AWS::ECS::Service NetworkConfiguration/AwsvpcConfiguration/Subnets': { calls: (target, dev) => createService(dev, { 'ecs:subnet': target.serviceSubnetIds }) },
    'AWS::ECS::Service Role': {
      calls: target => [passRole(target.taskRoleArn, ECS), passRole(target.executionRoleArn, ECS)],
      refusedForDev: 'the legacy service role is for services without awsvpc networking; the deploy role passes only the infrastructure role to ECS',
    },
    'AWS::ECS::Service ServiceConnectConfiguration/LogConfiguration/SecretOptions[]/ValueFrom': unusedFeature('ecs:enable-service-connect'),
    'AWS::ECS::Service ServiceConnectConfiguration/Services[]/Tls/IssuerCertificateAuthority/AwsPcaAuthorityArn': unusedFeature('ecs:enable-service-connect'),
    'AWS::ECS::Service ServiceConnectConfiguration/Services[]/Tls/KmsKey': unusedFeature('ecs:enable-service-connect'),
    'AWS::ECS::Service ServiceConnectConfiguration/Services[]/Tls/RoleArn': unusedFeature('ecs:enable-service-connect'),
    'AWS::ECS::Service ServiceName': { notAReference: 'a service name is unique per cluster; Cluster says whose cluster it is' },
    'AWS::ECS::Service ServiceRegistries[]/RegistryArn': {
      noCondition: 'ECS registers tasks in a Cloud Map service through its service-linked role, and CreateService has no key for the registry: a dev service could answer for production\'s discovery name. template.yml uses no Cloud Map; a team that gives production a registry should keep it out of dev\'s account',
    },
    'AWS::ECS::Service TaskDefinition': { calls: (target, dev) => createService(dev, { 'ecs:task-definition': target.taskDefinitionArn }) },
    'AWS::ECS::Service VolumeConfigurations[]/ManagedEBSVolume/KmsKeyId': unusedFeature('ecs:enable-ebs-volumes'),
    'AWS::ECS::Service VolumeConfigurations[]/ManagedEBSVolume/RoleArn': unusedFeature('ecs:enable-ebs-volumes'),
    'AWS::ECS::Service VolumeConfigurations[]/ManagedEBSVolume/SnapshotId': unusedFeature('ecs:enable-ebs-volumes'),
    'AWS::ECS::Service VpcLatticeConfigurations[]/AdvancedConfiguration/AlternateTargetGroupArn': unusedFeature('ecs:enable-vpc-lattice'),
    'AWS::ECS::Service VpcLatticeConfigurations[]/RoleArn': unusedFeature('ecs:enable-vpc-lattice'),
    'AWS::ECS::Service VpcLatticeConfigurations[]/TargetGroupArn': unusedFeature('ecs:enable-vpc-lattice'),
  };
}

function taskDefinitionCases(): Record<string, Case> {
  const secret: Mapped = {
    calls: target => [{ action: 'secretsmanager:GetSecretValue', resource: target.secretArn }],
    by: 'stage boundary',
    refusedForDev: 'this world gives dev no secrets, and the execution role reads only the secrets the stage names (containment: secrets)',
  };
  const mountedByTask = 'mounted for the task by ECS; the network decides who reaches it (two VPCs: production\'s mount points are not in dev\'s), and the task role under the stage\'s boundary for IAM-authorized access';
  return {
    'AWS::ECS::TaskDefinition ContainerDefinitions[]/LogConfiguration/SecretOptions[]/ValueFrom': secret,
    'AWS::ECS::TaskDefinition ContainerDefinitions[]/Secrets[]/ValueFrom': secret,
    'AWS::ECS::TaskDefinition ExecutionRoleArn': { calls: target => [passRole(target.executionRoleArn, ECS_TASKS)] },
    'AWS::ECS::TaskDefinition TaskRoleArn': { calls: target => [passRole(target.taskRoleArn, ECS_TASKS)] },
    'AWS::ECS::TaskDefinition Family': {
      calls: target => ['RegisterTaskDefinition', 'TagResource'].map(action => ({ action: `ecs:${action}`, resource: target.taskDefinitionArn })),
    },
    'AWS::ECS::TaskDefinition Volumes[]/EFSVolumeConfiguration/FilesystemId': {
      calls: target => [{ action: 'elasticfilesystem:ClientMount', resource: target.fileSystemArn, context: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } }],
      by: 'stage boundary',
      refusedForDev: 'template.yml mounts no file system, and the boundary allows no EFS access',
    },
    'AWS::ECS::TaskDefinition Volumes[]/EFSVolumeConfiguration/AuthorizationConfig/AccessPointId': {
      calls: target => [{ action: 'elasticfilesystem:ClientMount', resource: target.fileSystemArn, context: { 'elasticfilesystem:AccessPointArn': `${target.fileSystemArn.replace('file-system/', 'access-point/')}` } }],
      by: 'stage boundary',
      refusedForDev: 'template.yml mounts no file system, and the boundary allows no EFS access',
    },
    'AWS::ECS::TaskDefinition Volumes[]/FSxWindowsFileServerVolumeConfiguration/FileSystemId': { noCondition: `an FSx for Windows share, ${mountedByTask}; FSx authorizes by its Active Directory, not IAM` },
    'AWS::ECS::TaskDefinition Volumes[]/S3FilesVolumeConfiguration/AccessPointArn': { noCondition: `an S3 file system, ${mountedByTask}` },
    'AWS::ECS::TaskDefinition Volumes[]/S3FilesVolumeConfiguration/FileSystemArn': { noCondition: `an S3 file system, ${mountedByTask}` },
  };
}

function loadBalancingCases(): Record<string, Case> {
  const forward: NoCondition = { noCondition: TARGET_GROUP_ONE_LOAD_BALANCER };
  const signIn: NoCondition = { noCondition: NO_AUTHENTICATION_KEY };
  return {
    'AWS::ElasticLoadBalancingV2::Listener Certificates[]/CertificateArn': { noCondition: 'ELB checks no caller permission on the certificate and has no key for it; dev\'s load balancer could present production\'s name, but only production\'s own record (which dev cannot write) sends users to it' },
    'AWS::ElasticLoadBalancingV2::Listener DefaultActions[]/AuthenticateCognitoConfig/UserPoolArn': signIn,
    'AWS::ElasticLoadBalancingV2::Listener DefaultActions[]/AuthenticateCognitoConfig/UserPoolClientId': signIn,
    'AWS::ElasticLoadBalancingV2::Listener DefaultActions[]/AuthenticateOidcConfig/ClientId': signIn,
    'AWS::ElasticLoadBalancingV2::Listener DefaultActions[]/ForwardConfig/TargetGroups[]/TargetGroupArn': forward,
    'AWS::ElasticLoadBalancingV2::Listener DefaultActions[]/TargetGroupArn': forward,
    'AWS::ElasticLoadBalancingV2::Listener LoadBalancerArn': {
      calls: target => [{ action: 'elasticloadbalancing:CreateListener', resource: target.loadBalancerArn }],
    },
    'AWS::ElasticLoadBalancingV2::Listener MutualAuthentication/TrustStoreArn': { noCondition: 'ELB has no key for the trust store a listener uses; it only decides which clients dev\'s listener accepts' },
    'AWS::ElasticLoadBalancingV2::ListenerRule Actions[]/AuthenticateCognitoConfig/UserPoolArn': signIn,
    'AWS::ElasticLoadBalancingV2::ListenerRule Actions[]/AuthenticateCognitoConfig/UserPoolClientId': signIn,
    'AWS::ElasticLoadBalancingV2::ListenerRule Actions[]/AuthenticateOidcConfig/ClientId': signIn,
    'AWS::ElasticLoadBalancingV2::ListenerRule Actions[]/ForwardConfig/TargetGroups[]/TargetGroupArn': forward,
    'AWS::ElasticLoadBalancingV2::ListenerRule Actions[]/TargetGroupArn': forward,
    'AWS::ElasticLoadBalancingV2::ListenerRule ListenerArn': {
      calls: target => [{ action: 'elasticloadbalancing:CreateRule', resource: target.listenerArn }],
    },
    'AWS::ElasticLoadBalancingV2::LoadBalancer Ipv4IpamPoolId': { noCondition: 'ELB has no key for the IPAM pool; it only chooses dev\'s load balancer\'s addresses' },
    'AWS::ElasticLoadBalancingV2::LoadBalancer Name': {
      calls: target => ['CreateLoadBalancer', 'ModifyLoadBalancerAttributes', 'DeleteLoadBalancer'].map(action => ({ action: `elasticloadbalancing:${action}`, resource: target.loadBalancerArn })),
    },
    'AWS::ElasticLoadBalancingV2::LoadBalancer SecurityGroups': {
      noCondition: 'elasticloadbalancing:SecurityGroup exists, but dev\'s groups get generated ids no policy can name. Two VPCs: ELB refuses groups of another VPC, and the subnets are pinned. One shared VPC gives this up: dev\'s load balancer could wear production\'s load balancer group, which production\'s tasks admit, though it forwards only to dev\'s own target groups',
    },
    'AWS::ElasticLoadBalancingV2::LoadBalancer SubnetMappings[]/AllocationId': { noCondition: 'an Elastic IP for a network load balancer; ELB has no key for it, and an address in use by production cannot be taken' },
    'AWS::ElasticLoadBalancingV2::LoadBalancer SubnetMappings[]/SubnetId': { calls: (target, dev) => createLoadBalancer(dev, target.loadBalancerSubnetIds) },
    'AWS::ElasticLoadBalancingV2::LoadBalancer Subnets': { calls: (target, dev) => createLoadBalancer(dev, target.loadBalancerSubnetIds) },
    'AWS::ElasticLoadBalancingV2::TargetGroup Name': {
      calls: target => ['ModifyTargetGroup', 'ModifyTargetGroupAttributes', 'DeleteTargetGroup'].map(action => ({ action: `elasticloadbalancing:${action}`, resource: target.targetGroup.arn, context: target.targetGroup.context })),
    },
    'AWS::ElasticLoadBalancingV2::TargetGroup Targets[]/Id': {
      // Production's task addresses in dev's target group: CloudFormation registers them with the deploy role.
      calls: (_target, dev) => [{ action: 'elasticloadbalancing:RegisterTargets', resource: dev.targetGroup.arn, context: dev.targetGroup.context }],
      refusedForDev: 'template.yml lists no targets (ECS registers its tasks), and the deploy role registers none',
    },
    'AWS::ElasticLoadBalancingV2::TargetGroup Targets[]/QuicServerId': { notAReference: 'a QUIC server id of a target, not a resource' },
    'AWS::ElasticLoadBalancingV2::TargetGroup VpcId': {
      noCondition: 'CreateTargetGroup has no VPC key: dev may create a target group in production\'s VPC, tagged for dev; it stays empty, since ECS registers only dev\'s tasks (in dev\'s subnets, ecs:subnet) and ELB only targets in the group\'s VPC',
    },
  };
}

function eventRuleCases(): Record<string, Case> {
  const runsWithRole: Mapped = {
    calls: (target, dev) => [passRole(dev.taskRoleArn, 'events.amazonaws.com'), passRole(target.taskRoleArn, 'events.amazonaws.com')],
    refusedForDev: EVENTS_ROLE,
  };
  return {
    'AWS::Events::Rule EventBusName': {
      calls: (target, dev) => [{ action: 'events:PutRule', resource: arn('events', `rule/${target.eventBusName === 'default' ? '' : `${target.eventBusName}/`}${dev.ruleArn.split('/').pop()}`) }],
    },
    'AWS::Events::Rule Name': {
      calls: target => ['PutRule', 'PutTargets', 'DeleteRule'].map(action => ({ action: `events:${action}`, resource: target.ruleArn })),
    },
    'AWS::Events::Rule RoleArn': runsWithRole,
    'AWS::Events::Rule Targets[]/RoleArn': runsWithRole,
    'AWS::Events::Rule Targets[]/Arn': {
      calls: (target, dev) => [{ action: 'events:PutTargets', resource: dev.ruleArn, context: { 'events:TargetArn': [target.topicArn] } }],
    },
    'AWS::Events::Rule Targets[]/DeadLetterConfig/Arn': { noCondition: 'events:TargetArn names the target, not its dead-letter queue; EventBridge sends to the queue as its resource policy allows' },
    'AWS::Events::Rule Targets[]/EcsParameters/NetworkConfiguration/AwsVpcConfiguration/SecurityGroups': runsWithRole,
    'AWS::Events::Rule Targets[]/EcsParameters/NetworkConfiguration/AwsVpcConfiguration/Subnets': runsWithRole,
    'AWS::Events::Rule Targets[]/EcsParameters/TaskDefinitionArn': runsWithRole,
    'AWS::Events::Rule Targets[]/RedshiftDataParameters/SecretManagerArn': runsWithRole,
    'AWS::Events::Rule Targets[]/EcsParameters/ReferenceId': { notAReference: 'a free-form reference id EventBridge passes to RunTask' },
    'AWS::Events::Rule Targets[]/Id': { notAReference: 'the target\'s id within the rule' },
    'AWS::Events::Rule Targets[]/SqsParameters/MessageGroupId': { notAReference: 'a FIFO message group id, not a resource' },
  };
}
