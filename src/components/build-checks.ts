import { Component, Project, TextFile } from 'projen';
import { renderAsset } from '../assets';
import { BuildEnvironment } from '../contract';
import { TOOLCHAIN_SETTINGS_FILE } from '../toolchain-settings';

/** The managed script buildspec.yml runs its checks with. */
export const BUILD_CHECKS_SCRIPT = 'scripts/build-checks.sh';

/**
 * The build's checks before it tests and builds anything: the managed files are what `.projenrc.ts` makes of them
 * (the pipeline deploys the committed template.yml), and the deployed toolchain has the committed toolchain settings.
 */
export class BuildChecks extends Component {
  /** The managed `scripts/build-checks.sh` (`managed-files`, `toolchain-settings`). */
  public readonly script: TextFile;
  /** Fails naming each managed file a synth of `.projenrc.ts` changes; needs the root's dependencies installed. */
  public readonly managedFilesCommand = `bash ${BUILD_CHECKS_SCRIPT} managed-files`;
  /** Fails naming each toolchain setting that waits for `npx projen deploy`; needs only Node.js. */
  public readonly toolchainSettingsCommand = `bash ${BUILD_CHECKS_SCRIPT} toolchain-settings`;

  constructor(project: Project) {
    super(project);
    this.script = new TextFile(project, BUILD_CHECKS_SCRIPT, {
      lines: renderAsset('build/build-checks.sh', {
        deployedVariable: BuildEnvironment.DEPLOYED_TOOLCHAIN_SETTINGS,
        settingsFile: TOOLCHAIN_SETTINGS_FILE,
      }).trimEnd().split('\n'),
      readonly: true,
      marker: false,
    });
  }
}
