import { Aws, PhysicalName } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { StageDomain, stageDomainGrants } from './domain-permissions';
import { acknowledgeWildcards, ANY_RESOURCE, arn, Arn, Grant, packBySize, toStatements } from './grant';
import { stageMonitoringGrants } from './monitoring-permissions';
import { stageNetworkGrants } from './network-permissions';
import { OWN_ENVIRONMENT_GRANTS, platformDeploymentGrants, platformTrafficShiftingBoundaryGrants, PlatformStageValues, readPlatformStage } from './platform-permissions';
import { stageSubnetIds } from './stage-network';
import { ownTagsOnly } from './tag-limits';
import { EXECUTE_COMMAND_CHANNEL_ACTIONS, EXECUTE_COMMAND_LOG_ACTIONS, infrastructureRolePath, logGroupPrefix, permissionsBoundaryName, release1LogGroupName, rolePath, STAGE_TAG, stackName, stageTagConditions } from '../contract';
import { EXTRA_RESOURCE_TYPES, extraDeployActions, extraResourcePrefix } from '../extra-resource-types';
import { SecretSettings, TaskSubnets } from '../options';
import { secretAccess, secretAccessStatements } from '../secret-access';

/**
 * The only actions any role of the pipeline may be granted on `Resource: "*"`,
 * each because AWS offers no resource-level permission for it (checked by test).
 */
export const UNSCOPED_ACTIONS: Readonly<Record<string, string>> = {
  'ecr:GetAuthorizationToken': 'docker login to ECR; the token is account-wide, not per repository',
  'ecs:DescribeTaskDefinition': 'read-only; ECS supports no resource-level permission for it',
  'ec2:Describe*': 'read-only; EC2 Describe calls support no resource-level permission',
  'elasticloadbalancing:Describe*': 'read-only; ELB Describe calls support no resource-level permission',
  'application-autoscaling:Describe*': 'read-only; Application Auto Scaling Describe calls support no resource-level permission',
  'logs:DescribeLogGroups': 'read-only list call; CloudFormation reads the log group back after creating it',
  'logs:DescribeResourcePolicies': 'read-only list call; the log group\'s handlers read the account\'s log resource policies',
  'logs:DescribeIndexPolicies': 'read-only list call; the log group\'s handlers read its field index policies',
  'route53:ListHostedZones': 'read-only list call; the record set\'s handlers find the zone with it; only with a domain',
  'acm:RequestCertificate': 'ACM defines no resource for it; only with conditions naming the stage\'s own domain (acm:DomainNames), DNS validation and the stage\'s tags',
  ...Object.fromEntries(EXECUTE_COMMAND_CHANNEL_ACTIONS.map(action => [action, 'ECS Exec\'s Session Manager channel; Session Manager defines no resource for it (only in the boundary, for the task role)'])),
};

/** The ECS and ELB service-linked roles CloudFormation may have to create on first use in an account. */
const SERVICE_LINKED_ROLES: ReadonlyArray<{ service: string; roleName: string }> = [
  { service: 'ecs.amazonaws.com', roleName: 'AWSServiceRoleForECS' },
  { service: 'elasticloadbalancing.amazonaws.com', roleName: 'AWSServiceRoleForElasticLoadBalancing' },
  { service: 'ecs.application-autoscaling.amazonaws.com', roleName: 'AWSServiceRoleForApplicationAutoScaling_ECSService' },
];

/** Where the task's containers run; the only service the template's roles may be passed to. */
const ECS_TASKS_SERVICE = 'ecs-tasks.amazonaws.com';

/** ECS itself, which assumes the stage's infrastructure role to move traffic in a blue/green, canary or linear release. */
const ECS_SERVICE = 'ecs.amazonaws.com';

/** Actions of UNSCOPED_ACTIONS that other statements grant with their own conditions (a domain, a login, the tasks' ECS Exec channel). */
const UNSCOPED_ELSEWHERE = ['ecr:', 'acm:', 'route53:', 'ssmmessages:'];

