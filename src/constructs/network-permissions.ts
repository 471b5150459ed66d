import * as iam from 'aws-cdk-lib/aws-iam';
import { STAGE_TAG, stackName, stageTagConditions } from '../contract';
import type { Arn, Grant } from './grant';

/** The calls on template.yml's groups and their rules after creation. */
const CHANGE_SECURITY_GROUP_ACTIONS = [
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
];

/** The stage's VPC, and the public subnets its own load balancer may stand in (none on a platform, which creates none). */
export interface StageNetworkIds {
  readonly vpcId: string;
  readonly loadBalancerSubnetIds?: string[];
}

/**
 * What the stage's deploy role may do to security groups and their rules, and where its load balancer may stand.
 * A VPC may be shared by stages, so the VPC alone scopes nothing: a group belongs to the stage by the
 * service/stage tags template.yml sets when it creates the group (CloudFormation tags AWS::EC2::SecurityGroup on
 * create: its schema's `tagging.tagOnCreate`), and only then, so no stage can tag another's group as its own.
 * `arn` renders an ARN in the deploying account.
 */
export function stageNetworkGrants(
  serviceName: string,
  stage: string,
  network: StageNetworkIds,
  arn: (service: string, resource: string, region?: boolean) => Arn,
): Grant[] {
  const vpcArn = arn('ec2', `vpc/${network.vpcId}`);
  const securityGroups = arn('ec2', 'security-group/*');
  const stageTags = (key: 'aws:RequestTag' | 'aws:ResourceTag') => stageTagConditions(key, serviceName, stage);
  const tagged = `${STAGE_TAG.service}=${serviceName} and ${STAGE_TAG.stage}=${stage}`;
  const stack = stackName(serviceName, stage);
  /**
   * A group is the stage's by its tags, or, for groups created before template.yml tagged them, by the tag
   * CloudFormation itself puts on what a stack creates (`aws:` tags no one else can set or change).
   */
  const ofStage = (sid: string, actions: string[], conditions: { [operator: string]: Record<string, unknown> }): Grant[] => [
    {
      sid: `${sid}TaggedForStage`,
      why: `Security group ids are generated; only groups tagged ${tagged} (aws:ResourceTag).`,
      actions,
      resources: [securityGroups],
      conditions: { ...conditions, StringEquals: { ...conditions.StringEquals, ...stageTags('aws:ResourceTag') } },
    },
    {
      sid: `${sid}OfStageStack`,
      why: `Security group ids are generated; only groups CloudFormation created in the stage's stack ${stack} (aws:cloudformation:stack-name).`,
      actions,
      resources: [securityGroups],
      conditions: { ...conditions, StringEquals: { ...conditions.StringEquals, 'aws:ResourceTag/aws:cloudformation:stack-name': stack } },
    },
  ];
  return [
    {
      sid: 'CreateSecurityGroupsInStageVpc',
      why: 'Only in the stage\'s VPC.',
      actions: ['ec2:CreateSecurityGroup'],
      resources: [vpcArn],
    },
    {
      sid: 'CreateSecurityGroupsTaggedForStage',
      why: `Security group ids are generated; only groups created with the tags ${tagged} (aws:RequestTag), which scope every later change.`,
      actions: ['ec2:CreateSecurityGroup'],
      resources: [securityGroups],
      conditions: { StringEquals: stageTags('aws:RequestTag') },
    },
    {
      sid: 'TagSecurityGroupsAtCreation',
      why: `Security group ids are generated; only while CreateSecurityGroup creates the group (ec2:CreateAction), with the tags ${tagged}.`,
      actions: ['ec2:CreateTags'],
      resources: [securityGroups],
      conditions: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup', ...stageTags('aws:RequestTag') } },
    },
    // The tags, not ec2:Vpc, say whose group it is (DeleteTags has no ec2:Vpc key); no tag may give it to another stage.
    ...ofStage('ChangeSecurityGroups', CHANGE_SECURITY_GROUP_ACTIONS, { StringEqualsIfExists: stageTags('aws:RequestTag') }),
    {
      sid: 'SecurityGroupRules',
      why: 'Security group rule ids are generated and AWS gives a rule no VPC or group key; every rule call also needs its group, which the tag-conditioned statement limits to the stage\'s own groups.',
      actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:ModifySecurityGroupRules'],
      resources: [arn('ec2', 'security-group-rule/*')],
    },
    {
      sid: 'TagSecurityGroupRulesAtCreation',
      why: 'Security group rule ids are generated; tags only on a rule being added (ec2:CreateAction), whose group the tag-conditioned statement limits to the stage\'s own.',
      actions: ['ec2:CreateTags'],
      resources: [arn('ec2', 'security-group-rule/*')],
      conditions: { StringEquals: { 'ec2:CreateAction': ['AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress'] } },
    },
    ...(network.loadBalancerSubnetIds ? [{
      sid: 'LoadBalancerInStageSubnets',
      why: 'A denial, not a grant.',
      effect: iam.Effect.DENY,
      actions: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:SetSubnets'],
      resources: [{ value: '*', nagName: '*' }],
      conditions: { 'ForAnyValue:StringNotEquals': { 'elasticloadbalancing:Subnet': network.loadBalancerSubnetIds } },
    }] : []),
  ];
}
