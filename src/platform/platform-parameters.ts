import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { PLATFORM_NONE, PlatformParameter, platformParameterPath, platformRulePriorityParameter } from '../contract';
import { TaskSubnets } from '../options';
import { PlatformLoadBalancer } from './platform-load-balancer';
import { PlatformStageNetwork } from './platform-network';
import { PlatformService } from './platform-options';
import { PlatformStageSettings } from './platform-validation';

/** What one stage publishes, by PlatformParameter name; the subnets are a list. */
export interface PublishedValues {
  readonly strings: Record<Exclude<(typeof PlatformParameter)[keyof typeof PlatformParameter], 'service-subnet-ids'>, string>;
  readonly serviceSubnetIds: string[];
}

/** Every PlatformParameter of the stage as an SSM parameter under its path, and each service's rule priority. */
export function publishPlatformParameters(
  scope: Construct,
  platformName: string,
  stage: PlatformStageSettings,
  values: PublishedValues,
  services: PlatformService[],
): void {
  const path = platformParameterPath(platformName, stage.name);
  for (const [name, value] of Object.entries(values.strings)) {
    new ssm.StringParameter(scope, `Parameter-${name}`, {
      parameterName: `${path}${name}`,
      stringValue: value,
      description: `Platform ${platformName}, stage ${stage.name}: ${name}, which its services read at deploy time`,
    });
  }
  new ssm.StringListParameter(scope, `Parameter-${PlatformParameter.SERVICE_SUBNET_IDS}`, {
    parameterName: `${path}${PlatformParameter.SERVICE_SUBNET_IDS}`,
    stringListValue: values.serviceSubnetIds,
    description: `Platform ${platformName}, stage ${stage.name}: the subnets the services' tasks run in`,
  });
  for (const service of services) {
    new ssm.StringParameter(scope, `RulePriority-${service.name}`, {
      parameterName: platformRulePriorityParameter(platformName, stage.name, service.name),
      stringValue: String(service.rulePriority),
      description: `The listener rule priority platform ${platformName} gave ${service.name}; the same on every stage, never given to another service`,
    });
  }
}

/** The values of a stage's parameters, from what its stack created. */
export function publishedValues(
  stage: PlatformStageSettings,
  network: PlatformStageNetwork,
  clusterName: string,
  clusterArn: string,
  balancer: PlatformLoadBalancer,
): PublishedValues {
  const { loadBalancer } = balancer;
  return {
    serviceSubnetIds: network.serviceSubnets.map(subnet => subnet.subnetId),
    strings: {
      [PlatformParameter.VPC_ID]: network.vpc.vpcId,
      [PlatformParameter.ASSIGN_PUBLIC_IP]: stage.taskSubnets === TaskSubnets.PUBLIC ? 'ENABLED' : 'DISABLED',
      [PlatformParameter.CLUSTER_NAME]: clusterName,
      [PlatformParameter.CLUSTER_ARN]: clusterArn,
      [PlatformParameter.LOAD_BALANCER_ARN]: loadBalancer.loadBalancerArn,
      [PlatformParameter.LOAD_BALANCER_FULL_NAME]: loadBalancer.loadBalancerFullName,
      [PlatformParameter.LOAD_BALANCER_DNS_NAME]: loadBalancer.loadBalancerDnsName,
      [PlatformParameter.LOAD_BALANCER_HOSTED_ZONE_ID]: loadBalancer.loadBalancerCanonicalHostedZoneId,
      [PlatformParameter.LOAD_BALANCER_SECURITY_GROUP_ID]: balancer.securityGroup.securityGroupId,
      [PlatformParameter.PRODUCTION_LISTENER_ARN]: balancer.productionListener.listenerArn,
      [PlatformParameter.TEST_LISTENER_ARN]: balancer.testListener.listenerArn,
      [PlatformParameter.URL_SCHEME]: stage.domain ? 'https' : 'http',
      [PlatformParameter.DOMAIN_NAME]: stage.domain?.domainName ?? PLATFORM_NONE,
    },
  };
}
