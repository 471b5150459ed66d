import { Aws, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

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

/* How grants become IAM statements, managed policies that fit IAM's quotas, and cdk-nag acknowledgements. */

/** Any resource: only for actions AWS supports on no narrower one (UNSCOPED_ACTIONS). */
export const ANY_RESOURCE: Arn = { value: '*', nagName: '*' };

/** An ARN in the deploying account and region; `region` is false for global services (IAM). */
export function arn(service: string, resource: string, region = true): Arn {
  const render = (partition: string, regionName: string, account: string) =>
    `arn:${partition}:${service}:${region ? regionName : ''}:${account}:${resource}`;
  return {
    value: render(Aws.PARTITION, Aws.REGION, Aws.ACCOUNT_ID),
    nagName: render('<AWS::Partition>', '<AWS::Region>', '<AWS::AccountId>'),
  };
}

/** The most one managed policy may hold in IAM, less room for tokens that resolve longer than they render here. */
const MANAGED_POLICY_BUDGET = 6144 - 1500;
/** IAM's default quota of managed policies attached to one role. */
const MANAGED_POLICIES_PER_ROLE = 10;

/** Grants in order, in as few groups as fit the budget each; a grant larger than the budget alone is an error here. */
export function packBySize(scope: Construct, grants: Grant[]): Grant[][] {
  const sizeOf = (grant: Grant) => JSON.stringify(Stack.of(scope).resolve(toStatements([grant])[0].toStatementJson())).length;
  const groups: Array<{ grants: Grant[]; size: number }> = [];
  for (const grant of grants) {
    const size = sizeOf(grant);
    if (size > MANAGED_POLICY_BUDGET) {
      throw new Error(`the deploy role's statement ${grant.sid} is ${size} characters, more than one managed policy holds (${MANAGED_POLICY_BUDGET}): split it.`);
    }
    const fitting = groups.find(group => group.size + size + 1 <= MANAGED_POLICY_BUDGET);
    if (fitting) {
      fitting.grants.push(grant);
      fitting.size += size + 1;
    } else {
      groups.push({ grants: [grant], size: size + 50 });
    }
  }
  if (groups.length > MANAGED_POLICIES_PER_ROLE) {
    throw new Error(`the deploy role needs ${groups.length} managed policies, more than IAM attaches to a role by default (${MANAGED_POLICIES_PER_ROLE}).`);
  }
  return groups.map(group => group.grants);
}


/** Grants as IAM statements, in order. */
export function toStatements(grants: Grant[]): iam.PolicyStatement[] {
  return grants.map(grant => new iam.PolicyStatement({
    sid: grant.sid,
    effect: grant.effect ?? iam.Effect.ALLOW,
    actions: grant.actions,
    resources: grant.resources.map(resource => resource.value),
    conditions: grant.conditions,
  }));
}

/** Acknowledges each wildcard resource and action of the grants for cdk-nag, with the grant's reason. */
export function acknowledgeWildcards(scope: Construct, grants: Grant[]): void {
  const acknowledged = new Set<string>();
  for (const grant of grants.filter(allow => (allow.effect ?? iam.Effect.ALLOW) === iam.Effect.ALLOW)) {
    const wildcards = [
      ...grant.resources.filter(resource => resource.nagName.includes('*')).map(resource => `Resource::${resource.nagName}`),
      ...grant.actions.filter(action => action.includes('*')).map(action => `Action::${action}`),
    ];
    for (const finding of wildcards) {
      const ruleId = `AwsSolutions-IAM5[${finding}]`;
      if (!acknowledged.has(ruleId)) {
        acknowledged.add(ruleId);
        Validations.of(scope).acknowledge({ id: ruleId, reason: grant.why });
      }
    }
  }
}

