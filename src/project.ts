import { awscdk, DependencyType, javascript, JsonFile, Project, Task, TextFile, typescript, YamlFile } from 'projen';
import { renderAsset } from './assets';
import { printOptionErrorsAlone, refuseBeforeProjen, resolveProjectOptions } from './checked-options';
import { AppTasks } from './components/app-tasks';
import { BootstrapPolicy } from './components/bootstrap-policy';
import { Buildspec } from './components/buildspec';
import { flagsAtTestedBehaviour } from './components/cdk-feature-flags';
import { ContainerImage } from './components/container-image';
import { ContainerTasks } from './components/container-tasks';
import { DayTwoCommands } from './components/day-two';
import { ExistingFiles } from './components/existing-files';
import { dependOnThisReleaseByRange, ReleaseDependency } from './components/release-dependency';
import { ServiceGuide } from './components/service-guide';
import { ServiceTemplate } from './components/service-template';
import { SmokeTestScript } from './components/smoke-test';
import { ToolchainApp } from './components/toolchain-app';
import { adjustToolchainTasks, testedProjenRange } from './components/toolchain-tasks';
import { deployedAppDefaults } from './deployed-app-defaults';
import { OptionError } from './errors';
import { applyCopilotManifest } from './importers/copilot-new';
import { AppRuntime, CodeStarFargateProjectOptions, ServiceSettings } from './options';
import { TS_NODE, TYPESCRIPT_VERSION } from './runtimes/node';
import { AppCommands, AppRuntimeDefinition } from './runtimes/runtime';

/** The aws-cdk-lib this release is tested with; projen's own default is far older. */
export const DEFAULT_CDK_VERSION = '2.276.0';
/** Jest for tests of the toolchain in test/; ts-jest follows it. */
const JEST_VERSION = '^30';
/** aws-cdk-lib's switch that turns CloudFormation validation findings from warnings into errors. */
const STRICT_VALIDATION_CONTEXT = '@aws-cdk/core:validateAgainstDefaultRules';
/** Read by the managed infra/toolchain.generated.ts: `true` turns aws-cdk-lib's CloudFormation validation on. */
const VALIDATION_ENV = 'CDK_VALIDATION';
/** The tsconfig projen writes for .projenrc.ts. */
const PROJENRC_TSCONFIG = 'projenrc/tsconfig.json';

/**
 * A container service on ECS Fargate with its whole toolchain: the app in
 * `app/`, its Dockerfile, `buildspec.yml`, `template.yml` and
 * `template-configuration.json`, and a CDK app in `infra/` that deploys the
 * CodePipeline which builds and releases it.
 *
 * @pjid codestar-fargate
 */
export class CodeStarFargateProject extends awscdk.AwsCdkTypeScriptApp {
  /** The values every generated file agrees on, after defaults. */
  public readonly settings: ServiceSettings;
  /** The app's runtime. */
  public readonly appRuntime: AppRuntime;
  /** The app in `app/`, a projen subproject: reach its build definition here; none with `AppRuntime.CONTAINER`, whose app is the team's. */
  public readonly app?: Project;
  /** The managed `Dockerfile`; none with `AppRuntime.CONTAINER`, whose Dockerfile is the team's. */
  public readonly dockerfile?: TextFile;
  /** The managed `buildspec.yml`. */
  public readonly buildspec: YamlFile;
  /** The managed `template.yml`, one stage of the service. */
  public readonly serviceTemplate: YamlFile;
  /** The managed `template-configuration.json`. */
  public readonly templateConfiguration: JsonFile;

  private readonly runtime: AppRuntimeDefinition;
  private readonly releaseDependency: ReleaseDependency;
  /** esbuild named in `deps` or `devDeps`: kept even with nothing to bundle. */
  private readonly userWantsEsbuild: boolean;

