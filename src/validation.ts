import { misreadNumber, shownValue } from './command-line';
import { defaultStageDomainName, validateHostedZone, validateStageDomainName, validateStageDomainNaming } from './domain';
import { OptionError } from './errors';
import { validateExtraResourceTypes } from './extra-resource-types';
import { validateFargateSize } from './fargate';
import { AlarmSettings, CodeStarFargateProjectOptions, CpuArchitecture, HostedZoneReference, ServiceAlarmOptions, ServiceSettings, GitHost, SourceSettings, StageDomainNaming, StageOptions, StageSettings, TaskSizeDefaults } from './options';
import { resolvePlatformName } from './platform-membership';
import { resolveStageSettings, stageNamesOf } from './stage-settings';

export const DEFAULT_STAGES = ['dev', 'production'];

export const DEFAULT_HEALTH_CHECK_PATH = '/health';

/** Load balancer and target group names allow 32 characters; we add `-<stage>`. */
export const MAX_NAME_WITH_STAGE = 32;

const SERVICE_NAME = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
export const STAGE_NAME = /^[a-z][a-z0-9]{0,15}$/;
const CONNECTION_ARN = /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const BRANCH = /^(?!\/|.*(?:\/\.|\/\/|\.\.|@\{|\\))[^\s~^:?*[\x00-\x1f\x7f]+(?<![/.])$/;
const HEALTH_CHECK_PATH = /^\/[A-Za-z0-9._~\-/]*$/;
/** An email address as SNS takes it: one `@`, a dotted domain, no spaces, at most 254 characters. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_EMAIL_LENGTH = 254;

/**
 * Applies defaults and checks every option that generated files depend on.
 * Throws an error that names the option, the value and what is allowed.
 */
export function resolveServiceSettings(
  options: CodeStarFargateProjectOptions,
  taskSizeDefaults: TaskSizeDefaults,
): ServiceSettings {
  const stages = stageNamesOf(options) ?? options.stages ?? DEFAULT_STAGES;
  validateStages(stages);

  const serviceName = options.serviceName ?? options.name;
  validateServiceName(serviceName, stages, options.serviceName === undefined);
  // Before the network and domain options, which the platform decides instead.
  const platformName = resolvePlatformName(options, stages);

  const containerPort = given(options.containerPort, 8080);
  requireInteger('containerPort', containerPort, 1, 65535);

  const healthCheckPath = given(options.healthCheckPath, DEFAULT_HEALTH_CHECK_PATH);
  validateHealthCheckPath(healthCheckPath);

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

  // Strategies are checked against every stage here, so a bad value fails the synth instead of a deploy.
  const stageSettings = resolveStageSettings(options, stages, { cpu, memory: memoryMiB, minContainers, maxContainers, autoScalingTargetCpu });

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
    ...resolvePlatform(options, serviceName, stageSettings),
    ...(platformName !== undefined ? { platformName } : {}),
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

/** The hosted zone, architecture and Spot choice; errors name the option, the value and what is allowed. */
function resolvePlatform(
  options: CodeStarFargateProjectOptions,
  serviceName: string,
  stages: StageSettings[],
): { hostedZone?: HostedZoneReference; architecture: CpuArchitecture; fargateSpot: boolean; stageSettings: StageSettings[] } {
  const architecture = options.architecture ?? CpuArchitecture.X86_64;
  validateArchitecture('architecture', architecture);
  const fargateSpot = options.fargateSpot ?? false;
  requireBoolean('fargateSpot', fargateSpot);
  refuseSpotOnArchitecture('fargateSpot', fargateSpot, architecture);
  const hostedZone = resolveHostedZone(options);
  const naming = resolveStageDomainNaming(options, hostedZone);
  const stageSettings = stages.map((stage, index) => {
    const stageOptions: StageOptions = options.stageOptions?.[index] ?? { name: stage.name };
    const path = `stageOptions[${index}]`;
    if (stageOptions.fargateSpot !== undefined && stageOptions.fargateSpot !== null) {
      requireBoolean(`${path}.fargateSpot`, stageOptions.fargateSpot);
      refuseSpotOnArchitecture(`${path}.fargateSpot`, stageOptions.fargateSpot, architecture);
    }
    const stageFargateSpot = stageOptions.fargateSpot ?? (fargateSpot && !stage.approvalRequired);
    if (stageOptions.domain !== undefined && hostedZone === undefined) {
      throw new OptionError(`${path}.domain ${JSON.stringify(stageOptions.domain)} is not allowed without hostedZoneId and hostedZoneName: give the hosted zone the name is in.`);
    }
    if (hostedZone === undefined) {
      return { ...stage, fargateSpot: stageFargateSpot };
    }
    const domainName = stageOptions.domain ?? defaultStageDomainName(serviceName, stage.name, hostedZone.zoneName, naming);
    // Every stage's name must be one ACM can certify, so a long name fails the synth, not a deploy.
    const option = stageOptions.domain !== undefined ? `${path}.domain` : `hostedZoneName (the domain of stage "${stage.name}")`;
    validateStageDomainName(option, domainName, stage.name, hostedZone.zoneName);
    return { ...stage, fargateSpot: stageFargateSpot, domainName };
  });
  return { ...(hostedZone ? { hostedZone } : {}), architecture, fargateSpot, stageSettings };
}

/** How the stages are named in the zone; only with a zone. */
function resolveStageDomainNaming(options: CodeStarFargateProjectOptions, hostedZone: HostedZoneReference | undefined): StageDomainNaming {
  if (options.stageDomainNames === undefined) {
    return StageDomainNaming.SUBDOMAIN;
  }
  validateStageDomainNaming('stageDomainNames', options.stageDomainNames);
  if (hostedZone === undefined) {
    throw new OptionError(`stageDomainNames ${JSON.stringify(options.stageDomainNames)} is not allowed without hostedZoneId and hostedZoneName: stages get domain names only in a hosted zone.`);
  }
  return options.stageDomainNames;
}

/** The project's hosted zone: both the id and the name, or neither. */
function resolveHostedZone(options: CodeStarFargateProjectOptions): HostedZoneReference | undefined {
  const { hostedZoneId, hostedZoneName } = options;
  if (hostedZoneId === undefined && hostedZoneName === undefined) {
    return undefined;
  }
  if (hostedZoneId === undefined || hostedZoneName === undefined) {
    const missing = hostedZoneId === undefined ? 'hostedZoneId' : 'hostedZoneName';
    const present = hostedZoneId === undefined ? `hostedZoneName ${JSON.stringify(hostedZoneName)}` : `hostedZoneId ${JSON.stringify(hostedZoneId)}`;
    throw new OptionError(`${present} is not allowed without ${missing}: give both the hosted zone's id and its name, e.g. hostedZoneId: "Z0123456789ABCDEFGHIJ", hostedZoneName: "example.com".`);
  }
  const hostedZone = { hostedZoneId, zoneName: hostedZoneName };
  validateHostedZone('hostedZoneId', hostedZone);
  return hostedZone;
}

/** Throws unless `architecture` is one of `CpuArchitecture`'s values. */
export function validateArchitecture(option: string, architecture: unknown): void {
  const allowed = Object.values(CpuArchitecture) as string[];
  if (typeof architecture !== 'string' || !allowed.includes(architecture)) {
    throw new OptionError(`${option} ${JSON.stringify(architecture)} is not allowed: it must be one of ${allowed.map(value => `CpuArchitecture.${value}`).join(', ')}.`);
  }
}

/**
 * Refuses Fargate Spot for ARM64 tasks, which it never places: "Fargate Spot only supports Linux tasks with the
 * X86_64 architecture" (docs.aws.amazon.com/AmazonECS/latest/userguide/fargate-capacity-providers.html).
 */
export function refuseSpotOnArchitecture(option: string, fargateSpot: boolean | undefined, architecture: CpuArchitecture | undefined): void {
  if (fargateSpot === true && architecture === CpuArchitecture.ARM64) {
    throw new OptionError(`${option} true is not allowed with architecture CpuArchitecture.ARM64: Fargate Spot runs only X86_64 Linux tasks, so ECS would never place them. Use architecture CpuArchitecture.X86_64 with Spot, or leave ${option} off (false) on ARM64.`);
  }
}

/** Throws unless `value` is true or false. */
export function requireBoolean(option: string, value: unknown): void {
  if (typeof value !== 'boolean') {
    throw new OptionError(`${option} ${JSON.stringify(value)} is not allowed: it must be true or false.`);
  }
}

/** Refuses anything but a list of email addresses, naming the option and the value. */
export function validateNotificationEmails(option: string, emails: unknown): void {
  if (!Array.isArray(emails)) {
    throw new OptionError(`${option} ${JSON.stringify(emails)} is not allowed: give a list of email addresses, e.g. ["team@example.com"].`);
  }
  emails.forEach((email, index) => {
    if (typeof email !== 'string' || !EMAIL.test(email) || email.length > MAX_EMAIL_LENGTH) {
      throw new OptionError(`${option}[${index}] ${JSON.stringify(email)} is not allowed: it must be an email address such as "team@example.com" (at most ${MAX_EMAIL_LENGTH} characters): no spaces, one "@", and a domain with a dot.`);
    }
  });
}

/** Throws unless `healthCheckPath` is a path the load balancer, the app and the smoke test all take. */
export function validateHealthCheckPath(healthCheckPath: string): void {
  if (typeof healthCheckPath !== 'string' || !HEALTH_CHECK_PATH.test(healthCheckPath) || healthCheckPath.length > 1024) {
    throw new OptionError(`healthCheckPath ${JSON.stringify(healthCheckPath)} is not allowed: it must start with "/" and contain only letters, digits and . _ ~ - / (at most 1024 characters), e.g. "/health".`);
  }
}

/** The option's value, or the default when it was left out; `null` (what projen new writes for `--cpu abc`) is a value to refuse. */
export function given<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/**
 * Throws unless `value` is a whole number from `min` to `max` (and, in `projen new`, what was typed is that number);
 * `why` explains a bound that comes from another option.
 */
export function requireInteger(option: string, value: number, min: number, max: number, why?: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max || misreadNumber(option, value)) {
    const range = max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
    throw new OptionError(`${option} ${shownValue(option, value)} is not allowed: it must be ${range}${why ? ` (${why})` : ''}.`);
  }
}

/**
 * An autoscaling target below the CPU alarm (`alarms.cpuPercent`, 90 unless given), which would otherwise go off
 * whenever autoscaling holds its target. An alarm threshold that is itself refused is reported by the alarms' check.
 */
export function requireAutoScalingTargetCpu(option: string, value: number, alarms: ServiceAlarmOptions | undefined, targetGiven: boolean): void {
  const chosen = alarms !== null && typeof alarms === 'object' ? alarms.cpuPercent : undefined;
  const alarm = chosen ?? DEFAULT_ALARMS.cpuPercent;
  // A default target under a given alarm: the alarm is what the user typed, so its own check names it.
  const alarmGivenOverDefaultTarget = chosen !== undefined && !targetGiven;
  if (alarmGivenOverDefaultTarget || typeof alarm !== 'number' || !Number.isInteger(alarm) || alarm < 2 || alarm > 100) {
    requireInteger(option, value, 1, 100);
    return;
  }
  requireInteger(option, value, 1, alarm - 1, `below the CPU alarm, alarms.cpuPercent ${alarm}${chosen === undefined ? ' by default' : ''}`);
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

function validateStages(stages: string[]): void {
  if (!Array.isArray(stages) || stages.length === 0) {
    throw new OptionError(`stages ${JSON.stringify(stages)} is not allowed: give at least one stage name, e.g. ["dev","production"].`);
  }
  for (const stage of stages) {
    if (typeof stage !== 'string' || !STAGE_NAME.test(stage)) {
      throw new OptionError(`stages: stage name ${JSON.stringify(stage)} is not allowed: it must start with a lowercase letter and contain only lowercase letters and digits (at most 16 characters), e.g. "dev" or "production".`);
    }
  }
  const duplicates = stages.filter((stage, index) => stages.indexOf(stage) !== index);
  if (duplicates.length > 0) {
    throw new OptionError(`stages ${JSON.stringify(stages)} is not allowed: stage names must be unique, and ${JSON.stringify(duplicates[0])} appears more than once.`);
  }
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

/** The alarm thresholds a stage gets when `alarms` leaves them out (reasons in `ServiceAlarmOptions`). */
export const DEFAULT_ALARMS: AlarmSettings = {
  errorRatePercent: 5,
  minimumRequestsPerMinute: 10,
  p99LatencyMs: 2000,
  unhealthyTargets: 1,
  cpuPercent: 90,
  memoryPercent: 90,
  evaluationMinutes: 3,
};

/** Applies the alarm defaults and checks each threshold; errors name `alarms.<threshold>`. */
export function resolveAlarmSettings(alarms: ServiceAlarmOptions, autoScalingTargetCpu: number): AlarmSettings {
  if (alarms === null || typeof alarms !== 'object' || Array.isArray(alarms)) {
    throw new OptionError(`alarms ${JSON.stringify(alarms)} is not allowed: give an object of thresholds, e.g. { errorRatePercent: 5, p99LatencyMs: 2000 }.`);
  }
  const unknown = Object.keys(alarms).filter(key => !(key in DEFAULT_ALARMS));
  if (unknown.length > 0) {
    throw new OptionError(`alarms.${unknown[0]} is not allowed: the thresholds are ${Object.keys(DEFAULT_ALARMS).join(', ')}.`);
  }
  const resolved: AlarmSettings = { ...DEFAULT_ALARMS, ...withoutUndefined(alarms) };
  const { errorRatePercent } = resolved;
  if (typeof errorRatePercent !== 'number' || !Number.isFinite(errorRatePercent) || errorRatePercent <= 0 || errorRatePercent > 100) {
    throw new OptionError(`alarms.errorRatePercent ${JSON.stringify(errorRatePercent)} is not allowed: it must be a number greater than 0 and at most 100, e.g. 5.`);
  }
  requireInteger('alarms.minimumRequestsPerMinute', resolved.minimumRequestsPerMinute, 1, 100000);
  requireInteger('alarms.p99LatencyMs', resolved.p99LatencyMs, 10, 60000);
  requireInteger('alarms.unhealthyTargets', resolved.unhealthyTargets, 1, 5000);
  requireInteger('alarms.memoryPercent', resolved.memoryPercent, 1, 100);
  requireInteger('alarms.evaluationMinutes', resolved.evaluationMinutes, 1, 60);
  const { cpuPercent } = resolved;
  if (typeof cpuPercent !== 'number' || !Number.isInteger(cpuPercent) || cpuPercent <= autoScalingTargetCpu || cpuPercent > 100) {
    throw new OptionError(`alarms.cpuPercent ${JSON.stringify(cpuPercent)} is not allowed: it must be a whole number above autoScalingTargetCpu (${autoScalingTargetCpu}) and at most 100, or it goes off whenever autoscaling holds its target.`);
  }
  return resolved;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
