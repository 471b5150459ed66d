import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { OptionError } from '../errors';
import { AppRuntime, CodeStarFargateProjectOptions, ContainerRuntimeOptions } from '../options';
import { CODEBUILD_RUNTIME_VERSIONS } from './codebuild-runtimes';
import { AppRuntimeDefinition, ImageSource } from './runtime';

/** The options only `container` reads: the other runtimes write their own Dockerfile and tests. */
const CONTAINER_OPTIONS = ['dockerfilePath', 'dockerBuildContext', 'testCommand', 'buildRuntimeVersions', 'testReportFiles'] as const;

/** What each option of the other runtimes configures, for the message that refuses it with `container`. */
const APP_OPTIONS: Readonly<Record<string, string>> = {
  javaVersion: 'the Java release of the Spring Boot app and image this package writes',
  javaPackage: 'the package of the Spring Boot skeleton this package writes',
  springAot: 'the Spring Boot build this package writes',
  mavenPlugins: 'the pom.xml this package writes for Spring Boot',
  mavenBoms: 'the pom.xml this package writes for Spring Boot',
  annotationProcessors: 'the pom.xml this package writes for Spring Boot',
  appDeps: 'the package.json or pom.xml this package writes for node and spring-boot',
  appDevDeps: 'the package.json or pom.xml this package writes for node and spring-boot',
  openTelemetry: 'the agent this package adds to the Dockerfile it writes for node and spring-boot',
};

/** A path inside the repository: letters, digits, `.`, `_`, `-` and `/` (safe in the buildspec's shell unquoted too). */
const REPOSITORY_PATH = /^[A-Za-z0-9._/-]+$/;
/** A report path may also hold glob characters, as CodeBuild's `reports.files` reads them. */
const REPORT_PATH = /^[A-Za-z0-9._/*-]+$/;

/** Refuses the container-only options with another runtime, before anything is written. */
export function refuseContainerOptions(options: object, appRuntime: string): void {
  const given = options as ContainerRuntimeOptions;
  for (const option of CONTAINER_OPTIONS) {
    if (given[option] !== undefined) {
      throw new OptionError(`${option} ${JSON.stringify(given[option])} is not allowed with appRuntime "${appRuntime}": it applies to "container" only, where the Dockerfile and the app are the team's.`);
    }
  }
}

/** `value` as a path relative to the repository root that stays inside it, normalised (`./a/` is `a`); an error names the option. */
function repositoryPath(option: string, value: unknown, fallback: string, pattern = REPOSITORY_PATH): string {
  if (value === undefined) {
    return fallback;
  }
  const allowed = 'give a path relative to the repository root, inside it (no "..", not absolute), of letters, digits, ".", "_", "-" and "/"';
  if (typeof value !== 'string' || value.trim() === '' || !pattern.test(value) || value.startsWith('/')
    || value.split('/').includes('..')) {
    throw new OptionError(`${option} ${JSON.stringify(value)} is not allowed: ${allowed}.`);
  }
  return path.posix.normalize(value).replace(/\/$/, '') || '.';
}

function testCommandOf(value: unknown): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '' || /[\r\n]/.test(value)) {
    throw new OptionError(`testCommand ${JSON.stringify(value)} is not allowed: give one shell command line, e.g. "python -m pytest" (chain several with &&).`);
  }
  return value.trim();
}

function buildRuntimeVersionsOf(value: unknown): Record<string, string> {
  if (value === undefined) {
    return {};
  }
  const runtimes = Object.keys(CODEBUILD_RUNTIME_VERSIONS).join(', ');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OptionError(`buildRuntimeVersions ${JSON.stringify(value)} is not allowed: give an object of CodeBuild runtime-versions, e.g. { python: '3.13' } (runtimes: ${runtimes}).`);
  }
  for (const [name, version] of Object.entries(value)) {
    if (name === 'nodejs') {
      throw new OptionError(`buildRuntimeVersions.nodejs ${JSON.stringify(version)} is not allowed: Node.js in CodeBuild is the toolchain's; set nodeVersion instead.`);
    }
    const versions = CODEBUILD_RUNTIME_VERSIONS[name];
    if (!versions) {
      throw new OptionError(`buildRuntimeVersions.${name} is not allowed: CodeBuild's standard 7.0 image offers ${runtimes} besides Node.js.`);
    }
    if (typeof version !== 'string' || !versions.includes(version)) {
      throw new OptionError(`buildRuntimeVersions.${name} ${JSON.stringify(version)} is not allowed: CodeBuild's standard 7.0 image offers ${versions.map((v) => JSON.stringify(v)).join(', ')}.`);
    }
  }
  return { ...value as Record<string, string> };
}

