import { Component, Project, TextFile } from 'projen';
import { renderAsset } from '../assets';
import { PRODUCTION_STAGE_NAMES, stackName } from '../contract';
import { ServiceSettings } from '../options';
import { AppRuntimeDefinition } from '../runtimes/runtime';

/** Where the managed guide lives; the user-owned README.md links to it. */
export const SERVICE_GUIDE_PATH = 'docs/service.md';

/**
 * The managed `docs/service.md`: the values `.projenrc.ts` sets today (port,
 * health path, stages, runtime, source, task size) and the commands that use
 * them, rewritten on every synth so it cannot go stale the way a README
 * written once does. The user's README.md only links to it.
 */
export class ServiceGuide extends Component {
  /** The managed `docs/service.md`. */
  public readonly file: TextFile;

  constructor(project: Project, settings: ServiceSettings, runtime: AppRuntimeDefinition, nodeVersion: number) {
    super(project);
    const values = {
      serviceName: settings.serviceName,
      containerPort: settings.containerPort,
      healthCheckPath: settings.healthCheckPath,
      // The smoke test's base URL is the service's URL, which on a platform path ends in it.
      platformPath: settings.platformPath ?? '',
      // Only runtimes whose checks can fix what they find have app:fix.
      fixLine: project.tasks.tryFind('app:fix') ? 'npx projen app:fix      # apply the formatting and lint fixes app:test reports (app:test only checks)\n' : '',
      ...containerValues(project, runtime),
    };
    // The team's own container has no app of this package's: its parts of the guide say what is the team's instead.
    const part = (name: string) => renderAsset(`guide/${runtime.appCommands ? 'app' : 'container'}-${name}.md`, values).replace(/\n$/, '');
    const rendered = renderAsset('service-guide.md', {
      everyDay: part('every-day'),
      localRun: part('local-run'),
      dependencies: part('dependencies'),
      appFiles: part('files'),
      nodeVersion,
      serviceName: settings.serviceName,
      runtime: runtime.displayName,
      runtimeVersion: runtime.versionName,
      localPrerequisite: runtime.localPrerequisite ? ` and ${runtime.localPrerequisite}` : '',
      containerPort: settings.containerPort,
      healthCheckPath: settings.healthCheckPath,
      stages: stagesInOrder(settings.stages),
      source: sourceDescription(settings),
      sourceBranch: settings.source.branch,
      cpu: settings.cpu,
      memoryMiB: settings.memoryMiB,
      minContainers: settings.minContainers,
      maxContainers: settings.maxContainers,
      autoScalingTargetCpu: settings.autoScalingTargetCpu,
      firstStage: settings.stages[0],
      executeCommandStages: describeExecuteCommandStages(settings),
      environmentStageOptions: stageOptionsExample(settings, (_stage, index) => (index === 0 ? 'environment: { GREETING: \'Hello from this stage\' }' : undefined)),
      sizeStageOptions: stageOptionsExample(settings, (_stage, index) => (index === settings.stages.length - 1 ? 'cpu: 1024, memory: 2048' : undefined)),
      approvalStages: describeApprovalStages(settings),
      stagesWithOneMore: stagesWithOneMore(settings.stages),
      decommissionCommands: decommissionCommands(settings),
      retainedRepositories: retainedRepositories(settings),
    });
    // The asset carries its own "Managed by" line; projen's marker would be a second one.
    this.file = new TextFile(project, SERVICE_GUIDE_PATH, { lines: rendered.replace(/\n$/, '').split('\n'), readonly: true, marker: false });
  }
}

/** The container runtime's values: its Dockerfile, and its tests when `testCommand` gives some. */
function containerValues(project: Project, runtime: AppRuntimeDefinition): Record<string, string> {
  const testCommand = project.tasks.tryFind('app:test')?.steps[0]?.exec;
  return {
    dockerfile: `\`${runtime.image.dockerfile}\``,
    testLine: testCommand ? `npx projen app:test     # ${testCommand}\n` : '',
    buildWhat: testCommand ? 'run the tests (testCommand), ' : '',
  };
}

/** `dev`, then a manual approval, then `production`: the pipeline's order in words. */
function stagesInOrder(stages: string[]): string {
  return stages.map((stage) => (PRODUCTION_STAGE_NAMES.includes(stage) ? `manual approval, then \`${stage}\`` : `\`${stage}\``)).join(', then ');
}

