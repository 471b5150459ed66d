import * as iam from 'aws-cdk-lib/aws-iam';
import { Grant } from './grant';
import { stageTagConditions } from '../contract';

/**
 * A stage's tagging grants may not label its resources as another service's or stage's, nor take its own labels off:
 * the service and stage tags decide which role reaches a resource, and a resource's own tag condition alone lets its
 * holder write any value. Tag actions get aws:RequestTag conditions. Untag actions are left as they were: CloudFormation's
 * handlers list them on create, update and delete, and denying the stage's keys there needs proof that no handler removes them.
 */

/** Actions that add or overwrite tags (TagResource, AddTags, TagRole, AddTagsToCertificate, ec2:CreateTags, ...). */
const TAG_ACTION = /:(Tag|AddTags|CreateTags)[A-Za-z]*$/;

type Conditions = { [operator: string]: { [key: string]: unknown } };

function withCondition(conditions: Grant['conditions'], operator: string, added: { [key: string]: unknown }): Conditions {
  const merged = { ...(conditions ?? {}) } as Conditions;
  merged[operator] = { ...(merged[operator] ?? {}), ...added };
  return merged;
}

/** Each Allow grant with tag actions split in two: its other actions unchanged, its tag actions limited to the stage's own tag values. */
export function ownTagsOnly(grants: Grant[], serviceName: string, stage: string): Grant[] {
  return grants.flatMap(grant => {
    if ((grant.effect ?? iam.Effect.ALLOW) !== iam.Effect.ALLOW) {
      return [grant];
    }
    const tagging = grant.actions.filter(action => TAG_ACTION.test(action));
    const others = grant.actions.filter(action => !tagging.includes(action));
    return [
      ...(others.length ? [{ ...grant, actions: others }] : []),
      // IfExists: CloudFormation's own tags (aws:cloudformation:*) carry neither key, and are allowed as before.
      ...(tagging.length ? [{ ...grant, sid: `${grant.sid}OwnTags`, actions: tagging, conditions: withCondition(grant.conditions, 'StringEqualsIfExists', stageTagConditions('aws:RequestTag', serviceName, stage)) }] : []),
    ];
  });
}
