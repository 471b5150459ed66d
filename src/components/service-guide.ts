import { Component, Project, TextFile } from 'projen';
import { renderAsset } from '../assets';
import { PRODUCTION_STAGE_NAMES } from '../contract';
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
    const rendered = renderAsset('service-guide.md', {
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
      // Only runtimes whose checks can fix what they find have app:fix.
      firstStage: settings.stages[0],
      executeCommandStages: describeExecuteCommandStages(settings),
      fixLine: project.tasks.tryFind('app:fix') ? 'npx projen app:fix      # apply the formatting and lint fixes app:test reports (app:test only checks)\n' : '',
    });
    // The asset carries its own "Managed by" line; projen's marker would be a second one.
    this.file = new TextFile(project, SERVICE_GUIDE_PATH, { lines: rendered.replace(/\n$/, '').split('\n'), readonly: true, marker: false });
  }
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
