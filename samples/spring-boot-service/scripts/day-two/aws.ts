// Managed by projen-codestar-fargate: the day-two commands' shared parts; edit .projenrc.ts and run `npx projen` instead.
import * as fs from 'fs';
import * as path from 'path';
import { CloudFormationClient, DescribeStacksCommand, Stack } from '@aws-sdk/client-cloudformation';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

/** One stage as `.projenrc.ts` defines it, with the names the toolchain and template.yml give its resources. */
export interface StageConfig {
  readonly name: string;
  readonly stackName: string;
  readonly clusterName: string;
  readonly logGroupPrefix: string;
  readonly deployedTagPrefix: string;
  readonly alarmNames: string[];
  readonly enableExecuteCommand: boolean;
  /** Whether a rollback must be confirmed with `--yes` (the pipeline asks for an approval before it). */
  readonly approvalRequired: boolean;
  /** The stage's own account and region, when not the toolchain's. */
  readonly account?: string;
  readonly region?: string;
  /** The toolchain's stack in the stage's account (deploy role, boundary, stage guard), for a stage elsewhere. */
  readonly accessStackName?: string;
}

/** `scripts/day-two/service.json`, which `npx projen` writes from `.projenrc.ts`. */
export interface ServiceConfig {
  readonly serviceName: string;
  readonly pipelineName: string;
  readonly repositoryName: string;
  readonly containerName: string;
  /** The stack's log group's logical id in template.yml. */
  readonly logGroupLogicalId: string;
  /** The template parameter that holds the image the stage runs. */
  readonly imageParameter: string;
  readonly stages: StageConfig[];
}

/** A failure the user can act on: printed as one line, without a stack trace. */
export class DayTwoError extends Error {}

export function loadConfig(): ServiceConfig {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'service.json'), 'utf-8')) as ServiceConfig;
}

export function findStage(config: ServiceConfig, name: string | undefined, command: string): StageConfig {
  const names = config.stages.map(stage => stage.name).join(', ');
  if (name === undefined) {
    throw new DayTwoError(`${command} needs a stage: npx projen ${command} <stage>, one of ${names}.`);
  }
  const stage = config.stages.find(candidate => candidate.name === name);
  if (!stage) {
    throw new DayTwoError(`unknown stage "${name}": ${config.serviceName}'s stages are ${names} (from .projenrc.ts).`);
  }
  return stage;
}

/**
 * What every client of a stage is created with: its own region when it has one. Everything else comes from the
 * SDK's own chain: AWS_PROFILE, SSO and environment credentials, AWS_REGION, AWS_ENDPOINT_URL(_<SERVICE>).
 */
export function clientConfig(stage?: StageConfig): { region?: string } {
  return stage?.region ? { region: stage.region } : {};
}

const callers = new Map<string, Promise<string>>();

/** The account the current credentials belong to, once per region. */
export function callerAccount(stage?: StageConfig): Promise<string> {
  const key = stage?.region ?? '';
  if (!callers.has(key)) {
    const sts = new STSClient(clientConfig(stage));
    callers.set(key, sts.send(new GetCallerIdentityCommand({})).then(identity => identity.Account ?? 'unknown'));
  }
  return callers.get(key)!;
}

/**
 * A stage in another account is read with credentials of that account: the toolchain's roles there (in the
 * `-access` stack) trust only CloudFormation, CodeBuild and the pipeline's own role, none a person can assume.
 */
export async function requireStageAccount(stage: StageConfig): Promise<void> {
  if (stage.account === undefined) {
    return;
  }
  const account = await callerAccount(stage);
  if (account !== stage.account) {
    throw new DayTwoError(`${stage.name}: runs in account ${stage.account}, but your credentials are for ${account}; the toolchain creates no role you can assume there (the roles of ${stage.accessStackName} trust only CloudFormation, CodeBuild and the pipeline), so run with AWS_PROFILE set to a profile of account ${stage.account}.`);
  }
}

/** "account 123456789012, region eu-west-1", or as much of it as the credentials tell. */
export async function whereWeLook(stage: StageConfig, region: string): Promise<string> {
  const account = await callerAccount(stage).catch(() => undefined);
  return account ? `account ${account}, region ${region}` : `region ${region}`;
}

/** The stage's stack, or a DayTwoError saying it is not deployed where the credentials and region point. */
export async function describeStack(stage: StageConfig): Promise<{ stack: Stack; cloudFormation: CloudFormationClient }> {
  await requireStageAccount(stage);
  const cloudFormation = new CloudFormationClient(clientConfig(stage));
  try {
    const { Stacks: stacks = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stage.stackName }));
    if (stacks[0] && stacks[0].StackStatus !== 'DELETE_COMPLETE') {
      return { stack: stacks[0], cloudFormation };
    }
  } catch (error) {
    if (!/does not exist/.test((error as Error).message ?? '')) {
      throw explain(error, stage.name);
    }
  }
  const where = await whereWeLook(stage, await cloudFormation.config.region());
  throw new DayTwoError(`${stage.name}: the stack ${stage.stackName} is not deployed (${where}): let the pipeline deploy it (push to the source branch), or point AWS_PROFILE and AWS_REGION at the stage's account.`);
}

/** An SDK error as one line naming the stage and what to do; a DayTwoError passes unchanged. */
export function explain(error: unknown, stage: string | undefined): DayTwoError {
  if (error instanceof DayTwoError) {
    return error;
  }
  const prefix = stage ? `${stage}: ` : '';
  const { name = 'Error', message = String(error) } = error as { name?: string; message?: string };
  const firstLine = message.split('\n')[0];
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(firstLine) && name !== 'AccessDeniedException') {
    return new DayTwoError(`${prefix}no AWS credentials found: sign in (aws sso login --profile <profile>, then AWS_PROFILE=<profile>) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then run this again.`);
  }
  if (/Region is missing/i.test(firstLine)) {
    return new DayTwoError(`${prefix}no AWS region: set AWS_REGION (or a region in your AWS profile) to the region the toolchain is deployed in.`);
  }
  if (/ExpiredToken|TokenRefreshRequired/.test(name)) {
    return new DayTwoError(`${prefix}your AWS session has expired: sign in again (aws sso login), then run this again.`);
  }
  if (/AccessDenied|UnauthorizedOperation|Unauthorized/.test(name)) {
    return new DayTwoError(`${prefix}AWS refused the call (${name}): ${firstLine} Use credentials that may read the stage (AWS_PROFILE).`);
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(`${name} ${firstLine} ${(error as { code?: string }).code ?? ''}`)) {
    return new DayTwoError(`${prefix}cannot reach AWS (${firstLine}): check your network, and AWS_ENDPOINT_URL if you set it.`);
  }
  return new DayTwoError(`${prefix}${name}: ${firstLine}`);
}

/** ISO time to the second, in UTC: the same in a terminal and in CI logs. */
export function formatTime(time: Date | number | undefined): string {
  if (time === undefined) {
    return '-';
  }
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}