import { Duration, Validations } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SmokeTestEnvironment, SourceFile } from '../contract';
import { codeBuildDefaultGrants, LOG_GROUP_ENCRYPTION_REASON, skipCheckov } from './findings';

/** The variable the smoke-test action gives the script as its base URL. */
const SERVICE_URL = 'SERVICE_URL';

/** What the smoke test exports once the script passed (`#{<namespace>.SMOKE_TEST_RESULT}`): the next approval shows it. */
export const SMOKE_TEST_RESULT = 'SMOKE_TEST_RESULT';

/** What the smoke test needs to know. */
export interface SmokeTestProps {
  readonly serviceName: string;
  /** The service's health path, passed to the script as HEALTH_CHECK_PATH. */
  readonly healthCheckPath: string;
  /** The pipeline's artifact key: the project reads the source artifact. */
  readonly encryptionKey: kms.IKey;
}

/**
 * The CodeBuild project that runs the team's `smoke-test.sh` from the source
 * artifact against a stage's URL after its deploy. It calls the stage over the
 * internet like any user, so its role may do nothing in AWS but write its logs
 * and read the source: a script from any commit gets no more than that.
 */
export class SmokeTest extends Construct {
  public readonly project: codebuild.PipelineProject;

  constructor(scope: Construct, id: string, props: SmokeTestProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    skipCheckov(logGroup, 'CKV_AWS_158', LOG_GROUP_ENCRYPTION_REASON);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
      description: `Runs the smoke test of ${props.serviceName} against a stage's URL`,
    });
    const script = SourceFile.SMOKE_TEST;
    this.project = new codebuild.PipelineProject(this, 'Project', {
      role,
      description: `Runs ${script} from the source against a stage of ${props.serviceName} after its deploy`,
      // In the toolchain, not the source: a commit changes the test, never how or with what rights it runs.
      buildSpec: codebuild.BuildSpec.fromObject({
        version: '0.2',
        env: { 'shell': 'bash', 'exported-variables': [SMOKE_TEST_RESULT] },
        phases: {
          build: {
            commands: [
              `test -f ${script} || { echo "${script} is missing from the source: the pipeline runs it after each stage's deploy (bash ${script} <base URL>)." >&2; exit 1; }`,
              `bash ${script} "$${SERVICE_URL}"`,
              // Reached only when the script passed: a failing command ends the build phase.
              `${SMOKE_TEST_RESULT}="passed against $${SERVICE_URL} (CodeBuild build $CODEBUILD_BUILD_ID)"`,
            ],
          },
        },
      }),
      environment: {
        buildImage: codebuild.LinuxBuildImage.STANDARD_7_0,
        computeType: codebuild.ComputeType.SMALL,
      },
      environmentVariables: {
        [SmokeTestEnvironment.HEALTH_CHECK_PATH]: { value: props.healthCheckPath },
      },
      encryptionKey: props.encryptionKey,
      // A smoke test is seconds of curl; a hung one should not hold the pipeline.
      timeout: Duration.minutes(10),
      logging: { cloudWatch: { logGroup } },
    });
    const defaultGrants = codeBuildDefaultGrants(role, this.project);
    Validations.of(role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${defaultGrants.logGroup}]`,
        reason: 'CodeBuild\'s default log group of this project only; ":*" names its log streams, which CodeBuild creates per build.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${defaultGrants.reportGroups}]`,
        reason: 'Test report groups of this project only (it writes none), which CodeBuild grants every project by default.',
      },
    );
  }

  /**
   * The action after a stage's deploy: runs the script against `serviceUrl`, failing the stage when it fails, and
   * exports its result under `namespace`.
   */
  public action(input: codepipeline.Artifact, runOrder: number, serviceUrl: string, namespace: string): actions.CodeBuildAction {
    return new actions.CodeBuildAction({
      actionName: 'SmokeTest',
      runOrder,
      variablesNamespace: namespace,
      project: this.project,
      input,
      environmentVariables: { [SERVICE_URL]: { value: serviceUrl } },
    });
  }
}
