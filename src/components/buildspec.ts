import { Component, Project, YamlFile } from 'projen';
import { BuildEnvironment, BuildVariable, SourceFile } from '../contract';
import { AppRuntimeDefinition } from '../runtimes/runtime';

/**
 * The CodeBuild `buildspec.yml`: tests the app, builds and pushes the image
 * tagged with the commit (once: a re-run reuses it), and exports the image's
 * digest for the deploy stages. It writes no artifact the deploys read.
 */
export class Buildspec extends Component {
  public readonly file: YamlFile;

  constructor(project: Project, runtime: AppRuntimeDefinition) {
    super(project);
    const { REPOSITORY_URI } = BuildEnvironment;
    const { IMAGE_URI, IMAGE_TAG } = BuildVariable;
    const describeDigest = `aws ecr describe-images --repository-name "\${${REPOSITORY_URI}#*/}" --image-ids imageTag="$${IMAGE_TAG}" --query 'imageDetails[0].imageDigest' --output text`;

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
              // The pipeline's source action gives the commit; tags are immutable, one per commit.
              `${IMAGE_TAG}="$(printf '%s' "$CODEBUILD_RESOLVED_SOURCE_VERSION" | cut -c 1-12)"`,
              `aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "\${${REPOSITORY_URI}%%/*}"`,
              // A re-run of a commit reuses the image it pushed; any error but "not found" stops the build, shown.
              `if IMAGE_DIGEST="$(${describeDigest} 2> describe-images.err)"; then echo "Reusing $${REPOSITORY_URI}:$${IMAGE_TAG} ($IMAGE_DIGEST)"; elif grep -q ImageNotFoundException describe-images.err; then IMAGE_DIGEST=""; else cat describe-images.err >&2; exit 1; fi`,
            ],
          },
          build: {
            'on-failure': 'ABORT',
            'commands': [
              ...runtime.codeBuild.buildCommands,
              `if [ -z "$IMAGE_DIGEST" ]; then docker build --tag "$${REPOSITORY_URI}:$${IMAGE_TAG}" .; fi`,
            ],
          },
          post_build: {
            commands: [
              `if [ -z "$IMAGE_DIGEST" ]; then docker push "$${REPOSITORY_URI}:$${IMAGE_TAG}" && IMAGE_DIGEST="$(${describeDigest})"; fi`,
              // Every stage deploys by digest: what was tested and approved is what runs, whatever happens to tags.
              `${IMAGE_URI}="$${REPOSITORY_URI}@\${IMAGE_DIGEST:?ECR returned no digest for $${REPOSITORY_URI}:$${IMAGE_TAG}}"`,
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
        cache: {
          paths: runtime.codeBuild.cachePaths,
        },
      },
    });
  }
}
