import * as fs from 'fs';
import * as path from 'path';
import { javascript, Project, ProjenrcFile, SampleFile, SourceCode, TaskShell, typescript } from 'projen';
import { renderAsset } from '../assets';
import { misreadNumber, shownValue } from '../command-line';
import { APP_SHUTDOWN_SECONDS, STOP_TIMEOUT_SECONDS } from '../contract';
import { OptionError } from '../errors';
import { AppRuntime, CodeStarFargateProjectOptions, ServiceSettings } from '../options';
import { refuseContainerOptions } from './container';
import { OPEN_TELEMETRY_NODE_OPTIONS, OPEN_TELEMETRY_NODE_PACKAGES, openTelemetryDockerLines, openTelemetryOf } from './open-telemetry';
import { AppRuntimeDefinition, MANAGED_IMAGE_SOURCE, RootProjenrc } from './runtime';

/**
 * The Node.js release a service gets when `nodeVersion` is left out: 24, the active LTS (22 is in maintenance). The
 * image, CodeBuild, the app's and the root's engines and types agree on the one release.
 */
export const DEFAULT_NODE_VERSION = 24;
/** Biome, the app's linter and formatter: one package with a native binary. */
const BIOME_VERSION = '^2.6';
/** Biome's published schema: editors find it without an install, and it does not depend on what is installed. */
const BIOME_SCHEMA_URL = 'https://biomejs.dev/schemas/latest/schema.json';
/** Biome as the tests run it: it reports formatting and lint findings and changes no file. */
const BIOME_CHECK = 'biome check --no-errors-on-unmatched';
/**
 * Pinned base image per Node.js release; ECR Public's copy of the Docker official image avoids Docker Hub's pull
 * limits in CodeBuild. The digest fixes its content whatever the tag is later moved to or a build's Docker daemon
 * holds under that name: Docker Hub's multi-platform index, as public Dockerfiles pinned it (22's in 2026-10, 24's
 * with this exact tag in 2026; ECR Public's copy is assumed to serve the same manifest). Renewed with each release.
 */
export const NODE_IMAGES: Readonly<Record<number, string>> = {
  22: 'public.ecr.aws/docker/library/node:22.23.3-bookworm-slim@sha256:43ac6c60b8f89723f746e8a92ce91abd5017e627ce1ddfe4238355d3a30b772c',
  24: 'public.ecr.aws/docker/library/node:24.18.0-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d',
};

/**
 * When each release leaves support (the Node.js release schedule): the README and docs/options.md say it, and a
 * service on the older one has until then to move.
 */
export const NODE_END_OF_LIFE: Readonly<Record<number, string>> = {
  22: '2027-04-30',
  24: '2028-04-30',
};

/** `nodeVersion` as given, or the default; an error names the option, the value and the releases allowed. */
export function nodeVersionOf(options: { nodeVersion?: number }): number {
  const nodeVersion = options.nodeVersion ?? DEFAULT_NODE_VERSION;
  if (typeof nodeVersion !== 'number' || !(nodeVersion in NODE_IMAGES) || misreadNumber('nodeVersion', nodeVersion)) {
    const allowed = Object.keys(NODE_IMAGES).join(', ');
    throw new OptionError(`nodeVersion ${shownValue('nodeVersion', nodeVersion)} is not allowed: use one of ${allowed}, the Node.js LTS releases the image and CodeBuild offer.`);
  }
  return nodeVersion;
}
/** TypeScript 7 (the native port) has no compiler API for ts-node and ts-jest yet. */
export const TYPESCRIPT_VERSION = '~5.9.3';
/** Runs TypeScript without a build step: the app's tests, the toolchain app and .projenrc.ts. */
export const TS_NODE = 'ts-node@^10';
/**
 * Node's own test runner on the TypeScript tests, transpiled by ts-node (tsc type-checks them first), with a
 * JUnit report for CodeBuild. No test framework to install: jest alone is about 250 packages.
 */
const APP_TEST_COMMAND = 'mkdir -p test-reports && NODE_ENV=test node --require ts-node/register/transpile-only --test --test-reporter=spec --test-reporter-destination=stdout'
  + ' --test-reporter=junit --test-reporter-destination=test-reports/junit.xml test/*.test.ts';

