/**
 * aws-cdk-lib's feature flags whose recommended value differs from how an app without the flag behaves, each set
 * to that unconfigured behaviour. The toolchain is tested (cdk-nag, the policy evaluation, cfn-lint) as it
 * synthesizes without flags; writing that down in cdk.json keeps exactly that behaviour and answers the CDK CLI's
 * "N feature flags are not configured" on every synth. A release that adopts a recommended value says so.
 */
export function flagsAtTestedBehaviour(): Record<string, unknown> {
  let cxApi: typeof import('aws-cdk-lib/cx-api');
  let regionInfo: typeof import('aws-cdk-lib/region-info');
  try {
    // The project's own aws-cdk-lib (a peer dependency): its flags are the ones its CLI counts.
    cxApi = require('aws-cdk-lib/cx-api');
    regionInfo = require('aws-cdk-lib/region-info');
  } catch {
    return {};
  }
  const flags: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(cxApi.FLAGS)) {
    const unconfigured = unconfiguredBehaviour(name, flag, cxApi, regionInfo);
    if (JSON.stringify(flag.recommendedValue) !== JSON.stringify(unconfigured)) {
      flags[name] = unconfigured;
    }
  }
  return flags;
}

/** What aws-cdk-lib does when the flag is not set, as a value the flag accepts. */
function unconfiguredBehaviour(name: string, flag: { readonly recommendedValue: unknown; readonly unconfiguredBehavesLike?: { readonly v2?: unknown } },
  cxApi: typeof import('aws-cdk-lib/cx-api'), regionInfo: typeof import('aws-cdk-lib/region-info')): unknown {
  if (name === cxApi.TARGET_PARTITIONS) {
    // Unset, lookup tables cover every partition aws-cdk-lib knows.
    return [...new Set(regionInfo.RegionInfo.regions.map((region) => region.partition))];
  }
  return flag.unconfiguredBehavesLike?.v2 ?? cxApi.futureFlagDefault(name);
}
