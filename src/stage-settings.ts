import { requireAutoScalingTargetCpu } from './alarm-settings';
import { PRODUCTION_STAGE_NAMES } from './contract';
import { resolveDeploymentStrategy } from './deployment-strategy';
import { defaultStageDomainName, ServiceDomain, validateStageDomainName } from './domain';
import { OptionError } from './errors';
import { refuseSpotOnArchitecture, validateFargateSize } from './fargate';
import { requireBoolean, requireInteger, requireObject, validateNotificationEmails } from './option-checks';
import { CodeStarFargateProjectOptions, CpuArchitecture, EgressRule, SecretReference, SecretSettings, StageNetwork, StageOptions, StageSettings, TaskSubnets } from './options';
import { minPrivateSubnets, resolveTaskSubnets } from './task-subnets';

export const DEFAULT_STAGES = ['dev', 'production'];

export const STAGE_NAME = /^[a-z][a-z0-9]{0,15}$/;

/** The project-wide values a stage takes unless it gives its own. */
export interface StageDefaults {
  readonly cpu: number;
  readonly memory: number;
  readonly minContainers: number;
  readonly maxContainers: number;
  readonly autoScalingTargetCpu: number;
  /** The project's `fargateSpot`, which stages without an approval take. @default false */
  readonly fargateSpot?: boolean;
  /** The project's architecture: a stage's own Spot is refused on ARM64. @default CpuArchitecture.X86_64 */
  readonly architecture?: CpuArchitecture;
  /** The service's hosted zone and how stages are named in it. @default - no zone: stages get no domain name */
  readonly domain?: StageDomainDefaults;
}

/** What a stage's default domain name is made of. */
export interface StageDomainDefaults extends ServiceDomain {
  readonly serviceName: string;
}

/** The fields a stage object may have; another field is a typo, refused rather than ignored. */
export const STAGE_OPTION_FIELDS: ReadonlyArray<keyof StageOptions> = [
  'name', 'cpu', 'memory', 'minContainers', 'maxContainers', 'autoScalingTargetCpu', 'environment', 'secrets',
  'approval', 'network', 'deploymentStrategy', 'notificationEmails', 'egress', 'account', 'region',
  'domain', 'fargateSpot', 'enableExecuteCommand', 'taskSubnets',
];

