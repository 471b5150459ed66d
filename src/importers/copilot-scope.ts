import * as path from 'path';
import { CpuArchitecture, SecretReference } from '../options';
import { adviceFor } from './copilot-fields';
import { ManifestField } from './copilot-yaml';

/* One scope of a Copilot manifest (the top level, or one `environments.<name>` override) read into option values. */

/** A manifest field this package does not carry over, and what to do instead. */
export interface NotApplied {
  /** The field's path, e.g. `environments.prod.sidecars.nginx`. */
  readonly field: string;
  /** `file:line` where it is written. */
  readonly where: string;
  readonly advice: string;
}

/** The alias a scope gives, with the hosted zone written beside it. */
export interface ScopeAlias {
  readonly name: string;
  readonly field: ManifestField;
}

/** What one scope says, in this package's option names; each value keeps the field it came from. */
export interface ScopeValues {
  serviceName?: Sourced<string>;
  dockerfilePath?: Sourced<string>;
  dockerBuildContext?: Sourced<string>;
  containerPort?: Sourced<number>;
  healthCheckPath?: Sourced<string>;
  cpu?: Sourced<number>;
  memory?: Sourced<number>;
  minContainers?: Sourced<number>;
  maxContainers?: Sourced<number>;
  autoScalingTargetCpu?: Sourced<number>;
  architecture?: Sourced<CpuArchitecture>;
  environment?: Sourced<{ [name: string]: string }>;
  secrets?: Sourced<{ [name: string]: SecretReference }>;
  enableExecuteCommand?: Sourced<boolean>;
  /** `http.path` other than `/`: the service's path on a platform's shared load balancer. */
  platformPath?: Sourced<string>;
  alias?: ScopeAlias;
  /** The hosted zone of the alias: its own `hosted_zone`, else `http.hosted_zone`. */
  hostedZone?: Sourced<string>;
  /** Top-level variables and secrets naming `${COPILOT_ENVIRONMENT_NAME}`: each stage reads its own value. */
  perStage?: PerStageEntry[];
}

/** A stage's own variables and secrets. */
export interface StageMaps {
  readonly environment: { [name: string]: string };
  readonly secrets: { [name: string]: SecretReference };
}

/** A top-level variable or secret whose value names the environment. */
export interface PerStageEntry {
  readonly kind: 'environment' | 'secrets';
  readonly name: string;
  readonly field: ManifestField;
}

/** A value and the manifest field it was read from. */
export interface Sourced<T> {
  readonly value: T;
  readonly field: ManifestField;
}

/** Reads a service manifest's fields of one scope; `notApplied` collects what has no option here. */
export function readScope(scope: ManifestField, workspaceRoot: string, outdir: string, notApplied: NotApplied[]): ScopeValues {
  const values: ScopeValues = {};
  const skip = (field: ManifestField) => notApplied.push({ field: field.path, where: field.where, advice: adviceFor(field.path) });
  const top = !scope.path.startsWith('environments.');
  for (const [key, field] of scope.entries('manifest fields')) {
    if (!field.present) {
      continue;
    }
    switch (key) {
      case 'type':
      case 'environments':
        if (!top) skip(field);
        break;
      case 'name':
        if (top) values.serviceName = sourced(field.string('the service\'s name'), field);
        else skip(field);
        break;
      case 'image':
        readImage(field, values, workspaceRoot, outdir, skip);
        break;
      case 'http':
        readHttp(field, values, skip);
        break;
      case 'cpu':
      case 'memory':
        values[key] = sourced(field.number(key === 'cpu' ? 'a number of CPU units, e.g. 256' : 'a number of MiB, e.g. 512'), field);
        break;
      case 'count':
        readCount(field, values, skip);
        break;
      case 'platform':
        values.architecture = sourced(readPlatform(field), field);
        break;
      case 'exec':
        values.enableExecuteCommand = sourced(field.boolean(), field);
        break;
      case 'variables':
        values.environment = sourced(readVariables(field, values, skip), field);
        break;
      case 'secrets':
        values.secrets = sourced(readSecrets(field, values, skip), field);
        break;
      case 'sidecars':
        field.entries('sidecars by name').forEach(([, sidecar]) => skip(sidecar));
        break;
      case 'network':
        readNetwork(field, skip);
        break;
      default:
        skip(field);
    }
  }
  return values;
}

