import * as fs from 'fs';
import * as path from 'path';
import { PRODUCTION_STAGE_NAMES } from '../contract';
import { OptionError } from '../errors';
import { CodeStarFargateProjectOptions, StageOptions } from '../options';
import { DEFAULT_STAGES, STAGE_NAME } from '../stage-settings';
import { adviceFor } from './copilot-fields';
import { orderedByPipeline } from './copilot-pipeline';
import { NotApplied, perStageValues, readScope, ScopeValues, Sourced } from './copilot-scope';
import { ManifestField } from './copilot-yaml';

export type { NotApplied } from './copilot-scope';

/** The one Copilot service type this package deploys. */
const LOAD_BALANCED_WEB_SERVICE = 'Load Balanced Web Service';
const OTHER_TYPES = ['Backend Service', 'Worker Service', 'Scheduled Job', 'Request-Driven Web Service', 'Static Site'];

/** Options an import may set: the service's and its stages', never projen's own. */
export type ImportedOptions = { -readonly [K in keyof CodeStarFargateProjectOptions]?: CodeStarFargateProjectOptions[K] };

/** A Copilot manifest turned into options, with what it says that no option carries. */
export interface CopilotImport {
  readonly options: ImportedOptions;
  /** Where each option's value came from, e.g. `copilot/api/manifest.yml:12 (cpu)`, for conflicts. */
  readonly sources: { [option: string]: string };
  /** Fields not carried over, in the manifest's order, each with what to do instead. */
  readonly notApplied: NotApplied[];
  /** Values the import chose that the manifest does not say outright, to check. */
  readonly notes: string[];
}

/** Project-wide options an environment cannot change here: a different value in an override is listed, not applied. */
const PROJECT_ONLY: Array<['dockerfilePath' | 'dockerBuildContext' | 'containerPort' | 'healthCheckPath' | 'architecture', string]> = [
  ['dockerfilePath', 'image'], ['dockerBuildContext', 'image'], ['containerPort', 'image'],
  ['healthCheckPath', 'http.healthcheck'], ['architecture', 'platform'],
];
/** Values a stage of `stageOptions` takes from its environment. */
const STAGE_VALUES = ['cpu', 'memory', 'minContainers', 'maxContainers', 'autoScalingTargetCpu', 'environment', 'secrets', 'enableExecuteCommand'] as const;

/**
 * Reads a Copilot Load Balanced Web Service manifest (`copilot/<svc>/manifest.yml`, relative to `outdir`) into this
 * package's options. Other service types, malformed YAML and wrongly typed fields are refused with the file, line and
 * field; fields without an option here are returned in `notApplied`.
 */