/** POSIX's portable variable names; ECS and Fargate set `AWS_*` and `ECS_*` themselves. */
const ENVIRONMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
const RESERVED_ENVIRONMENT_PREFIXES = ['AWS_', 'ECS_'];
export const MAX_ENVIRONMENT_VALUE_LENGTH = 4096;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(-[a-z]+)+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}$/;
const JSON_KEY = /^[A-Za-z0-9_.@+=/-]{1,256}$/;
const PARAMETER_NAME = /^(?!\/?(aws|ssm))\/?[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/i;
const MAX_PARAMETER_NAME_LENGTH = 1011;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\d:\d{12}:key\/(mrk-)?[0-9a-f-]{32,36}$/;
/** A VPC's and a subnet's id: the prefix and 8 or 17 lowercase hex digits. */
export const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
/** The characters EC2 accepts in a security group rule's description. */
const RULE_DESCRIPTION = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{0,255}$/;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Every stage with its own values resolved: from `stageOptions`, or one stage
 * per name of `stages` (already checked) with the project's values. Throws an
 * error naming the option path, the value and what is allowed.
 */
export function resolveStageSettings(options: CodeStarFargateProjectOptions, stageNames: string[], defaults: StageDefaults): StageSettings[] {
  const environment = resolveEnvironment('environment', options.environment ?? {});
  const secrets = resolveSecrets('secrets', options.secrets ?? {});
  const egress = resolveEgress('egress', options.egress ?? []);
  const stageObjects: StageOptions[] = options.stageOptions ?? stageNames.map(name => ({ name }));
  return stageObjects.map((stage, index) => resolveStage(stage, `stageOptions[${index}]`, options, defaults, { environment, secrets, egress }));
}

/** The stage names, from `stageOptions`, `stages` or the default, each checked once. */
export function resolveStageNames(options: CodeStarFargateProjectOptions): string[] {
  const stages = stageNamesOf(options) ?? options.stages ?? DEFAULT_STAGES;
  validateStages(stages);
  return stages;
}

/** Throws unless `stages` is a list of unique stage names. */
export function validateStages(stages: string[]): void {
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

/** The stage names of `stageOptions`, refusing it together with `stages` and anything but a list of objects. */
function stageNamesOf(options: CodeStarFargateProjectOptions): string[] | undefined {
  const { stageOptions } = options;
  if (stageOptions === undefined) {
    return undefined;
  }
  if (options.stages !== undefined) {
    throw new OptionError(`stages ${JSON.stringify(options.stages)} and stageOptions are both given: give the stages once, as names in stages or as objects in stageOptions.`);
  }
  if (!Array.isArray(stageOptions) || stageOptions.length === 0) {
    throw new OptionError(`stageOptions ${JSON.stringify(stageOptions)} is not allowed: give at least one stage object, e.g. [{ name: "dev" }, { name: "production", cpu: 1024, memory: 2048 }].`);
  }
  stageOptions.forEach((stage, index) => {
    if (stage === null || typeof stage !== 'object' || Array.isArray(stage)) {
      throw new OptionError(`stageOptions[${index}] ${JSON.stringify(stage)} is not allowed: each stage is an object with at least a name, e.g. { name: "dev" }.`);
    }
    const unknown = Object.keys(stage).find(key => !(STAGE_OPTION_FIELDS as string[]).includes(key));
    if (unknown !== undefined) {
      throw new OptionError(`stageOptions[${index}].${unknown} is not allowed: a stage's fields are ${STAGE_OPTION_FIELDS.join(', ')}.`);
    }
    if (typeof stage.name !== 'string' || !STAGE_NAME.test(stage.name)) {
      throw new OptionError(`stageOptions[${index}].name ${JSON.stringify(stage.name)} is not allowed: it must start with a lowercase letter and contain only lowercase letters and digits (at most 16 characters), e.g. "dev" or "production".`);
    }
  });
  return stageOptions.map(stage => stage.name);
}

interface SharedValues {
  readonly environment: { [name: string]: string };
  readonly secrets: { [name: string]: SecretSettings };
  readonly egress: EgressRule[];
}

function resolveStage(
  stage: StageOptions, path: string, options: CodeStarFargateProjectOptions, defaults: StageDefaults, shared: SharedValues,
): StageSettings {
  const cpu = stage.cpu ?? defaults.cpu;
  const memory = stage.memory ?? defaults.memory;
  if (stage.cpu !== undefined || stage.memory !== undefined) {
    validateFargateSize(cpu, memory, { cpu: `${path}.cpu`, memory: `${path}.memory` });
  }
  const minContainers = stage.minContainers ?? defaults.minContainers;
  const maxContainers = stage.maxContainers ?? defaults.maxContainers;
  requireInteger(`${path}.minContainers`, minContainers, 0, 5000);
  requireInteger(`${path}.maxContainers`, maxContainers, 1, 5000);
  if (minContainers > maxContainers) {
    throw new OptionError(`${path}.minContainers (${minContainers}) is greater than ${path}.maxContainers (${maxContainers}) in stage "${stage.name}": minContainers must be at most maxContainers.`);
  }
  const autoScalingTargetCpu = stage.autoScalingTargetCpu ?? defaults.autoScalingTargetCpu;
  requireAutoScalingTargetCpu(`${path}.autoScalingTargetCpu`, autoScalingTargetCpu, options.alarms, stage.autoScalingTargetCpu !== undefined);

  const environment = { ...shared.environment, ...resolveEnvironment(`${path}.environment`, stage.environment ?? {}) };
  const secrets = { ...shared.secrets, ...resolveSecrets(`${path}.secrets`, stage.secrets ?? {}) };
  const both = Object.keys(environment).find(name => name in secrets);
  if (both !== undefined) {
    throw new OptionError(`${both} is both an environment variable and a secret of stage "${stage.name}" (${path}): give each name once, in environment or in secrets.`);
  }

  if (stage.approval !== undefined && typeof stage.approval !== 'boolean') {
    throw new OptionError(`${path}.approval ${JSON.stringify(stage.approval)} is not allowed: it must be true or false.`);
  }
  const taskSubnets = resolveTaskSubnets(`${path}.taskSubnets`, stage.name, stage.taskSubnets);
  const network = stage.network === undefined ? undefined : resolveNetwork(`${path}.network`, stage.network, taskSubnets);
  const { account, region } = stage;
  if (account !== undefined && (typeof account !== 'string' || !ACCOUNT_ID.test(account))) {
    throw new OptionError(`${path}.account ${JSON.stringify(account)} is not allowed: it must be a 12-digit AWS account id such as "123456789012".`);
  }
  if (region !== undefined && (typeof region !== 'string' || !REGION.test(region))) {
    throw new OptionError(`${path}.region ${JSON.stringify(region)} is not allowed: it must be an AWS region such as "eu-west-1": two lowercase letters, one or more "-" and lowercase words, then "-" and one digit.`);
  }
  // A platform stage runs in the platform's network in that account.
  if (account !== undefined && network === undefined && options.platformName === undefined) {
    throw new OptionError(`${path}.account ${JSON.stringify(account)} needs ${path}.network: a stage in another account runs in a VPC of that account, given by its ids.`);
  }
  const deploymentStrategy = stage.deploymentStrategy ?? options.deploymentStrategy;
  resolveDeploymentStrategy(stage.deploymentStrategy !== undefined ? `${path}.deploymentStrategy` : 'deploymentStrategy', deploymentStrategy, stage.name);
  const notificationEmails = stage.notificationEmails ?? [];
  validateNotificationEmails(`${path}.notificationEmails`, notificationEmails);
  if (stage.enableExecuteCommand !== undefined && typeof stage.enableExecuteCommand !== 'boolean') {
    throw new OptionError(`${path}.enableExecuteCommand ${JSON.stringify(stage.enableExecuteCommand)} is not allowed in stage "${stage.name}": it must be true or false.`);
  }
  const approvalRequired = stage.approval ?? PRODUCTION_STAGE_NAMES.includes(stage.name);
  if (stage.fargateSpot !== undefined && stage.fargateSpot !== null) {
    requireBoolean(`${path}.fargateSpot`, stage.fargateSpot);
    refuseSpotOnArchitecture(`${path}.fargateSpot`, stage.fargateSpot, defaults.architecture ?? CpuArchitecture.X86_64);
  }
  const domainName = stageDomainName(stage, path, defaults.domain);

  return {
    name: stage.name,
    cpu,
    memory,
    minContainers,
    maxContainers,
    autoScalingTargetCpu,
    environment,
    secrets,
    approvalRequired,
    ...(network ? { network } : {}),
    taskSubnets,
    ...(deploymentStrategy ? { deploymentStrategy } : {}),
    notificationEmails: [...notificationEmails],
    egress: [...shared.egress, ...resolveEgress(`${path}.egress`, stage.egress ?? [])],
    ...(account ? { account } : {}),
    ...(region ? { region } : {}),
    // A shell in production is break-glass access: asked for by name, never a default.
    enableExecuteCommand: stage.enableExecuteCommand ?? !PRODUCTION_STAGE_NAMES.includes(stage.name),
    // The project's Spot reaches only stages without an approval: AWS may stop a Spot task at two minutes' notice.
    fargateSpot: stage.fargateSpot ?? ((defaults.fargateSpot ?? false) && !approvalRequired),
    ...(domainName !== undefined ? { domainName } : {}),
  };
}

/** A stage's domain name: its own, or the default in the service's zone; none without a zone. */
function stageDomainName(stage: StageOptions, path: string, domain: StageDomainDefaults | undefined): string | undefined {
  if (domain === undefined) {
    if (stage.domain !== undefined) {
      throw new OptionError(`${path}.domain ${JSON.stringify(stage.domain)} is not allowed without hostedZoneId and hostedZoneName: give the hosted zone the name is in.`);
    }
    return undefined;
  }
  const { serviceName, hostedZone, naming } = domain;
  const domainName = stage.domain ?? defaultStageDomainName(serviceName, stage.name, hostedZone.zoneName, naming);
  // Every stage's name must be one ACM can certify, so a long name fails the synth, not a deploy.
  const option = stage.domain !== undefined ? `${path}.domain` : `hostedZoneName (the domain of stage "${stage.name}")`;
  validateStageDomainName(option, domainName, stage.name, hostedZone.zoneName);
  return domainName;
}

/** Checks environment variable names and values; errors name `<path>.<NAME>`. */
export function resolveEnvironment(path: string, environment: { [name: string]: string }): { [name: string]: string } {
  requireObject(path, environment, '{ LOG_LEVEL: "info" }');
  for (const [name, value] of Object.entries(environment)) {
    validateVariableName(path, name);
    if (typeof value !== 'string' || value.length > MAX_ENVIRONMENT_VALUE_LENGTH || value.includes('\0')) {
      throw new OptionError(`${path}.${name} ${JSON.stringify(value)} is not allowed: a value is a string of at most ${MAX_ENVIRONMENT_VALUE_LENGTH} characters without NUL; quote numbers, e.g. "5".`);
    }
  }
  return { ...environment };
}

/** Throws unless `name` is a portable environment variable name ECS leaves to the app. */
export function validateVariableName(path: string, name: string): void {
  if (!ENVIRONMENT_NAME.test(name) || RESERVED_ENVIRONMENT_PREFIXES.some(prefix => name.toUpperCase().startsWith(prefix))) {
    throw new OptionError(`${path} name ${JSON.stringify(name)} is not allowed: it must be letters, digits and _ (at most 255), not start with a digit, and not start with ${RESERVED_ENVIRONMENT_PREFIXES.join(' or ')}, which ECS and Fargate set, e.g. "DATABASE_HOST".`);
  }
}

/** Checks each secret reference; errors name `<path>.<NAME>.<field>`. */
export function resolveSecrets(path: string, secrets: { [name: string]: SecretReference }): { [name: string]: SecretSettings } {
  requireObject(path, secrets, '{ DB_PASSWORD: { secretsManager: "orders/db", jsonKey: "password" } }');
  const resolved: { [name: string]: SecretSettings } = {};
  for (const [name, reference] of Object.entries(secrets)) {
    validateVariableName(path, name);
    resolved[name] = resolveSecret(`${path}.${name}`, reference);
  }
  return resolved;
}

function resolveSecret(path: string, reference: SecretReference): SecretSettings {
  requireObject(path, reference, '{ secretsManager: "orders/db" } or { ssmParameter: "/orders/db-password" }');
  const unknown = Object.keys(reference).find(key => !['secretsManager', 'jsonKey', 'ssmParameter', 'kmsKeyArn'].includes(key));
  if (unknown !== undefined) {
    throw new OptionError(`${path}.${unknown} is not allowed: a secret has secretsManager (with jsonKey) or ssmParameter, and kmsKeyArn.`);
  }
  const { secretsManager, ssmParameter, jsonKey, kmsKeyArn } = reference;
  if ((secretsManager === undefined) === (ssmParameter === undefined)) {
    throw new OptionError(`${path} ${JSON.stringify(reference)} is not allowed: give exactly one of secretsManager (a secret's name or ARN) and ssmParameter (a parameter's name).`);
  }
  if (kmsKeyArn !== undefined && (typeof kmsKeyArn !== 'string' || !KMS_KEY_ARN.test(kmsKeyArn))) {
    throw new OptionError(`${path}.kmsKeyArn ${JSON.stringify(kmsKeyArn)} is not allowed: it must be a KMS key ARN such as "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab".`);
  }
  const key = kmsKeyArn !== undefined ? { kmsKeyArn } : {};
  if (secretsManager !== undefined) {
    if (typeof secretsManager !== 'string' || !(SECRET_NAME.test(secretsManager) || SECRET_ARN.test(secretsManager)) || (secretsManager.startsWith('arn:') && !SECRET_ARN.test(secretsManager))) {
      throw new OptionError(`${path}.secretsManager ${JSON.stringify(secretsManager)} is not allowed: it must be a secret name of 1 to 512 letters, digits and / _ + = . @ - (e.g. "orders/db") or a secret ARN such as "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/db-AbCdEf".`);
    }
    if (jsonKey !== undefined && (typeof jsonKey !== 'string' || !JSON_KEY.test(jsonKey))) {
      throw new OptionError(`${path}.jsonKey ${JSON.stringify(jsonKey)} is not allowed: it must be 1 to 256 letters, digits and _ . @ + = / -, e.g. "password".`);
    }
    return { source: 'secretsManager', id: secretsManager, ...(jsonKey !== undefined ? { jsonKey } : {}), ...key };
  }
  if (jsonKey !== undefined) {
    throw new OptionError(`${path}.jsonKey ${JSON.stringify(jsonKey)} is not allowed with ssmParameter: a parameter's value is passed whole; jsonKey applies to secretsManager only.`);
  }
  if (typeof ssmParameter !== 'string' || !PARAMETER_NAME.test(ssmParameter) || ssmParameter.length > MAX_PARAMETER_NAME_LENGTH) {
    throw new OptionError(`${path}.ssmParameter ${JSON.stringify(ssmParameter)} is not allowed: it must be a parameter name of letters, digits and _ . - in segments separated by / (at most ${MAX_PARAMETER_NAME_LENGTH} characters, not starting with "aws" or "ssm"), e.g. "/orders/db-password".`);
  }
  return { source: 'ssmParameter', id: ssmParameter, ...key };
}

/** Checks egress rules; errors name `<path>[i].<field>`. */
export function resolveEgress(path: string, rules: EgressRule[]): EgressRule[] {
  if (!Array.isArray(rules)) {
    throw new OptionError(`${path} ${JSON.stringify(rules)} is not allowed: give a list of rules, e.g. [{ port: 5432, cidr: "10.0.0.0/16" }].`);
  }
  return rules.map((rule, index) => {
    const rulePath = `${path}[${index}]`;
    requireObject(rulePath, rule, '{ port: 5432, cidr: "10.0.0.0/16" }');
    requireInteger(`${rulePath}.port`, rule.port, 1, 65535);
    if (rule.toPort !== undefined) {
      requireInteger(`${rulePath}.toPort`, rule.toPort, rule.port, 65535);
    }
    if ((rule.cidr === undefined) === (rule.securityGroupId === undefined)) {
      throw new OptionError(`${rulePath} ${JSON.stringify(rule)} is not allowed: give exactly one of cidr (e.g. "10.0.0.0/16") and securityGroupId (e.g. "sg-0123456789abcdef0").`);
    }
    if (rule.cidr !== undefined) {
      validateCidr(`${rulePath}.cidr`, rule.cidr);
    }
    if (rule.securityGroupId !== undefined && (typeof rule.securityGroupId !== 'string' || !SECURITY_GROUP_ID.test(rule.securityGroupId))) {
      throw new OptionError(`${rulePath}.securityGroupId ${JSON.stringify(rule.securityGroupId)} is not allowed: it must be a security group id, "sg-" and 8 or 17 lowercase hex digits, e.g. "sg-0123456789abcdef0".`);
    }
    if (rule.description !== undefined && (typeof rule.description !== 'string' || !RULE_DESCRIPTION.test(rule.description))) {
      throw new OptionError(`${rulePath}.description ${JSON.stringify(rule.description)} is not allowed: at most 255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*.`);
    }
    return { ...rule };
  });
}

/** Throws unless `cidr` is an IPv4 network in CIDR notation whose host bits are zero, as EC2 takes it. */
export function validateCidr(path: string, cidr: string): void {
  const match = typeof cidr === 'string' ? IPV4_CIDR.exec(cidr) : null;
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const prefix = match ? Number(match[5]) : -1;
  const wellFormed = match !== null && octets.every(octet => octet <= 255 && String(octet) === match[octets.indexOf(octet) + 1]) && prefix <= 32;
  if (!wellFormed) {
    throw new OptionError(`${path} ${JSON.stringify(cidr)} is not allowed: it must be an IPv4 CIDR block, four numbers 0 to 255 without leading zeros and a prefix 0 to 32, e.g. "10.0.0.0/16".`);
  }
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const hostBits = prefix === 32 ? 0 : address % 2 ** (32 - prefix);
  if (hostBits !== 0) {
    const network = address - hostBits;
    const networkText = [24, 16, 8, 0].map(shift => Math.floor(network / 2 ** shift) % 256).join('.');
    throw new OptionError(`${path} ${JSON.stringify(cidr)} is not allowed: its host bits are set; the network is "${networkText}/${prefix}".`);
  }
}

function resolveNetwork(path: string, network: StageNetwork, taskSubnets: TaskSubnets): StageNetwork {
  requireObject(path, network, '{ vpcId: "vpc-0123456789abcdef0", publicSubnetIds: [...], privateSubnetIds: [...] }');
  if (typeof network.vpcId !== 'string' || !VPC_ID.test(network.vpcId)) {
    throw new OptionError(`${path}.vpcId ${JSON.stringify(network.vpcId)} is not allowed: it must be a VPC id, "vpc-" and 8 or 17 lowercase hex digits, e.g. "vpc-0123456789abcdef0".`);
  }
  const subnets = (field: 'publicSubnetIds' | 'privateSubnetIds', min: number, purpose: string): string[] => {
    // Public tasks need no private subnets: left out is none.
    const ids = field === 'privateSubnetIds' && min === 0 ? network[field] ?? [] : network[field];
    if (!Array.isArray(ids) || ids.length < min || ids.some(id => typeof id !== 'string' || !SUBNET_ID.test(id)) || new Set(ids).size !== ids.length) {
      throw new OptionError(`${path}.${field} ${JSON.stringify(ids)} is not allowed: give at least ${min} distinct subnet ids ("subnet-" and 8 or 17 lowercase hex digits) for ${purpose}.`);
    }
    return [...ids];
  };
  return {
    vpcId: network.vpcId,
    publicSubnetIds: subnets('publicSubnetIds', 2, 'the load balancer, in two or more Availability Zones'),
    privateSubnetIds: subnets('privateSubnetIds', minPrivateSubnets(taskSubnets), 'the tasks, with outbound internet access (or give taskSubnets PUBLIC to run them in the public subnets)'),
  };
}
