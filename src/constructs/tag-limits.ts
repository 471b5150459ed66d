import * as iam from 'aws-cdk-lib/aws-iam';
import { Grant } from './grant';
import { STAGE_TAG, stageTagConditions } from '../contract';

/**
 * A stage's tagging grants may not label its resources as another service's or stage's, nor take its own labels off:
 * the service and stage tags decide which role reaches a resource, and a resource's own tag condition alone lets its
 * holder write any value. Tag actions get aws:RequestTag conditions; untag actions may name any key but those two.
 * CloudFormation's handlers untag only keys missing from the desired tags, and the stack's tags are always among them
 * (cloudformation-cli-java-plugin, AbstractWrapper.getDesiredResourceTags), so only a change of the stack's own
 * service or stage tag, which the pipeline sets, asks to remove one.
 */

/** Actions that add or overwrite tags (TagResource, AddTags, TagRole, AddTagsToCertificate, ec2:CreateTags, ...). */
const TAG_ACTION = /:(Tag|AddTags|CreateTags)[A-Za-z]*$/;

/** Actions that remove tags (UntagResource, RemoveTags, UntagRole, RemoveTagsFromCertificate, ec2:DeleteTags, ...). */
export const UNTAG_ACTION = /:(Untag|RemoveTags|DeleteTags)[A-Za-z]*$/;

type Conditions = { [operator: string]: { [key: string]: unknown } };

function withCondition(conditions: Grant['conditions'], operator: string, added: { [key: string]: unknown }): Conditions {
  const merged = { ...(conditions ?? {}) } as Conditions;
  merged[operator] = { ...(merged[operator] ?? {}), ...added };
  return merged;
}

/** Each Allow grant split by kind: its other actions unchanged, tag actions limited to the stage's own values, untag actions kept off its keys. */
export function ownTagsOnly(grants: Grant[], serviceName: string, stage: string): Grant[] {
  return grants.flatMap(grant => {
    if ((grant.effect ?? iam.Effect.ALLOW) !== iam.Effect.ALLOW) {
      return [grant];
    }
    const tagging = grant.actions.filter(action => TAG_ACTION.test(action));
    const untagging = grant.actions.filter(action => UNTAG_ACTION.test(action));
    const others = grant.actions.filter(action => !tagging.includes(action) && !untagging.includes(action));
    return [
      ...(others.length ? [{ ...grant, actions: others }] : []),
      // IfExists: CloudFormation's own tags (aws:cloudformation:*) carry neither key, and are allowed as before.
      ...(tagging.length ? [{ ...grant, sid: `${grant.sid}OwnTags`, actions: tagging, conditions: withCondition(grant.conditions, 'StringEqualsIfExists', stageTagConditions('aws:RequestTag', serviceName, stage)) }] : []),
      // The keys must be named: ec2:DeleteTags without any removes every tag, and ForAllValues holds for none.
      // IgnoreCase: IAM matches tag keys without case, so `Stage` must not remove `stage`.
      ...(untagging.length ? [{
        ...grant,
        sid: `${grant.sid}KeepsStageTags`,
        actions: untagging,
        conditions: withCondition(withCondition(grant.conditions, 'ForAllValues:StringNotEqualsIgnoreCase', { 'aws:TagKeys': Object.values(STAGE_TAG) }), 'Null', { 'aws:TagKeys': 'false' }),
      }] : []),
    ];
  });
}
