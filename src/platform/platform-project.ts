import { awscdk, javascript, JsonFile, SampleFile, TextFile, typescript } from 'projen';
import { assetPath, renderAsset } from '../assets';
import { printOptionErrorsAlone, refuseBeforeProjen } from '../checked-options';
import { flagsAtTestedBehaviour } from '../components/cdk-feature-flags';
import { dependOnThisReleaseByRange, ReleaseDependency } from '../components/release-dependency';
import { testedProjenRange } from '../components/toolchain-tasks';
import { deployedAppDefaults } from '../deployed-app-defaults';
import { OptionError } from '../errors';
import { DEFAULT_CDK_VERSION } from '../project';
import { DEFAULT_STAGES } from '../stage-settings';
import { PlatformStage } from './platform-options';
import { CodeStarFargatePlatformProjectOptions } from './platform-project-options';
import { platformModuleValues } from './platform-rendering';
import { PlatformSettings, resolvePlatformSettings } from './platform-validation';
import { readLedger, updateLedger, writeLedger } from './rule-priority-ledger';
import { TS_NODE, TYPESCRIPT_VERSION } from '../runtimes/node';

/** The managed module the user-owned `main.ts` calls. */
const GENERATED_MODULE = 'platform.generated.ts';
/** Read by the managed module: `true` turns aws-cdk-lib's CloudFormation validation on. */
const VALIDATION_ENV = 'CDK_VALIDATION';
/** aws-cdk-lib's switch that turns CloudFormation validation findings from warnings into errors. */
const STRICT_VALIDATION_CONTEXT = '@aws-cdk/core:validateAgainstDefaultRules';
/** The Node.js the platform's CDK app is written for. */
const NODE_VERSION = 22;

/**
 * What a platform team deploys once per stage and services join (`platformName`): a CDK app in `infra/` whose
 * stacks hold each stage's network, ECS cluster, load balancer and the SSM parameters services read.
 *
 * @pjid codestar-fargate-platform
 */
export class CodeStarFargatePlatformProject extends awscdk.AwsCdkTypeScriptApp {
  /** The platform after defaults: its name, stages and services. */
  public readonly platformName: string;
  /** The managed `platform.generated.ts`. */
  public readonly platformModule: TextFile;
  /** The managed, committed `rule-priorities.json`: every priority the platform has given, so none is given twice. */
  public readonly rulePriorities: JsonFile;

  private readonly releaseDependency: ReleaseDependency;
  /** esbuild named in `deps` or `devDeps`: kept even with nothing to bundle. */
  private readonly userWantsEsbuild: boolean;

