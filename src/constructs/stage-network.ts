import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AssignPublicIp, TemplateParameter } from '../contract';
import { TaskSubnets } from '../options';
import { LOG_GROUP_ENCRYPTION_REASON, skipCheckov } from './findings';
import { describeVpc } from './stage-environment';

/** Load balancers need subnets in two Availability Zones. */
export const MIN_PUBLIC_SUBNETS = 2;

/**
 * A new network for one stage: two Availability Zones with public subnets for the load balancer, flow logs to
 * CloudWatch, and for private tasks (the default) private subnets with egress through one NAT gateway; public tasks
 * run in the public subnets, so that network has neither private subnets nor a NAT gateway (nor its Elastic IP).
 * Environment-agnostic: no context lookups. A platform's stage gives its own NAT gateway count.
 */
export function createStageVpc(scope: Construct, id: string, taskSubnets: TaskSubnets = TaskSubnets.PRIVATE, natGateways?: number): ec2.Vpc {
  const publicTasks = taskSubnets === TaskSubnets.PUBLIC;
  const vpc = new ec2.Vpc(scope, id, {
    maxAzs: 2,
    natGateways: natGateways ?? (publicTasks ? 0 : 1),
    restrictDefaultSecurityGroup: true,
    subnetConfiguration: [
      // Tasks in the public subnets need their addresses: as many as the private subnets would have had.
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: publicTasks ? 22 : 24 },
      ...(publicTasks ? [] : [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 }]),
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

/** The load balancer's subnets (the public ones) and the tasks' (private with egress, or the public ones) of a stage's network. */
export function stageSubnetIds(vpc: ec2.IVpc, taskSubnets: TaskSubnets = TaskSubnets.PRIVATE): { loadBalancer: string[]; service: string[] } {
  const loadBalancer = vpc.publicSubnets.map(subnet => subnet.subnetId);
  return {
    loadBalancer,
    service: taskSubnets === TaskSubnets.PUBLIC ? loadBalancer : vpc.privateSubnets.map(subnet => subnet.subnetId),
  };
}

/** The template parameters of a stage whose tasks run in public subnets; none for private ones (the template's default). */
export function taskSubnetsParameterOverrides(taskSubnets: TaskSubnets = TaskSubnets.PRIVATE): { [name: string]: string } {
  // Passed only where it differs, so a pipeline deploying a template from before the parameter existed still works.
  return taskSubnets === TaskSubnets.PUBLIC ? { [TemplateParameter.ASSIGN_PUBLIC_IP]: AssignPublicIp.ENABLED } : {};
}

/** Checks a stage's `taskSubnets` and that its `vpc` has the subnets it needs; errors name the prop, the value and what is allowed. */
export function validateStageNetwork(path: string, stageName: string, vpc: ec2.IVpc | undefined, taskSubnets: TaskSubnets | undefined): void {
  if (taskSubnets !== undefined && !Object.values(TaskSubnets).includes(taskSubnets)) {
    throw new Error(`${path}.taskSubnets ${JSON.stringify(taskSubnets)} is not allowed in stage "${stageName}": use TaskSubnets.PRIVATE (private subnets with a NAT gateway) or TaskSubnets.PUBLIC (public subnets, a public IP per task, no NAT gateway).`);
  }
  if (!vpc) {
    return;
  }
  const publicSubnets = vpc.publicSubnets.length;
  const privateSubnets = vpc.privateSubnets.length;
  if (taskSubnets === TaskSubnets.PUBLIC) {
    if (publicSubnets < MIN_PUBLIC_SUBNETS) {
      throw new Error(`${path}.vpc ${describeVpc(vpc)} is not allowed in stage "${stageName}": it has ${publicSubnets} public subnets, and with taskSubnets PUBLIC the load balancer and the tasks need at least ${MIN_PUBLIC_SUBNETS} public subnets (a route to an internet gateway) in two Availability Zones.`);
    }
    return;
  }
  if (publicSubnets < MIN_PUBLIC_SUBNETS || privateSubnets < 1) {
    throw new Error(`${path}.vpc ${describeVpc(vpc)} is not allowed in stage "${stageName}": it has ${publicSubnets} public and ${privateSubnets} private-with-egress subnets, and the service needs at least ${MIN_PUBLIC_SUBNETS} public subnets (load balancer) and 1 private subnet with egress (tasks), or taskSubnets: TaskSubnets.PUBLIC to run the tasks in the public subnets.`);
  }
}