function sourced<T>(value: T, field: ManifestField): Sourced<T> {
  return { value, field };
}

/** `image.build` as a Dockerfile path (its folder the context) or `{ dockerfile, context }`, relative to the workspace. */
function readImage(image: ManifestField, values: ScopeValues, workspaceRoot: string, outdir: string, skip: (field: ManifestField) => void): void {
  for (const [key, field] of image.entries('image fields (build, port)')) {
    if (!field.present) continue;
    if (key === 'port') {
      const port = field.number('a port number, e.g. 8080');
      values.containerPort = sourced(port, field);
    } else if (key === 'build') {
      readBuild(field, values, workspaceRoot, outdir, skip);
    } else {
      skip(field);
    }
  }
}

function readBuild(build: ManifestField, values: ScopeValues, workspaceRoot: string, outdir: string, skip: (field: ManifestField) => void): void {
  let dockerfile: string | undefined;
  let context: string | undefined;
  if (build.isMap) {
    for (const [key, field] of build.entries('build fields')) {
      if (!field.present) continue;
      if (key === 'dockerfile') dockerfile = field.string('the Dockerfile\'s path');
      else if (key === 'context') context = field.string('the build context\'s folder');
      else skip(field);
    }
  } else {
    dockerfile = build.string('a Dockerfile\'s path, or { dockerfile, context }');
  }
  // Copilot's defaults: the context is the Dockerfile's folder, the Dockerfile is the context's `Dockerfile`.
  const contextPath = context ?? (dockerfile !== undefined ? path.dirname(dockerfile) : '.');
  const dockerfilePath = dockerfile ?? path.join(contextPath, 'Dockerfile');
  values.dockerfilePath = sourced(inRepository(build, dockerfilePath, workspaceRoot, outdir), build);
  values.dockerBuildContext = sourced(inRepository(build, contextPath, workspaceRoot, outdir), build);
}

/** A workspace-relative path as a path relative to the repository projen new creates, refusing one outside it. */
function inRepository(field: ManifestField, workspacePath: string, workspaceRoot: string, outdir: string): string {
  const relative = path.relative(outdir, path.resolve(workspaceRoot, workspacePath)).split(path.sep).join('/');
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    field.refuse(`${workspacePath} is outside the folder of projen new (${outdir}): run projen new in the folder that holds copilot/`);
  }
  return relative === '' ? '.' : relative;
}

