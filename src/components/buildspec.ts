import { Component, Project, YamlFile } from 'projen';
import { BuildEnvironment, BuildVariable, SourceFile } from '../contract';
import { BuildChecks } from './build-checks';
import { dockerBuildSource } from './container-tasks';
import { AppRuntimeDefinition } from '../runtimes/runtime';

/** Where npm keeps its downloads in the CodeBuild image: npm ci checks each against the lock file, so a cache is safe. */
const NPM_CACHE = '/root/.npm/**/*';
/**
 * The toolchain's synth, with cdk-nag and aws-cdk-lib's validation, as `npx projen build` runs it locally, but with no
 * AWS credentials in reach: it must look nothing up (a missing context fails it) and call no AWS API with the build's role.
 */
const OFFLINE_TOOLCHAIN_SYNTH = 'env -u AWS_CONTAINER_CREDENTIALS_RELATIVE_URI -u AWS_CONTAINER_CREDENTIALS_FULL_URI -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN AWS_EC2_METADATA_DISABLED=true npx projen synth:silent';

/**
 * The CodeBuild `buildspec.yml`: checks that the deployed toolchain has the committed toolchain settings, that the
 * managed files are what `.projenrc.ts` makes of them and that the toolchain passes cdk-nag, then tests the app, builds the image from nothing another build left behind, pushes it
 * under a tag only this build can have (the commit and the build's id), and exports the digest ECR answered that
 * push with, so no build ever deploys an image it did not build itself. It writes no artifact the deploys read.
 */
export class Buildspec extends Component {
  public readonly file: YamlFile;

  /** `nodeVersion`: the Node.js release the root project (projen, the toolchain's synth) runs on. */
  constructor(project: Project, runtime: AppRuntimeDefinition, nodeVersion: number) {
    super(project);
    const { REPOSITORY_URI, PULL_REQUEST_CHECK, PULL_REQUEST_ID, SOURCE_COMMIT, DESTINATION_COMMIT, REPOSITORY_NAME } = BuildEnvironment;
    const { IMAGE_URI, IMAGE_TAG } = BuildVariable;
    const checks = new BuildChecks(project);
    const cachePaths = [...new Set([NPM_CACHE, ...runtime.codeBuild.cachePaths])];
    // The pull-request check runs the same tests and checks and `docker build`, but logs in nowhere and pushes nothing.
    const unlessPullRequest = (command: string) => `[ "\${${PULL_REQUEST_CHECK}:-false}" = true ] || ${command}`;

    this.file = new YamlFile(project, SourceFile.BUILDSPEC, {
      obj: {
        version: 0.2,
        env: {
          'shell': 'bash',
          'exported-variables': [IMAGE_URI, IMAGE_TAG],
        },
        phases: {
          install: {
            // The CodeBuild standard image has these runtimes and the AWS CLI; nothing else is installed. Node.js runs projen and the toolchain's synth.
            'runtime-versions': { nodejs: String(nodeVersion), ...runtime.codeBuild.runtimeVersions },
            'on-failure': 'ABORT',
          },
          pre_build: {
            'on-failure': 'ABORT',
            'commands': [
              `: "\${${REPOSITORY_URI}:?the CodeBuild project must set ${REPOSITORY_URI}}"`,
              // First: a commit whose toolchain settings wait for an admin's deploy would otherwise build and deploy without them.
              checks.toolchainSettingsCommand,
              // The build id's UUID is unknown until the build starts and tags are immutable: no other build can have pushed this tag.
              `${IMAGE_TAG}="$(printf '%s' "$CODEBUILD_RESOLVED_SOURCE_VERSION" | cut -c 1-12)-\${CODEBUILD_BUILD_ID##*:}"`,
              unlessPullRequest(`{ aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "\${${REPOSITORY_URI}%%/*}"; }`),
            ],
          },
          build: {
            'on-failure': 'ABORT',
            'commands': [
              // The root's dependencies (projen, aws-cdk, cdk-nag) from the committed lock file, for the two checks after it.
              'npm ci --no-audit --no-fund',
              // The pipeline deploys the committed template.yml: it must be what .projenrc.ts makes.
              checks.managedFilesCommand,
              OFFLINE_TOOLCHAIN_SYNTH,
              ...runtime.codeBuild.buildCommands,
              // Nothing from another commit's build: no layer cache, and the bases fetched again by their pinned digests.
              `docker build --pull --no-cache --tag "$${REPOSITORY_URI}:$${IMAGE_TAG}" ${dockerBuildSource(runtime.image)}`,
            ],
            // A CodeCommit pull request hears the result here (GitHub and the others get CodeBuild's commit status); runs when a test failed too.
            'finally': [
              `[ -z "\${${PULL_REQUEST_ID}:-}" ] || aws codecommit post-comment-for-pull-request --pull-request-id "$${PULL_REQUEST_ID}" --repository-name "$${REPOSITORY_NAME}" --before-commit-id "$${DESTINATION_COMMIT}" --after-commit-id "$${SOURCE_COMMIT}" --content "$([ "$CODEBUILD_BUILD_SUCCEEDING" = 1 ] && echo 'Tests, checks and docker build passed' || echo 'Tests, checks or docker build failed'): build $CODEBUILD_BUILD_ID"`,
            ],
          },
          post_build: {
            commands: [
              unlessPullRequest(`docker push "$${REPOSITORY_URI}:$${IMAGE_TAG}" > docker-push.log || { cat docker-push.log; false; }`),
              unlessPullRequest('cat docker-push.log'),
              // The digest ECR answered this build's own push with, not one looked up by a tag.
              unlessPullRequest('IMAGE_DIGEST="$(grep -oE \'digest: sha256:[0-9a-f]{64}\' docker-push.log | tail -n 1 | cut -d \' \' -f 2)"'),
              // Every stage deploys by digest: what was tested and approved is what runs, whatever happens to tags.
              unlessPullRequest(`${IMAGE_URI}="$${REPOSITORY_URI}@\${IMAGE_DIGEST:?docker push named no digest for $${REPOSITORY_URI}:$${IMAGE_TAG}}"`),
            ],
          },
        },
        // No report group when the tests write no JUnit file (a team's testCommand may not).
        ...(runtime.codeBuild.testReportFiles.length > 0 ? {
          reports: {
            tests: {
              'files': runtime.codeBuild.testReportFiles,
              'base-directory': runtime.codeBuild.testReportBaseDirectory,
              'file-format': 'JUNITXML',
            },
          },
        } : {}),
        cache: { paths: cachePaths },
      },
    });
  }
}
