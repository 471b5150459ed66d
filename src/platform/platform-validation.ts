import { PRODUCTION_STAGE_NAMES } from '../contract';
import { isDomainName, MAX_CERTIFICATE_DOMAIN_LENGTH, validateStageDomainName } from '../domain';
import { OptionError } from '../errors';
import { requireBoolean, requireInteger, requireObject } from '../option-checks';
import { TaskSubnets } from '../options';
import { validatePlatformName } from '../platform-membership';
import { STAGE_NAME, SUBNET_ID, validateCidr, VPC_ID } from '../stage-settings';
import { MAX_NAME_WITH_STAGE } from '../validation';
import { CodeStarFargatePlatformProps, PlatformNetwork, PlatformService, PlatformStage } from './platform-options';

/** A platform's name follows a service name's rule: lowercase letters, digits and single hyphens, a letter first. */
const NAME = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
const MIN_NAME_LENGTH = 2;
/** A service name leaves room for `-<stage>` in AWS's 32-character load balancer and target group names. */
const MAX_SERVICE_NAME_LENGTH = MAX_NAME_WITH_STAGE - 2;
/** Application Load Balancer listener rule priorities. */
export const MIN_RULE_PRIORITY = 1;
export const MAX_RULE_PRIORITY = 50000;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

const STAGE_FIELDS: ReadonlyArray<keyof PlatformStage> = ['name', 'network', 'natGateways', 'taskSubnets', 'hostedZone', 'domainName', 'internetFacing', 'testTrafficCidr'];
const SERVICE_FIELDS: ReadonlyArray<keyof PlatformService> = ['name', 'rulePriority'];

/** A platform stage after defaults and checks: what the stage's stack is built from. */
export interface PlatformStageSettings {
  readonly name: string;
  readonly network?: PlatformNetwork;
  readonly natGateways: number;
  readonly taskSubnets: TaskSubnets;
  /** The stage's domain and its zone; absent without a hosted zone. */
  readonly domain?: { readonly hostedZoneId: string; readonly zoneName: string; readonly domainName: string };
  readonly internetFacing: boolean;
  readonly testTrafficCidr?: string;
}

/** A platform after defaults and checks. */
export interface PlatformSettings {
  readonly platformName: string;
  readonly stages: PlatformStageSettings[];
  readonly services: PlatformService[];
}

/** The domain a stage gets in its zone: the zone itself for production, `<stage>.<zone>` for the others. */
export function defaultPlatformDomainName(stage: string, zoneName: string): string {
  return PRODUCTION_STAGE_NAMES.includes(stage) ? zoneName : `${stage}.${zoneName}`;
}

/** Checks every prop and applies the defaults; errors name the prop, the value and what is allowed. */
/**
 * `stagesOption` is what the stages are called where they were given (`stageOptions` in `.projenrc.ts`), and
 * `nameSource` says where a defaulted platform name came from.
 */
export function resolvePlatformSettings(props: CodeStarFargatePlatformProps, stagesOption = 'stages', nameSource = ''): PlatformSettings {
  requireObject('props', props, '{ platformName: "acme", stages: [{ name: "dev" }, { name: "production" }] }');
  const stages = props.stages;
  if (!Array.isArray(stages) || stages.length === 0) {
    throw new OptionError(`${stagesOption} ${JSON.stringify(stages)} is not allowed: give at least one stage, e.g. [{ name: "dev" }, { name: "production" }].`);
  }
  stages.forEach((stage, index) => validateStageName(stage, `${stagesOption}[${index}]`));
  const names = stages.map(stage => stage.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) {
    throw new OptionError(`${stagesOption} ${JSON.stringify(names)} is not allowed: stage names must be unique, and ${JSON.stringify(repeated)} appears more than once.`);
  }
  validatePlatformName('platformName', props.platformName, names, nameSource);
  const resolved = stages.map((stage, index) => resolveStage(stage, `${stagesOption}[${index}]`));
  const domains = resolved.flatMap(stage => (stage.domain ? [stage.domain.domainName] : []));
  const sharedDomain = domains.find((domain, index) => domains.indexOf(domain) !== index);
  if (sharedDomain !== undefined) {
    throw new OptionError(`${stagesOption}: the domain ${JSON.stringify(sharedDomain)} is given to more than one stage: each stage needs its own (its wildcard record and certificate), e.g. set domainName on one of them.`);
  }
  return { platformName: props.platformName, stages: resolved, services: resolveServices(props.services ?? [], props.platformName) };
}

/** Checks a platform name against the stages' names, with the option's name as `.projenrc.ts` spells it. */

function validateStageName(stage: PlatformStage, path: string): void {
  requireObject(path, stage, '{ name: "dev" }');
  const unknown = Object.keys(stage).find(key => !(STAGE_FIELDS as string[]).includes(key));
  if (unknown !== undefined) {
    throw new OptionError(`${path}.${unknown} is not allowed: a platform stage's fields are ${STAGE_FIELDS.join(', ')}.`);
  }
  if (typeof stage.name !== 'string' || !STAGE_NAME.test(stage.name)) {
    throw new OptionError(`${path}.name ${JSON.stringify(stage.name)} is not allowed: it must start with a lowercase letter and contain only lowercase letters and digits (at most 16 characters), e.g. "dev" or "production".`);
  }
}