/** A TypeScript service on Fastify, on the given Node.js release. */
function nodeRuntimeOn(nodeVersion: number, options: CodeStarFargateProjectOptions): AppRuntimeDefinition {
  return {
    runtime: AppRuntime.NODE,
    displayName: 'Node.js',
    versionName: `Node.js ${nodeVersion} with Fastify 5`,
    localPrerequisite: '',
    taskSizeDefaults: { cpu: 256, memoryMiB: 512 },
    validate: () => {
      for (const javaOption of ['javaVersion', 'javaPackage', 'springAot', 'mavenPlugins', 'mavenBoms', 'annotationProcessors'] as const) {
        if (options[javaOption] !== undefined) {
          throw new OptionError(`${javaOption} ${JSON.stringify(options[javaOption])} is not allowed with appRuntime "node": it applies to "spring-boot" only.`);
        }
      }
      refuseContainerOptions(options, AppRuntime.NODE);
      validateNpmSpecs('appDeps', options.appDeps ?? []);
      validateNpmSpecs('appDevDeps', options.appDevDeps ?? []);
    },
    codeBuild: {
    // CodeBuild's standard:7.0 and the AL2023 images offer nodejs 22 and 24 (aws-codebuild-docker-images, image 26.03.25).
      runtimeVersions: { nodejs: String(nodeVersion) },
      buildCommands: [
        'npm ci --prefix app --no-audit --no-fund',
        // The same checks as app:test, formatting and lint included.
        `(cd app && npx tsc --noEmit -p test/tsconfig.json && npx ${BIOME_CHECK} && ${APP_TEST_COMMAND})`,
      ],
      testReportBaseDirectory: 'app/test-reports',
      testReportFiles: ['junit.xml'],
      cachePaths: ['/root/.npm/**/*'],
    },
    image: MANAGED_IMAGE_SOURCE,
    healthCheck: {
    // Node starts in about a second; the load balancer's own checks decide the rest.
      gracePeriodSeconds: 10,
      startPeriodSeconds: 10,
      // The skeleton's routes answer in milliseconds; the load balancer's 300 s default only slows deploys.
      deregistrationDelaySeconds: 15,
      containerHealthCheckCommand: (settings: ServiceSettings) =>
      // NODE_OPTIONS cleared: a health check needs none of the app's start flags (OpenTelemetry's SDK would cost a second per check).
        `NODE_OPTIONS= node -e "fetch('http://127.0.0.1:${settings.containerPort}${settings.healthCheckPath}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"`,
    },
    appCommands: {
      build: 'projen compile && projen test',
      test: 'projen test',
      // The built server, as `npm start` and the container run it; without npm between, a signal reaches it directly.
      start: 'node lib/server.js',
      // Node's own watch mode restarts on a change to any module the server loaded, at once (inotify) instead of serve.sh's 1 s polling.
      dev: { command: 'node --watch --require ts-node/register/transpile-only src/server.ts', watch: [] },
      fix: 'projen fix',
    },
    dockerfile: (settings: ServiceSettings) =>
      renderAsset('node/Dockerfile', { nodeImage: NODE_IMAGES[nodeVersion], containerPort: settings.containerPort, openTelemetry: '' }),
    dockerignore: () => renderAsset('node/dockerignore', {}).split('\n').filter((line) => line && !line.startsWith('#')),
    addApp: (parent: Project, settings: ServiceSettings) => {
      refuseJestTests(parent.outdir);
      const app = new typescript.TypeScriptProject({
        parent,
        outdir: 'app',
        name: settings.serviceName,
        description: `The ${settings.serviceName} service.`,
        defaultReleaseBranch: 'main',
        packageManager: javascript.NodePackageManager.NPM,
        typescriptVersion: TYPESCRIPT_VERSION,
        // 5.10 brought LogController, which the skeleton uses to keep health checks out of the log.
        deps: ['fastify@^5.10.0'],
        devDeps: [`@types/node@^${nodeVersion}`, TS_NODE],
        minNodeVersion: `${nodeVersion}.0.0`,
        sampleCode: false,
        licensed: false,
        npmignoreEnabled: false,
        readme: { contents: `# ${settings.serviceName}: the app\n\nSee ../README.md for how to build, run and deploy it.\n` },
        release: false,
        package: false,
        depsUpgrade: false,
        prettier: false,
        entrypoint: 'lib/server.js',
        // node:test and Biome instead of jest and ESLint: the app installs about 70 packages instead of 570.
        jest: false,
        typecheckTests: true,
        biome: true,
        biomeOptions: {
          version: BIOME_VERSION,
          // The formatting the skeleton is written in, so the first `biome check --write` leaves it as it is.
          biomeConfig: {
            formatter: { indentStyle: javascript.biome_config.IndentStyle.SPACE, indentWidth: 2, lineWidth: 140 },
            javascript: { formatter: { quoteStyle: javascript.biome_config.QuoteStyle.SINGLE } },
          },
        },
        tsconfig: {
        // skipLibCheck: the app's code is checked in full, its dependencies' declarations are not re-checked.
          compilerOptions: { lib: ['es2022'], target: 'ES2022', skipLibCheck: true },
        },
      });
      app.testTask.exec(APP_TEST_COMMAND);
      // The JUnit report the tests write for CodeBuild is build output, not something a team commits.
      app.gitignore.exclude('/test-reports/');
      makeBiomeConfigManaged(app);
      checkWithoutRewriting(app);
      new RootProjenrc(app, `../${ProjenrcFile.of(parent)?.filePath ?? '.projenrc.ts'}`);
      // `npm start` runs the built server directly, without projen, as the container does.
      app.package.setScript('start', 'node lib/server.js');

      const config = new SourceCode(app, 'src/service.generated.ts');
      config.line('// Managed by projen-codestar-fargate: edit .projenrc.ts instead.');
      config.line('/** The values this service shares with its Dockerfile, task definition and load balancer. */');
      config.open('export const service = {');
      config.line(`serviceName: ${JSON.stringify(settings.serviceName)},`);
      config.line(`containerPort: ${settings.containerPort},`);
      config.line(`healthCheckPath: ${JSON.stringify(settings.healthCheckPath)},`);
      config.close('} as const;');

      // The shutdown's numbers come from the settings template.yml uses, so the skeleton's comment cannot contradict them.
      // On a platform path the load balancer forwards only paths under it, unchanged: the sample route lives there too.
      const values = { stopTimeoutSeconds: STOP_TIMEOUT_SECONDS, appShutdownSeconds: APP_SHUTDOWN_SECONDS, helloRoute: `${settings.platformPath ?? ''}/hello` };
      for (const file of ['src/server.ts', 'test/server.test.ts', 'src/config.ts', 'test/config.test.ts']) {
        new SampleFile(app, file, { contents: renderAsset(`node/app/${file}`, values) });
      }
      return app;
    },
    addAppDeps: (app: Project, deps: string[]) => {
      validateNpmSpecs('appDeps', deps);
      const types = deps.filter(isTypesPackage);
      if (types.length > 0) {
      // Type declarations only matter to tsc: as dependencies they would ship in every image.
        app.logger.warn(`appDeps ${types.join(', ')}: type packages go to the app's devDependencies; list them in appDevDeps instead.`);
        (app as typescript.TypeScriptProject).addDevDeps(...types);
      }
      (app as typescript.TypeScriptProject).addDeps(...deps.filter((dep) => !isTypesPackage(dep)));
    },
    addAppDevDeps: (app: Project, deps: string[]) => {
      validateNpmSpecs('appDevDeps', deps);
      (app as typescript.TypeScriptProject).addDevDeps(...deps);
    },
  };
}

