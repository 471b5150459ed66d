// Managed by projen-codestar-fargate: `npx projen exec <stage> [-- command]`; edit .projenrc.ts and run `npx projen` instead.
import { spawn, spawnSync } from 'child_process';
import { DescribeServicesCommand, DescribeTasksCommand, ECSClient, ExecuteCommandCommand, ListTasksCommand, Task } from '@aws-sdk/client-ecs';
import { clientConfig, DayTwoError, describeStack, explain, ServiceConfig, StageConfig } from './aws';

/** The program the AWS CLI also hands an ECS Exec session to; it holds the WebSocket to the task. */
const SESSION_MANAGER_PLUGIN = 'session-manager-plugin';

const INSTALL_PLUGIN = 'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html';

export interface ExecOptions {
  /** What to run in the container; a shell when left out. */
  readonly command: string[];
  /** A task id to exec into; the first running task when left out. */
  readonly task?: string;
}

export async function exec(config: ServiceConfig, stage: StageConfig, options: ExecOptions): Promise<number> {
  requireSessionManagerPlugin();
  await describeStack(stage);
  const ecs = new ECSClient(clientConfig(stage));
  try {
    const { services = [] } = await ecs.send(new DescribeServicesCommand({ cluster: stage.clusterName, services: [config.serviceName] }));
    const service = services.find(candidate => candidate.status !== 'INACTIVE');
    if (!service) {
      throw new DayTwoError(`${stage.name}: the stack has no ECS service ${config.serviceName} in cluster ${stage.clusterName} yet: wait for the pipeline's deploy to finish (npx projen status ${stage.name}).`);
    }
    // ECS always reports the flag; without it (a stand-in such as moto), what .projenrc.ts asked for.
    if (!(service.enableExecuteCommand ?? stage.enableExecuteCommand)) {
      throw new DayTwoError(`${stage.name}: ECS Exec is off for this stage: set enableExecuteCommand: true in its stageOptions in .projenrc.ts, run npx projen, and let the pipeline deploy it${stage.approvalRequired ? ' (for production, consider turning it on only while you need it)' : ''}.`);
    }
    const task = await runningTask(ecs, config, stage, options.task);
    const container = task.containers?.find(candidate => candidate.name === config.containerName);
    const taskId = task.taskArn!.split('/').pop()!;
    const command = options.command.length > 0 ? options.command.join(' ') : '/bin/sh';
    const { session } = await ecs.send(new ExecuteCommandCommand({
      cluster: stage.clusterName,
      task: task.taskArn,
      container: config.containerName,
      interactive: true,
      command,
    }));
    if (!session?.sessionId) {
      throw new DayTwoError(`${stage.name}: ECS returned no session for task ${taskId}: run npx projen exec ${stage.name} again.`);
    }
    const region = await ecs.config.region();
    console.error(`${stage.name}: ${command} in task ${taskId} (container ${config.containerName}); the session is logged to the stage's log group.`);
    // The AWS CLI's own hand-over: the session, the region, the operation, the profile, the target and SSM's endpoint.
    const target = { Target: `ecs:${stage.clusterName}_${taskId}_${container?.runtimeId ?? ''}` };
    return await new Promise<number>((resolve, reject) => {
      const plugin = spawn(SESSION_MANAGER_PLUGIN, [
        JSON.stringify(session), region, 'StartSession', process.env.AWS_PROFILE ?? '', JSON.stringify(target), `https://ssm.${region}.amazonaws.com`,
      ], { stdio: 'inherit' });
      // The plugin handles Ctrl+C inside the session; this process must not exit on it first.
      const ignore = () => undefined;
      process.on('SIGINT', ignore);
      plugin.on('error', reject);
      plugin.on('exit', code => {
        process.off('SIGINT', ignore);
        resolve(code ?? 1);
      });
    });
  } catch (error) {
    throw explain(error, stage.name);
  }
}

function requireSessionManagerPlugin(): void {
  const probe = spawnSync(SESSION_MANAGER_PLUGIN, ['--version'], { encoding: 'utf-8' });
  if ((probe.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new DayTwoError(`exec needs the AWS Session Manager plugin (${SESSION_MANAGER_PLUGIN}), which is not on your PATH: install it as ${INSTALL_PLUGIN} describes (macOS: brew install --cask session-manager-plugin), then run this again.`);
  }
}

async function runningTask(ecs: ECSClient, config: ServiceConfig, stage: StageConfig, wanted: string | undefined): Promise<Task> {
  const { taskArns = [] } = await ecs.send(new ListTasksCommand({ cluster: stage.clusterName, serviceName: config.serviceName, desiredStatus: 'RUNNING' }));
  const { tasks = [] } = taskArns.length > 0 ? await ecs.send(new DescribeTasksCommand({ cluster: stage.clusterName, tasks: taskArns })) : {};
  const running = tasks.filter(task => task.lastStatus === 'RUNNING');
  if (running.length === 0) {
    throw new DayTwoError(`${stage.name}: the service ${config.serviceName} in cluster ${stage.clusterName} has no running task to exec into: see npx projen status ${stage.name} and npx projen logs ${stage.name} for why.`);
  }
  if (wanted === undefined) {
    return running[0];
  }
  const task = running.find(candidate => candidate.taskArn!.endsWith(`/${wanted}`));
  if (!task) {
    throw new DayTwoError(`${stage.name}: --task ${wanted} is not a running task of ${config.serviceName}: use one of ${running.map(candidate => candidate.taskArn!.split('/').pop()).join(', ')}.`);
  }
  return task;
}