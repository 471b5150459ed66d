import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';

/**
 * What an approver is shown of the commit a source action read: pipeline variables (`#{<namespace>.CommitId}`)
 * that CodePipeline resolves when the approval waits, in later stages too.
 */
export interface SourceRevision {
  /** The commit's id. */
  readonly commitId: string;
  /** The commit's message. */
  readonly commitMessage: string;
  /** A web page showing the commit, when the source knows where it is hosted. */
  readonly commitLink?: string;
}

/** Kept beside the action, so the public `PipelineSource` API needs no new member. */
const revisions = new WeakMap<codepipeline.IAction, SourceRevision>();

/** Remembers what `action` reads, for the approvals after it. */
export function recordSourceRevision(action: codepipeline.IAction, revision: SourceRevision): void {
  revisions.set(action, revision);
}

/** What `action` reads, if it is one of this package's source actions; a user's own `PipelineSource` has none. */
export function sourceRevisionOf(action: codepipeline.IAction): SourceRevision | undefined {
  return revisions.get(action);
}