/** Services whose actions the boundary never allows, whatever a user adds: a task must not change identities. */
const NEVER_IN_BOUNDARY = ['iam', 'sts'];

/** What a stage's permissions are made from. */
export interface StagePermissionsOptions {
  readonly serviceName: string;
  readonly stage: string;
  /** The stage's own network; none for a stage on a platform. */
  readonly vpc?: ec2.IVpc;
  /** The platform the service joins (`platformName`): the role is scoped to the service's own part of it. */
  readonly platformName?: string;
  /** Which of the VPC's subnets the stage's tasks run in, and so whether they get public IPs; the platform's own choice on a platform. */
  readonly taskSubnets?: TaskSubnets;
  /** The repository the stage's tasks pull the image from. */
  readonly repository: ecr.IRepository;
  /** What the stage's tasks may do beyond pulling the image and writing logs (never IAM or STS). */
  readonly taskPermissions: iam.PolicyStatement[];
  /** The stage's own domain: the role may create its certificate and records of that name only. */
  readonly domain?: StageDomain;
  /** The stage's secrets, which its execution role may read; no other secret. */
  readonly secrets: { [name: string]: SecretSettings };
  /** Resource types beyond template.yml's own (`extraResourceTypes`), which the role may manage under the stage's names. */
  readonly extraResourceTypes?: string[];
}

/** A stage's deploy role and the permissions boundary every role its template creates must carry. */
export interface StagePermissions {
  readonly deploymentRole: iam.Role;
  readonly permissionsBoundary: iam.ManagedPolicy;
}

/**
 * Creates a stage's permissions boundary and its CloudFormation deployment
 * role. The role may create, update and delete exactly the resources of that
 * stage's `template.yml` (cluster, task definition, service, load balancer,
 * target group, security groups, log group, autoscaling) and roles under the
 * stage's IAM path that carry the boundary, and pass those only to ECS tasks.
 * Each wildcard it holds is acknowledged for cdk-nag with the reason it
 * cannot be narrower. On a platform (`platformName`) the cluster, load
 * balancer and listeners are the platform's, and the role reaches only the
 * service's own part of them (platform-permissions.ts).
 */
export function createStagePermissions(scope: Construct, options: StagePermissionsOptions): StagePermissions {
  const { serviceName, stage } = options;
  const platform = options.platformName !== undefined ? readPlatformStage(scope, options.platformName, stage) : undefined;
  if (!platform && !options.vpc) {
    throw new Error(`the permissions of stage "${stage}" need its vpc or the platformName it runs on.`);
  }
  const boundaryGrants = permissionsBoundaryGrants(scope, options, platform);
  const permissionsBoundary = new iam.ManagedPolicy(scope, 'PermissionsBoundary', {
    managedPolicyName: permissionsBoundaryName(serviceName, stage),
    path: rolePath(serviceName, stage),
    description: `The most any role of ${stackName(serviceName, stage)} may do: pull its image, write its logs, and what taskPermissions add; never IAM or STS.`,
    statements: [...toStatements(boundaryGrants), ...options.taskPermissions],
  });
  acknowledgeWildcards(permissionsBoundary, boundaryGrants);

  const deployGrants = ownTagsOnly(stageDeploymentGrants(scope, options, permissionsBoundary.managedPolicyArn, platform), serviceName, stage);
  const deploymentRole = new iam.Role(scope, 'DeploymentRole', {
    // A name the pipeline can refer to from another account.
    roleName: PhysicalName.GENERATE_IF_NEEDED,
    assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com'),
    description: `CloudFormation deploys ${stackName(serviceName, stage)} with this role`,
  });
  // IAM caps a role's inline policies at 10,240 characters in all and a managed policy at 6,144; the grants are
  // about 13,000, so they go into managed policies of the role, packed by size (IAM quotas page).
  packBySize(scope, deployGrants).forEach((grants, index) => {
    const policy = new iam.ManagedPolicy(scope, `DeployPolicy${index + 1}`, {
      description: `Part ${index + 1} of what CloudFormation may do deploying ${stackName(serviceName, stage)}`,
      statements: toStatements(grants),
      roles: [deploymentRole],
    });
    acknowledgeWildcards(policy, grants);
  });
  return { deploymentRole, permissionsBoundary };
}

