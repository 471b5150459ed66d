import * as fs from 'fs';
import { Component, JsonFile, Project } from 'projen';
import { assetPath } from '../assets';
import { ServiceSettings } from '../options';

/** Where the policy lives in this package and in a generated service. */
export const BOOTSTRAP_POLICY_ASSET = 'toolchain/bootstrap-execution-policy.json';
export const BOOTSTRAP_POLICY_FILE = 'bootstrap-execution-policy.json';

/**
 * The CDK bootstrap execution policy for a stage's own account: exactly what CloudFormation needs there to deploy
 * the toolchain's `<service>-<stage>-access` stack (derived by scripts/bootstrap-execution-policy.ts from the
 * stack and AWS's registry schemas), in place of `AdministratorAccess`. Written only when a stage names an account.
 */
export class BootstrapPolicy extends Component {
  public readonly file?: JsonFile;

  constructor(project: Project, settings: ServiceSettings) {
    super(project);
    if (!settings.stageSettings.some(stage => stage.account !== undefined)) {
      return;
    }
    this.file = new JsonFile(project, BOOTSTRAP_POLICY_FILE, {
      obj: JSON.parse(fs.readFileSync(assetPath(BOOTSTRAP_POLICY_ASSET), 'utf-8')),
      // IAM refuses a policy document with any key besides its own, so projen's "//" marker cannot go in.
      marker: false,
      readonly: true,
    });
  }
}
