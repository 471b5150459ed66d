// What a deployed service looks like to the day-two commands, seeded into moto with the names the real toolchain gives.
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CodePipelineClient, CreatePipelineCommand, StartPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import { CreateRepositoryCommand, DescribeImagesCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { deployedTagPrefix, logGroupPrefix, stackName, StageAlarm, stageAlarmName } from '../src/contract';

export const SERVICE = 'orders-api';
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const REPOSITORY_URI = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${SERVICE}`;
/** The task id the awslogs driver puts at the end of each stream name. */
export const TASK_ID = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

/** moto speaks CloudWatch's query protocol only, not the JSON one SDK v3 now sends: its alarms' states, as CloudWatch keeps them. */
export const ALARM_STATES: Record<string, string> = Object.fromEntries(['dev', 'production'].flatMap(stage =>
  Object.values(StageAlarm).map(what => [stageAlarmName(SERVICE, stage, what), stage === 'dev' && what === StageAlarm.ERROR_RATE ? 'ALARM' : 'OK'])));

/** CloudWatch's DescribeAlarms over ALARM_STATES: the alarms named, in the state asked for. */
export function describeAlarms(parameters: Record<string, unknown>): Record<string, unknown> {
  const names = (parameters.AlarmNames as string[] | undefined) ?? Object.keys(ALARM_STATES);
  return {
    MetricAlarms: names.filter(name => ALARM_STATES[name] !== undefined && (!parameters.StateValue || ALARM_STATES[name] === parameters.StateValue))
      .map(name => ({ AlarmName: name, StateValue: ALARM_STATES[name] })),
  };
}

/** What the seed created, for the tests to expect. */
export interface Seeded {
  /** The digests of the three images dev ran, oldest first; dev runs the last. */
  readonly digests: string[];
  readonly deployRoleArn: string;
  readonly executionId: string;
  readonly logGroupName: string;
}

export function clientOptions(endpoint: string) {
  return { endpoint, region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
}

/** The stage's stack reduced to what moto deploys faithfully: the template's parameters and its log group, named alike. */
function stageTemplate(stage: string): string {
  return JSON.stringify({
    Parameters: { Stage: { Type: 'String' }, ImageUri: { Type: 'String' }, DeploymentStrategy: { Type: 'String', Default: 'ROLLING' } },
    Resources: {
      LogGroup: {
        Type: 'AWS::Logs::LogGroup',
        Properties: {
          LogGroupName: { 'Fn::Join': ['', [logGroupPrefix(SERVICE, stage), { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }]] },
        },
      },
    },
  });
}

export async function seedService(endpoint: string): Promise<Seeded> {
  const options = clientOptions(endpoint);
  const cloudFormation = new CloudFormationClient(options);
  const { deployRoleArn, pipelineRoleArn } = await createToolchain(cloudFormation);

  const digests = await pushImagesDevRan(new ECRClient(options));
  const image = `${REPOSITORY_URI}@${digests[2]}`;
  await cloudFormation.send(new CreateStackCommand({
    StackName: stackName(SERVICE, 'dev'),
    TemplateBody: stageTemplate('dev'),
    RoleARN: deployRoleArn,
    Capabilities: ['CAPABILITY_IAM'],
    // Every parameter given, as the pipeline's deploy action gives them (moto keeps no defaults for UsePreviousValue).
    Parameters: [{ ParameterKey: 'Stage', ParameterValue: 'dev' }, { ParameterKey: 'ImageUri', ParameterValue: image }, { ParameterKey: 'DeploymentStrategy', ParameterValue: 'ROLLING' }],
  }));
  const { Stacks: [stack] = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName(SERVICE, 'dev') }));
  const logGroupName = `${logGroupPrefix(SERVICE, 'dev')}${stack!.StackId!.split('/')[2]}`;
  await cloudFormation.send(new CreateStackCommand({
    StackName: stackName(SERVICE, 'production'),
    TemplateBody: stageTemplate('production'),
    RoleARN: deployRoleArn,
    Parameters: [{ ParameterKey: 'Stage', ParameterValue: 'production' }, { ParameterKey: 'ImageUri', ParameterValue: `${REPOSITORY_URI}@${digests[1]}` }],
  }));

  await seedLogs(new CloudWatchLogsClient(options), logGroupName);
  await seedServices(new ECSClient(options), image);

  const codePipeline = new CodePipelineClient(options);
  await codePipeline.send(new CreatePipelineCommand({
    pipeline: {
      name: SERVICE,
      roleArn: pipelineRoleArn,
      artifactStore: { type: 'S3', location: 'orders-api-artifacts' },
      stages: ['Source', 'Build', 'dev', 'production'].map(name => ({
        name,
        actions: [{ name, actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' }, configuration: { ProjectName: name } }],
      })),
    },
  }));
  const { pipelineExecutionId } = await codePipeline.send(new StartPipelineExecutionCommand({ name: SERVICE }));
  return { digests, deployRoleArn, executionId: pipelineExecutionId!, logGroupName };
}

/** The toolchain stack's parts the seed needs: the stage's deploy role (CloudFormation's), and the pipeline's. */
async function createToolchain(cloudFormation: CloudFormationClient): Promise<{ deployRoleArn: string; pipelineRoleArn: string }> {
  const role = (service: string) => ({
    Type: 'AWS::IAM::Role',
    Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] } },
  });
  await cloudFormation.send(new CreateStackCommand({
    StackName: `${SERVICE}-toolchain`,
    Capabilities: ['CAPABILITY_IAM'],
    TemplateBody: JSON.stringify({
      Resources: {
        DeploymentRole: role('cloudformation.amazonaws.com'),
        PipelineRole: role('codepipeline.amazonaws.com'),
      },
      Outputs: {
        DeploymentRoleArn: { Value: { 'Fn::GetAtt': ['DeploymentRole', 'Arn'] } },
        PipelineRoleArn: { Value: { 'Fn::GetAtt': ['PipelineRole', 'Arn'] } },
      },
    }),
  }));
  const { Stacks: [toolchain] = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: `${SERVICE}-toolchain` }));
  const output = (key: string) => toolchain!.Outputs!.find(candidate => candidate.OutputKey === key)!.OutputValue!;
  return {
    deployRoleArn: output('DeploymentRoleArn'),
    pipelineRoleArn: output('PipelineRoleArn'),
  };
}

/** Three builds, each then tagged by the pipeline's record step as dev ran it, a second apart so push times differ. */
async function pushImagesDevRan(ecr: ECRClient): Promise<string[]> {
  await ecr.send(new CreateRepositoryCommand({ repositoryName: SERVICE }));
  const digests: string[] = [];
  for (const build of [1, 2, 3]) {
    const imageManifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 100 + build, digest: `sha256:${String(build).repeat(64)}` },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 1000 + build, digest: `sha256:${String(build).repeat(64)}` }],
    });
    await ecr.send(new PutImageCommand({ repositoryName: SERVICE, imageManifest, imageTag: `commit${build}` }));
    await ecr.send(new PutImageCommand({ repositoryName: SERVICE, imageManifest, imageTag: `${deployedTagPrefix('dev')}execution-${build}` }));
    const { imageDetails = [] } = await ecr.send(new DescribeImagesCommand({ repositoryName: SERVICE, imageIds: [{ imageTag: `commit${build}` }] }));
    digests.push(imageDetails[0].imageDigest!);
    await new Promise(resolve => setTimeout(resolve, 1100));
  }
  return digests;
}

async function seedLogs(logs: CloudWatchLogsClient, logGroupName: string): Promise<void> {
  const logStreamName = `ecs/${SERVICE}/${TASK_ID}`;
  await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
  const now = Date.now();
  await logs.send(new PutLogEventsCommand({
    logGroupName,
    logStreamName,
    logEvents: [
      { timestamp: now - 20 * 60_000, message: 'listening on 8080 (too old for --since 10m)' },
      { timestamp: now - 3 * 60_000, message: 'GET /orders 200' },
      { timestamp: now - 2 * 60_000, message: 'payment service timed out' },
      { timestamp: now - 60_000, message: 'GET /health 200' },
    ],
  }));
}

async function seedServices(ecs: ECSClient, image: string): Promise<void> {
  for (const stage of ['dev', 'production']) {
    const cluster = stackName(SERVICE, stage);
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    const { taskDefinition } = await ecs.send(new RegisterTaskDefinitionCommand({
      family: cluster,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: SERVICE, image, essential: true, memory: 512 }],
    }));
    await ecs.send(new CreateServiceCommand({
      cluster,
      serviceName: SERVICE,
      taskDefinition: taskDefinition!.taskDefinitionArn,
      desiredCount: 2,
      launchType: 'FARGATE',
      enableExecuteCommand: stage === 'dev',
    }));
  }
}