/** Which stages allow ECS Exec, in words: `dev` today; `none` when no stage does. */
function describeExecuteCommandStages(settings: ServiceSettings): string {
  const stages = settings.stageSettings.filter(stage => stage.enableExecuteCommand).map(stage => `\`${stage.name}\``);
  return stages.length > 0 ? `${stages.join(', ')} today` : 'none today';
}

function sourceDescription({ serviceName, source }: ServiceSettings): string {
  if (source.connectionArn) {
    return `\`${source.repository}\`, branch \`${source.branch}\`, through the CodeConnections connection \`${source.connectionArn}\``;
  }
  return `the CodeCommit repository \`${serviceName}\` the toolchain creates, branch \`${source.branch}\``;
}

/** `[{ name: 'dev', <fields> }, { name: 'production' }]`: the service's own stages with `fields` where it returns some. */
function stageOptionsExample(settings: ServiceSettings, fields: (stage: string, index: number) => string | undefined): string {
  return `[${settings.stages.map((stage, index) => {
    const extra = fields(stage, index);
    return `{ name: '${stage}'${extra ? `, ${extra}` : ''} }`;
  }).join(', ')}]`;
}

function describeApprovalStages(settings: ServiceSettings): string {
  const stages = settings.stageSettings.filter(stage => stage.approvalRequired).map(stage => `\`${stage.name}\``);
  if (stages.length === 0) {
    return 'No stage waits for an approval today (`approval: true` in a stage\'s `stageOptions` adds one).';
  }
  return `${stages.join(' and ')} ${stages.length === 1 ? 'waits' : 'wait'} for a manual approval before each deploy.`;
}

/** The stages with `staging` before the last one, as an example of a stage added in pipeline order. */
function stagesWithOneMore(stages: string[]): string {
  const added = stages.includes('staging') ? 'qa' : 'staging';
  const withOneMore = stages.length > 1 ? [...stages.slice(0, -1), added, stages[stages.length - 1]] : [...stages, added];
  return `[${withOneMore.map(stage => `'${stage}'`).join(', ')}]`;
}

/**
 * Each stage's stack deleted, last stage first, then the toolchain: a production load balancer refuses deletion until
 * its protection is turned off, and a stage in another account is deleted there, with that account's credentials.
 */
function decommissionCommands(settings: ServiceSettings): string {
  const pad = (command: string) => command.padEnd(48);
  const elsewhere: string[] = [];
  const lines = [...settings.stageSettings].reverse().flatMap(stage => {
    const stack = stackName(settings.serviceName, stage.name);
    const region = stage.region ? ` --region ${stage.region}` : '';
    const where = stage.account ? ` (with AWS_PROFILE of account ${stage.account})` : '';
    if (stage.account) {
      elsewhere.push(stage.name);
    }
    const protection = PRODUCTION_STAGE_NAMES.includes(stage.name)
      ? [`aws elbv2 modify-load-balancer-attributes${region} --load-balancer-arn "$(aws elbv2 describe-load-balancers${region} --names ${stack} --query 'LoadBalancers[0].LoadBalancerArn' --output text)" --attributes Key=deletion_protection.enabled,Value=false  # needs an AWS account${where}: ${stage.name}'s load balancer refuses deletion until this`]
      : [];
    return [
      ...protection,
      `${pad(`aws cloudformation delete-stack${region} --stack-name ${stack}`)} # needs an AWS account${where}: the stage's service, load balancer, alarms and dashboard`,
      `${pad(`aws cloudformation wait stack-delete-complete${region} --stack-name ${stack}`)} # needs an AWS account${where}`,
    ];
  });
  const destroy = elsewhere.length > 0 ? `STAGES_DELETED_ELSEWHERE=${elsewhere.join(',')} npx projen destroy` : 'npx projen destroy';
  lines.push(`${pad(destroy)} # needs an AWS account: checks that no stage stack is left, then cdk destroy --all on the toolchain app`);
  return lines.join('\n');
}

function retainedRepositories({ serviceName, source }: ServiceSettings): string {
  const repositories = source.connectionArn
    ? `The ECR repository \`${serviceName}\` is`
    : `The ECR repository \`${serviceName}\` and the CodeCommit repository \`${serviceName}\` are`;
  return `${repositories} retained with their contents; delete ${source.connectionArn ? 'it' : 'them'} yourself when nothing needs ${source.connectionArn ? 'it' : 'them'} any more.`;
}
