import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { ACCOUNT, arn, Call, Json, Principal, REGION, resolveTemplate } from './iam-simulation';
import { CodeStarFargatePipeline, PipelineSource } from '../src';
import { PlatformParameter, platformParameterPath } from '../src/contract';

/**
 * Services on one platform, `acme`, for the policy simulator: each service's toolchain synthesized with
 * `platformName`, its SSM parameters resolved to the values the platform publishes per stage.
 */

export const PLATFORM = 'acme';
/** Two services and a neighbour whose name starts like the first. */
export const ORDERS = 'orders';
export const PAYMENTS = 'payments';
export const ORDERS_EU = 'orders-eu';

const LOAD_BALANCER_ID: Record<string, string> = { dev: '50dc6c495c0c9188', production: '6e1f7a2b3c4d5e6f' };
const PRODUCTION_LISTENER_ID = 'f2f7dc8efc522ab2';
const TEST_LISTENER_ID = '0a9b8c7d6e5f4a3b';
/** Rule ids of each service's rules, as ELB would generate them. */
const RULE_ID: Record<string, string> = { [ORDERS]: '9683b2d02a6cabee', [PAYMENTS]: '1c2d3e4f5a6b7c8d', [ORDERS_EU]: '7f6e5d4c3b2a1908' };

/** What platform `acme` publishes for a stage, as the SSM parameters hold it. */
export function platformValues(stage: string) {
  const loadBalancerFullName = `app/${PLATFORM}-${stage}/${LOAD_BALANCER_ID[stage]}`;
  return {
    vpcId: `vpc-0${PLATFORM}${stage === 'dev' ? '0d' : '0p'}00000000000`,
    serviceSubnetIds: [`subnet-0${stage}service0000a`, `subnet-0${stage}service0000b`],
    clusterName: `${PLATFORM}-${stage}`,
    clusterArn: arn('ecs', `cluster/${PLATFORM}-${stage}`),
    loadBalancerFullName,
    loadBalancerArn: arn('elasticloadbalancing', `loadbalancer/${loadBalancerFullName}`),
    productionListenerArn: arn('elasticloadbalancing', `listener/${loadBalancerFullName}/${PRODUCTION_LISTENER_ID}`),
    testListenerArn: arn('elasticloadbalancing', `listener/${loadBalancerFullName}/${TEST_LISTENER_ID}`),
  };
}

/** The ARNs of a service's own resources on the platform in a stage. */
export function serviceOnPlatform(service: string, stage: string) {
  const platform = platformValues(stage);
  return {
    service: arn('ecs', `service/${platform.clusterName}/${service}`),
    taskDefinition: arn('ecs', `task-definition/${service}-${stage}:7`),
    productionRule: arn('elasticloadbalancing', `listener-rule/${platform.loadBalancerFullName}/${PRODUCTION_LISTENER_ID}/${RULE_ID[service]}`),
    testRule: arn('elasticloadbalancing', `listener-rule/${platform.loadBalancerFullName}/${TEST_LISTENER_ID}/${RULE_ID[service]}`),
    targetGroup: arn('elasticloadbalancing', `targetgroup/${service.slice(0, 6)}-TargetGr-1A2B3C/73e2d6bc24d8a067`),
    scalableTarget: arn('application-autoscaling', `scalable-target/0ec5e2b1a2f34b1c9d8e7f6a5b4c3d2${service.length}`),
    securityGroup: arn('ec2', `security-group/sg-0${service.length}23456789abcdef`),
    role: (name: string) => `arn:aws:iam::${ACCOUNT}:role/${service}/${stage}/${name}`,
    /** The service/stage tags template.yml puts on its rules, target groups, security group and scalable target. */
    tags: { 'aws:ResourceTag/service': service, 'aws:ResourceTag/stage': stage } as Call['context'],
  };
}

/** A service's toolchain on platform `acme` with dev and production, every token resolved. */
export function synthesizePlatformToolchain(serviceName: string): Record<string, Json> {
  return synthesizeOnPlatform(serviceName, 'Toolchain');
}

