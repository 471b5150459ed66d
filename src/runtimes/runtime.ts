import { Project, ProjenrcFile } from 'projen';
import type { AppRuntime, ServiceSettings, TaskSizeDefaults } from '../options';

/** How the buildspec installs, tests and packages the app. */
export interface CodeBuildFacts {
  /** `phases.install.runtime-versions` of the CodeBuild standard image. */
  readonly runtimeVersions: Record<string, string>;
  /** Commands that build and test the app before the image is built, run from the repository root. */
  readonly buildCommands: string[];
  /** JUnit XML files the tests write, relative to the repository root (CodeBuild report `files`). */
  readonly testReportFiles: string[];
  /** Folder the report files are in, relative to the repository root. */
  readonly testReportBaseDirectory: string;
  /**
   * Paths CodeBuild caches between builds: only caches whose content the build checks against the commit (npm's, by
   * package-lock.json's integrity): what a build of another, unapproved commit left there must not reach this one unchecked.
   */
  readonly cachePaths: string[];
}

/** Where the image is built from. */
export interface ImageSource {
  /** The Dockerfile's path from the repository root. */
  readonly dockerfile: string;
  /** The build context's path from the repository root (`.` for the root). */
  readonly context: string;
}

/** The managed Dockerfile at the root, built with the whole repository as context. */
export const MANAGED_IMAGE_SOURCE: ImageSource = { dockerfile: 'Dockerfile', context: '.' };

/** Shell commands run in `app/`. */
export interface AppCommands {
  /** Compiles, tests and packages the app. */
  readonly build: string;
  /** Runs the app's tests. */
  readonly test: string;
  /** Starts the built app in the foreground: one program and its arguments, which gets the stop signal. */
  readonly start: string;
  /**
   * A POSIX shell check, run before every other app task, that this machine has what the app needs (the JDK of
   * `javaVersion`); it exits non-zero with what was found and the ways out. None when there is nothing to check.
   */
  readonly check?: string;
  /**
   * Runs the app from its sources in the foreground (one program and its arguments). A change under `watch` restarts
   * it, or runs `onChange` when the runtime reloads the app itself from what that command builds; with `watch` empty,
   * the command watches its own sources (`node --watch`).
   */
  readonly dev: { readonly command: string; readonly watch: string[]; readonly onChange?: string };
  /** Fixes what the tests' format and lint check report, in the app's code; none when the tests check nothing to fix. */
  readonly fix?: string;
}

/**
 * How the load balancer and ECS learn that a task is healthy. The grace and start periods follow the app's start
 * time as `npx projen bench` measures it under the default task's CPU, with headroom for a grown app: too short, and
 * ECS replaces tasks that were still starting; longer only delays replacing a task that never becomes healthy.
 */
export interface HealthCheckFacts {
  /** Seconds ECS ignores failing load-balancer health checks after a task starts. */
  readonly gracePeriodSeconds: number;
  /** Seconds the load balancer lets a deregistering task finish its in-flight requests. */
  readonly deregistrationDelaySeconds: number;
  /** Seconds a container health check may fail before it counts (`startPeriod`). */
  readonly startPeriodSeconds: number;
  /** The task definition's container health check command (`CMD-SHELL` form's shell line); none when the image is the team's and may have no tool to run one. */
  containerHealthCheckCommand?(settings: ServiceSettings): string;
}

/**
 * What one runtime (Node.js, Spring Boot) knows about itself. Components ask
 * the runtime instead of branching on its name.
 */
export interface AppRuntimeDefinition {
  readonly runtime: AppRuntime;
  /** The runtime's name as a user would say it. */
  readonly displayName: string;
  /** The framework and language release the service runs, as the service's guide names it (`Spring Boot 4.0.7 on Java 25`). */
  readonly versionName: string;
  /** What a developer needs besides Node.js to build and run the app locally, in words; empty when nothing. */
  readonly localPrerequisite: string;
  /** The task size this runtime starts well with. */
  readonly taskSizeDefaults: TaskSizeDefaults;
  readonly codeBuild: CodeBuildFacts;
  readonly healthCheck: HealthCheckFacts;
  /** Shell commands run in `app/` by the root tasks `app:build`, `app:test` and `app:start`; none when the app is not this package's. */
  readonly appCommands?: AppCommands;
  /** The Dockerfile and build context the buildspec and `image:build` build, relative to the repository root. */
  readonly image: ImageSource;
  /** Throws, naming the option, on settings (or its own options) this runtime cannot serve, before anything is written. */
  validate(settings: ServiceSettings): void;
  /** The whole Dockerfile (built with the repository root as context); none when the Dockerfile is the team's. */
  dockerfile?(settings: ServiceSettings): string;
  /** `.dockerignore` patterns: what of the repository the image build may see; none when the Dockerfile is the team's. */
  dockerignore?(): string[];
  /** Creates the app in `app/`: its managed build definition and its user-owned code. Returns the app's project, or none when the app is the team's. */
  addApp(parent: Project, settings: ServiceSettings): Project | undefined;
  /** Adds dependencies, in the runtime's own notation, to the app `addApp` returned. */
  addAppDeps(app: Project | undefined, deps: string[]): void;
  /** Adds build- and test-only dependencies (npm devDependencies, Maven's test scope); absent when the runtime manages no app build. */
  addAppDevDeps?(app: Project, deps: string[]): void;
}

/** Makes a subproject's generated-file markers name the root's projenrc, the one place to edit them (not ".projenrc.js"). */
export class RootProjenrc extends ProjenrcFile {
  constructor(app: Project, public readonly filePath: string) {
    super(app);
  }

  // The file lives in the parent, so the app's .gitignore has nothing to keep.
  public preSynthesize(): void {}
}
