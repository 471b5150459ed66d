import * as fs from 'fs';
import * as path from 'path';
import { OptionError } from '../errors';
import { STAGE_NAME } from '../stage-settings';
import { NotApplied } from './copilot-scope';
import { ManifestField } from './copilot-yaml';

/* The stage order and approvals of the Copilot pipeline that deploys the service, when the workspace has one. */

/** What the pipeline manifest says about the stages. */
export interface PipelineStages {
  /** The environments in deployment order. */
  readonly stages: string[];
  /** `requires_approval` where a stage gives it. */
  readonly approvals: { [stage: string]: boolean };
  /** `file:line` of the pipeline's `stages`. */
  readonly where: string;
}

/** Pipeline manifest fields that only name the pipeline itself. */
const PIPELINE_IDENTITY = ['name', 'version'];
const PIPELINE_ADVICE: Record<string, string> = {
  source: 'the pipeline\'s source is sourceConnectionArn, sourceRepository and sourceBranch (or a CodeCommit repository the toolchain creates)',
  build: 'the build is this package\'s buildspec.yml; run your tests with testCommand',
  test_commands: 'run tests before the image with testCommand; after a deploy, the smoke test requests the health path',
  pre_deployments: 'this package runs no actions before a stage\'s deploy',
  post_deployments: 'this package runs the smoke test after each deploy; other actions are not options',
  deployments: 'the pipeline deploys this service only',
};

/**
 * The stage order of `copilot/pipelines/<name>/manifest.yml` (or the older `copilot/pipeline.yml`) that deploys
 * `serviceName`, or undefined without one. An environment with overrides that the pipeline does not deploy to is
 * refused: every stage here deploys through the pipeline.
 */
export function orderedByPipeline(workspaceRoot: string, serviceName: string | undefined,
  environments: Array<{ name: string; field: ManifestField }>, notApplied: NotApplied[]): PipelineStages | undefined {
  const candidates = pipelineManifests(workspaceRoot)
    .map((file) => ManifestField.read(file, path.relative(workspaceRoot, file).split(path.sep).join('/')))
    .filter((pipeline) => deploys(pipeline, serviceName));
  if (candidates.length === 0) {
    return undefined;
  }
  const read = candidates.map((pipeline) => readPipeline(pipeline));
  const differing = read.find((pipeline) => pipeline.stages.join() !== read[0].stages.join());
  if (differing) {
    throw new OptionError(`${read[0].where} and ${differing.where}: pipelines deploying this service in different orders (${read[0].stages.join(', ')}; ${differing.stages.join(', ')}) are not allowed: this package has one pipeline. Keep the pipeline manifest whose order the stages take, and move the other out of copilot/pipelines.`);
  }
  const [pipeline] = read;
  candidates.forEach((manifest) => listPipelineFields(manifest, notApplied));
  for (const environment of environments) {
    if (!pipeline.stages.includes(environment.name)) {
      throw new OptionError(`${environment.field.where}: environments.${environment.name} is not allowed: the pipeline ${pipeline.where} deploys to ${pipeline.stages.join(', ')} only, and every stage here deploys through the pipeline. Add ${environment.name} to the pipeline's stages, or leave its overrides out.`);
    }
  }
  return pipeline;
}

function pipelineManifests(workspaceRoot: string): string[] {
  const folder = path.join(workspaceRoot, 'copilot', 'pipelines');
  const current = fs.existsSync(folder)
    ? fs.readdirSync(folder).sort().map((name) => path.join(folder, name, 'manifest.yml')).filter((file) => fs.existsSync(file))
    : [];
  const legacy = path.join(workspaceRoot, 'copilot', 'pipeline.yml');
  return fs.existsSync(legacy) ? [...current, legacy] : current;
}

/** A pipeline deploys every service of the workspace unless a stage's `deployments` names the services it deploys. */
function deploys(pipeline: ManifestField, serviceName: string | undefined): boolean {
  const stages = pipeline.get('stages');
  if (!stages.isList) {
    return true;
  }
  const named = stages.items('stages').map((stage) => stage.get('deployments')).filter((deployments) => deployments.present);
  return named.length === 0 || serviceName === undefined || named.some((deployments) => deployments.keys().includes(serviceName));
}

function readPipeline(pipeline: ManifestField): PipelineStages {
  const stages = pipeline.get('stages');
  if (!stages.present) {
    pipeline.refuse('a pipeline manifest lists its stages: stages: [{ name: test }, { name: prod }]');
  }
  const names: string[] = [];
  const approvals: { [stage: string]: boolean } = {};
  for (const stage of stages.items('stages, each { name: <environment> }')) {
    const name = stage.get('name');
    const stageName = name.string('an environment\'s name');
    if (!STAGE_NAME.test(stageName)) {
      name.refuse('each Copilot environment becomes a stage here, and a stage\'s name must start with a lowercase letter and contain only lowercase letters and digits (at most 16 characters)');
    }
    names.push(stageName);
    const approval = stage.get('requires_approval');
    if (approval.present) {
      approvals[stageName] = approval.boolean();
    }
  }
  return { stages: names, approvals, where: stages.where };
}

/** Everything a pipeline manifest says besides its name, stage order and approvals, listed by file and field. */
function listPipelineFields(pipeline: ManifestField, notApplied: NotApplied[]): void {
  const add = (field: ManifestField, key: string) => notApplied.push({
    field: `${pipeline.file}: ${field.path}`,
    where: field.where,
    advice: PIPELINE_ADVICE[key] ?? 'this package has no option for it (docs/copilot.md lists what maps)',
  });
  for (const [key, field] of pipeline.entries('pipeline fields')) {
    if (!field.present || PIPELINE_IDENTITY.includes(key)) continue;
    if (key !== 'stages') {
      add(field, key);
      continue;
    }
    for (const stage of field.items('stages')) {
      for (const [stageKey, value] of stage.entries('stage fields')) {
        if (value.present && !['name', 'requires_approval'].includes(stageKey)) add(value, stageKey);
      }
    }
  }
}
