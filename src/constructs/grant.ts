import * as iam from 'aws-cdk-lib/aws-iam';

/* What a stage's policies are made of; its own file, so the grant helpers import it without importing deploy-permissions. */

/** An ARN as CloudFormation gets it and as cdk-nag names it in a finding. */
export interface Arn {
  readonly value: string;
  readonly nagName: string;
}

/** One statement of a stage's policies, with why it is as wide as it is. */
export interface Grant {
  readonly sid: string;
  /** Why the resources (and wildcard actions) cannot be narrower: the cdk-nag acknowledgement reason. */
  readonly why: string;
  readonly actions: string[];
  readonly resources: Arn[];
  readonly conditions?: { [operator: string]: unknown };
  readonly effect?: iam.Effect;
}