  constructor(options: CodeStarFargateProjectOptions) {
    printOptionErrorsAlone();
    // Before anything reads the options: a Copilot manifest's values take its place, in .projenrc.ts too.
    const copilot = refuseBeforeProjen(options.outdir, () => applyCopilotManifest(options));
    options = dependOnThisReleaseByRange(copilot.options);
    // Everything is validated before projen sees the options, so bad input writes nothing.
    const { runtime, settings, nodeVersion, warnings } = resolveProjectOptions(options);
    const srcdir = options.srcdir ?? 'infra';

    super({
      ...options,
      packageManager: options.packageManager ?? javascript.NodePackageManager.NPM,
      // The Node.js the image and CodeBuild run; the app declares the same.
      minNodeVersion: options.minNodeVersion ?? `${nodeVersion}.0.0`,
      projenrcTs: options.projenrcTs ?? true,
      // .projenrc.ts imports aws-cdk-lib's types through this package: type-checking it on every synth cost
      // 13-19 s against 2 s (bench/RESULTS.md). It is type-checked once, in compile, instead.
      projenrcTsOptions: options.projenrcTsOptions ?? {
        runner: typescript.TypeScriptRunner.tsNode({ typeCheck: false, tsconfig: PROJENRC_TSCONFIG }),
      },
      // Type-checking happens once, in compile; synth only transpiles (most of ts-node's time is type-checking).
      // Plain node with ts-node's hook: npx would add about 0.3 s to every synth just to find ts-node.
      app: `node --require ts-node/register/transpile-only ${srcdir}/main.ts`,
      cdkVersion: options.cdkVersion ?? DEFAULT_CDK_VERSION,
      // aws-cdk-lib's recommended value: findings of its CloudFormation validation fail the synth instead of scrolling by.
      // Then every feature flag at the behaviour the toolchain is tested with; .projenrc.ts's context wins.
      context: { ...flagsAtTestedBehaviour(), [STRICT_VALIDATION_CONTEXT]: true, ...options.context },
      typescriptVersion: options.typescriptVersion ?? TYPESCRIPT_VERSION,
      srcdir,
      // Our code is checked in full; re-checking aws-cdk-lib's declarations doubled the type-check (11 s against 5 s).
      tsconfig: {
        ...options.tsconfig,
        compilerOptions: { skipLibCheck: true, ...options.tsconfig?.compilerOptions },
      },
      // The projen this release was tested with, not "*".
      projenVersion: options.projenVersion ?? testedProjenRange(),
      // The root has no tests until a team writes a toolchain test: `jest: true` in .projenrc.ts brings jest in then.
      jest: options.jest ?? false,
      jestOptions: {
        // A version, not projen's "*": "*" makes projen resolve it after install and run npm install a second time.
        jestVersion: JEST_VERSION,
        // `test` in the build must fail on a changed snapshot, not rewrite it.
        updateSnapshot: javascript.UpdateSnapshot.NEVER,
        ...options.jestOptions,
        jestConfig: {
          ...options.jestOptions?.jestConfig,
          // The app runs its own tests; the root's jest must not crawl app/ and its node_modules.
          modulePathIgnorePatterns: [...(options.jestOptions?.jestConfig?.modulePathIgnorePatterns ?? []), '<rootDir>/app/'],
        },
      },
      // infra/ is a few lines of glue (the app in app/ keeps its own linter); the toolchain is CodePipeline.
      ...deployedAppDefaults(options),
      readme: options.readme ?? {
        // Written once and the team's: what options decide lives in the managed docs/service.md it links to.
        contents: renderAsset('service-readme.md', { serviceName: settings.serviceName }),
      },
    });
    // projen would ask for `@types/node@ts5.9`, a dist-tag that does not exist; ts-node's "*" would cost a second install.
    this.addDevDeps(`@types/node@^${nodeVersion}`, TS_NODE);
    this.runJestOnlyWithTests(srcdir);
    warnings.forEach(warning => this.logger.warn(warning));
    // On stderr itself: projen new prints none of the logger's warnings (checked in test/e2e/container-service.test.ts).
    copilot.report.forEach(line => console.error(line));

    this.runtime = runtime;
    this.releaseDependency = new ReleaseDependency(this, options.devDeps ?? []);
    this.userWantsEsbuild = [...options.deps ?? [], ...options.devDeps ?? []].some((dep) => /^esbuild(@|$)/.test(dep));
    this.settings = settings;
    this.appRuntime = runtime.runtime;

    this.app = runtime.addApp(this, settings);
    // addAppDeps checks the notation for options and later calls alike; projen writes nothing before synth.
    if (options.appDeps?.length) {
      this.addAppDeps(...options.appDeps);
    }
    if (options.appDevDeps?.length) {
      this.addAppDevDeps(...options.appDevDeps);
    }
    const appBuild = runtime.appCommands ? this.addAppTasks(runtime.appCommands) : undefined;
    new ContainerTasks(this, settings, runtime.image, appBuild);
    this.addTypeCheck(srcdir, !options.projenrcTsOptions);

    if (runtime.dockerfile && runtime.dockerignore) {
      this.dockerfile = new ContainerImage(this, runtime.dockerfile(settings), runtime.dockerignore()).dockerfile;
    }
    this.buildspec = new Buildspec(this, runtime, nodeVersion).file;
    const template = new ServiceTemplate(this, {
      settings,
      healthCheck: runtime.healthCheck,
    });
    this.serviceTemplate = template.template;
    this.templateConfiguration = template.configuration;
    new ToolchainApp(this, settings);
    new BootstrapPolicy(this, settings);
    new SmokeTestScript(this, settings);
    new DayTwoCommands(this, settings);
    new ServiceGuide(this, settings, runtime, nodeVersion);
    // That validation is two thirds of a synth (bench/RESULTS.md): the build and a deploy run it, a quick `cdk synth` or `cdk diff` does not.
    for (const task of [this.cdkTasks.synthSilent, this.cdkTasks.deploy]) {
      task.env(VALIDATION_ENV, 'true');
    }
    adjustToolchainTasks(this);
    // Last: it checks every file the components above write against what the folder already holds.
    new ExistingFiles(this, { [`${srcdir}/`]: 'srcdir' });
  }