function testReportFilesOf(value: unknown): string[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new OptionError(`testReportFiles ${JSON.stringify(value)} is not allowed: give a list of JUnit XML paths relative to the repository root, e.g. ["test-reports/junit.xml"].`);
  }
  return value.map((file) => repositoryPath('testReportFiles', file, '', REPORT_PATH));
}

/** The image source the options name, checked: `Dockerfile` and `.` when left out. */
export function imageSourceOf(options: ContainerRuntimeOptions): ImageSource {
  return {
    dockerfile: repositoryPath('dockerfilePath', options.dockerfilePath, 'Dockerfile'),
    context: repositoryPath('dockerBuildContext', options.dockerBuildContext, '.'),
  };
}

/**
 * The team's own container: no app code, Dockerfile or .dockerignore is written. The build runs `testCommand`, then
 * builds the team's Dockerfile; everything around the image (template, toolchain, stages) is the same as for the others.
 */
export function containerRuntimeFor(options: CodeStarFargateProjectOptions): AppRuntimeDefinition {
  const image = imageSourceOf(options);
  const testCommand = testCommandOf(options.testCommand);
  const runtimeVersions = buildRuntimeVersionsOf(options.buildRuntimeVersions);
  const testReportFiles = testReportFilesOf(options.testReportFiles);
  const refuseAppDeps = (option: string, deps: string[]) => {
    throw new OptionError(`${option} ${JSON.stringify(deps)} is not allowed with appRuntime "container": it configures ${APP_OPTIONS[option]}; the team's build (requirements.txt, go.mod, ...) lists the app's dependencies.`);
  };
  return {
    runtime: AppRuntime.CONTAINER,
    displayName: 'container',
    versionName: `the team's own image, built from \`${image.dockerfile}\` with context \`${image.context}\``,
    localPrerequisite: 'docker, podman or buildah',
    taskSizeDefaults: { cpu: 256, memoryMiB: 512 },
    image,
    validate: () => {
      for (const [option, what] of Object.entries(APP_OPTIONS)) {
        const value = (options as unknown as Record<string, unknown>)[option];
        if (value !== undefined) {
          throw new OptionError(`${option} ${JSON.stringify(value)} is not allowed with appRuntime "container": it configures ${what}; with "container" the Dockerfile and the app are the team's.`);
        }
      }
    },
    codeBuild: {
      runtimeVersions,
      buildCommands: testCommand ? [testCommand] : [],
      testReportFiles,
      testReportBaseDirectory: '.',
      // The team's build tools cache where they like; nothing here is checked against the commit.
      cachePaths: [],
    },
    healthCheck: {
      // Unknown start time: a minute before failing load-balancer checks count; the image may have no tool for a container check.
      gracePeriodSeconds: 60,
      startPeriodSeconds: 60,
      deregistrationDelaySeconds: 30,
    },
    addApp: (parent: Project) => {
      if (!fs.existsSync(path.join(parent.outdir, image.dockerfile))) {
        parent.logger.warn(`dockerfilePath ${JSON.stringify(image.dockerfile)}: there is no such file yet; image:build and the pipeline's build fail until the team's Dockerfile is there.`);
      }
      if (testCommand) {
        const test = parent.addTask('app:test', { description: `Run the app's tests: ${testCommand}`, exec: testCommand });
        // The build tests what the pipeline tests, before the toolchain's synth.
        parent.preCompileTask.spawn(test);
      }
      return undefined;
    },
    addAppDeps: (_app, deps) => refuseAppDeps('appDeps', deps),
  };
}
