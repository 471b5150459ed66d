import { CfnResource } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Tells checkov why a finding does not apply; the reason ships in the template's metadata. */
export function skipCheckov(construct: Construct, id: string, comment: string): void {
  const resource = construct.node.defaultChild as CfnResource;
  const skips = (resource.getMetadata('checkov')?.skip ?? []) as Array<{ id: string; comment: string }>;
  resource.addMetadata('checkov', { skip: [...skips, { id, comment }] });
}

/** CloudWatch Logs encrypts every log group; a key of our own would protect from nobody who can read the logs. */
export const LOG_GROUP_ENCRYPTION_REASON = 'CloudWatch Logs encrypts every log group at rest by default; a customer managed key would add cost and a key policy, not protection from anyone who can read the logs.';
