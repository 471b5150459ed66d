import { shownValue } from './command-line';
import { OptionError } from './errors';
import { CodeStarFargateProjectOptions } from './options';

/**
 * `platformName`: the platform a service's stages join, and the options that cannot go with it because the platform
 * decides them (its network, its domain and certificate) or because they need resources only an own environment has.
 */

/** Lowercase letters, digits and single hyphens, from a letter to a letter or digit: a service name's rule. */
const PLATFORM_NAME = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;

/** AWS's limit on a load balancer's and target group's name, which the platform gives `<platform>-<stage>`. */
const MAX_NAME_WITH_STAGE = 32;

/**
 * The one rule for a platform's name, wherever it is given (the platform's `platformName`, a service's, the
 * pipeline's): 2 characters or more, and with `-<longest stage>` within the 32 its load balancer and cluster names
 * allow. `option` names it in the error, and `source` says where a defaulted name came from.
 */
export function validatePlatformName(option: string, value: unknown, stages: string[], source = ''): string {
  const longestStage = stages.reduce((longest, stage) => (stage.length > longest.length ? stage : longest), '');
  const maxLength = MAX_NAME_WITH_STAGE - 1 - longestStage.length;
  if (typeof value !== 'string' || !PLATFORM_NAME.test(value) || value.length > maxLength) {
    throw new OptionError(`${option} ${shownValue(option, value)}${source} is not allowed: it must start with a lowercase letter, end with a letter or digit, and contain only lowercase letters, digits and single hyphens, 2 to ${maxLength} characters (with "-${longestStage}", the same limit as a service name), e.g. "acme".`);
  }
  return value;
}

/** The platform the stages join, or undefined; refuses what the platform decides itself. */
export function resolvePlatformName(options: CodeStarFargateProjectOptions, stages: string[]): string | undefined {
  if (options.platformName === undefined) {
    return undefined;
  }
  const platformName = validatePlatformName('platformName', options.platformName, stages);
  const on = `with platformName "${platformName}"`;
  for (const option of ['hostedZoneId', 'hostedZoneName', 'stageDomainNames'] as const) {
    if (options[option] !== undefined) {
      throw new OptionError(`${option} ${JSON.stringify(options[option])} is not allowed ${on}: the platform's domain names the service (<service>.<platform domain>) and its wildcard certificate covers it; remove ${option}.`);
    }
  }
  if (options.codeStarTransform === true) {
    throw new OptionError(`codeStarTransform true is not allowed ${on}: the transform tags the stage's own cluster for a CodeStar project, and on a platform the cluster is the platform's; CodeStar was shut down in 2024, so remove codeStarTransform.`);
  }
  (options.stageOptions ?? []).forEach((stage, index) => {
    const path = `stageOptions[${index}]`;
    if (stage?.network !== undefined) {
      throw new OptionError(`${path}.network ${JSON.stringify(stage.network)} is not allowed ${on}: stage "${stage.name}" runs in the platform's VPC and subnets; remove network.`);
    }
    if (stage?.domain !== undefined) {
      throw new OptionError(`${path}.domain ${JSON.stringify(stage.domain)} is not allowed ${on}: stage "${stage.name}" answers on <service>.<platform domain>; remove domain.`);
    }
  });
  return platformName;
}

/** One path segment as the load balancer, the app and a URL all take it unescaped: RFC 3986's unreserved characters. */
const PATH_SEGMENT = /^[A-Za-z0-9._~-]+$/;

/** A path pattern's limit on the load balancer, which the `/*` for everything under the path counts against. */
const MAX_PATH_PATTERN_LENGTH = 128;

/**
 * `platformPath`, the path a service on a platform is routed by, or undefined: only with `platformName`, and
 * `/<serviceName>` or under it, so that, as with a host name, no two services' rules can match the same request.
 */
export function validatePlatformPath(option: string, value: unknown, serviceName: string, platformName: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  const shown = shownValue(option, value);
  if (platformName === undefined) {
    throw new OptionError(`${option} ${shown} is not allowed without platformName: only a platform's shared load balancer routes services by path (an own load balancer serves one service on every path); give platformName or remove ${option}.`);
  }
  const allowed = `it must be "/${serviceName}" or a path under it (e.g. "/${serviceName}/v2"): segments of letters, digits and . _ ~ -, no "*", "?", spaces or trailing "/", at most ${MAX_PATH_PATTERN_LENGTH - 2} characters (the load balancer's ${MAX_PATH_PATTERN_LENGTH} with the "/*" added); the service's name comes first so that no two services' paths overlap`;
  if (typeof value !== 'string') {
    throw new OptionError(`${option} ${shown} is not allowed: ${allowed}.`);
  }
  const segments = value.split('/').slice(1);
  const wellFormed = value.startsWith('/') && segments.every(segment => PATH_SEGMENT.test(segment) && segment !== '.' && segment !== '..');
  if (!wellFormed || segments[0] !== serviceName || `${value}/*`.length > MAX_PATH_PATTERN_LENGTH) {
    throw new OptionError(`${option} ${shown} is not allowed with serviceName "${serviceName}": ${allowed}.`);
  }
  return value;
}

/** The health path where none is given: the default under the service's platform path, as the load balancer forwards only that. */
export function defaultHealthCheckPath(defaultPath: string, platformPath: string | undefined): string {
  return platformPath === undefined ? defaultPath : `${platformPath}${defaultPath}`;
}

/** Throws unless the health check path sits under `platformPath` (where given), naming the value to use. */
export function validateHealthCheckUnderPlatformPath(healthCheckPath: string, platformPath: string | undefined, options = { healthCheckPath: 'healthCheckPath', platformPath: 'platformPath' }): void {
  if (platformPath !== undefined && !healthCheckPath.startsWith(`${platformPath}/`)) {
    const suggestion = healthCheckPath === platformPath ? `${platformPath}/health` : `${platformPath}${healthCheckPath}`;
    throw new OptionError(`${options.healthCheckPath} ${JSON.stringify(healthCheckPath)} is not allowed with ${options.platformPath} ${JSON.stringify(platformPath)}: the load balancer forwards only paths under ${JSON.stringify(platformPath)} to the service, unchanged, so its health check must be under it too; use ${options.healthCheckPath} ${JSON.stringify(suggestion)}.`);
  }
}

/** The health path relative to the service's URL, which the smoke test calls: on a path, the part after it. */
export function healthCheckPathUnderServiceUrl(healthCheckPath: string, platformPath: string | undefined): string {
  return platformPath === undefined ? healthCheckPath : healthCheckPath.slice(platformPath.length);
}
