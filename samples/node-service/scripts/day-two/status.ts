// Managed by projen-codestar-fargate: `npx projen status [stage]`; edit .projenrc.ts and run `npx projen` instead.
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CodePipelineClient, GetPipelineStateCommand, ListPipelineExecutionsCommand, PipelineExecutionSummary } from '@aws-sdk/client-codepipeline';
import { DescribeServiceDeploymentsCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, ListServiceDeploymentsCommand, Service } from '@aws-sdk/client-ecs';
import { clientConfig, DayTwoError, describeStack, explain, formatTime, ServiceConfig, StageConfig } from './aws';

/** What `status` reports of one stage; `--json` prints these. */
export interface StageStatus {
  readonly stage: string;
  readonly stack?: { readonly name: string; readonly status?: string };
  readonly tasks?: { readonly running: number; readonly desired: number; readonly pending: number };
  readonly deployment?: {
    readonly strategy: string;
    readonly rolloutState?: string;
    readonly reason?: string;
    /** Percent of production traffic on the new revision, while a canary, linear or blue/green release shifts it. */
    readonly trafficShiftedPercent?: number;
    readonly startedAt?: string;
  };
  readonly image?: string;
  readonly alarmsInAlarm?: string[];
  readonly pipeline?: PipelineStatus;
  /** Why the stage could not be read; the other fields are then absent. */
  readonly error?: string;
}

/** The pipeline's last run through the stage: its state, the commit it carried and when it started. */
export interface PipelineStatus {
  readonly status?: string;
  readonly executionId?: string;
  readonly commit?: string;
  readonly startedAt?: string;
  readonly error?: string;
}

/** Strategies that move traffic between two fleets, whose progress is a traffic weight. */
const SHIFTING_STRATEGIES = ['BLUE_GREEN', 'CANARY', 'LINEAR'];

export async function status(config: ServiceConfig, stages: StageConfig[], json: boolean, oneStage: boolean): Promise<number> {
  const pipeline = pipelineStates(config);
  const results: StageStatus[] = [];
  for (const stage of stages) {
    try {
      results.push(await stageStatus(config, stage, pipeline));
    } catch (error) {
      if (oneStage) {
        throw explain(error, stage.name);
      }
      results.push({ stage: stage.name, error: explain(error, stage.name).message });
    }
  }
  if (results.every(result => result.error !== undefined)) {
    // Nothing answered (credentials, region, an empty account): each stage's reason, one line each, and no table.
    throw new DayTwoError(results.map(result => result.error).join('\n'));
  }
  if (json) {
    console.log(JSON.stringify(oneStage ? results[0] : results, null, 2));
  } else if (oneStage) {
    console.log(describeInDetail(config, results[0]));
  } else {
    const width = Math.max(...results.map(result => result.stage.length));
    results.forEach(result => console.log(describeInOneLine(result, width)));
  }
  return results.some(result => result.error !== undefined) ? 1 : 0;
}

async function stageStatus(config: ServiceConfig, stage: StageConfig, pipeline: Promise<Map<string, PipelineStatus>>): Promise<StageStatus> {
  const { stack } = await describeStack(stage);
  const ecs = new ECSClient(clientConfig(stage));
  const { services = [] } = await ecs.send(new DescribeServicesCommand({ cluster: stage.clusterName, services: [config.serviceName] }));
  const service = services.find(candidate => candidate.status !== 'INACTIVE');
  const [deployment, image, alarmsInAlarm] = service
    ? await Promise.all([deploymentStatus(ecs, stage, service), imageOf(ecs, config, service), alarmsOf(stage)])
    : [undefined, undefined, await alarmsOf(stage)];
  return {
    stage: stage.name,
    stack: { name: stage.stackName, status: stack.StackStatus },
    ...(service ? { tasks: { running: service.runningCount ?? 0, desired: service.desiredCount ?? 0, pending: service.pendingCount ?? 0 } } : {}),
    ...(deployment ? { deployment } : {}),
    ...(image ? { image } : {}),
    alarmsInAlarm,
    pipeline: (await pipeline).get(stage.name) ?? { error: 'the pipeline has not run this stage yet' },
  };
}

async function deploymentStatus(ecs: ECSClient, stage: StageConfig, service: Service): Promise<StageStatus['deployment']> {
  const primary = service.deployments?.find(deployment => deployment.status === 'PRIMARY') ?? service.deployments?.[0];
  const strategy = service.deploymentConfiguration?.strategy ?? 'ROLLING';
  let trafficShiftedPercent: number | undefined;
  if (SHIFTING_STRATEGIES.includes(strategy) && primary?.rolloutState === 'IN_PROGRESS') {
    const { serviceDeployments = [] } = await ecs.send(new ListServiceDeploymentsCommand({ cluster: stage.clusterName, service: service.serviceName, status: ['IN_PROGRESS'] }));
    const arns = serviceDeployments.map(summary => summary.serviceDeploymentArn!).filter(Boolean);
    if (arns.length > 0) {
      const described = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns.slice(0, 1) }));
      trafficShiftedPercent = described.serviceDeployments?.[0]?.targetServiceRevision?.requestedProductionTrafficWeight;
    }
  }
  return {
    strategy,
    ...(primary?.rolloutState ? { rolloutState: primary.rolloutState } : {}),
    ...(primary?.rolloutStateReason ? { reason: primary.rolloutStateReason } : {}),
    ...(trafficShiftedPercent !== undefined ? { trafficShiftedPercent } : {}),
    ...(primary?.createdAt ? { startedAt: formatTime(primary.createdAt) } : {}),
  };
}

