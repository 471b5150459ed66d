import { Component, Project, YamlFile } from 'projen';
import { BuildArtifact, BuildEnvironment, BuildVariable, SourceFile } from '../contract';
import { ServiceSettings } from '../options';
import { AppRuntimeDefinition } from '../runtimes/runtime';

/**
 * The CodeBuild `buildspec.yml`: tests the app, builds and pushes the image
 * tagged with the commit, and hands the deploy stages their artifacts.
 */
export class Buildspec extends Component {
  public readonly file: YamlFile;

  constructor(project: Project, runtime: AppRuntimeDefinition, settings: ServiceSettings) {
    super(project);
    const { REPOSITORY_URI, ARTIFACT_BUCKET } = BuildEnvironment;
    const { IMAGE_URI, IMAGE_TAG } = BuildVariable;
    const imageDefinition = JSON.stringify([{ name: settings.serviceName, imageUri: '%s' }]);

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
              `: "\${${REPOSITORY_URI}:?the CodeBuild project must set ${REPOSITORY_URI}}" "\${${ARTIFACT_BUCKET}:?the CodeBuild project must set ${ARTIFACT_BUCKET}}"`,
              // The pipeline's source action gives the commit; tags are immutable, one per commit.
              `${IMAGE_TAG}="$(printf '%s' "$CODEBUILD_RESOLVED_SOURCE_VERSION" | cut -c 1-12)"`,
              `${IMAGE_URI}="$${REPOSITORY_URI}:$${IMAGE_TAG}"`,
              `aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "\${${REPOSITORY_URI}%%/*}"`,
              // A re-run of the same commit reuses the image it already pushed.
              `if aws ecr describe-images --repository-name "\${${REPOSITORY_URI}#*/}" --image-ids imageTag="$${IMAGE_TAG}" > /dev/null 2>&1; then IMAGE_EXISTS=true; else IMAGE_EXISTS=false; fi`,
            ],
          },
          build: {
            'on-failure': 'ABORT',
            'commands': [
              ...runtime.codeBuild.buildCommands,
              `if [ "$IMAGE_EXISTS" = false ]; then docker build --tag "$${IMAGE_URI}" .; fi`,
            ],
          },
          post_build: {
            commands: [
              `if [ "$IMAGE_EXISTS" = false ]; then docker push "$${IMAGE_URI}"; fi`,
              `printf '${imageDefinition}' "$${IMAGE_URI}" > ${BuildArtifact.IMAGE_DEFINITIONS}`,
              `aws cloudformation package --template-file ${SourceFile.TEMPLATE} --s3-bucket "$${ARTIFACT_BUCKET}" --output-template-file ${BuildArtifact.PACKAGED_TEMPLATE}`,
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
        artifacts: {
          'files': [BuildArtifact.IMAGE_DEFINITIONS, BuildArtifact.PACKAGED_TEMPLATE, BuildArtifact.TEMPLATE_CONFIGURATION],
          'discard-paths': 'yes',
        },
        cache: {
          paths: runtime.codeBuild.cachePaths,
        },
      },
    });
  }
}
