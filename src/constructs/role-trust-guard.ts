import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import { templateCheckCommand } from './template-check-command';
import { ROLE_TRUSTED_SERVICES } from '../contract';

/**
 * The stage guard's check of template.yml's role trust policies before each deploy (assets/toolchain/role-trust-check.py):
 * IAM has no condition key on the trust policy a CreateRole or UpdateAssumeRolePolicy sets, so the toolchain's own code
 * refuses a role that an outside account, any principal or another service could assume.
 */

/** The buildspec command that runs the checker in the prepare step, before stage-guard.sh. */
export function roleTrustCheckCommand(): string {
  return templateCheckCommand('role-trust-check.py', ['template.yml']);
}

/** What the checker compares each trust policy with. */
export function roleTrustCheckEnvironment(): { [name: string]: codebuild.BuildEnvironmentVariable } {
  return { TRUSTED_ROLE_SERVICES: { value: ROLE_TRUSTED_SERVICES.join(',') } };
}