function resolveStage(stage: PlatformStage, path: string): PlatformStageSettings {
  const taskSubnets = stage.taskSubnets ?? TaskSubnets.PRIVATE;
  if (!Object.values(TaskSubnets).includes(taskSubnets)) {
    throw new OptionError(`${path}.taskSubnets ${JSON.stringify(taskSubnets)} is not allowed: use ${Object.values(TaskSubnets).map(value => `TaskSubnets.${value}`).join(' or ')}.`);
  }
  const network = stage.network === undefined ? undefined : resolveNetwork(`${path}.network`, stage.network, taskSubnets);
  const natGateways = resolveNatGateways(stage, path, taskSubnets);
  const internetFacing = stage.internetFacing ?? true;
  requireBoolean(`${path}.internetFacing`, internetFacing);
  if (stage.testTrafficCidr !== undefined) {
    validateCidr(`${path}.testTrafficCidr`, stage.testTrafficCidr);
  }
  return {
    name: stage.name,
    ...(network ? { network } : {}),
    natGateways,
    taskSubnets,
    ...resolveDomain(stage, path),
    internetFacing,
    ...(stage.testTrafficCidr !== undefined ? { testTrafficCidr: stage.testTrafficCidr } : {}),
  };
}

function resolveNatGateways(stage: PlatformStage, path: string, taskSubnets: TaskSubnets): number {
  const { natGateways } = stage;
  if (natGateways === undefined) {
    return stage.network !== undefined || taskSubnets === TaskSubnets.PUBLIC ? 0 : 1;
  }
  requireInteger(`${path}.natGateways`, natGateways, 0, 2);
  if (stage.network !== undefined) {
    throw new OptionError(`${path}.natGateways ${natGateways} is not allowed with ${path}.network: an existing network's NAT gateways are its own; leave natGateways out.`);
  }
  if (taskSubnets === TaskSubnets.PUBLIC && natGateways !== 0) {
    throw new OptionError(`${path}.natGateways ${natGateways} is not allowed with taskSubnets TaskSubnets.PUBLIC: tasks in public subnets reach the internet through their own public IPs, and the VPC has no private subnets for a NAT gateway to serve; use 0 or leave it out.`);
  }
  if (taskSubnets === TaskSubnets.PRIVATE && natGateways === 0) {
    throw new OptionError(`${path}.natGateways 0 is not allowed with taskSubnets TaskSubnets.PRIVATE: tasks in private subnets pull their image and send their logs through a NAT gateway; use 1 or 2, or taskSubnets TaskSubnets.PUBLIC for a network without NAT.`);
  }
  return natGateways;
}

function resolveDomain(stage: PlatformStage, path: string): Pick<PlatformStageSettings, 'domain'> {
  const zone = stage.hostedZone;
  if (zone === undefined) {
    if (stage.domainName !== undefined) {
      throw new OptionError(`${path}.domainName ${JSON.stringify(stage.domainName)} is not allowed without ${path}.hostedZone: give hostedZone: { hostedZoneId, zoneName } for the zone the name is in.`);
    }
    return {};
  }
  requireObject(`${path}.hostedZone`, zone, '{ hostedZoneId: "Z0123456789ABCDEFGHIJ", zoneName: "example.com" }');
  if (typeof zone.hostedZoneId !== 'string' || !HOSTED_ZONE_ID.test(zone.hostedZoneId)) {
    throw new OptionError(`${path}.hostedZone.hostedZoneId ${JSON.stringify(zone.hostedZoneId)} is not allowed: it must be a Route 53 hosted zone id, "Z" and then uppercase letters and digits (at most 32 characters), e.g. "Z0123456789ABCDEFGHIJ".`);
  }
  if (!isDomainName(zone.zoneName)) {
    throw new OptionError(`${path}.hostedZone.zoneName ${JSON.stringify(zone.zoneName)} is not allowed: it must be a domain name of at least two lowercase RFC 1035 labels (a letter first, then letters, digits and inner hyphens, at most 63 characters each) without a trailing dot, e.g. "example.com".`);
  }
  const domainName = stage.domainName ?? defaultPlatformDomainName(stage.name, zone.zoneName);
  const option = stage.domainName !== undefined ? `${path}.domainName` : `${path}.hostedZone.zoneName (the domain of stage "${stage.name}")`;
  validateStageDomainName(option, domainName, stage.name, zone.zoneName);
  // The certificate is for `*.<domainName>`: two characters more than the name.
  if (domainName.length + 2 > MAX_CERTIFICATE_DOMAIN_LENGTH) {
    throw new OptionError(`${option} ${JSON.stringify(domainName)} is not allowed in stage "${stage.name}": its wildcard certificate "*.${domainName}" has ${domainName.length + 2} characters, and an ACM certificate's domain name may have at most ${MAX_CERTIFICATE_DOMAIN_LENGTH}.`);
  }
  return { domain: { hostedZoneId: zone.hostedZoneId, zoneName: zone.zoneName, domainName } };
}