/**
 * Refuses task permissions the boundary would deny anyway, so the mistake is
 * seen at synth instead of as AccessDenied in a running task.
 */
export function validateTaskPermissions(option: string, statements: iam.PolicyStatement[]): void {
  if (!Array.isArray(statements) || statements.some(statement => !(statement instanceof iam.PolicyStatement))) {
    throw new Error(`${option} is not allowed: give a list of iam.PolicyStatement, e.g. [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::my-bucket/*'] })].`);
  }
  for (const statement of statements) {
    const forbidden = statement.actions.filter(action => NEVER_IN_BOUNDARY.some(service => actionMatchesService(action, service)));
    if (forbidden.length > 0 || statement.notActions.length > 0 || statement.effect !== iam.Effect.ALLOW) {
      const shown = forbidden.length > 0 ? forbidden : statement.notActions.length > 0 ? statement.notActions : [statement.effect];
      throw new Error(`${option} ${JSON.stringify(shown)} is not allowed: a task may be given Allow statements with actions of any service but ${NEVER_IN_BOUNDARY.join(' and ')} (listed with "actions", not "notActions"); the permissions boundary denies those to every role of the stage.`);
    }
  }
}

/** Whether an action pattern such as `i*:*` or `*` could name an action of `service`. */
function actionMatchesService(action: string, service: string): boolean {
  const servicePart = action.includes(':') ? action.slice(0, action.indexOf(':')) : action;
  const pattern = new RegExp(`^${servicePart.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return pattern.test(service);
}

/**
 * The stage's log groups, `/ecs/<service>/<stage>/<stack id>`, and the one release 1.0 named `/ecs/<service>/<stage>`
 * (a stage it created keeps it), with their streams, as IAM resources.
 */
function stageLogGroups(serviceName: string, stage: string): Arn[] {
  const release1 = release1LogGroupName(serviceName, stage);
  return [arn('logs', `log-group:${logGroupPrefix(serviceName, stage)}*`), arn('logs', `log-group:${release1}`), arn('logs', `log-group:${release1}:*`)];
}

/** What the task and execution roles of the stage need, and the denial no added statement can lift. */
function permissionsBoundaryGrants(scope: Construct, options: StagePermissionsOptions, platform?: PlatformStageValues): Grant[] {
  const { serviceName, stage, repository } = options;
  const logGroups = stageLogGroups(serviceName, stage);
  return [
    {
      sid: 'PullServiceImage',
      why: 'Only the service\'s own repository.',
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      resources: [{ value: repository.repositoryArn, nagName: repository.repositoryArn }],
    },
    {
      sid: 'EcrLogin',
      why: 'ecr:GetAuthorizationToken (docker login) only, which AWS supports on no narrower resource.',
      actions: ['ecr:GetAuthorizationToken'],
      resources: [ANY_RESOURCE],
    },
    {
      sid: 'WriteStageLogs',
      why: `Only the stage's log groups ${logGroupPrefix(serviceName, stage)}<stack id> (or release 1.0's name) and their streams; the stack id is generated.`,
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: logGroups,
    },
    ...(platform ? platformTrafficShiftingBoundaryGrants(scope, serviceName, stage, platform) : trafficShiftingBoundaryGrants(options)),
    ...secretBoundaryGrants(options),
    ...extraResourceGrants(options, 'task'),
    {
      sid: 'ExecuteCommandSessions',
      why: 'ECS Exec into the stage\'s tasks (where its template enables it): Session Manager\'s channels and logs:DescribeLogGroups support no narrower resource; the session log is ExecuteCommandSessionLog.',
      actions: [...EXECUTE_COMMAND_CHANNEL_ACTIONS, 'logs:DescribeLogGroups'],
      resources: [ANY_RESOURCE],
    },
    {
      sid: 'ExecuteCommandSessionLog',
      why: `Only the stage's log groups ${logGroupPrefix(serviceName, stage)}<stack id> (or release 1.0's name), where ECS Exec writes each session; the stack id is generated.`,
      actions: EXECUTE_COMMAND_LOG_ACTIONS,
      resources: logGroups,
    },
    {
      sid: 'NeverIdentities',
      why: 'A denial, not a grant.',
      effect: iam.Effect.DENY,
      actions: NEVER_IN_BOUNDARY.map(service => `${service}:*`),
      resources: [ANY_RESOURCE],
    },
  ];
}

function stageDeploymentGrants(
  scope: Construct, options: StagePermissionsOptions, permissionsBoundaryArn: string, platform?: PlatformStageValues,
): Grant[] {
  const { serviceName, stage } = options;
  const network = platform
    ? { vpcId: platform.vpcId }
    : { vpcId: options.vpc!.vpcId, loadBalancerSubnetIds: stageSubnetIds(options.vpc!).loadBalancer };
  // template.yml names its cluster, service, load balancer and task definition family like the stack.
  const name = stackName(serviceName, stage);
  const stageRoles = arn('iam', `role${rolePath(serviceName, stage)}*`, false);
  const logGroups = stageLogGroups(serviceName, stage);
  const taskDefinitions = arn('ecs', `task-definition/${name}:*`);
  const stageTags = (key: 'aws:RequestTag' | 'aws:ResourceTag') => ({ StringEquals: stageTagConditions(key, serviceName, stage) });
  const withBoundary = { StringEquals: { 'iam:PermissionsBoundary': permissionsBoundaryArn } };
  // A resource that already carries a stage tag must carry this stage's; a new one carries none yet.
  const ownIfTagged = { StringEqualsIfExists: stageTags('aws:ResourceTag').StringEquals };
  const unscoped = Object.keys(UNSCOPED_ACTIONS).filter(action => !UNSCOPED_ELSEWHERE.some(service => action.startsWith(service)));

  const grants: Grant[] = [
    {
      sid: 'Unscoped',
      why: `Only read-only actions AWS supports on no narrower resource: ${unscoped.join(', ')}.`,
      actions: unscoped,
      resources: [ANY_RESOURCE],
    },
    {
      sid: 'TaskDefinitions',
      why: `Only revisions of the stage's own task definition family ${name}; each deployment adds a revision number.`,
      actions: ['ecs:RegisterTaskDefinition', 'ecs:TagResource', 'ecs:UntagResource', 'ecs:ListTagsForResource'],
      resources: [taskDefinitions],
    },
    {
      sid: 'Cluster',
      why: 'Only the stage\'s own cluster, named exactly.',
      actions: [
        'ecs:CreateCluster',
        'ecs:DeleteCluster',
        'ecs:DescribeClusters',
        'ecs:UpdateCluster',
        'ecs:UpdateClusterSettings',
        'ecs:PutClusterCapacityProviders',
        'ecs:TagResource',
        'ecs:UntagResource',
        'ecs:ListTagsForResource',
      ],
      resources: [arn('ecs', `cluster/${name}`)],
    },
    {
      sid: 'Service',
      why: `Only ECS services, deployments and revisions inside the stage's own cluster ${name}; their ids are generated.`,
      actions: [
        'ecs:DeleteService',
        'ecs:DescribeServices',
        // The service's handlers follow and, on an update, stop its deployments (AWS::ECS::Service's registry schema).
        'ecs:ListServiceDeployments',
        'ecs:DescribeServiceDeployments',
        'ecs:StopServiceDeployment',
        'ecs:DescribeServiceRevisions',
        'ecs:TagResource',
        'ecs:UntagResource',
        'ecs:ListTagsForResource',
      ],
      resources: [
        arn('ecs', `service/${name}/*`),
        arn('ecs', `service-deployment/${name}/*`),
        arn('ecs', `service-revision/${name}/*`),
      ],
    },
    {
      sid: 'ServiceRunsStageTaskDefinition',
      why: `Only ECS services in the stage's own cluster ${name}, only with the stage's own task definition family (ecs:task-definition), only in the stage's own task subnets (ecs:subnet), with a public IP per task exactly where the stage's tasks run in public subnets (ecs:auto-assign-public-ip), and without Service Connect, VPC Lattice or EBS volumes.`,
      actions: ['ecs:CreateService', 'ecs:UpdateService'],
      resources: [arn('ecs', `service/${name}/*`)],
      conditions: {
        'ArnLikeIfExists': { 'ecs:task-definition': taskDefinitions.value },
        // The Service Authorization Reference gives CreateService and UpdateService ecs:subnet but no key for security groups or target groups.
        'ForAllValues:StringEquals': { 'ecs:subnet': platform ? platform.serviceSubnetIds : stageSubnetIds(options.vpc!, options.taskSubnets).service },
        // On a platform its subnets decide: tasks may run only in the ones it publishes, public or private.
        ...(platform ? {} : { BoolIfExists: { 'ecs:auto-assign-public-ip': String(options.taskSubnets === TaskSubnets.PUBLIC) } }),
        // template.yml uses none of these, each would reach a resource by a role or registry no key pins to the stage; String-typed keys.
        'StringEqualsIfExists': { 'ecs:enable-service-connect': 'false', 'ecs:enable-vpc-lattice': 'false', 'ecs:enable-ebs-volumes': 'false' },
      },
    },
    {
      sid: 'LoadBalancer',
      why: `Only the stage's own load balancer and its listeners named ${name}; AWS appends a generated id to their ARNs.`,
      actions: [
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
        'elasticloadbalancing:AddTags',
        'elasticloadbalancing:RemoveTags',
      ],
      resources: [
        arn('elasticloadbalancing', `loadbalancer/app/${name}/*`),
        arn('elasticloadbalancing', `listener/app/${name}/*`),
      ],
    },
    {
      sid: 'CreateTargetGroupTaggedForStage',
      why: `Target group names are generated so a port change can replace one; the ${STAGE_TAG.service}/${STAGE_TAG.stage} tags template.yml sets at creation scope them to this stage.`,
      actions: ['elasticloadbalancing:CreateTargetGroup'],
      resources: [arn('elasticloadbalancing', 'targetgroup/*/*')],
      conditions: stageTags('aws:RequestTag'),
    },
    {
      // ELB authorizes the tags of a CreateTargetGroup as AddTags with elasticloadbalancing:CreateAction
      // (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/tagging-resources-during-creation.html).
      sid: 'TagTargetGroupAtCreation',
      why: `Target group names are generated; only the ${STAGE_TAG.service}/${STAGE_TAG.stage} tags of this stage, and only in the CreateTargetGroup call itself.`,
      actions: ['elasticloadbalancing:AddTags'],
      resources: [arn('elasticloadbalancing', 'targetgroup/*/*')],
      conditions: { StringEquals: { ...stageTags('aws:RequestTag').StringEquals, 'elasticloadbalancing:CreateAction': 'CreateTargetGroup' } },
    },
    {
      sid: 'ChangeTargetGroupTaggedForStage',
      why: `Target group names are generated; only groups tagged ${STAGE_TAG.service}=${serviceName} and ${STAGE_TAG.stage}=${stage} may change.`,
      actions: [
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:AddTags',
        'elasticloadbalancing:RemoveTags',
      ],
      resources: [arn('elasticloadbalancing', 'targetgroup/*/*')],
      conditions: stageTags('aws:ResourceTag'),
    },
    ...stageNetworkGrants(serviceName, stage, network, arn),
    {
      sid: 'LogGroup',
      why: `Only the stage's own log groups ${logGroupPrefix(serviceName, stage)}<stack id> (or release 1.0's name); the stack id is generated, and ":*" is how IAM names a log group's streams.`,
      actions: [
        'logs:CreateLogGroup',
        'logs:DeleteLogGroup',
        'logs:PutRetentionPolicy',
        'logs:DeleteRetentionPolicy',
        'logs:GetDataProtectionPolicy',
        'logs:TagResource',
        'logs:UntagResource',
        'logs:TagLogGroup',
        'logs:UntagLogGroup',
        'logs:ListTagsForResource',
        'logs:ListTagsLogGroup',
      ],
      resources: logGroups,
    },
    {
      // Application Auto Scaling has no CreateAction key: a target another stage's tags already mark stays out of reach.
      sid: 'CreateScalableTargetTaggedForStage',
      why: `Scalable targets get a generated id; the ${STAGE_TAG.service}/${STAGE_TAG.stage} tags template.yml sets at creation scope them to this stage, and a target tagged for another stage may not be registered or tagged again.`,
      actions: ['application-autoscaling:RegisterScalableTarget', 'application-autoscaling:TagResource'],
      resources: [arn('application-autoscaling', 'scalable-target/*')],
      conditions: { ...stageTags('aws:RequestTag'), ...ownIfTagged },
    },
    {
      sid: 'ChangeScalableTargetTaggedForStage',
      why: `Scalable targets get a generated id; only targets tagged ${STAGE_TAG.service}=${serviceName} and ${STAGE_TAG.stage}=${stage} may change.`,
      actions: [
        'application-autoscaling:RegisterScalableTarget',
        'application-autoscaling:DeregisterScalableTarget',
        'application-autoscaling:PutScalingPolicy',
        'application-autoscaling:DeleteScalingPolicy',
        'application-autoscaling:TagResource',
        'application-autoscaling:UntagResource',
        'application-autoscaling:ListTagsForResource',
      ],
      resources: [arn('application-autoscaling', 'scalable-target/*')],
      conditions: stageTags('aws:ResourceTag'),
    },
    {
      sid: 'AutoscalingAlarms',
      why: `Only the target-tracking alarms of the stage's own service; Application Auto Scaling names them TargetTracking-service/${name}/<service>-Alarm<High|Low>-<uuid>.`,
      actions: ['cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms'],
      resources: [arn('cloudwatch', `alarm:TargetTracking-service/${name}/*`)],
    },
    {
      sid: 'AutoscalingAlarmsScaleStageService',
      why: 'Only the target-tracking alarms of the stage\'s own service, and only with the scaling policies of that service as their actions (cloudwatch:AlarmActions).',
      actions: ['cloudwatch:PutMetricAlarm'],
      resources: [arn('cloudwatch', `alarm:TargetTracking-service/${name}/*`)],
      conditions: { 'ForAllValues:ArnLike': { 'cloudwatch:AlarmActions': [arn('autoscaling', `scalingPolicy:*:resource/ecs/service/${name}/*`).value] } },
    },
    ...stageMonitoringGrants(serviceName, stage, arn),
    ...(options.domain ? stageDomainGrants(serviceName, stage, options.domain, arn) : []),
    {
      sid: 'StageRolesWithBoundary',
      why: `Only roles under the stage's IAM path ${rolePath(serviceName, stage)} (names are generated), and only while they carry the stage's permissions boundary.`,
      actions: [
        'iam:CreateRole',
        'iam:PutRolePermissionsBoundary',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:AttachRolePolicy',
        'iam:DetachRolePolicy',
        'iam:UpdateAssumeRolePolicy',
      ],
      resources: [stageRoles],
      conditions: withBoundary,
    },
    {
      sid: 'StageRoles',
      why: `Only roles under the stage's IAM path ${rolePath(serviceName, stage)}, where template.yml creates its task and execution roles with generated names.`,
      actions: [
        'iam:GetRole',
        'iam:DeleteRole',
        'iam:UpdateRole',
        'iam:UpdateRoleDescription',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:ListRoleTags',
        'iam:GetRolePolicy',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
      ],
      resources: [stageRoles],
    },
    {
      sid: 'DeleteRelease1TaskRoles',
      why: `Only deletion of the task and execution roles release 1.0 created under /${serviceName}/ for this stage's stack (CloudFormation named them ${name}-TaskRole-* and ${name}-TaskExecutionRole-*), which an upgrade replaces.`,
      // The role schema's delete handler lists the tagging calls too.
      actions: ['iam:GetRole', 'iam:DeleteRole', 'iam:DeleteRolePolicy', 'iam:DetachRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:TagRole', 'iam:UntagRole'],
      resources: ['TaskRole', 'TaskExecutionRole'].map(role => arn('iam', `role/${serviceName}/${name}-${role}-*`, false)),
    },
    {
      sid: 'KeepBoundaries',
      why: 'A denial, not a grant.',
      effect: iam.Effect.DENY,
      actions: ['iam:DeleteRolePermissionsBoundary', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion'],
      resources: [ANY_RESOURCE],
    },
    {
      sid: 'PassStageRolesToEcsTasks',
      why: `Only roles under ${rolePath(serviceName, stage)}, and only to ECS tasks (iam:PassedToService).`,
      actions: ['iam:PassRole'],
      resources: [stageRoles],
      conditions: { StringEquals: { 'iam:PassedToService': ECS_TASKS_SERVICE } },
    },
    {
      sid: 'ServiceLinkedRoles',
      why: 'Only the ECS, ELB and ECS autoscaling service-linked roles, on first use in the account.',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: SERVICE_LINKED_ROLES.map(({ service, roleName }) => arn('iam', `role/aws-service-role/${service}/${roleName}`, false)),
      conditions: { StringEquals: { 'iam:AWSServiceName': SERVICE_LINKED_ROLES.map(({ service }) => service) } },
    },
    ...trafficShiftingDeploymentGrants(options),
    ...extraResourceGrants(options, 'deploy'),
  ];
  // On a platform the service's own cluster, load balancer and listeners give way to its part of the platform's.
  return platform
    ? [
      ...grants.filter(grant => !OWN_ENVIRONMENT_GRANTS.includes(grant.sid)),
      ...platformDeploymentGrants(scope, serviceName, stage, options.platformName!, platform, taskDefinitions),
    ]
    : grants;
}

