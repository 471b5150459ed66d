import { requireAutoScalingTargetCpu, resolveAlarmSettings } from './alarm-settings';
import { shownValue } from './command-line';
import { resolveServiceDomain } from './domain';
import { OptionError } from './errors';
import { validateExtraResourceTypes } from './extra-resource-types';
import { resolveCompute, validateFargateSize } from './fargate';
import { given, requireBoolean, requireInteger, validateNotificationEmails } from './option-checks';
import { CodeStarFargateProjectOptions, ServiceSettings, GitHost, SourceSettings, TaskSizeDefaults } from './options';
import { defaultHealthCheckPath, resolvePlatformName, validateHealthCheckUnderPlatformPath, validatePlatformPath } from './platform-membership';
import { resolveStageNames, resolveStageSettings, validateStages } from './stage-settings';

// Tests import the alarm defaults from here.
export { DEFAULT_ALARMS } from './alarm-settings';

export const DEFAULT_HEALTH_CHECK_PATH = '/health';

/** Load balancer and target group names allow 32 characters; we add `-<stage>`. */
export const MAX_NAME_WITH_STAGE = 32;

const SERVICE_NAME = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
const CONNECTION_ARN = /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const BRANCH = /^(?!\/|.*(?:\/\.|\/\/|\.\.|@\{|\\))[^\s~^:?*[\x00-\x1f\x7f]+(?<![/.])$/;
const HEALTH_CHECK_PATH = /^\/[A-Za-z0-9._~\-/]*$/;

/**
 * Applies defaults and checks every option that generated files depend on, each once, where its concern lives:
 * the stage names and each stage's values in stage-settings.ts, the compute in fargate.ts, the domain in domain.ts,
 * the alarms in alarm-settings.ts. Throws an error that names the option, the value and what is allowed.
 */
export function resolveServiceSettings(
  options: CodeStarFargateProjectOptions,
  taskSizeDefaults: TaskSizeDefaults,
): ServiceSettings {
  const stages = resolveStageNames(options);

  const serviceName = options.serviceName ?? options.name;
  validateServiceName(serviceName, stages, options.serviceName === undefined);
  // Before the network and domain options, which the platform decides instead.
  const platformName = resolvePlatformName(options, stages);

  const containerPort = given(options.containerPort, 8080);
  requireInteger('containerPort', containerPort, 1, 65535);

  const platformPath = validatePlatformPath('platformPath', options.platformPath, serviceName, platformName);

  const healthCheckPath = given(options.healthCheckPath, defaultHealthCheckPath(DEFAULT_HEALTH_CHECK_PATH, platformPath));
  validateHealthCheckPath(healthCheckPath);
  validateHealthCheckUnderPlatformPath(healthCheckPath, platformPath);

  const cpu = given(options.cpu, taskSizeDefaults.cpu);
  requireInteger('cpu', cpu, 1, Number.MAX_SAFE_INTEGER);
  const memory = resolveMemory(options);
  const memoryMiB = memory?.value ?? taskSizeDefaults.memoryMiB;
  if (memory !== undefined) {
    requireInteger(memory.option, memoryMiB, 1, Number.MAX_SAFE_INTEGER);
  }
  // A default is named as one, so an error never shows a value as if the user had typed it.
  validateFargateSize(cpu, memoryMiB, {
    cpu: options.cpu === undefined ? 'the default cpu' : 'cpu',
    memory: memory?.option ?? 'the default memory',
  });

  const minContainers = given(options.minContainers, 1);
  const maxContainers = given(options.maxContainers, 4);
  requireInteger('minContainers', minContainers, 0, 5000);
  requireInteger('maxContainers', maxContainers, 1, 5000);
  if (minContainers > maxContainers) {
    throw new OptionError(`minContainers (${minContainers}) is greater than maxContainers (${maxContainers}): minContainers must be at most maxContainers.`);
  }

  const notificationEmails = options.notificationEmails ?? [];
  validateNotificationEmails('notificationEmails', notificationEmails);

  const autoScalingTargetCpu = given(options.autoScalingTargetCpu, 50);
  requireAutoScalingTargetCpu('autoScalingTargetCpu', autoScalingTargetCpu, options.alarms, options.autoScalingTargetCpu !== undefined);

  const { architecture, fargateSpot } = resolveCompute(options);
  const domain = resolveServiceDomain(options);
  // Strategies are checked against every stage here, so a bad value fails the synth instead of a deploy.
  const stageSettings = resolveStageSettings(options, stages, {
    cpu,
    memory: memoryMiB,
    minContainers,
    maxContainers,
    autoScalingTargetCpu,
    architecture,
    fargateSpot,
    ...(domain ? { domain: { serviceName, ...domain } } : {}),
  });

  return {
    source: resolveSource(options),
    serviceName,
    containerPort,
    healthCheckPath,
    cpu,
    memoryMiB,
    minContainers,
    maxContainers,
    autoScalingTargetCpu,
    stages: [...stages],
    codeStarTransform: options.codeStarTransform ?? false,
    ...(options.deploymentStrategy !== undefined ? { deploymentStrategy: options.deploymentStrategy } : {}),
    // The CPU alarm must sit above the highest target any stage's autoscaling holds.
    alarms: resolveAlarmSettings(options.alarms ?? {}, Math.max(...stageSettings.map(stage => stage.autoScalingTargetCpu))),
    notificationEmails: [...notificationEmails],
    ...resolvePullRequestChecks(options),
    ...(options.extraResourceTypes !== undefined ? { extraResourceTypes: validateExtraResourceTypes('extraResourceTypes', options.extraResourceTypes) } : {}),
    ...(domain ? { hostedZone: domain.hostedZone } : {}),
    architecture,
    fargateSpot,
    stageSettings,
    ...(platformName !== undefined ? { platformName } : {}),
    ...(platformPath !== undefined ? { platformPath } : {}),
  };
}

/** `pullRequestChecks` when given; true or false only. */
function resolvePullRequestChecks(options: CodeStarFargateProjectOptions): { pullRequestChecks?: boolean } {
  if (options.pullRequestChecks === undefined) {
    return {};
  }
  requireBoolean('pullRequestChecks', options.pullRequestChecks);
  return { pullRequestChecks: options.pullRequestChecks };
}

/** Throws unless `healthCheckPath` is a path the load balancer, the app and the smoke test all take. */
export function validateHealthCheckPath(healthCheckPath: string): void {
  if (typeof healthCheckPath !== 'string' || !HEALTH_CHECK_PATH.test(healthCheckPath) || healthCheckPath.length > 1024) {
    throw new OptionError(`healthCheckPath ${JSON.stringify(healthCheckPath)} is not allowed: it must start with "/" and contain only letters, digits and . _ ~ - / (at most 1024 characters), e.g. "/health".`);
  }
}

/** `memory`, or the deprecated `memoryMiB` (whose `projen new` flag was `--memory-mi-b`); both only when they agree. */
function resolveMemory(options: CodeStarFargateProjectOptions): { option: string; value: number } | undefined {
  const { memory, memoryMiB } = options;
  if (memory !== undefined && memoryMiB !== undefined && memory !== memoryMiB) {
    throw new OptionError(`memory ${shownValue('memory', memory)} and memoryMiB ${shownValue('memoryMiB', memoryMiB)} disagree: memoryMiB is the old name of memory, so give only memory.`);
  }
  if (memory !== undefined) {
    return { option: 'memory', value: memory };
  }
  return memoryMiB === undefined ? undefined : { option: 'memoryMiB', value: memoryMiB };
}

function resolveSource(options: CodeStarFargateProjectOptions): SourceSettings {
  const branch = options.sourceBranch ?? 'main';
  if (typeof branch !== 'string' || !BRANCH.test(branch)) {
    throw new OptionError(`sourceBranch ${JSON.stringify(branch)} is not allowed: it must be a git branch name such as "main" or "release/1.x": at least one character, no spaces, control characters or any of ~ ^ : ? * [ \\, no ".." "//" "/." or "@{", not starting with "/" and not ending with "/" or ".".`);
  }
  const { sourceConnectionArn: connectionArn, sourceRepository: repository, sourceHost: host } = options;
  if (host !== undefined && !Object.values(GitHost).includes(host)) {
    throw new OptionError(`sourceHost ${JSON.stringify(host)} is not allowed: use one of ${Object.values(GitHost).map(value => `GitHost.${value}`).join(', ')}, or leave it out for a host none of these is.`);
  }
  if (connectionArn === undefined && repository === undefined) {
    if (host !== undefined) {
      throw new OptionError(`sourceHost ${JSON.stringify(host)} is not allowed without sourceConnectionArn and sourceRepository: a CodeCommit source links to the CodeCommit console.`);
    }
    return { branch };
  }
  if (connectionArn === undefined || !CONNECTION_ARN.test(connectionArn)) {
    throw new OptionError(`sourceConnectionArn ${JSON.stringify(connectionArn)} is not allowed: with sourceRepository it must be a CodeConnections ARN such as "arn:aws:codeconnections:us-east-1:123456789012:connection/<uuid>".`);
  }
  if (repository === undefined || !REPOSITORY.test(repository)) {
    throw new OptionError(`sourceRepository ${JSON.stringify(repository)} is not allowed: with sourceConnectionArn it must be "owner/name", each part one or more letters, digits and _ . -, e.g. "acme/orders-api".`);
  }
  return { branch, connectionArn, repository, ...(host !== undefined ? { host } : {}) };
}

function validateServiceName(serviceName: string, stages: string[], defaultedFromName: boolean): void {
  const source = defaultedFromName ? ' (taken from the project name; set serviceName to choose another)' : '';
  const longestStage = stages.reduce((longest, stage) => (stage.length > longest.length ? stage : longest), '');
  const maxLength = maxServiceNameLength(stages);
  if (typeof serviceName !== 'string' || !SERVICE_NAME.test(serviceName)) {
    throw new OptionError(`serviceName ${JSON.stringify(serviceName)}${source} is not allowed: it must start with a lowercase letter, end with a letter or digit, and contain only lowercase letters, digits and single hyphens, ${MIN_SERVICE_NAME_LENGTH} to ${maxLength} characters (AWS allows ${MAX_NAME_WITH_STAGE} for the load balancer "<serviceName>-${longestStage}"), e.g. "orders-api".`);
  }
  const longestName = `${serviceName}-${longestStage}`;
  if (longestName.length > MAX_NAME_WITH_STAGE) {
    throw new OptionError(`serviceName ${JSON.stringify(serviceName)}${source} is too long: with the stage it names the load balancer "${longestName}" (${longestName.length} characters), and AWS allows at most ${MAX_NAME_WITH_STAGE}. Use at most ${maxLength} characters (and at least ${MIN_SERVICE_NAME_LENGTH}) of lowercase letters, digits and single hyphens.`);
  }
}

/** A letter first and a letter or digit last: the shortest name is two characters. */
export const MIN_SERVICE_NAME_LENGTH = 2;

/** The longest service name the stages leave room for: `<serviceName>-<longest stage>` names a load balancer. */
export function maxServiceNameLength(stages: string[]): number {
  return MAX_NAME_WITH_STAGE - 1 - Math.max(...stages.map(stage => stage.length));
}

/**
 * Checks a service name and its stage names by the same rules as the project
 * type, for the pipeline construct; throws an error naming `serviceName` or
 * `stages`, the value and what is allowed.
 */
export function validateServiceAndStageNames(serviceName: string, stages: string[]): void {
  validateStages(stages);
  validateServiceName(serviceName, stages, false);
}
