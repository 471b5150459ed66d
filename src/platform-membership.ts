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
    for (const option of ['account', 'region'] as const) {
      // The pipeline's account check asks a stage elsewhere for its VPC by ids, which a platform stage has not: not yet supported.
      if (stage?.[option] !== undefined) {
        throw new OptionError(`${path}.${option} ${JSON.stringify(stage[option])} is not allowed ${on}: stage "${stage.name}" must deploy to the toolchain's account and region for now; remove ${option}.`);
      }
    }
    if (stage?.domain !== undefined) {
      throw new OptionError(`${path}.domain ${JSON.stringify(stage.domain)} is not allowed ${on}: stage "${stage.name}" answers on <service>.<platform domain>; remove domain.`);
    }
  });
  return platformName;
}