/**
 * The `extraResourceTypes` on the stage's own resources (named `<service>-<stage>-...`, and not tagged for
 * another service or stage): their handler permissions for the deploy role, or what the tasks may do with them
 * for the boundary (template.yml's task role gets the same statement).
 */
function extraResourceGrants(options: StagePermissionsOptions, who: 'deploy' | 'task'): Grant[] {
  const { serviceName, stage } = options;
  const prefix = extraResourcePrefix(stackName(serviceName, stage));
  const stageTags = (key: 'aws:RequestTag' | 'aws:ResourceTag') => stageTagConditions(key, serviceName, stage);
  return (options.extraResourceTypes ?? []).flatMap(type => {
    const extra = EXTRA_RESOURCE_TYPES[type];
    const name = type.split('::').slice(1).join('');
    const resources = extra.resourceNames(prefix).map(resourceName => arn(extra.service, resourceName));
    const actions = who === 'deploy' ? extraDeployActions(type) : extra.taskActions;
    const tagged = `${STAGE_TAG.service}=${serviceName} and ${STAGE_TAG.stage}=${stage}`;
    const change: Grant = {
      sid: `${who === 'deploy' ? 'Extra' : 'TasksUseExtra'}${name}`,
      why: `Only the stage's own ${type} resources: named ${prefix}<logical id>-<generated id> by CloudFormation (extraResourceTypes) and tagged ${tagged}.`,
      actions,
      resources,
      conditions: { StringEquals: stageTags('aws:ResourceTag') },
    };
    if (who === 'task') {
      return [change];
    }
    // A create (or its tagging) carries the tags template.yml gives the resource; one tagged for another stage stays out of reach.
    return [change, {
      sid: `Create${name}TaggedForStage`,
      why: `${type} resources the stage creates, requesting the tags ${tagged}, and none already tagged for another service or stage.`,
      actions,
      resources,
      conditions: { StringEquals: stageTags('aws:RequestTag'), StringEqualsIfExists: stageTags('aws:ResourceTag') },
    }];
  });
}

