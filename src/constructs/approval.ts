import { Aws } from 'aws-cdk-lib';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SourceRevision } from './source-revision';

/**
 * CodePipeline refuses an action whose configuration field, variables unresolved, has more than 1,000 characters
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html).
 */
export const MAX_APPROVAL_FIELD_LENGTH = 1000;

/** The smoke test an earlier stage ran on the same commit, and the namespace its result is exported in. */
export interface EarlierSmokeTest {
  readonly stage: string;
  readonly resultVariable: string;
}

/** What the approver of a stage is shown. */
export interface StageApprovalProps {
  readonly serviceName: string;
  readonly stage: string;
  readonly branch: string;
  /** `<repository>@sha256:<digest>`: exactly what the stage will run. */
  readonly imageUri: string;
  /** The source action's commit variables and link; absent for a user's own `PipelineSource`. */
  readonly revision?: SourceRevision;
  /** The page of the pipeline execution, where CodePipeline shows the commit of a source without a commit link. */
  readonly executionLink: string;
  /** The last smoke test before this stage, on the same image; absent when none runs before it. */
  readonly earlierSmokeTest?: EarlierSmokeTest;
  /** Whether the pipeline runs smoke tests at all, for the message when none ran before this stage. */
  readonly smokeTests: boolean;
  readonly notificationTopic: sns.ITopic;
  readonly runOrder: number;
}

/**
 * The manual approval before a stage: it shows the commit (id, branch, message), the image digest the stage will
 * run, the smoke test an earlier stage ran on that image, and links to the commit, so the approver approves what
 * will run. CodePipeline resolves the variables when the approval waits; those of an earlier stage's action
 * resolve too (https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-variables.html#actions-variables-examples-approvals).
 */
export function stageApprovalAction(props: StageApprovalProps): actions.ManualApprovalAction {
  return new actions.ManualApprovalAction({
    actionName: 'Approve',
    runOrder: props.runOrder,
    additionalInformation: approvalText(props),
    externalEntityLink: props.revision?.commitLink ?? props.executionLink,
    notificationTopic: props.notificationTopic,
  });
}

function approvalText(props: StageApprovalProps): string {
  const commit = props.revision
    ? `commit ${props.revision.commitId} of ${props.branch}`
    : `the latest commit of ${props.branch} (shown in the pipeline execution)`;
  const smokeTest = props.earlierSmokeTest
    ? `${props.earlierSmokeTest.stage}'s smoke test on this image: ${props.earlierSmokeTest.resultVariable}.`
    : props.smokeTests
      ? `No stage before ${props.stage} ran the smoke test on this image.`
      : 'The pipeline runs no smoke test (smokeTest: false).';
  // The message comes last: it is the only part of unbounded length, and a long one should cut nothing else off.
  const message = props.revision ? ` Commit message: ${props.revision.commitMessage}` : '';
  return `Approve to deploy ${props.serviceName} to ${props.stage}: ${commit}, image ${props.imageUri}. ${smokeTest}${message}`;
}

/** The CodePipeline console's page of the running execution, in the pipeline's region. */
export function pipelineExecutionLink(pipelineName: string): string {
  return `https://${Aws.REGION}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${pipelineName}/executions/#{codepipeline.PipelineExecutionId}/timeline?region=${Aws.REGION}`;
}

/** The smoke test result a stage's approval can show: the variable the smoke test action exports. */
export function smokeTestResultVariable(namespace: string, variable: string): string {
  return `#{${namespace}.${variable}}`;
}
