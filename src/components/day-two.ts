import * as fs from 'fs';
import { Component, DependencyType, JsonFile, Project, Task, TextFile } from 'projen';
import { assetPath } from '../assets';
import { accessStackName, deployedTagPrefix, logGroupPrefix, stackName, StageAlarm, stageAlarmName, TemplateParameter } from '../contract';
import { ServiceSettings } from '../options';

/** Where the managed CLI lives in a generated service. */
export const DAY_TWO_DIR = 'scripts/day-two';

/** The CLI's source files, copied from `assets/day-two/` unchanged. */
export const DAY_TWO_SOURCES = ['cli.ts', 'aws.ts', 'status.ts', 'logs.ts', 'exec.ts', 'rollback.ts', 'destroy-guard.ts'];

/**
 * The AWS SDK for JavaScript v3 clients the CLI calls, pinned: the same versions as this package's own devDependencies,
 * which its tests run the CLI with against moto.
 */
export const DAY_TWO_SDK_VERSIONS: Readonly<Record<string, string>> = {
  '@aws-sdk/client-cloudformation': '3.1169.0',
  '@aws-sdk/client-cloudwatch': '3.1164.0',
  '@aws-sdk/client-cloudwatch-logs': '3.1169.0',
  '@aws-sdk/client-codepipeline': '3.1138.0',
  '@aws-sdk/client-ecr': '3.1169.0',
  '@aws-sdk/client-ecs': '3.1164.0',
  '@aws-sdk/client-sts': '3.1177.0',
};

/** template.yml's log group; the CLI asks the stack for its generated name. */
const LOG_GROUP_LOGICAL_ID = 'LogGroup';

const COMMANDS: Array<{ name: string; description: string }> = [
  { name: 'status', description: 'Each stage\'s pipeline run, tasks, deployment, image and alarms: status [stage] [--json] (needs AWS credentials)' },
  { name: 'logs', description: 'A stage\'s container logs: logs <stage> [--since 10m] [--follow] [--filter TEXT] [--json] (needs AWS credentials)' },
  { name: 'exec', description: 'ECS Exec into a running task of a stage: exec <stage> [--task ID] [-- command] (needs AWS credentials and the Session Manager plugin)' },
  { name: 'rollback', description: 'Redeploy the image a stage ran before, through its stack and deploy role: rollback <stage> [--yes] (needs AWS credentials)' },
];

/**
 * The on-call commands of a generated service, `npx projen status|logs|exec|rollback`: a managed TypeScript CLI in
 * `scripts/day-two/` on the AWS SDK for JavaScript v3, with the names of the service's stacks, clusters, log groups,
 * alarms, pipeline and deployed image tags in `service.json`, written from `.projenrc.ts` on every synth.
 */
export class DayTwoCommands extends Component {
  /** The tasks, by command name. */
  public readonly tasks: Record<string, Task> = {};
  /** `scripts/day-two/service.json`: the names the commands look for. */
  public readonly config: JsonFile;

  constructor(project: Project, settings: ServiceSettings) {
    super(project);
    for (const [name, version] of Object.entries(DAY_TWO_SDK_VERSIONS)) {
      project.deps.addDependency(`${name}@${version}`, DependencyType.BUILD);
    }
    for (const source of DAY_TWO_SOURCES) {
      new TextFile(project, `${DAY_TWO_DIR}/${source}`, {
        lines: fs.readFileSync(assetPath('day-two', source), 'utf-8').trimEnd().split('\n'),
        readonly: true,
        marker: false,
      });
    }
    this.config = new JsonFile(project, `${DAY_TWO_DIR}/service.json`, { obj: serviceConfig(settings), readonly: true });
    for (const { name, description } of COMMANDS) {
      // Plain node with ts-node's transpile-only hook, as the toolchain's synth runs: no type-check on every call.
      this.tasks[name] = project.addTask(name, {
        description,
        execArgs: ['node', '--require', 'ts-node/register/transpile-only', `${DAY_TWO_DIR}/cli.ts`, name],
        receiveArgs: true,
      });
    }
  }
}

/** What the CLI reads: every name from the same functions template.yml and the toolchain name things with. */
export function serviceConfig(settings: ServiceSettings): Record<string, unknown> {
  const { serviceName } = settings;
  return {
    serviceName,
    // CodeStarFargatePipeline names the pipeline and the ECR repository after the service; template.yml its container.
    pipelineName: serviceName,
    repositoryName: serviceName,
    containerName: serviceName,
    logGroupLogicalId: LOG_GROUP_LOGICAL_ID,
    imageParameter: TemplateParameter.IMAGE_URI,
    stages: settings.stageSettings.map(stage => ({
      name: stage.name,
      stackName: stackName(serviceName, stage.name),
      // template.yml names the cluster `<service>-<stage>`, like the stack.
      clusterName: stackName(serviceName, stage.name),
      logGroupPrefix: logGroupPrefix(serviceName, stage.name),
      deployedTagPrefix: deployedTagPrefix(stage.name),
      alarmNames: Object.values(StageAlarm).map(what => stageAlarmName(serviceName, stage.name, what)),
      enableExecuteCommand: stage.enableExecuteCommand,
      approvalRequired: stage.approvalRequired,
      ...(stage.account ? { account: stage.account, accessStackName: accessStackName(serviceName, stage.name) } : {}),
      ...(stage.region ? { region: stage.region } : {}),
    })),
  };
}
