import { Stack, Stage, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { accessStackName, stackName } from '../contract';
import { acknowledgeArtifactGrants } from './findings';
import type { PipelineStage } from './pipeline-props';

/** An AWS account id and a region name. */
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * The stack in a stage's own account that holds what must live there (deploy
 * role, permissions boundary, stage guard), or undefined for a stage in the
 * pipeline's own environment.
 */
export function stageEnvironment(pipeline: Construct, serviceName: string, stage: PipelineStage): Stack | undefined {
  const pipelineStack = Stack.of(pipeline);
  const account = stage.account ?? pipelineStack.account;
  const region = stage.region ?? pipelineStack.region;
  if (account === pipelineStack.account && region === pipelineStack.region) {
    return undefined;
  }
  const scope = Stage.of(pipeline) ?? pipelineStack.node.scope;
  const environment = new Stack(scope!, accessStackName(serviceName, stage.name), {
    env: { account, region },
    description: `What ${stackName(serviceName, stage.name)} needs in its own account or region: its deploy role, permissions boundary and stage guard`,
  });
  environment.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
  return environment;
}

/**
 * Acknowledges what the CDK's cross-account wiring grants the roles in a
 * stage's own account: the artifact bucket, and its key written as "*".
 */
export function acknowledgeCrossAccountGrants(environment: Stack, artifactBucket: s3.IBucket): void {
  acknowledgeArtifactGrants(environment, artifactBucket);
  Validations.of(environment).acknowledge(
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Only KMS actions on the pipeline\'s artifact key in the pipeline\'s account, which the CDK writes as "*" in another account; the key\'s own policy names exactly these roles.',
    },
    {
      id: 'AwsSolutions-IAM5[Action::cloudformation:DescribeStack*]',
      reason: 'Read-only stack status calls of the deploy action, limited to the stage\'s own stack.',
    },
    {
      id: 'AwsSolutions-IAM5[Action::cloudformation:GetTemplate*]',
      reason: 'Read-only template calls of the deploy action, limited to the stage\'s own stack.',
    },
  );
}

/**
 * A stage elsewhere needs a pipeline that knows where it is, and a network there given by literal ids; a platform
 * stage's network is the platform's there, read from SSM in the stage's own account stack.
 */
export function validateStageEnvironment(stage: PipelineStage, path: string, pipelineStack: Stack, onPlatform: boolean): void {
  if (stage.account !== undefined && !ACCOUNT_ID.test(stage.account)) {
    throw new Error(`${path}.account ${JSON.stringify(stage.account)} is not allowed: it must be a 12-digit AWS account id such as "123456789012".`);
  }
  if (stage.region !== undefined && !REGION.test(stage.region)) {
    throw new Error(`${path}.region ${JSON.stringify(stage.region)} is not allowed: it must be an AWS region such as "eu-west-1": two lowercase letters, one or more "-" and lowercase words, then "-" and one digit.`);
  }
  if (stage.account === undefined && stage.region === undefined) {
    return;
  }
  if (Token.isUnresolved(pipelineStack.account) || Token.isUnresolved(pipelineStack.region)) {
    throw new Error(`${path}.account ${JSON.stringify(stage.account ?? null)} and ${path}.region ${JSON.stringify(stage.region ?? null)} need the pipeline's stack ${JSON.stringify(pipelineStack.stackName)} to have an explicit env: give it env: { account: "<pipeline account>", region: "<pipeline region>" } (and commit cdk.context.json, so synth needs no credentials).`);
  }
  const elsewhere = (stage.account ?? pipelineStack.account) !== pipelineStack.account
    || (stage.region ?? pipelineStack.region) !== pipelineStack.region;
  const subnets = stage.vpc ? [...stage.vpc.publicSubnets, ...stage.vpc.privateSubnets] : [];
  const vpcIds = stage.vpc ? [stage.vpc.vpcId, ...subnets.map(subnet => subnet.subnetId)] : [];
  if (elsewhere && !onPlatform && (!stage.vpc || vpcIds.some(id => Token.isUnresolved(id)))) {
    throw new Error(`${path}.vpc ${stage.vpc ? describeVpc(stage.vpc) : 'undefined'} is not allowed for a stage in account ${stage.account ?? pipelineStack.account}, region ${stage.region ?? pipelineStack.region}: give the network there by its ids, e.g. ec2.Vpc.fromVpcAttributes(stack, "ProductionVpc", { vpcId: "vpc-...", availabilityZones: [...], publicSubnetIds: [...], privateSubnetIds: [...] }).`);
  }
}

/** A VPC as an error message names it: its id, or its construct path while the id is a token. */
export function describeVpc(vpc: ec2.IVpc): string {
  return Token.isUnresolved(vpc.vpcId) ? `(${vpc.node.path})` : JSON.stringify(vpc.vpcId);
}
