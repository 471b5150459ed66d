import { Aws, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { rolePath, stackName, TARGET_GROUP_TAG } from '../contract';

/**
 * The only actions any role of the pipeline may be granted on `Resource: "*"`,
 * each because AWS offers no resource-level permission for it (checked by test).
 */
export const UNSCOPED_ACTIONS: Readonly<Record<string, string>> = {
  'ecr:GetAuthorizationToken': 'docker login to ECR; the token is account-wide, not per repository',
  'ecs:RegisterTaskDefinition': 'task definition revisions have no ARN before they exist',
  'ecs:DeregisterTaskDefinition': 'ECS supports no resource-level permission for it',
  'ecs:DescribeTaskDefinition': 'ECS supports no resource-level permission for it',
  'ec2:Describe*': 'read-only; EC2 Describe calls support no resource-level permission',
  'elasticloadbalancing:Describe*': 'read-only; ELB Describe calls support no resource-level permission',
  'application-autoscaling:Describe*': 'read-only; Application Auto Scaling Describe calls support no resource-level permission',
  'cloudwatch:DescribeAlarms': 'read-only; autoscaling looks its alarms up before changing them',
  'logs:DescribeLogGroups': 'read-only list call; CloudFormation reads the log group back after creating it',
};

/** The ECS and ELB service-linked roles CloudFormation may have to create on first use in an account. */
const SERVICE_LINKED_ROLES: ReadonlyArray<{ service: string; roleName: string }> = [
  { service: 'ecs.amazonaws.com', roleName: 'AWSServiceRoleForECS' },
  { service: 'elasticloadbalancing.amazonaws.com', roleName: 'AWSServiceRoleForElasticLoadBalancing' },
  { service: 'ecs.application-autoscaling.amazonaws.com', roleName: 'AWSServiceRoleForApplicationAutoScaling_ECSService' },
];

/** Where the task's containers run; the only service the template's roles may be passed to. */
const ECS_TASKS_SERVICE = 'ecs-tasks.amazonaws.com';

/** An ARN as CloudFormation gets it and as cdk-nag names it in a finding. */
interface Arn {
  readonly value: string;
  readonly nagName: string;
}

/** An ARN in the deploying account and region; `region` is false for global services (IAM). */
function arn(service: string, resource: string, region = true): Arn {
  const render = (partition: string, regionName: string, account: string) =>
    `arn:${partition}:${service}:${region ? regionName : ''}:${account}:${resource}`;
  return {
    value: render(Aws.PARTITION, Aws.REGION, Aws.ACCOUNT_ID),
    nagName: render('<AWS::Partition>', '<AWS::Region>', '<AWS::AccountId>'),
  };
}

const ANY_RESOURCE: Arn = { value: '*', nagName: '*' };

/** One statement of the deployment role, with why it is as wide as it is. */
interface Grant {
  readonly sid: string;
  /** Why the resources (and wildcard actions) cannot be narrower: the cdk-nag acknowledgement reason. */
  readonly why: string;
  readonly actions: string[];
  readonly resources: Arn[];
  readonly conditions?: { [operator: string]: unknown };
}

/**
 * Creates a stage's CloudFormation deployment role. It may create, update and
 * delete exactly the resources of that stage's `template.yml` (cluster, task
 * definition, service, load balancer, target group, security groups, log
 * group, autoscaling) and the roles under the service's IAM path, and pass
 * those only to ECS tasks. Each wildcard it holds is acknowledged for cdk-nag
 * here, with the reason it cannot be narrower.
 */
export function createDeploymentRole(
  scope: Construct,
  id: string,
  serviceName: string,
  stage: string,
  vpc: ec2.IVpc,
): iam.Role {
  const grants = stageDeploymentGrants(serviceName, stage, vpc);
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com'),
    description: `CloudFormation deploys ${stackName(serviceName, stage)} with this role`,
    inlinePolicies: {
      deploy: new iam.PolicyDocument({
        statements: grants.map(grant => new iam.PolicyStatement({
          sid: grant.sid,
          actions: grant.actions,
          resources: grant.resources.map(resource => resource.value),
          conditions: grant.conditions,
        })),
      }),
    },
  });
  const acknowledged = new Set<string>();
  for (const grant of grants) {
    const wildcards = [
      ...grant.resources.filter(resource => resource.nagName.includes('*')).map(resource => `Resource::${resource.nagName}`),
      ...grant.actions.filter(action => action.includes('*')).map(action => `Action::${action}`),
    ];
    for (const finding of wildcards) {
      const ruleId = `AwsSolutions-IAM5[${finding}]`;
      if (!acknowledged.has(ruleId)) {
        acknowledged.add(ruleId);
        Validations.of(role).acknowledge({ id: ruleId, reason: grant.why });
      }
    }
  }
  return role;
}