  constructor(options: CodeStarFargatePlatformProjectOptions) {
    printOptionErrorsAlone();
    options = dependOnThisReleaseByRange(options);
    // Everything is validated before projen sees the options, so bad input writes nothing.
    const { settings, ledger } = refuseBeforeProjen(options.outdir, () => {
      const resolved = resolvePlatformSettings({
        platformName: platformNameOf(options),
        stages: stagesOf(options),
        ...(options.services !== undefined ? { services: options.services } : {}),
      }, options.stageOptions !== undefined ? 'stageOptions' : 'stages',
      options.platformName === undefined ? ` (taken from the project name ${JSON.stringify(options.name)}; set platformName to choose another)` : '');
      return { settings: resolved, ledger: updateLedger(resolved.services, readLedger(options.outdir ?? process.cwd())) };
    });
    const srcdir = options.srcdir ?? 'infra';

    super({
      ...options,
      packageManager: options.packageManager ?? javascript.NodePackageManager.NPM,
      minNodeVersion: options.minNodeVersion ?? `${NODE_VERSION}.0.0`,
      projenrcTs: options.projenrcTs ?? true,
      // Type-checked once, in compile; synth only transpiles (most of ts-node's time is type-checking, bench/RESULTS.md).
      projenrcTsOptions: options.projenrcTsOptions ?? { runner: typescript.TypeScriptRunner.tsNode({ typeCheck: false }) },
      app: `node --require ts-node/register/transpile-only ${srcdir}/main.ts`,
      cdkVersion: options.cdkVersion ?? DEFAULT_CDK_VERSION,
      context: { ...flagsAtTestedBehaviour(), [STRICT_VALIDATION_CONTEXT]: true, ...options.context },
      typescriptVersion: options.typescriptVersion ?? TYPESCRIPT_VERSION,
      srcdir,
      tsconfig: { ...options.tsconfig, compilerOptions: { skipLibCheck: true, ...options.tsconfig?.compilerOptions } },
      projenVersion: options.projenVersion ?? testedProjenRange(),
      jest: options.jest ?? false,
      ...deployedAppDefaults(options),
      readme: options.readme ?? { contents: renderAsset('platform/platform-readme.md', { platformName: settings.platformName }) },
    });
    this.platformName = settings.platformName;
    this.addDevDeps(`@types/node@^${NODE_VERSION}`, TS_NODE, 'cdk-nag@^3.0.2');
    this.releaseDependency = new ReleaseDependency(this, options.devDeps ?? []);
    this.userWantsEsbuild = [...options.deps ?? [], ...options.devDeps ?? []].some((dep) => /^esbuild(@|$)/.test(dep));

    new SampleFile(this, `${srcdir}/main.ts`, { sourcePath: assetPath('platform/main.ts') });
    this.platformModule = this.addPlatformModule(srcdir, settings);
    this.rulePriorities = writeLedger(this, ledger);
    // The compile step type-checks infra/ only: synth runs the app untyped.
    this.compileTask.reset('tsc --noEmit');
    for (const task of [this.cdkTasks.synthSilent, this.cdkTasks.deploy]) {
      task.env(VALIDATION_ENV, 'true');
    }
    // Every stage's stack; `cdk deploy` alone would ask which.
    const deploy = this.cdkTasks.deploy;
    deploy.updateStep(0, { ...deploy.steps[0], execArgs: ['cdk', 'deploy', '--all'] });
    const destroy = this.cdkTasks.destroy;
    destroy.updateStep(0, { ...destroy.steps[0], execArgs: ['cdk', 'destroy', '--all'] });
    // watch hotswaps around CloudFormation; clobber runs `git reset --hard` and `git clean -fdx` on the team's clone.
    this.removeTask('watch');
    this.removeTask('clobber');
  }

  public preSynthesize(): void {
    super.preSynthesize();
    // projen wires esbuild and a `cdk.json` build hook for Lambda bundles; the platform has none.
    if (this.bundler.bundleTask.steps.length === 0) {
      if (!this.userWantsEsbuild) {
        this.deps.removeDependency('esbuild');
      }
      this.cdkConfig.json.addDeletionOverride('build');
    }
  }

  public postSynthesize(): void {
    super.postSynthesize();
    this.releaseDependency.synthesizeAgainIfAnotherReleaseIsInstalled();
  }

  private addPlatformModule(srcdir: string, settings: PlatformSettings): TextFile {
    const rendered = renderAsset(`platform/${GENERATED_MODULE}`, platformModuleValues(settings));
    // The asset carries its own "Managed by" line; projen's marker would be a second one.
    return new TextFile(this, `${srcdir}/${GENERATED_MODULE}`, { lines: rendered.replace(/\n$/, '').split('\n'), readonly: true, marker: false });
  }
}

/** The platform name: given, else the project name lowercased with other characters as single hyphens. */
function platformNameOf(options: CodeStarFargatePlatformProjectOptions): string {
  if (options.platformName !== undefined) {
    return options.platformName;
  }
  return String(options.name).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
}

/** The stages as objects: `stageOptions`, or one default stage per name of `stages`. */
function stagesOf(options: CodeStarFargatePlatformProjectOptions): PlatformStage[] {
  if (options.stageOptions !== undefined && options.stages !== undefined) {
    throw new OptionError(`stages ${JSON.stringify(options.stages)} and stageOptions are both given: give the stages once, as names in stages or as objects in stageOptions.`);
  }
  if (options.stageOptions !== undefined) {
    return options.stageOptions;
  }
  const names = options.stages ?? DEFAULT_STAGES;
  if (!Array.isArray(names)) {
    throw new OptionError(`stages ${JSON.stringify(names)} is not allowed: give a list of stage names, e.g. ["dev","production"].`);
  }
  return names.map(name => ({ name }));
}