export function importCopilotManifest(manifestPath: string, outdir: string, target: { readonly platformName?: unknown } = {}): CopilotImport {
  if (typeof manifestPath !== 'string' || manifestPath.trim() === '') {
    throw new OptionError(`copilotManifest ${JSON.stringify(manifestPath)} is not allowed: give the path of a Copilot service manifest, e.g. copilot/api/manifest.yml.`);
  }
  const file = path.resolve(outdir, manifestPath);
  const workspaceRoot = copilotWorkspaceRoot(file, outdir);
  const manifest = ManifestField.read(file, manifestPath, { application: workspaceApplication(workspaceRoot) });
  if (!manifest.isMap) {
    manifest.refuse('a Copilot service manifest is a map with name, type, image, http, ...');
  }
  refuseOtherTypes(manifest);
  const notApplied: NotApplied[] = [];
  const top = readScope(manifest, workspaceRoot, outdir, notApplied);
  const environments = manifest.get('environments').entries('environment names to overrides').map(([name, field]) => {
    if (!STAGE_NAME.test(name)) {
      throw new OptionError(`${field.where}: environments.${name} is not allowed: each Copilot environment becomes a stage here, and a stage's name must start with a lowercase letter and contain only lowercase letters and digits (at most 16 characters), e.g. "test" or "prod". Rename the environment in the manifest, or leave its overrides out.`);
    }
    return { name, field, values: field.present ? readScope(field, workspaceRoot, outdir, notApplied) : {} };
  });
  const pipeline = orderedByPipeline(workspaceRoot, top.serviceName?.value, environments, notApplied);
  const stageNames = pipeline?.stages ?? (environments.length > 0 ? environments.map((environment) => environment.name) : undefined);

  const options: ImportedOptions = { appRuntime: 'container' as any };
  const sources: { [option: string]: string } = { appRuntime: `${manifest.where} (type)` };
  const set = <K extends keyof ImportedOptions>(option: K, value: Sourced<ImportedOptions[K]> | undefined) => {
    // A map left empty once its per-stage entries moved to the stages says nothing.
    const empty = typeof value?.value === 'object' && Object.keys(value.value as object).length === 0;
    if (value !== undefined && !empty) {
      options[option] = value.value;
      sources[option] = `${value.field.where} (${value.field.path})`;
    }
  };
  const notes: string[] = [];
  const onPlatform = target.platformName !== undefined;
  applyPaths(top, environments, onPlatform, notApplied);
  if (top.healthCheckPath === undefined && top.platformPath !== undefined) {
    const field = manifest.get('http');
    notes.push(`${field.where}: the manifest names no health check path: healthCheckPath is "${top.platformPath.value}/health", the default under platformPath; check that the app answers it.`);
  } else if (top.healthCheckPath === undefined) {
    // Copilot's target group checks `/` when the manifest names no path; this package's default, /health, may not answer.
    top.healthCheckPath = { value: '/', field: manifest.get('http').present ? manifest.get('http') : manifest };
    notes.push(`${top.healthCheckPath.field.where}: the manifest names no health check path: healthCheckPath is "/", Copilot's default.`);
  }
  for (const option of ['serviceName', 'dockerfilePath', 'dockerBuildContext', 'containerPort', 'healthCheckPath', 'cpu', 'memory',
    'minContainers', 'maxContainers', 'autoScalingTargetCpu', 'architecture', 'environment', 'secrets', 'platformPath'] as const) {
    set(option, top[option] as Sourced<any> | undefined);
  }
  if (options.dockerfilePath === undefined) {
    // Copilot builds `image.build`; without one the service runs `image.location`, which is listed: the Dockerfile is the default.
    options.dockerfilePath = 'Dockerfile';
    sources.dockerfilePath = `${manifest.where} (image)`;
  }
  for (const environment of environments) {
    for (const [option, field] of PROJECT_ONLY) {
      const own = environment.values[option];
      const listed = notApplied.some((entry) => entry.field === own?.field.path && entry.where === own?.field.where);
      if (own !== undefined && !listed && JSON.stringify(own.value) !== JSON.stringify(top[option]?.value)) {
        notApplied.push({ field: own.field.path, where: own.field.where, advice: adviceFor(field) });
      }
    }
  }

  const names = stageNames ?? DEFAULT_STAGES;
  const byName = new Map(environments.map((environment) => [environment.name, environment.values]));
  const stages: StageOptions[] = names.map((name) => {
    const own = byName.get(name) ?? {};
    const stage: { -readonly [K in keyof StageOptions]?: StageOptions[K] } = { name };
    const perStage = perStageValues(top.perStage ?? [], name);
    for (const value of STAGE_VALUES) {
      const given = value === 'enableExecuteCommand' ? own.enableExecuteCommand ?? top.enableExecuteCommand : own[value];
      // The environment's own variables and secrets win over the top level's, as Copilot's overrides do.
      const merged = value === 'environment' || value === 'secrets' ? { ...perStage[value], ...given?.value as object } : given?.value;
      const empty = typeof merged === 'object' && Object.keys(merged).length === 0;
      if (merged !== undefined && !empty) {
        (stage as any)[value] = merged;
      }
    }
    const approval = pipeline?.approvals[name];
    if (approval !== undefined) {
      stage.approval = approval;
    }
    return stage as StageOptions;
  });
  if (onPlatform) {
    listDomainsOnPlatform(top, byName, notApplied);
  } else {
    applyDomains(stages, top, byName, options, sources, notApplied, notes);
  }
  if (stages.some((stage) => Object.keys(stage).length > 1)) {
    options.stageOptions = stages;
    sources.stageOptions = `${manifest.get('environments').present ? manifest.get('environments').where : manifest.where} (environments)`;
  } else if (stageNames !== undefined) {
    options.stages = stageNames;
    sources.stages = `${pipeline?.where ?? manifest.get('environments').where} (${pipeline ? 'stages' : 'environments'})`;
  }
  const order = (entry: NotApplied) => entry.where.replace(/:(\d+)$/, (_match, line: string) => `:${line.padStart(6, '0')}`);
  return { options, sources, notApplied: notApplied.sort((a, b) => order(a).localeCompare(order(b))), notes };
}

