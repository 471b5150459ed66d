import { ArnFormat, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Tells checkov why a finding does not apply; the reason ships in the template's metadata. */
export function skipCheckov(construct: Construct, id: string, comment: string): void {
  const resource = construct.node.defaultChild as CfnResource;
  const skips = (resource.getMetadata('checkov')?.skip ?? []) as Array<{ id: string; comment: string }>;
  resource.addMetadata('checkov', { skip: [...skips, { id, comment }] });
}

/** CloudWatch Logs encrypts every log group; a key of our own would protect from nobody who can read the logs. */
export const LOG_GROUP_ENCRYPTION_REASON = 'CloudWatch Logs encrypts every log group at rest by default; a customer managed key would add cost and a key policy, not protection from anyone who can read the logs.';

/**
 * A value as cdk-nag names it in a finding (`<AWS::Region>`, `<Logical.Arn>`),
 * resolved from `scope`'s stack: a reference to another account's resource
 * becomes its physical name there, as it does in the template.
 */
export function nagName(scope: Construct, value: string): string {
  return render(Stack.of(scope).resolve(value));
}

/** The CodeBuild project's default log group and report group grants, as cdk-nag names them. */
export function codeBuildDefaultGrants(scope: Construct, project: codebuild.IProject): { logGroup: string; reportGroups: string } {
  const stack = Stack.of(project);
  const logGroup = stack.formatArn({ service: 'logs', resource: 'log-group', arnFormat: ArnFormat.COLON_RESOURCE_NAME, resourceName: `/aws/codebuild/${project.projectName}` });
  const reportGroups = stack.formatArn({ service: 'codebuild', resource: 'report-group', resourceName: `${project.projectName}-*` });
  return { logGroup: `${nagName(scope, logGroup)}:*`, reportGroups: nagName(scope, reportGroups) };
}

function render(resolved: unknown): string {
  if (typeof resolved === 'string' || typeof resolved === 'number') {
    return String(resolved);
  }
  const intrinsic = resolved as Record<string, any>;
  if ('Ref' in intrinsic) {
    return `<${intrinsic.Ref}>`;
  }
  if ('Fn::GetAtt' in intrinsic) {
    return `<${intrinsic['Fn::GetAtt'].join('.')}>`;
  }
  if ('Fn::Join' in intrinsic) {
    return intrinsic['Fn::Join'][1].map(render).join(intrinsic['Fn::Join'][0]);
  }
  throw new Error(`cannot name ${JSON.stringify(resolved)} as cdk-nag does`);
}

/**
 * Acknowledges the wildcards of the CDK's grants on the pipeline's own
 * artifact bucket and key, which every pipeline and build role holds.
 */
export function acknowledgeArtifactGrants(scope: Construct, artifactBucket: s3.IBucket): void {
  const reason = 'The CDK\'s standard read/write grant on this pipeline\'s own artifact bucket and KMS key only: artifact object keys are generated per execution, and the action groups are what reading and writing KMS-encrypted objects needs.';
  const findings = [
    'Action::s3:GetObject*',
    'Action::s3:GetBucket*',
    'Action::s3:List*',
    'Action::s3:DeleteObject*',
    'Action::s3:Abort*',
    'Action::kms:GenerateDataKey*',
    'Action::kms:ReEncrypt*',
    `Resource::${nagName(scope, artifactBucket.arnForObjects('*'))}`,
  ];
  for (const finding of findings) {
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  }
}
