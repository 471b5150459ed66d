import { createHash } from 'crypto';
import { runningVersion } from './components/release-dependency';
import { SecretReference, SecretSettings, ServiceSettings, TaskSubnets } from './options';

/** The managed file that records the toolchain's settings as `.projenrc.ts` has them; the build compares it with the deployed toolchain's. */
export const TOOLCHAIN_SETTINGS_FILE = '.projen/toolchain-settings.json';

/** Hex characters of a setting's SHA-256 the deployed toolchain keeps: enough to tell two values apart, short enough for many stages. */
const DIGEST_LENGTH = 16;

/** What the build's check allows as a digest, and the construct's `toolchainSettings` validation with it. */
export const SETTING_DIGEST_PATTERN = new RegExp(`^[0-9a-f]{${DIGEST_LENGTH}}$`);

/**
 * Every setting the toolchain app is rendered from, by the name a team finds in `.projenrc.ts` (a stage's under
 * `stages.<stage>.`), as the app has it: a change to any of them takes effect only when someone deploys the
 * toolchain. A stage's task counts and strategy are null where the stage takes the project's: the counts are then
 * template.yml's defaults, which reach every stage with the commit.
 */
export function toolchainSettings(settings: ServiceSettings): Record<string, unknown> {
  const { source, hostedZone } = settings;
  const values: Record<string, unknown> = {
    // The release whose construct builds the pipeline, its roles and boundaries: an upgrade waits for a deploy too.
    'projen-codestar-fargate': runningVersion(),
    'serviceName': settings.serviceName,
    'source': { branch: source.branch, connectionArn: source.connectionArn ?? null, repository: source.repository ?? null, host: source.host ?? null },
    'stages': settings.stageSettings.map(stage => stage.name),
    'healthCheckPath': settings.healthCheckPath,
    'notificationEmails': settings.notificationEmails,
    'hostedZone': hostedZone ? { hostedZoneId: hostedZone.hostedZoneId, zoneName: hostedZone.zoneName } : null,
    'architecture': settings.architecture,
    'fargateSpot': settings.fargateSpot,
    // The pipeline passes every stage's strategy to the template, so the project's waits for a toolchain deploy too.
    'deploymentStrategy': settings.deploymentStrategy ?? null,
    // Only when set: an isolated service's committed settings, and so its toolchain's, stay as they were.
    ...(settings.platformName !== undefined ? { platformName: settings.platformName } : {}),
    // The stage guard accepts the rules of this path only: a changed path waits for a toolchain deploy.
    ...(settings.platformPath !== undefined ? { platformPath: settings.platformPath } : {}),
  };
  for (const stage of settings.stageSettings) {
    const ownCounts = stage.minContainers !== settings.minContainers || stage.maxContainers !== settings.maxContainers;
    const ownStrategy = JSON.stringify(stage.deploymentStrategy) !== JSON.stringify(settings.deploymentStrategy);
    const stageValues: Record<string, unknown> = {
      approvalRequired: stage.approvalRequired,
      minContainers: ownCounts ? stage.minContainers : null,
      maxContainers: ownCounts ? stage.maxContainers : null,
      deploymentStrategy: ownStrategy ? stage.deploymentStrategy ?? null : null,
      notificationEmails: stage.notificationEmails,
      secrets: Object.fromEntries(Object.entries(stage.secrets).map(([name, secret]) => [name, secretReference(secret)])),
      network: stage.network ?? null,
      account: stage.account ?? null,
      region: stage.region ?? null,
      domainName: stage.domainName ?? null,
      fargateSpot: stage.fargateSpot ?? false,
      // Only where asked for, so the toolchains deployed before the option existed still match their private stages.
      ...(stage.taskSubnets === TaskSubnets.PUBLIC ? { taskSubnets: stage.taskSubnets } : {}),
    };
    for (const [name, value] of Object.entries(stageValues)) {
      values[`stages.${stage.name}.${name}`] = value;
    }
  }
  return values;
}

/**
 * Each setting's digest, as the build's check computes it from the committed file (SHA-256 of the value's JSON): the
 * deployed toolchain keeps these, not the values, so the build environment shows no email or account.
 */
export function settingDigests(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, DIGEST_LENGTH)]));
}

/** A resolved secret as the `SecretReference` the pipeline takes. */
export function secretReference(secret: SecretSettings): SecretReference {
  return {
    [secret.source]: secret.id,
    ...(secret.jsonKey !== undefined ? { jsonKey: secret.jsonKey } : {}),
    ...(secret.kmsKeyArn !== undefined ? { kmsKeyArn: secret.kmsKeyArn } : {}),
  };
}