function refuseOtherTypes(manifest: ManifestField): void {
  const type = manifest.get('type');
  if (!type.present) {
    manifest.refuse(`a Copilot service manifest says its type: type: ${LOAD_BALANCED_WEB_SERVICE}`);
  }
  const name = type.string('a Copilot service type');
  if (name === LOAD_BALANCED_WEB_SERVICE) {
    return;
  }
  const known = OTHER_TYPES.includes(name) ? `a ${name} is a Copilot service type this package does not deploy` : `${JSON.stringify(name)} is not a Copilot service type`;
  throw new OptionError(`${type.where}: type ${JSON.stringify(name)} is not allowed: ${known}. projen-codestar-fargate deploys a ${LOAD_BALANCED_WEB_SERVICE} only: an ECS Fargate service answering HTTP(S) behind a load balancer, with its pipeline.`);
}

/** The application `copilot/.workspace` names (`application: shop`), which `${COPILOT_APPLICATION_NAME}` stands for. */
function workspaceApplication(workspaceRoot: string): string | undefined {
  const file = path.join(workspaceRoot, 'copilot', '.workspace');
  if (!fs.existsSync(file)) {
    return undefined;
  }
  const name = ManifestField.read(file, 'copilot/.workspace').get('application');
  return name.present ? name.string('the application\'s name') : undefined;
}

/** The folder inside `outdir` that holds the manifest's `copilot/` (Copilot's paths are relative to it), else `outdir`. */
function copilotWorkspaceRoot(file: string, outdir: string): string {
  const root = path.resolve(outdir);
  for (let dir = path.dirname(file); dir.startsWith(`${root}${path.sep}`); dir = path.dirname(dir)) {
    if (path.basename(dir) === 'copilot' && fs.existsSync(dir) && fs.statSync(dir).isDirectory()) {
      return path.dirname(dir);
    }
  }
  return root;
}

/**
 * `http.path` becomes `platformPath` on a platform, the same in every stage; without a platform each service has its
 * own load balancer, so a path is listed.
 */
function applyPaths(top: ScopeValues, environments: Array<{ values: ScopeValues }>, onPlatform: boolean, notApplied: NotApplied[]): void {
  const list = (value: Sourced<string>, advice: string) => notApplied.push({ field: value.field.path, where: value.field.where, advice });
  for (const { values } of environments) {
    const own = values.platformPath;
    if (own !== undefined && (!onPlatform || own.value !== top.platformPath?.value)) {
      list(own, onPlatform ? 'a service\'s platformPath is the same in every stage: give the path at the top level' : adviceFor('http.path'));
    }
    values.platformPath = undefined;
  }
  if (top.platformPath !== undefined && !onPlatform) {
    list(top.platformPath, adviceFor('http.path'));
    top.platformPath = undefined;
  }
}

/** On a platform the service's name is `<service>.<platform domain>`: aliases and their zones are listed, not applied. */
function listDomainsOnPlatform(top: ScopeValues, byName: Map<string, ScopeValues>, notApplied: NotApplied[]): void {
  const advice = 'on a platform the service answers on <service>.<platform domain> (the platform\'s certificate covers it): point the alias\'s record at it, or route the name in the platform';
  for (const scope of [top, ...byName.values()]) {
    for (const field of [scope.alias?.field, scope.hostedZone?.field]) {
      if (field !== undefined && !notApplied.some((entry) => entry.where === field.where)) {
        notApplied.push({ field: field.path, where: field.where, advice });
      }
    }
  }
}

