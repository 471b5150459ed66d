/* The options of `appRuntime: AppRuntime.CONTAINER`: the team's own Dockerfile, and how the build tests the app first. */

/**
 * Options for a service that brings its own container (`appRuntime: AppRuntime.CONTAINER`); refused with the other
 * runtimes, which write their own Dockerfile.
 */
export interface ContainerRuntimeOptions {
  /**
   * The team's Dockerfile, relative to the repository root, e.g. `docker/Dockerfile.prod`. The buildspec and
   * `image:build` build it; this package never writes it. Applies to `container` only.
   *
   * @default "Dockerfile"
   */
  readonly dockerfilePath?: string;

  /**
   * The folder the image is built from (the Docker build context), relative to the repository root, e.g. `service`.
   * Its `.dockerignore` is the team's. Applies to `container` only.
   *
   * @default "." (the repository root)
   */
  readonly dockerBuildContext?: string;

  /**
   * A shell command the build runs from the repository root before it builds the image, e.g. `python -m pytest`;
   * a non-zero exit fails the build and nothing is deployed. `npx projen app:test` and `npx projen build` run it too.
   * Applies to `container` only.
   *
   * @default - no tests before the image; the Dockerfile may run them itself
   */
  readonly testCommand?: string;

  /**
   * Language runtimes `testCommand` needs in CodeBuild, as the standard 7.0 image's `runtime-versions`, e.g.
   * `{ python: '3.13' }` or `{ golang: '1.26' }`: java, golang, python, php, ruby and dotnet. Node.js is the
   * toolchain's (`nodeVersion`). Applies to `container` only.
   *
   * @default - only the toolchain's Node.js
   */
  readonly buildRuntimeVersions?: { [runtime: string]: string };

  /**
   * JUnit XML files `testCommand` writes, relative to the repository root (e.g. `test-reports/junit.xml` from
   * `python -m pytest --junitxml=test-reports/junit.xml`): CodeBuild shows them as a test report. Applies to
   * `container` only.
   *
   * @default - no test report
   */
  readonly testReportFiles?: string[];
}