/** The toolchain's account when production is elsewhere: production is then in the simulation's ACCOUNT and REGION. */
const ELSEWHERE_PIPELINE_ACCOUNT = '999999999999';

/**
 * A service's toolchain on platform `acme` whose pipeline is in another account and region than production: the
 * resources of production's own account stack, every token resolved there (ACCOUNT, REGION).
 */
export function synthesizePlatformProductionElsewhere(serviceName: string): Record<string, Json> {
  return synthesizeOnPlatform(serviceName, `${serviceName}-production-access`, { account: ELSEWHERE_PIPELINE_ACCOUNT, region: 'us-east-2' });
}

/**
 * The resources of stack `stackName` of a service's toolchain on `acme`: all in the simulation's ACCOUNT and REGION
 * (the stack without an env), or with the pipeline in `elsewhere` and production there.
 */
function synthesizeOnPlatform(serviceName: string, stackName: string, elsewhere?: { account: string; region: string }): Record<string, Json> {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'platform-containment-')) });
  const stack = new Stack(app, 'Toolchain', elsewhere ? { env: elsewhere } : {});
  const { account, region } = elsewhere ?? { account: ACCOUNT, region: REGION };
  new CodeStarFargatePipeline(stack, 'Pipeline', {
    serviceName,
    source: PipelineSource.connection({ connectionArn: `arn:aws:codeconnections:${region}:${account}:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`, owner: 'acme', repository: serviceName }),
    stages: [{ name: 'dev' }, { name: 'production', ...(elsewhere ? { account: ACCOUNT, region: REGION } : {}) }],
    platformName: PLATFORM,
  });
  const template = app.synth().getStackByName(stackName).template;
  return resolveTemplate(template.Resources, ssmParameterValues(template.Parameters ?? {}));
}

/** The value CloudFormation reads for each of the template's SSM parameters: the platform's, by the parameter's name. */
function ssmParameterValues(parameters: Record<string, Json>): Record<string, Json> {
  const values: Record<string, Json> = {};
  for (const [id, parameter] of Object.entries(parameters)) {
    const stage = ['dev', 'production'].find(candidate => String(parameter.Default).startsWith(platformParameterPath(PLATFORM, candidate)));
    if (!String(parameter.Type).startsWith('AWS::SSM::Parameter::Value') || !stage) {
      continue;
    }
    const platform = platformValues(stage);
    const byName: Record<string, Json> = {
      [PlatformParameter.VPC_ID]: platform.vpcId,
      [PlatformParameter.SERVICE_SUBNET_IDS]: platform.serviceSubnetIds,
      [PlatformParameter.CLUSTER_NAME]: platform.clusterName,
      [PlatformParameter.CLUSTER_ARN]: platform.clusterArn,
      [PlatformParameter.LOAD_BALANCER_FULL_NAME]: platform.loadBalancerFullName,
      [PlatformParameter.LOAD_BALANCER_ARN]: platform.loadBalancerArn,
      [PlatformParameter.PRODUCTION_LISTENER_ARN]: platform.productionListenerArn,
      [PlatformParameter.TEST_LISTENER_ARN]: platform.testListenerArn,
    };
    const name = String(parameter.Default).slice(platformParameterPath(PLATFORM, stage).length);
    if (!(name in byName)) {
      throw new Error(`the toolchain reads ${parameter.Default}, which this simulation has no value for`);
    }
    values[id] = byName[name];
  }
  return values;
}

/** A stage's permissions boundary in a service's toolchain, as the policy of a role given AdministratorAccess. */
export function boundedRoleOn(resources: Record<string, Json>, serviceName: string, stage: string): Principal {
  const [boundary] = Object.values(resources).filter(resource =>
    resource.Type === 'AWS::IAM::ManagedPolicy' && resource.Properties.ManagedPolicyName === `${serviceName}-${stage}-boundary`);
  expect(boundary).toBeDefined();
  return {
    identityPolicies: [{ name: 'AdministratorAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
    permissionBoundaryPolicies: [{ name: 'boundary', policy: boundary.Properties.PolicyDocument }],
  };
}
