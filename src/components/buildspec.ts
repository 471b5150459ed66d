import { Component, Project, YamlFile } from 'projen';
import { BuildEnvironment, BuildVariable, SourceFile } from '../contract';
import { AppRuntimeDefinition } from '../runtimes/runtime';

/**
 * The CodeBuild `buildspec.yml`: tests the app, builds the image from nothing another build left behind, pushes it
 * under a tag only this build can have (the commit and the build's id), and exports the digest ECR answered that
 * push with, so no build ever deploys an image it did not build itself. It writes no artifact the deploys read.
 */
export class Buildspec extends Component {
  public readonly file: YamlFile;

  constructor(project: Project, runtime: AppRuntimeDefinition) {
    super(project);
    const { REPOSITORY_URI, PULL_REQUEST_CHECK, PULL_REQUEST_ID, SOURCE_COMMIT, DESTINATION_COMMIT, REPOSITORY_NAME } = BuildEnvironment;
    const { IMAGE_URI, IMAGE_TAG } = BuildVariable;
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
            // The CodeBuild standard image has these runtimes and the AWS CLI; nothing else is installed.
            'runtime-versions': runtime.codeBuild.runtimeVersions,
            'on-failure': 'ABORT',
          },
          pre_build: {
            'on-failure': 'ABORT',
            'commands': [
              `: "\${${REPOSITORY_URI}:?the CodeBuild project must set ${REPOSITORY_URI}}"`,
              // The build id's UUID is unknown until the build starts and tags are immutable: no other build can have pushed this tag.
              `${IMAGE_TAG}="$(printf '%s' "$CODEBUILD_RESOLVED_SOURCE_VERSION" | cut -c 1-12)-\${CODEBUILD_BUILD_ID##*:}"`,
              unlessPullRequest(`{ aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "\${${REPOSITORY_URI}%%/*}"; }`),
            ],
          },
          build: {
            'on-failure': 'ABORT',
            'commands': [
              ...runtime.codeBuild.buildCommands,
              // Nothing from another commit's build: no layer cache, and the bases fetched again by their pinned digests.
              `docker build --pull --no-cache --tag "$${REPOSITORY_URI}:$${IMAGE_TAG}" .`,
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
        reports: {
          tests: {
            'files': runtime.codeBuild.testReportFiles,
            'base-directory': runtime.codeBuild.testReportBaseDirectory,
            'file-format': 'JUNITXML',
          },
        },
        ...(runtime.codeBuild.cachePaths.length > 0 ? { cache: { paths: runtime.codeBuild.cachePaths } } : {}),
      },
    });
  }
}
