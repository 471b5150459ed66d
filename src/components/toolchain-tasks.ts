import * as fs from 'fs';
import * as path from 'path';
import { awscdk } from 'projen';
import * as semver from 'semver';
import { DAY_TWO_DIR } from './day-two';

/**
 * projen's tasks a service must never run, and why: `watch` hotswaps the toolchain stack (CodePipeline, roles and
 * boundaries) around CloudFormation, and `clobber` runs `git reset --hard` and `git clean -fdx` on the team's clone.
 */
export const REMOVED_TASKS: Record<string, string> = {
  watch: 'cdk deploy --hotswap would change the pipeline and its roles outside CloudFormation',
  clobber: 'git reset --hard and git clean -fdx would discard the team\'s uncommitted work',
};

/**
 * The projen range a service is synthesized with: the release this package was tested with (its own projen
 * devDependency, an exact version) and its later patches, which stay inside the peer range `^0.103.0`; projen's `*`
 * let a service pick up a projen minor (breaking for projen's 0.x) that no release of this package was tested with.
 */
export function testedProjenRange(): string {
  // lib/components/ in the package, src/components/ in a checkout: the package root is two levels up either way.
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8'));
  const tested = semver.minVersion(manifest.devDependencies.projen)!.version;
  return `~${tested}`;
}

/**
 * Deploys and destroys every stack of the toolchain app (a stage in another account or region adds its own stacks).
 * Destroy first refuses while a stage's stack exists: those stacks use the toolchain's VPCs and deploy roles, so
 * deleting the toolchain first fails on the VPCs and strands the stage stacks without a role to delete them.
 */
export function adjustToolchainTasks(project: awscdk.AwsCdkTypeScriptApp): void {
  const deploy = project.cdkTasks.deploy;
  const step = deploy.steps[0];
  deploy.updateStep(0, { ...step, execArgs: ['cdk', 'deploy', '--all'] });
  const destroy = project.cdkTasks.destroy;
  destroy.updateStep(0, { ...destroy.steps[0], execArgs: ['cdk', 'destroy', '--all'] });
  destroy.prependExec(`node --require ts-node/register/transpile-only ${DAY_TWO_DIR}/cli.ts destroy-guard`);
  for (const name of Object.keys(REMOVED_TASKS)) {
    project.removeTask(name);
  }
}
