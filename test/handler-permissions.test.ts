import { parse } from 'yaml';
import { CpuArchitecture, DeploymentStrategyType } from '../src';
import { handlerCalls, HandlerCall, IAM_RESOURCE_TYPES, Phase, PHASES, readRegistrySchemas, stageResources, tagsByType } from './handler-calls';
import { synthService } from './helpers';
import { decide, Json, policiesOfRole, Principal, synthesizeToolchain } from './iam-simulation';

/**
 * Every create, read, update and delete handler permission of every resource type template.yml can create, as
 * AWS's registry schemas list them, is allowed to each stage's deploy role on that stage's own resources and
 * denied on the other stage's, or sits in EXCLUDED with the reason the template never needs it.
 */

/**
 * Handler permissions the deploy role does not get, each with the property that would need it (which template.yml
 * never sets) or why containment refuses it.
 */
const EXCLUDED: Record<string, string> = {
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
};

/** template.yml with every option that adds resources: per-stage egress and secrets, each strategy, Spot, ARM64, notifications. */
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
  ];
  return variants.map(files => ({ template: parse(files['template.yml']), stackTags: files['template-configuration.json'].Tags }));
}

const schemaOf = readRegistrySchemas();
const renders = renderedTemplates();
const resourcesOfType = (type: string) => renders.flatMap(({ template }) => Object.values<Json>(template.Resources).filter(resource => resource.Type === type));
const templateTypes = [...new Set(renders.flatMap(({ template }) => Object.values<Json>(template.Resources).map(resource => resource.Type as string)))].sort();
const toolchain = synthesizeToolchain();
const deployRoleOf = (stage: string): Principal => ({ identityPolicies: policiesOfRole(toolchain, `PipelineStage${stage}DeploymentRole`) });
const vpcArnOf = (stage: string) => {
  const [vpcId] = Object.keys(toolchain).filter(id => toolchain[id].Type === 'AWS::EC2::VPC' && id.includes(`Stage${stage}`));
  return `arn:aws:ec2:eu-west-1:111111111111:vpc/vpc-${vpcId.toLowerCase()}`;
};

/** The delete handler runs only for resources CloudFormation may delete: not where deletion and replacement both retain. */
function phasesOf(type: string): Phase[] {
  const retained = resourcesOfType(type).every(resource => resource.DeletionPolicy === 'Retain' && resource.UpdateReplacePolicy === 'Retain');
  return PHASES.filter(phase => phase !== 'delete' || !retained);
}

/** Every handler call of `stage`'s stack, by type, with the permissions no call could be built for. */
async function stageCalls(stage: string): Promise<{ calls: HandlerCall[]; unmapped: string[] }> {
  const tags = tagsByType({ Resources: Object.fromEntries(renders.flatMap(({ template }) => Object.entries(template.Resources))) }, renders[0].stackTags, schemaOf, stage);
  const resources = stageResources(stage, vpcArnOf(stage));
  const all = { calls: [] as HandlerCall[], unmapped: [] as string[] };
  for (const type of templateTypes.filter(known => known in IAM_RESOURCE_TYPES)) {
    const { calls, unmapped } = await handlerCalls(type, schemaOf(type), phasesOf(type), stage, resources, tags);
    all.calls.push(...calls.filter(call => !(`${type} ${call.permission}` in EXCLUDED)));
    all.unmapped.push(...unmapped.filter(entry => !(`${type} ${entry.split(' ')[0]}` in EXCLUDED)).map(entry => `${type} ${entry}`));
  }
  return all;
}

const shown = (call: HandlerCall) => `${call.type} ${call.phase} ${call.permission} on ${call.resource}${Object.keys(call.context ?? {}).length > 0 ? ` ${JSON.stringify(call.context)}` : ''}`;

describe('the deploy role against CloudFormation\'s handler permissions (registry schemas from cfn-lint)', () => {
  it('knows, for every resource type template.yml can create, which IAM resources it is', () => {
    expect(templateTypes.filter(type => !(type in IAM_RESOURCE_TYPES))).toEqual([]);
    expect(templateTypes).toEqual(expect.arrayContaining(['AWS::ECS::Service', 'AWS::CertificateManager::Certificate', 'AWS::EC2::SecurityGroupEgress', 'AWS::ElasticLoadBalancingV2::ListenerRule']));
  });

  it('excludes only permissions some handler of the template\'s types lists', () => {
    const listed = templateTypes.flatMap(type => PHASES.flatMap(phase => (schemaOf(type).handlers?.[phase]?.permissions ?? []).map((permission: string) => ({ key: `${type} ${permission}`, phase }))));
    expect(Object.keys(EXCLUDED).filter(key => !listed.some(entry => entry.key === key))).toEqual([]);
  });

  it.each(['dev', 'production'])('can turn every handler permission into a call on %s\'s own resources', async (stage) => {
    const { calls, unmapped } = await stageCalls(stage);
    expect(unmapped).toEqual([]);
    expect(calls.length).toBeGreaterThan(150);
  });

  it.each(['dev', 'production'])('lets %s\'s deploy role make every handler call on its own resources', async (stage) => {
    const { calls } = await stageCalls(stage);
    const denied: string[] = [];
    for (const call of calls) {
      if (await decide(deployRoleOf(stage), call) !== 'Allowed') {
        denied.push(shown(call));
      }
    }
    expect(denied).toEqual([]);
  });

  it.each([['dev', 'production'], ['production', 'dev']])('refuses %s\'s deploy role every handler call on %s\'s resources', async (stage, other) => {
    const { calls } = await stageCalls(other);
    const requests = new Map<string, HandlerCall[]>();
    calls.filter(candidate => !candidate.shared).forEach(call => requests.set(call.request, [...requests.get(call.request) ?? [], call]));
    const allowed: string[] = [];
    for (const request of requests.values()) {
      // IAM allows a request only if it allows it on every resource the request names.
      const answers = await Promise.all(request.map(call => decide(deployRoleOf(stage), call)));
      if (answers.every(answer => answer === 'Allowed')) {
        allowed.push(request.map(shown).join(' and '));
      }
    }
    expect(allowed).toEqual([]);
    expect(requests.size).toBeGreaterThan(100);
  });
});
