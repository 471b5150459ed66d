import * as fs from 'fs';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import { assetPath } from '../assets';
import { ROLE_TRUSTED_SERVICES } from '../contract';

/**
 * The stage guard's check of template.yml's role trust policies before each deploy (assets/toolchain/role-trust-check.py):
 * IAM has no condition key on the trust policy a CreateRole or UpdateAssumeRolePolicy sets, so the toolchain's own code
 * refuses a role that an outside account, any principal or another service could assume.
 */

/** The buildspec command that writes the checker and runs it in the prepare step, before stage-guard.sh. */
export function roleTrustCheckCommand(): string {
  const checker = fs.readFileSync(assetPath('toolchain', 'role-trust-check.py'), 'utf-8');
  return [
    'if [ "${STAGE_GUARD_STEP:-}" = prepare ]; then',
    '  trust_check="$(mktemp --suffix=.py)"',
    '  cat > "$trust_check" <<\'ROLE_TRUST_CHECK\'',
    checker.trimEnd(),
    'ROLE_TRUST_CHECK',
    '  python3 "$trust_check" "$CODEBUILD_SRC_DIR/template.yml"',
    'fi',
  ].join('\n');
}

/** What the checker compares each trust policy with. */
export function roleTrustCheckEnvironment(): { [name: string]: codebuild.BuildEnvironmentVariable } {
  return { TRUSTED_ROLE_SERVICES: { value: ROLE_TRUSTED_SERVICES.join(',') } };
}