function stageDeploymentGrants(serviceName: string, stage: string, vpc: ec2.IVpc): Grant[] {
  // template.yml names its cluster, service, load balancer and target group like the stack.
  const name = stackName(serviceName, stage);
  const vpcArn = arn('ec2', `vpc/${vpc.vpcId}`);
  const serviceRoles = arn('iam', `role${rolePath(serviceName)}*`, false);
  const logGroup = `log-group:/ecs/${serviceName}/${stage}`;

  return [
    {
      sid: 'Unscoped',
      why: `Only actions AWS supports on no narrower resource: ${Object.keys(UNSCOPED_ACTIONS).filter(action => !action.startsWith('ecr:')).join(', ')}; read-only except task definition (de)registration, whose revisions have no ARN before they exist.`,
      actions: [
        'ecs:RegisterTaskDefinition',
        'ecs:DeregisterTaskDefinition',
        'ecs:DescribeTaskDefinition',
        'ec2:Describe*',
        'elasticloadbalancing:Describe*',
        'application-autoscaling:Describe*',
        'cloudwatch:DescribeAlarms',
        'logs:DescribeLogGroups',
      ],
      resources: [ANY_RESOURCE],
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
        'ecs:CreateService',
        'ecs:UpdateService',
        'ecs:DeleteService',
        'ecs:DescribeServices',
        'ecs:DescribeServiceDeployments',
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
      sid: 'TaskDefinitionTags',
      why: `Only revisions of the stage's own task definition family ${name}; each deployment adds a revision number.`,
      actions: ['ecs:TagResource', 'ecs:UntagResource', 'ecs:ListTagsForResource'],
      resources: [arn('ecs', `task-definition/${name}:*`)],
    },
    {
      sid: 'LoadBalancer',
      why: `Only the stage's own load balancer, its listeners and target group named ${name}; AWS appends a generated id to their ARNs.`,
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
      why: `Target group names are generated so a port change can replace one; the ${TARGET_GROUP_TAG.service}/${TARGET_GROUP_TAG.stage} tags template.yml sets at creation scope them to this stage.`,
      actions: ['elasticloadbalancing:CreateTargetGroup', 'elasticloadbalancing:AddTags'],
      resources: [arn('elasticloadbalancing', 'targetgroup/*/*')],
      conditions: { StringEquals: { [`aws:RequestTag/${TARGET_GROUP_TAG.service}`]: serviceName, [`aws:RequestTag/${TARGET_GROUP_TAG.stage}`]: stage } },
    },
    {
      sid: 'ChangeTargetGroupTaggedForStage',
      why: `Target group names are generated; only groups tagged ${TARGET_GROUP_TAG.service}=${serviceName} and ${TARGET_GROUP_TAG.stage}=${stage} may change.`,
      actions: [
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:AddTags',
        'elasticloadbalancing:RemoveTags',
      ],
      resources: [arn('elasticloadbalancing', 'targetgroup/*/*')],
      conditions: { StringEquals: { [`aws:ResourceTag/${TARGET_GROUP_TAG.service}`]: serviceName, [`aws:ResourceTag/${TARGET_GROUP_TAG.stage}`]: stage } },
    },
    {
      sid: 'CreateSecurityGroupsInStageVpc',
      why: 'Only in the stage\'s VPC.',
      actions: ['ec2:CreateSecurityGroup'],
      resources: [vpcArn],
    },
    {
      sid: 'SecurityGroupsInStageVpc',
      why: 'Security group ids are generated; the ec2:Vpc condition limits the statement to groups in the stage\'s VPC.',
      actions: [
        'ec2:CreateSecurityGroup',
        'ec2:DeleteSecurityGroup',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupEgress',
        'ec2:ModifySecurityGroupRules',
        'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
        'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
        'ec2:CreateTags',
        'ec2:DeleteTags',
      ],
      resources: [arn('ec2', 'security-group/*')],
      conditions: { ArnEquals: { 'ec2:Vpc': vpcArn.value } },
    },
    {
      sid: 'SecurityGroupRules',
      why: 'Security group rule ids are generated and carry no VPC; adding a rule also needs its group, which the ec2:Vpc-conditioned statement limits to the stage\'s VPC.',
      actions: [
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:ModifySecurityGroupRules',
        'ec2:CreateTags',
      ],
      resources: [arn('ec2', 'security-group-rule/*')],
    },
    {
      sid: 'LogGroup',
      why: `Only the stage's own log group /ecs/${serviceName}/${stage}; ":*" is how IAM names a log group's streams for the older log actions.`,
      actions: [
        'logs:CreateLogGroup',
        'logs:DeleteLogGroup',
        'logs:PutRetentionPolicy',
        'logs:DeleteRetentionPolicy',
        'logs:TagResource',
        'logs:UntagResource',
        'logs:TagLogGroup',
        'logs:UntagLogGroup',
        'logs:ListTagsForResource',
        'logs:ListTagsLogGroup',
      ],
      resources: [arn('logs', logGroup), arn('logs', `${logGroup}:*`)],
    },
    {
      sid: 'Autoscaling',
      why: 'Scalable targets get a generated id, so the account\'s ECS scalable targets are the narrowest ARN; Application Auto Scaling checks the ECS service itself against the Service statement.',
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
    },
    {
      sid: 'AutoscalingAlarms',
      why: `Only the target-tracking alarms of the stage's own service; Application Auto Scaling names them TargetTracking-service/${name}/<service>-Alarm<High|Low>-<uuid>.`,
      actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'],
      resources: [arn('cloudwatch', `alarm:TargetTracking-service/${name}/*`)],
    },
    {
      sid: 'ServiceRoles',
      why: `Only roles under the service's IAM path ${rolePath(serviceName)}, where template.yml creates its task and execution roles with generated names.`,
      actions: [
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:GetRole',
        'iam:UpdateRole',
        'iam:UpdateAssumeRolePolicy',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:ListRoleTags',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:GetRolePolicy',
        'iam:ListRolePolicies',
        'iam:AttachRolePolicy',
        'iam:DetachRolePolicy',
        'iam:ListAttachedRolePolicies',
      ],
      resources: [serviceRoles],
    },
    {
      sid: 'PassServiceRolesToEcsTasks',
      why: `Only roles under ${rolePath(serviceName)}, and only to ECS tasks (iam:PassedToService).`,
      actions: ['iam:PassRole'],
      resources: [serviceRoles],
      conditions: { StringEquals: { 'iam:PassedToService': ECS_TASKS_SERVICE } },
    },
    {
      sid: 'ServiceLinkedRoles',
      why: 'Only the ECS, ELB and ECS autoscaling service-linked roles, on first use in the account.',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: SERVICE_LINKED_ROLES.map(({ service, roleName }) => arn('iam', `role/aws-service-role/${service}/${roleName}`, false)),
      conditions: { StringEquals: { 'iam:AWSServiceName': SERVICE_LINKED_ROLES.map(({ service }) => service) } },
    },
  ];
}
