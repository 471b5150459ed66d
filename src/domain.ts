import { PRODUCTION_STAGE_NAMES } from './contract';
import { OptionError } from './errors';
import { CodeStarFargateProjectOptions, HostedZoneReference, StageDomainNaming } from './options';

/**
 * The rules of stage domains, shared by the project type and the pipeline construct: a Route 53 zone id, domain
 * names of RFC 1035 labels, and the name a stage gets by default.
 */

/** A Route 53 hosted zone id as the console and the API show it, without `/hostedzone/`. */
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

/** One RFC 1035 label: a letter first, letters, digits and inner hyphens, at most 63 characters. */
const LABEL = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A domain name is at most 253 characters without its trailing dot (RFC 1035's 255 octets on the wire). */
export const MAX_DOMAIN_NAME_LENGTH = 253;

/**
 * ACM's limit on a certificate's domain name: 64 characters (the certificate's CN field); longer names fail the
 * certificate only once CloudFormation requests it.
 */
export const MAX_CERTIFICATE_DOMAIN_LENGTH = 64;

/** Whether `name` is lowercase dot-separated RFC 1035 labels, at most 253 characters, with at least two labels. */
export function isDomainName(name: unknown): name is string {
  return typeof name === 'string'
    && name.length <= MAX_DOMAIN_NAME_LENGTH
    && name.split('.').length >= 2
    && name.split('.').every(label => LABEL.test(label));
}

/** Throws unless `zone` names a hosted zone by a valid id and domain name; errors name `option`. */
export function validateHostedZone(option: string, zone: HostedZoneReference): void {
  if (zone === null || typeof zone !== 'object') {
    throw new OptionError(`${option} ${JSON.stringify(zone)} is not allowed: give { hostedZoneId: "Z0123456789ABCDEFGHIJ", zoneName: "example.com" }.`);
  }
  if (typeof zone.hostedZoneId !== 'string' || !HOSTED_ZONE_ID.test(zone.hostedZoneId)) {
    throw new OptionError(`${option === 'hostedZone' ? 'hostedZone.hostedZoneId' : 'hostedZoneId'} ${JSON.stringify(zone.hostedZoneId)} is not allowed: it must be a Route 53 hosted zone id, "Z" and then uppercase letters and digits (at most 32 characters), e.g. "Z0123456789ABCDEFGHIJ".`);
  }
  if (!isDomainName(zone.zoneName)) {
    throw new OptionError(`${option === 'hostedZone' ? 'hostedZone.zoneName' : 'hostedZoneName'} ${JSON.stringify(zone.zoneName)} is not allowed: it must be a domain name of at least two lowercase RFC 1035 labels (a letter first, then letters, digits and inner hyphens, at most 63 characters each) without a trailing dot, e.g. "example.com".`);
  }
}

/**
 * The name a stage gets in the zone: `<serviceName>.<zone>` for production; for others `<stage>.<serviceName>.<zone>`
 * (below production's) or, with sibling naming, `<serviceName>-<stage>.<zone>` (beside it).
 */
export function defaultStageDomainName(serviceName: string, stage: string, zoneName: string, naming = StageDomainNaming.SUBDOMAIN): string {
  if (PRODUCTION_STAGE_NAMES.includes(stage)) {
    return `${serviceName}.${zoneName}`;
  }
  return naming === StageDomainNaming.SIBLING ? `${serviceName}-${stage}.${zoneName}` : `${stage}.${serviceName}.${zoneName}`;
}

/** Throws unless `naming` is a `StageDomainNaming`; the error names `option`, the value and what is allowed. */
export function validateStageDomainNaming(option: string, naming: unknown): void {
  if (!Object.values(StageDomainNaming).includes(naming as StageDomainNaming)) {
    throw new OptionError(`${option} ${JSON.stringify(naming)} is not allowed: use ${Object.values(StageDomainNaming).map(value => `StageDomainNaming.${value}`).join(' or ')}.`);
  }
}

/**
 * Throws unless `domainName` is a name inside the zone that ACM can certify; errors name `option`, the value,
 * the stage and what is allowed.
 */
export function validateStageDomainName(option: string, domainName: string, stage: string, zoneName: string): void {
  if (!isDomainName(domainName)) {
    throw new OptionError(`${option} ${JSON.stringify(domainName)} is not allowed in stage "${stage}": it must be a domain name of lowercase RFC 1035 labels (a letter first, then letters, digits and inner hyphens) without a trailing dot, e.g. "${stage}.orders.${zoneName}".`);
  }
  if (domainName !== zoneName && !domainName.endsWith(`.${zoneName}`)) {
    throw new OptionError(`${option} ${JSON.stringify(domainName)} is not allowed in stage "${stage}": it must be the hosted zone's name or a name inside it "${zoneName}", e.g. "${stage}.orders.${zoneName}".`);
  }
  if (domainName.length > MAX_CERTIFICATE_DOMAIN_LENGTH) {
    throw new OptionError(`${option} ${JSON.stringify(domainName)} is not allowed in stage "${stage}": it has ${domainName.length} characters, and an ACM certificate's domain name may have at most ${MAX_CERTIFICATE_DOMAIN_LENGTH}.`);
  }
}

/** A service's hosted zone and how its stages are named in it. */
export interface ServiceDomain {
  readonly hostedZone: HostedZoneReference;
  readonly naming: StageDomainNaming;
}

/** The project's hosted zone and how its stages are named in it, or undefined without a zone. */
export function resolveServiceDomain(options: CodeStarFargateProjectOptions): ServiceDomain | undefined {
  const hostedZone = resolveHostedZone(options);
  const naming = resolveStageDomainNaming(options, hostedZone);
  return hostedZone ? { hostedZone, naming } : undefined;
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