/** The image the service's current task definition runs: `<repository>@sha256:<digest>`, as the pipeline deploys it. */
async function imageOf(ecs: ECSClient, config: ServiceConfig, service: Service): Promise<string | undefined> {
  const primary = service.deployments?.find(deployment => deployment.status === 'PRIMARY');
  const taskDefinition = primary?.taskDefinition ?? service.taskDefinition;
  if (!taskDefinition) {
    return undefined;
  }
  const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
  const containers = described.taskDefinition?.containerDefinitions ?? [];
  return (containers.find(container => container.name === config.containerName) ?? containers[0])?.image;
}

async function alarmsOf(stage: StageConfig): Promise<string[]> {
  const cloudWatch = new CloudWatchClient(clientConfig(stage));
  const { MetricAlarms: alarms = [] } = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: stage.alarmNames, StateValue: 'ALARM' }));
  return alarms.map(alarm => alarm.AlarmName!).filter(Boolean);
}

/**
 * Per stage, the pipeline's latest run through it. The pipeline lives in the toolchain's account; a stage's line
 * still shows when it cannot be read (e.g. with credentials of a stage's own account).
 */
async function pipelineStates(config: ServiceConfig): Promise<Map<string, PipelineStatus>> {
  const byStage = new Map<string, PipelineStatus>();
  const codePipeline = new CodePipelineClient({});
  try {
    const [state, executions] = await Promise.all([
      codePipeline.send(new GetPipelineStateCommand({ name: config.pipelineName })),
      codePipeline.send(new ListPipelineExecutionsCommand({ pipelineName: config.pipelineName, maxResults: 50 })),
    ]);
    const summaries = new Map<string, PipelineExecutionSummary>(
      (executions.pipelineExecutionSummaries ?? []).map(summary => [summary.pipelineExecutionId!, summary]));
    for (const stageState of state.stageStates ?? []) {
      const latest = stageState.latestExecution;
      if (!stageState.stageName || !latest) {
        continue;
      }
      const summary = summaries.get(latest.pipelineExecutionId ?? '');
      const commit = summary?.sourceRevisions?.[0]?.revisionId;
      byStage.set(stageState.stageName, {
        status: latest.status,
        executionId: latest.pipelineExecutionId,
        ...(commit ? { commit: commit.slice(0, 12) } : {}),
        ...(summary?.startTime ? { startedAt: formatTime(summary.startTime) } : {}),
      });
    }
  } catch (error) {
    const reason = explain(error, undefined).message;
    config.stages.forEach(stage => byStage.set(stage.name, { error: `pipeline ${config.pipelineName} not readable: ${reason}` }));
  }
  return byStage;
}

function describeInOneLine(result: StageStatus, width: number): string {
  const name = result.stage.padEnd(width);
  if (result.error !== undefined) {
    return `${name}  ${result.error.replace(`${result.stage}: `, '')}`;
  }
  const parts = [
    result.stack?.status ?? '-',
    result.tasks ? `${result.tasks.running}/${result.tasks.desired} running${result.tasks.pending ? `, ${result.tasks.pending} pending` : ''}` : 'no service',
    result.deployment ? deploymentInWords(result.deployment) : '-',
    result.image ? shortImage(result.image) : 'image -',
    result.alarmsInAlarm?.length ? `ALARM: ${result.alarmsInAlarm.join(', ')}` : 'no alarm',
    `pipeline ${pipelineInWords(result.pipeline)}`,
  ];
  return `${name}  ${parts.join('  ')}`;
}

function describeInDetail(config: ServiceConfig, result: StageStatus): string {
  const rows: Array<[string, string]> = [
    ['stack', `${result.stack?.name} ${result.stack?.status ?? ''}`.trim()],
    ['tasks', result.tasks ? `${result.tasks.running} running, ${result.tasks.desired} desired, ${result.tasks.pending} pending` : `no ECS service ${config.serviceName} in the stack's cluster yet`],
    ['deployment', result.deployment ? `${deploymentInWords(result.deployment)}${result.deployment.startedAt ? `, started ${result.deployment.startedAt}` : ''}${result.deployment.reason ? ` (${result.deployment.reason})` : ''}` : '-'],
    ['image', result.image ?? '-'],
    ['alarms', result.alarmsInAlarm?.length ? `in ALARM: ${result.alarmsInAlarm.join(', ')}` : 'none in ALARM'],
    ['pipeline', pipelineInWords(result.pipeline)],
  ];
  return [`${config.serviceName} ${result.stage}`, ...rows.map(([label, value]) => `  ${label.padEnd(10)}  ${value}`)].join('\n');
}

function deploymentInWords(deployment: NonNullable<StageStatus['deployment']>): string {
  const shifted = deployment.trafficShiftedPercent !== undefined ? `, ${deployment.trafficShiftedPercent}% of traffic shifted` : '';
  return `${deployment.strategy} ${deployment.rolloutState ?? ''}${shifted}`.trim();
}

function pipelineInWords(pipeline: PipelineStatus | undefined): string {
  if (!pipeline || pipeline.error !== undefined) {
    return pipeline?.error ?? '-';
  }
  return [pipeline.status, pipeline.commit ? `commit ${pipeline.commit}` : undefined, pipeline.startedAt ? `started ${pipeline.startedAt}` : undefined]
    .filter(Boolean).join(', ');
}

/** `sha256:` and 12 hex digits: enough to tell images apart in a line. */
function shortImage(image: string): string {
  const digest = image.split('@')[1];
  return digest ? digest.slice(0, 'sha256:'.length + 12) : image.split('/').pop()!;
}