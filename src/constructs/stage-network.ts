import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LOG_GROUP_ENCRYPTION_REASON, skipCheckov } from './findings';

/** Load balancers need subnets in two Availability Zones. */
export const MIN_PUBLIC_SUBNETS = 2;

/**
 * A new network for one stage: two Availability Zones with public subnets for
 * the load balancer and private subnets with egress (one NAT gateway) for the
 * tasks, flow logs to CloudWatch. Environment-agnostic: no context lookups.
 */
export function createStageVpc(scope: Construct, id: string): ec2.Vpc {
  const vpc = new ec2.Vpc(scope, id, {
    maxAzs: 2,
    natGateways: 1,
    restrictDefaultSecurityGroup: true,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
    ],
  });
  const flowLogGroup = new logs.LogGroup(vpc, 'FlowLogs', { retention: logs.RetentionDays.ONE_YEAR });
  skipCheckov(flowLogGroup, 'CKV_AWS_158', LOG_GROUP_ENCRYPTION_REASON);
  vpc.addFlowLog('FlowLog', {
    destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
    trafficType: ec2.FlowLogTrafficType.ALL,
  });
  return vpc;
}

/** The public and the private-with-egress subnet ids of a stage's network. */
export function stageSubnetIds(vpc: ec2.IVpc): { loadBalancer: string[]; service: string[] } {
  return {
    loadBalancer: vpc.publicSubnets.map(subnet => subnet.subnetId),
    service: vpc.privateSubnets.map(subnet => subnet.subnetId),
  };
}