/**
 * What ECS's infrastructure role may do in a blue/green, canary or linear release, as the boundary's cap: move
 * the weights of the stage's own listener rules and register tasks in its own target groups.
 */
function trafficShiftingBoundaryGrants(options: StagePermissionsOptions): Grant[] {
  const { serviceName, stage } = options;
  const name = stackName(serviceName, stage);
  return [
    {
      sid: 'EcsReadsLoadBalancing',
      why: 'Read-only Elastic Load Balancing Describe calls (the listeners, rules, target groups and target health ECS reads), which support no resource-level permission.',
      actions: ['elasticloadbalancing:Describe*'],
      resources: [ANY_RESOURCE],
    },
    {
      sid: 'EcsShiftsStageTraffic',
      why: `Only the listeners and listener rules of the stage's own load balancer ${name}; AWS appends generated ids to their ARNs.`,
      actions: ['elasticloadbalancing:ModifyListener', 'elasticloadbalancing:ModifyRule'],
      resources: [arn('elasticloadbalancing', `listener/app/${name}/*`), arn('elasticloadbalancing', `listener-rule/app/${name}/*`)],
    },
    {
      sid: 'EcsRegistersTasksInStageTargetGroups',
      why: `Target group names are generated; only groups tagged ${STAGE_TAG.service}=${serviceName} and ${STAGE_TAG.stage}=${stage}.`,
      actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
      resources: [arn('elasticloadbalancing', 'targetgroup/*/*')],
      conditions: { StringEquals: { [`aws:ResourceTag/${STAGE_TAG.service}`]: serviceName, [`aws:ResourceTag/${STAGE_TAG.stage}`]: stage } },
    },
  ];
}

