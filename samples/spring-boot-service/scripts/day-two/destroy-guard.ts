// Managed by projen-codestar-fargate: the check `npx projen destroy` runs before `cdk destroy`; edit .projenrc.ts and run `npx projen` instead.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { callerAccount, clientConfig, DayTwoError, explain, ServiceConfig, StageConfig } from './aws';

/** The variable that says which stages in another account were deleted there, where these credentials cannot look. */
export const STAGES_DELETED_ELSEWHERE = 'STAGES_DELETED_ELSEWHERE';

/** The stack's status, or undefined when it does not exist (or is deleted) where the credentials and region point. */
async function stackStatus(stage: StageConfig): Promise<string | undefined> {
  const cloudFormation = new CloudFormationClient(clientConfig(stage));
  try {
    const { Stacks: stacks = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stage.stackName }));
    return stacks[0] && stacks[0].StackStatus !== 'DELETE_COMPLETE' ? stacks[0].StackStatus : undefined;
  } catch (error) {
    if (/does not exist/.test((error as Error).message ?? '')) {
      return undefined;
    }
    throw explain(error, stage.name);
  }
}

/**
 * Refuses to destroy the toolchain while a stage's stack exists: the stage runs in the toolchain's VPC and is
 * deleted by the toolchain's deploy role, so deleting the toolchain first fails on the VPC's subnets and leaves
 * the stage's stack with no role to delete it. Stages are checked last first, the order they are deleted in.
 */
export async function destroyGuard(config: ServiceConfig): Promise<number> {
  const acknowledged = (process.env[STAGES_DELETED_ELSEWHERE] ?? '').split(',').map(name => name.trim()).filter(Boolean);
  const remaining: string[] = [];
  const unchecked: StageConfig[] = [];
  for (const stage of [...config.stages].reverse()) {
    if (stage.account !== undefined && await callerAccount(stage) !== stage.account) {
      if (!acknowledged.includes(stage.name)) {
        unchecked.push(stage);
      }
      continue;
    }
    const status = await stackStatus(stage);
    if (status !== undefined) {
      remaining.push(`${stage.stackName} (${status})`);
    }
  }
  if (remaining.length > 0) {
    throw new DayTwoError(`the stage stacks ${remaining.join(', ')} still exist: they run in the toolchain's VPCs and are deleted with its deploy roles, so delete them first, in this order (see docs/service.md, "Decommission the service"), then run npx projen destroy again.`);
  }
  if (unchecked.length > 0) {
    const names = unchecked.map(stage => stage.name).join(',');
    throw new DayTwoError(`the stages ${unchecked.map(stage => `${stage.name} (account ${stage.account})`).join(', ')} run in another account, which these credentials cannot see: delete their stacks there first (AWS_PROFILE of that account), then run ${STAGES_DELETED_ELSEWHERE}=${names} npx projen destroy.`);
  }
  console.log(`No stage stack of ${config.serviceName} is left: destroying the toolchain.`);
  return 0;
}