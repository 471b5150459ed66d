import { Annotations, Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { createStageVpc } from '../constructs/stage-network';
import { TaskSubnets } from '../options';
import { PlatformStageSettings } from './platform-validation';

/** A platform stage's network as the load balancer and the services see it. */
export interface PlatformStageNetwork {
  readonly vpc: ec2.IVpc;
  /** The subnets the load balancer is in: public for an internet-facing one, the task subnets for an internal one. */
  readonly loadBalancerSubnets: ec2.ISubnet[];
  /** The subnets the services' tasks run in. */
  readonly serviceSubnets: ec2.ISubnet[];
}

/** The stage's network: the one it names by ids, or a new VPC in two Availability Zones with flow logs. */
export function platformStageNetwork(scope: Construct, stage: PlatformStageSettings): PlatformStageNetwork {
  const vpc = stage.network ? importNetwork(scope, stage) : createNetwork(scope, stage);
  const serviceSubnets = stage.taskSubnets === TaskSubnets.PUBLIC ? vpc.publicSubnets : vpc.privateSubnets;
  return {
    vpc,
    loadBalancerSubnets: stage.internetFacing ? vpc.publicSubnets : serviceSubnets,
    serviceSubnets,
  };
}

function createNetwork(scope: Construct, stage: PlatformStageSettings): ec2.Vpc {
  return createStageVpc(scope, 'Vpc', stage.taskSubnets, stage.natGateways);
}

function importNetwork(scope: Construct, stage: PlatformStageSettings): ec2.IVpc {
  const { vpcId, vpcCidrBlock, publicSubnetIds, privateSubnetIds = [] } = stage.network!;
  // With the zones a token, CDK names every subnet "undefinedSubnet<n>" unless each has a name of its own.
  const names = (prefix: string, ids: string[]) => ids.map((_id, index) => `${prefix}${index + 1}`);
  const vpc = ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
    vpcId,
    vpcCidrBlock,
    availabilityZones: Fn.getAzs(),
    publicSubnetIds,
    publicSubnetNames: names('Public', publicSubnetIds),
    ...(privateSubnetIds.length > 0 ? { privateSubnetIds, privateSubnetNames: names('Private', privateSubnetIds) } : {}),
  });
  Annotations.of(vpc).acknowledgeWarning('@aws-cdk/aws-ec2:vpcAttributeIsListTokenavailabilityZones', 'The subnets are given by their ids; nothing of the platform selects subnets by Availability Zone.');
  for (const subnet of [...vpc.publicSubnets, ...vpc.privateSubnets]) {
    Annotations.of(subnet).acknowledgeWarning('@aws-cdk/aws-ec2:noSubnetRouteTableId', 'The platform places the load balancer and publishes subnet ids only; it never reads their route tables.');
  }
  return vpc;
}