/**
 * Each stage's domain from the alias in effect (its environment's, else the top level's for the production stage) in
 * one hosted zone; the zone's name is the aliases' common parent domain.
 */
function applyDomains(stages: StageOptions[], top: ScopeValues, byName: Map<string, ScopeValues>, options: ImportedOptions,
  sources: { [option: string]: string }, notApplied: NotApplied[], notes: string[]): void {
  const production = stages.find((stage) => PRODUCTION_STAGE_NAMES.includes(stage.name)) ?? stages[stages.length - 1];
  let zone: Sourced<string> | undefined;
  const usedZones = new Set<ManifestField>();
  const domains: Array<{ stage: StageOptions; name: string }> = [];
  for (const stage of stages) {
    const own = byName.get(stage.name) ?? {};
    const alias = own.alias ?? (stage === production ? top.alias : undefined);
    if (alias === undefined) {
      continue;
    }
    const stageZone = (own.alias ? own.hostedZone : undefined) ?? own.hostedZone ?? top.hostedZone;
    if (stageZone === undefined) {
      notApplied.push({ field: alias.field.path, where: alias.field.where, advice: adviceFor('http.alias') });
      continue;
    }
    if (zone !== undefined && zone.value !== stageZone.value) {
      notApplied.push({ field: alias.field.path, where: alias.field.where, advice: `every stage here is in one hosted zone (${zone.value}, from ${zone.field.where}): give this stage's domain in that zone` });
      continue;
    }
    zone = stageZone;
    usedZones.add(stageZone.field);
    domains.push({ stage, name: alias.name });
  }
  for (const scope of [top, ...byName.values()]) {
    const given = scope.hostedZone;
    if (given !== undefined && !usedZones.has(given.field) && !notApplied.some((entry) => entry.where === given.field.where)) {
      notApplied.push({ field: given.field.path, where: given.field.where, advice: 'a hosted zone applies to a stage with its own alias here (the top level\'s alias is the production stage\'s): give the stage\'s name in http.alias' });
    }
  }
  const topAlias = top.alias;
  if (topAlias !== undefined && !notApplied.some((entry) => entry.where === topAlias.field.where)) {
    if ((byName.get(production.name) ?? {}).alias !== undefined) {
      notApplied.push({ field: topAlias.field.path, where: topAlias.field.where, advice: `the top level's alias is the production stage's domain here, and stage ${production.name} gives its own: give each stage's name in its environment's http.alias` });
    } else if (stages.length > 1) {
      notes.push(`${topAlias.field.where}: http.alias ${topAlias.name} is the domain of stage ${production.name} only; the other stages get their own names in the zone.`);
    }
  }
  if (zone === undefined) {
    return;
  }
  const zoneName = commonParentDomain(domains.map((domain) => domain.name));
  if (zoneName === undefined) {
    throw new OptionError(`${zone.field.where}: the aliases ${domains.map((domain) => domain.name).join(', ')} are not allowed in one hosted zone (${zone.value}): they share no parent domain. Keep the stages' aliases in one zone.`);
  }
  options.hostedZoneId = zone.value;
  options.hostedZoneName = zoneName;
  sources.hostedZoneId = sources.hostedZoneName = `${zone.field.where} (${zone.field.path})`;
  notes.push(`hostedZoneName ${zoneName} is the aliases' common parent domain: check that it is the name of hosted zone ${zone.value}.`);
  for (const domain of domains) {
    const index = stages.indexOf(domain.stage);
    stages[index] = { ...domain.stage, domain: domain.name };
  }
}

/** The longest parent domain (at least two labels) every name is in or equal to, e.g. `example.com` for `api.example.com`, `dev.api.example.com`. */
function commonParentDomain(names: string[]): string | undefined {
  const labels = names.map((name) => name.toLowerCase().replace(/\.$/, '').split('.').reverse());
  const common: string[] = [];
  for (let index = 0; labels.every((name) => index < name.length && name[index] === labels[0][index]); index++) {
    common.push(labels[0][index]);
  }
  return common.length >= 2 ? common.reverse().join('.') : undefined;
}