function resolveNetwork(path: string, network: PlatformNetwork, taskSubnets: TaskSubnets): PlatformNetwork {
  requireObject(path, network, '{ vpcId: "vpc-0123456789abcdef0", vpcCidrBlock: "10.0.0.0/16", publicSubnetIds: [...], privateSubnetIds: [...] }');
  if (typeof network.vpcId !== 'string' || !VPC_ID.test(network.vpcId)) {
    throw new OptionError(`${path}.vpcId ${JSON.stringify(network.vpcId)} is not allowed: it must be a VPC id, "vpc-" and 8 or 17 lowercase hex digits, e.g. "vpc-0123456789abcdef0".`);
  }
  validateCidr(`${path}.vpcCidrBlock`, network.vpcCidrBlock);
  const subnets = (field: 'publicSubnetIds' | 'privateSubnetIds', min: number, purpose: string): string[] => {
    // Public tasks need no private subnets: left out is none.
    const ids = min === 0 ? network[field] ?? [] : network[field];
    if (!Array.isArray(ids) || ids.length < min || ids.some(id => typeof id !== 'string' || !SUBNET_ID.test(id)) || new Set(ids).size !== ids.length) {
      throw new OptionError(`${path}.${field} ${JSON.stringify(ids)} is not allowed: give at least ${min} distinct subnet ids ("subnet-" and 8 or 17 lowercase hex digits) for ${purpose}.`);
    }
    return [...ids];
  };
  const publicSubnetIds = subnets('publicSubnetIds', 2, 'the load balancer, in two or more Availability Zones');
  const privateSubnetIds = taskSubnets === TaskSubnets.PUBLIC
    ? subnets('privateSubnetIds', 0, 'nothing (tasks run in the public subnets); [] or leaving it out is fine')
    : subnets('privateSubnetIds', 1, 'the tasks, with outbound internet access through NAT');
  const shared = publicSubnetIds.find(id => privateSubnetIds.includes(id));
  if (shared !== undefined) {
    throw new OptionError(`${path}.privateSubnetIds ${JSON.stringify(privateSubnetIds)} is not allowed: ${JSON.stringify(shared)} is in publicSubnetIds too; a subnet is public or private.`);
  }
  return { vpcId: network.vpcId, vpcCidrBlock: network.vpcCidrBlock, publicSubnetIds, privateSubnetIds };
}

function resolveServices(services: PlatformService[], platformName: string): PlatformService[] {
  if (!Array.isArray(services)) {
    throw new OptionError(`services ${JSON.stringify(services)} is not allowed: give a list of { name, rulePriority }, e.g. [{ name: "orders-api", rulePriority: 100 }].`);
  }
  const resolved = services.map((service, index) => {
    const path = `services[${index}]`;
    requireObject(path, service, '{ name: "orders-api", rulePriority: 100 }');
    const unknown = Object.keys(service).find(key => !(SERVICE_FIELDS as string[]).includes(key));
    if (unknown !== undefined) {
      throw new OptionError(`${path}.${unknown} is not allowed: a platform service's fields are ${SERVICE_FIELDS.join(', ')}.`);
    }
    if (typeof service.name !== 'string' || !NAME.test(service.name) || service.name.length > MAX_SERVICE_NAME_LENGTH) {
      throw new OptionError(`${path}.name ${JSON.stringify(service.name)} is not allowed: it must be a service's serviceName, lowercase letters, digits and single hyphens, a letter first and a letter or digit last, ${MIN_NAME_LENGTH} to ${MAX_SERVICE_NAME_LENGTH} characters, e.g. "orders-api".`);
    }
    requireInteger(`${path}.rulePriority`, service.rulePriority, MIN_RULE_PRIORITY, MAX_RULE_PRIORITY, 'an Application Load Balancer listener rule priority');
    return { name: service.name, rulePriority: service.rulePriority };
  });
  resolved.forEach((service, index) => {
    const sameName = resolved.findIndex(other => other.name === service.name);
    if (sameName !== index) {
      throw new OptionError(`services[${index}].name ${JSON.stringify(service.name)} is not allowed: services[${sameName}] has that name already; each service joins ${JSON.stringify(platformName)} once.`);
    }
    const samePriority = resolved.findIndex(other => other.rulePriority === service.rulePriority);
    if (samePriority !== index) {
      throw new OptionError(`services[${index}].rulePriority ${service.rulePriority} is not allowed: services[${samePriority}] ("${resolved[samePriority].name}") has it; priorities are unique on the platform, because the load balancer refuses a second rule at the same priority. Give "${service.name}" a priority nobody has had.`);
    }
  });
  return resolved;
}