function readHttp(http: ManifestField, values: ScopeValues, skip: (field: ManifestField) => void): void {
  if (!http.isMap) {
    skip(http);
    return;
  }
  for (const [key, field] of http.entries('http fields')) {
    if (!field.present) continue;
    switch (key) {
      case 'path': {
        // Copilot writes the path with or without its slashes (`api`, `/api/`); the listener rule matches `/api/*` either way.
        const route = field.string('a path such as / or api').replace(/^\/*/, '/').replace(/\/+$/, '');
        if (route !== '') values.platformPath = sourced(route, field);
        break;
      }
      case 'healthcheck':
        if (field.isMap) {
          for (const [check, value] of field.entries('health check fields')) {
            if (!value.present) continue;
            if (check === 'path') values.healthCheckPath = sourced(value.string('a path such as /health'), value);
            else skip(value);
          }
        } else {
          values.healthCheckPath = sourced(field.string('a path such as /health, or { path: /health }'), field);
        }
        break;
      case 'alias':
        readAlias(field, values, skip);
        break;
      case 'hosted_zone':
        values.hostedZone = sourced(field.string('a hosted zone id, e.g. Z0123456789ABCDEFGHIJ'), field);
        break;
      default:
        skip(field);
    }
  }
}

/** `alias` as a name, a list of names, `{ name, hosted_zone }` or a list of those: the first is the stage's domain. */
function readAlias(alias: ManifestField, values: ScopeValues, skip: (field: ManifestField) => void): void {
  const aliases = alias.isList ? alias.items('aliases') : [alias];
  aliases.slice(1).forEach(skip);
  const [first] = aliases;
  if (first === undefined) return;
  if (first.isMap) {
    for (const [key, field] of first.entries('alias fields')) {
      if (!field.present) continue;
      if (key === 'name') values.alias = { name: field.string('a domain name'), field };
      else if (key === 'hosted_zone') values.hostedZone = sourced(field.string('a hosted zone id, e.g. Z0123456789ABCDEFGHIJ'), field);
      else skip(field);
    }
    if (values.alias === undefined) first.refuse('an alias needs its name: { name: api.example.com, hosted_zone: Z0123456789ABCDEFGHIJ }');
  } else {
    values.alias = { name: first.string('a domain name, or { name, hosted_zone }'), field: first };
  }
}

/** `count` as a number of tasks, or `{ range, cpu_percentage }` for autoscaling. */
function readCount(count: ManifestField, values: ScopeValues, skip: (field: ManifestField) => void): void {
  if (!count.isMap) {
    const tasks = count.number('a number of tasks, or { range: 1-10, cpu_percentage: 70 }');
    values.minContainers = sourced(tasks, count);
    values.maxContainers = sourced(tasks, count);
    return;
  }
  for (const [key, field] of count.entries('count fields')) {
    if (!field.present) continue;
    if (key === 'range') {
      readRange(field, values, skip);
    } else if (key === 'cpu_percentage') {
      if (field.isMap) {
        for (const [sub, value] of field.entries('cpu_percentage fields')) {
          if (!value.present) continue;
          if (sub === 'value') values.autoScalingTargetCpu = sourced(value.number('a percentage, e.g. 70'), value);
          else skip(value);
        }
      } else {
        values.autoScalingTargetCpu = sourced(field.number('a percentage, e.g. 70, or { value: 70 }'), field);
      }
    } else {
      skip(field);
    }
  }
}

function readRange(range: ManifestField, values: ScopeValues, skip: (field: ManifestField) => void): void {
  if (range.isMap) {
    for (const [key, field] of range.entries('range fields')) {
      if (!field.present) continue;
      if (key === 'min') values.minContainers = sourced(field.number('a number of tasks'), field);
      else if (key === 'max') values.maxContainers = sourced(field.number('a number of tasks'), field);
      else skip(field);
    }
    return;
  }
  const text = typeof range.value === 'string' ? range.value : '';
  const bounds = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(text);
  if (!bounds) {
    range.refuse('it must be a range of task counts such as 1-10, or { min: 1, max: 10 }');
  }
  values.minContainers = sourced(Number(bounds[1]), range);
  values.maxContainers = sourced(Number(bounds[2]), range);
}

const ARCHITECTURES: Record<string, CpuArchitecture> = {
  arm64: CpuArchitecture.ARM64,
  x86_64: CpuArchitecture.X86_64,
  amd64: CpuArchitecture.X86_64,
};

/** `platform` as `linux/arm64` or `{ osfamily, architecture }`; Windows is refused (the tasks run Linux here). */
function readPlatform(platform: ManifestField): CpuArchitecture {
  const allowed = 'this package runs Linux tasks: linux/x86_64 (or linux/amd64) or linux/arm64';
  let os: unknown;
  let architecture: unknown;
  if (platform.isMap) {
    os = platform.get('osfamily').value;
    architecture = platform.get('architecture').value;
    const extra = platform.keys().find((key) => !['osfamily', 'architecture'].includes(key));
    if (extra !== undefined) platform.get(extra).refuse(`a platform has osfamily and architecture; ${allowed}`);
  } else {
    [os, architecture] = platform.string(`a platform such as linux/arm64; ${allowed}`).split('/');
  }
  const mapped = typeof architecture === 'string' ? ARCHITECTURES[architecture.toLowerCase()] : undefined;
  if (typeof os !== 'string' || os.toLowerCase() !== 'linux' || mapped === undefined) {
    platform.refuse(allowed);
  }
  return mapped;
}

/** `variables`: names to text, numbers or booleans (as text); `from_cfn` values have no option here. */
function readVariables(variables: ManifestField, values: ScopeValues, skip: (field: ManifestField) => void): { [name: string]: string } {
  const environment: { [name: string]: string } = {};
  for (const [name, field] of variables.entries('variable names to values')) {
    if (field.differsPerEnvironment && !field.get('from_cfn').present) {
      (values.perStage ??= []).push({ kind: 'environment', name, field });
      continue;
    }
    const value = variableValue(field, skip);
    if (value !== undefined) environment[name] = value;
  }
  return environment;
}

function variableValue(field: ManifestField, skip: (field: ManifestField) => void): string | undefined {
  const value = field.value;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  } else if (field.isMap && field.get('from_cfn').present) {
    skip(field.get('from_cfn'));
    return undefined;
  }
  return field.refuse('a variable\'s value must be text, a number, true or false, or { from_cfn: export }');
}

const SECRETS_MANAGER_ARN = /^arn:aws[a-z-]*:secretsmanager:/;
const SSM_PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[^:]*:[^:]*:parameter(\/.+)$/;

/** `secrets`: SSM parameter names or ARNs, Secrets Manager ARNs, or `{ secretsmanager: name[:json-key::] }`. */
function readSecrets(secrets: ManifestField, values: ScopeValues, skip: (field: ManifestField) => void): { [name: string]: SecretReference } {
  const references: { [name: string]: SecretReference } = {};
  for (const [name, field] of secrets.entries('variable names to secrets')) {
    if (field.differsPerEnvironment && !field.get('from_cfn').present) {
      (values.perStage ??= []).push({ kind: 'secrets', name, field });
      continue;
    }
    const reference = secretReference(field, skip);
    if (reference !== undefined) references[name] = reference;
  }
  return references;
}

function secretReference(field: ManifestField, skip: (field: ManifestField) => void): SecretReference | undefined {
  if (typeof field.value === 'string') {
    const parameterArn = SSM_PARAMETER_ARN.exec(field.value);
    return SECRETS_MANAGER_ARN.test(field.value) ? { secretsManager: field.value } : { ssmParameter: parameterArn ? parameterArn[1] : field.value };
  } else if (field.isMap && field.get('secretsmanager').present) {
    return secretsManagerReference(field.get('secretsmanager'));
  } else if (field.isMap && field.get('from_cfn').present) {
    skip(field.get('from_cfn'));
    return undefined;
  }
  return field.refuse('a secret must be an SSM parameter\'s name, or { secretsmanager: name }');
}

/**
 * The top level's variables and secrets that name `${COPILOT_ENVIRONMENT_NAME}`, as the stage `stage` reads them:
 * `{ environment, secrets }` to lay under the stage's own.
 */
export function perStageValues(entries: PerStageEntry[], stage: string): StageMaps {
  const result: StageMaps = { environment: {}, secrets: {} };
  const ignore = () => undefined;
  for (const { kind, name, field } of entries) {
    const own = field.forEnvironment(stage);
    const value = kind === 'environment' ? variableValue(own, ignore) : secretReference(own, ignore);
    if (value !== undefined) (result[kind] as any)[name] = value;
  }
  return result;
}

/** Copilot's `name:json-key:version-stage:version-id`: the name (or ARN) and the JSON key; versions are not options here. */
function secretsManagerReference(field: ManifestField): SecretReference {
  const text = field.string('a Secrets Manager secret\'s name or ARN');
  const arn = /^(arn:aws[a-z-]*:secretsmanager:[^:]+:\d+:secret:[^:]+)(?::(.*))?$/.exec(text);
  const [id, rest] = arn ? [arn[1], arn[2] ?? ''] : [text.split(':')[0], text.split(':').slice(1).join(':')];
  const [jsonKey, versionStage, versionId] = rest.split(':');
  if (versionStage || versionId) {
    field.refuse('a secret\'s version stage or id is not an option here: give name or name:json-key::');
  }
  return jsonKey ? { secretsManager: id, jsonKey } : { secretsManager: id };
}

function readNetwork(network: ManifestField, skip: (field: ManifestField) => void): void {
  if (!network.isMap) {
    skip(network);
    return;
  }
  for (const [key, field] of network.entries('network fields')) {
    if (!field.present) continue;
    if (key === 'vpc' && field.isMap) field.entries('vpc fields').filter(([, value]) => value.present).forEach(([, value]) => skip(value));
    else skip(field);
  }
}