/**
 * What the stage's deploy role needs beyond a rolling stack for the traffic-shifting strategies: the listener
 * rules on its own load balancer (the test listener and the second target group are covered by the load
 * balancer and tagged target group statements), and passing the infrastructure role to ECS only.
 */
function trafficShiftingDeploymentGrants(options: StagePermissionsOptions): Grant[] {
  const { serviceName, stage } = options;
  const name = stackName(serviceName, stage);
  return [
    {
      sid: 'ListenerRules',
      why: `Only listener rules on the listeners of the stage's own load balancer ${name}; AWS appends generated ids to their ARNs.`,
      actions: [
        'elasticloadbalancing:CreateRule',
        'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:DeleteRule',
        'elasticloadbalancing:SetRulePriorities',
        'elasticloadbalancing:AddTags',
        'elasticloadbalancing:RemoveTags',
      ],
      resources: [arn('elasticloadbalancing', `listener/app/${name}/*`), arn('elasticloadbalancing', `listener-rule/app/${name}/*`)],
    },
    {
      sid: 'PassInfrastructureRoleToEcs',
      why: `Only roles under ${infrastructureRolePath(serviceName, stage)}, and only to ECS itself (iam:PassedToService), which moves the stage's traffic with it.`,
      actions: ['iam:PassRole'],
      resources: [arn('iam', `role${infrastructureRolePath(serviceName, stage)}*`, false)],
      conditions: { StringEquals: { 'iam:PassedToService': ECS_SERVICE } },
    },
  ];
}

/** Exactly the stage's secrets, as its template's execution role reads them (secret-access.ts writes both). */
function secretBoundaryGrants(options: StagePermissionsOptions): Grant[] {
  const tokens = secretAccess(options.secrets, { partition: Aws.PARTITION, region: Aws.REGION, account: Aws.ACCOUNT_ID });
  const names = secretAccess(options.secrets, { partition: '<AWS::Partition>', region: '<AWS::Region>', account: '<AWS::AccountId>' });
  const arns = (values: string[], nagNames: string[]) => values.map((value, index) => ({ value, nagName: nagNames[index] }));
  const why = 'Only the stage\'s own secrets from .projenrc.ts.';
  return secretAccessStatements(tokens).map((statement, index) => {
    const named = secretAccessStatements(names)[index];
    return {
      sid: statement.Sid as string,
      why,
      actions: [statement.Action as string],
      resources: arns(statement.Resource as string[], named.Resource as string[]),
      ...(statement.Condition ? { conditions: statement.Condition as { [operator: string]: unknown } } : {}),
    };
  });
}