/**
 * Releases before 1.0.0 set the app up with jest; its tests belong to the team, so an upgrade cannot rewrite them and
 * must not leave a build that fails on `Cannot find name 'describe'`. It stops before anything is written and says
 * what to edit (README, "Upgrades and breaking changes").
 */
function refuseJestTests(serviceDir: string): void {
  const testDir = path.join(serviceDir, 'app', 'test');
  const testFiles = fs.existsSync(testDir) ? fs.readdirSync(testDir).filter((file) => /\.test\.[cm]?tsx?$/.test(file)) : [];
  const jestTests = testFiles.sort().filter((file) => usesJest(fs.readFileSync(path.join(testDir, file), 'utf-8')));
  if (jestTests.length === 0) {
    return;
  }
  throw new OptionError([
    `app/test/${jestTests.join(', app/test/')} use${jestTests.length === 1 ? 's' : ''} jest, which this release no longer installs in app/:`,
    'the app\'s tests now run on Node\'s own test runner (node:test) with node:assert. Nothing was written.',
    'Edit each file listed, then run npx projen again:',
    '  - add: import { after, afterEach, before, beforeEach, describe, it } from \'node:test\'; import assert from \'node:assert/strict\';',
    '  - beforeAll/afterAll become before/after (beforeEach/afterEach keep their names); expect(a).toBe(b) becomes assert.equal(a, b);',
    '    expect(a).toEqual(b) becomes assert.deepEqual(a, b); expect(a).toMatch(re) becomes assert.match(a, re).',
    'The new skeleton test shows the style: node_modules/projen-codestar-fargate/assets/node/app/test/server.test.ts.',
  ].join('\n'));
}

