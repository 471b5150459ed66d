import { FLAGS, futureFlagDefault, TARGET_PARTITIONS } from 'aws-cdk-lib/cx-api';
import { RegionInfo } from 'aws-cdk-lib/region-info';

/**
 * aws-cdk-lib's feature flags whose recommended value differs from how an app without the flag behaves, each set
 * to that unconfigured behaviour. The toolchain is tested (cdk-nag, the policy evaluation, cfn-lint) as it
 * synthesizes without flags; writing that down in cdk.json keeps exactly that behaviour and answers the CDK CLI's
 * "N feature flags are not configured" on every synth. A release that adopts a recommended value says so.
 * The flags are the project's own aws-cdk-lib's (a peer dependency), the ones its CLI counts.
 */
export function flagsAtTestedBehaviour(): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(FLAGS)) {
    const unconfigured = unconfiguredBehaviour(name, flag.unconfiguredBehavesLike?.v2);
    if (JSON.stringify(flag.recommendedValue) !== JSON.stringify(unconfigured)) {
      flags[name] = unconfigured;
    }
  }
  return flags;
}

/** What aws-cdk-lib does when the flag is not set, as a value the flag accepts. */
function unconfiguredBehaviour(name: string, behavesLike: unknown): unknown {
  if (name === TARGET_PARTITIONS) {
    // Unset, lookup tables cover every partition aws-cdk-lib knows.
    return [...new Set(RegionInfo.regions.map((region) => region.partition))];
  }
  return behavesLike ?? futureFlagDefault(name);
}