  public preSynthesize(): void {
    super.preSynthesize();
    // projen wires esbuild and a `cdk.json` build hook for Lambda bundles; with none, they cost an install and 0.4 s a synth.
    if (this.bundler.bundleTask.steps.length === 0) {
      if (!this.userWantsEsbuild) {
        this.deps.removeDependency('esbuild', DependencyType.BUILD);
      }
      this.cdkConfig.json.addDeletionOverride('build');
    }
  }

  public postSynthesize(): void {
    super.postSynthesize();
    // After npm installed what .projenrc.ts asks for: one `npx projen` is enough to move to another release.
    this.releaseDependency.synthesizeAgainIfAnotherReleaseIsInstalled();
  }

  /**
   * Adds dependencies to the app, in the runtime's notation: npm specs for
   * Node.js (`zod@^3`), Maven coordinates for Spring Boot
   * (`org.postgresql/postgresql@42.7.4`).
   */
  public addAppDeps(...deps: string[]): void {
    this.runtime.addAppDeps(this.app, deps);
  }

  /**
   * Adds dependencies the app's build and tests need but the image does not ship, in the runtime's notation: npm
   * devDependencies for Node.js (`@types/pg@^8`), Maven's test scope for Spring Boot (`org.awaitility/awaitility`).
   */
  public addAppDevDeps(...deps: string[]): void {
    if (!this.runtime.addAppDevDeps || !this.app) {
      throw new OptionError(`appDevDeps ${JSON.stringify(deps)} is not allowed with appRuntime "${this.runtime.runtime}": its app has no build this package manages.`);
    }
    this.runtime.addAppDevDeps(this.app, deps);
  }

  /**
   * The root's jest has nothing to test until the team writes a toolchain test: without one it printed
   * "No tests found" and an empty coverage table on every build. Its step runs once a test file exists.
   */
  private runJestOnlyWithTests(srcdir: string): void {
    const steps = this.testTask.steps;
    const jest = steps.findIndex((step) => step.execArgs?.[0] === 'jest' || step.exec?.startsWith('jest'));
    if (jest === -1) {
      return;
    }
    const folders = [srcdir, this.testdir, 'projenrc'].map((folder) => `"${folder}"`).join(' ');
    const condition = `find ${folders} \\( -name "*.test.ts" -o -name "*.spec.ts" -o -path "*/__tests__/*.ts" \\) 2>/dev/null | grep -q .`;
    this.testTask.updateStep(jest, { ...steps[jest], condition });
  }

  /**
   * One `tsc --noEmit` over the toolchain app and, when synth runs it untyped, .projenrc.ts:
   * both load aws-cdk-lib's types, the bulk of the time, so they share one program.
   */
  private addTypeCheck(srcdir: string, projenrcUntyped: boolean): void {
    const projenrcTsconfig = projenrcUntyped ? this.tryFindObjectFile(PROJENRC_TSCONFIG) : undefined;
    if (!projenrcTsconfig) {
      this.compileTask.exec('tsc --noEmit');
      return;
    }
    projenrcTsconfig.addToArray('include', `../${srcdir}/**/*.ts`);
    this.compileTask.exec(`tsc --noEmit -p ${PROJENRC_TSCONFIG}`);
  }

  private addAppTasks(commands: AppCommands): Task {
    const appBuild = new AppTasks(this, commands).buildTask;
    // The root build is the whole service: the app first, then the toolchain.
    this.preCompileTask.spawn(appBuild);
    return appBuild;
  }
}