/** A test file written for jest: it calls jest's globals without importing a runner. */
function usesJest(source: string): boolean {
  const importsARunner = /from\s+['"](node:test|vitest)['"]|require\(\s*['"]node:test['"]\s*\)/.test(source);
  return !importsARunner && /\b(describe|it|test|expect|beforeAll|afterAll|beforeEach|afterEach)\s*\(/.test(source);
}

/**
 * projen writes biome.jsonc writable, unlisted, and with a `$schema` that points into node_modules once Biome is
 * installed, so the first synth after an install rewrote it and a release without Biome would leave it behind. It is
 * managed like every other generated file: read-only, in .projen/files.json, the same on every synth.
 */
function makeBiomeConfigManaged(app: typescript.TypeScriptProject): void {
  const biome = javascript.Biome.of(app);
  if (!biome) {
    throw new Error('the Node.js app has no Biome component: the runtime enables it, so projen changed how it is found');
  }
  biome.file.readonly = true;
  biome.file.addOverride('$schema', BIOME_SCHEMA_URL);
}

/** What a failed `biome check` adds under Biome's own findings. */
export const CHECK_FAILED_HINT = 'The app\'s code does not pass Biome\'s check (above); npx projen app:fix applies its safe fixes, and changes nothing else.';

/**
 * projen's Biome task runs `biome check --write` in the tests, which rewrote the user's code on every test run while
 * CodeBuild checked nothing. The tests check; `npx projen app:fix` (the app's `fix` task) writes the fixes.
 */
function checkWithoutRewriting(app: typescript.TypeScriptProject): void {
  const biome = javascript.Biome.of(app)!;
  // A failed check says how to apply its safe fixes: code written before this check formatted itself on every test run.
  biome.task.reset(`${BIOME_CHECK} || { echo "${CHECK_FAILED_HINT}" >&2; exit 1; }`, { shell: TaskShell.sh() });
  app.addTask('fix', { description: 'Fix formatting and lint findings in the code', exec: `${BIOME_CHECK} --write`, receiveArgs: true });
}

/** An npm package name, optionally scoped, with an optional `@range`. */
const NPM_SPEC = /^(@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*(@[^\s]+)?$/;

/** `@types/pg@^8`: declarations for tsc, never needed by the running app. */
function isTypesPackage(dep: string): boolean {
  return dep.startsWith('@types/');
}

function validateNpmSpecs(option: 'appDeps' | 'appDevDeps', deps: string[]): void {
  if (!Array.isArray(deps)) {
    throw new OptionError(`${option} ${JSON.stringify(deps)} is not allowed: give a list of npm package names with optional version ranges.`);
  }
  for (const dep of deps) {
    if (typeof dep !== 'string' || !NPM_SPEC.test(dep)) {
      const example = option === 'appDeps' ? 'e.g. "zod@^3" or "@fastify/cors@^11"' : 'e.g. "@types/pg@^8" or "undici@^7"';
      throw new OptionError(`${option} ${JSON.stringify(dep)} is not allowed with appRuntime "node": give an npm package name with an optional version range, ${example}.`);
    }
  }
}

/**
 * The Node.js runtime for a project's options on the Node.js release `nodeVersionOf` resolved: with `openTelemetry`,
 * the SDK in the app and NODE_OPTIONS in the image.
 */
export function nodeRuntimeFor(options: CodeStarFargateProjectOptions, nodeVersion: number): AppRuntimeDefinition {
  const nodeRuntime = nodeRuntimeOn(nodeVersion, options);
  if (!openTelemetryOf(options)) {
    return nodeRuntime;
  }
  return {
    ...nodeRuntime,
    dockerfile: (settings: ServiceSettings) => renderAsset('node/Dockerfile', {
      nodeImage: NODE_IMAGES[nodeVersion],
      containerPort: settings.containerPort,
      openTelemetry: openTelemetryDockerLines(settings.serviceName, 'NODE_OPTIONS', OPEN_TELEMETRY_NODE_OPTIONS),
    }),
    addApp: (parent: Project, settings: ServiceSettings) => {
      const app = nodeRuntime.addApp(parent, settings) as typescript.TypeScriptProject;
      app.addDeps(...OPEN_TELEMETRY_NODE_PACKAGES);
      return app;
    },
  };
}
