import { Aws, CfnCondition, CfnMapping, Fn, Stack } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';

/** The mapping's value for a region whose load balancers deliver logs as the log-delivery service, not an account. */
const NO_ELB_ACCOUNT = 'none';

/**
 * Turns on the load balancer's access logs to `bucket` without knowing the region at synth: ELB writes as a
 * regional AWS account in regions older than August 2022 and as `logdelivery.elasticloadbalancing.amazonaws.com`
 * in newer ones (ELB's guide, "Attach a policy to your S3 bucket"). aws-cdk-lib's logAccessLogs needs the region
 * at synth; here a mapping of aws-cdk-lib's region facts picks the account at deploy time.
 */
export function logAccessLogs(scope: Construct, loadBalancer: elbv2.ApplicationLoadBalancer, bucket: s3.Bucket): void {
  loadBalancer.setAttribute('access_logs.s3.enabled', 'true');
  loadBalancer.setAttribute('access_logs.s3.bucket', bucket.bucketName);
  const logs = bucket.arnForObjects(`AWSLogs/${Aws.ACCOUNT_ID}/*`);
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    actions: ['s3:PutObject'],
    principals: [new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com')],
    resources: [logs],
  }));
  const accounts = new CfnMapping(scope, 'ElbLogDeliveryAccount', {
    mapping: Object.fromEntries(RegionInfo.regions.map(region => [region.name, { account: region.elbv2Account ?? NO_ELB_ACCOUNT }])),
  });
  const account = accounts.findInMap(Aws.REGION, 'account');
  const hasAccount = new CfnCondition(scope, 'ElbLogDeliveryByAccount', { expression: Fn.conditionNot(Fn.conditionEquals(account, NO_ELB_ACCOUNT)) });
  const byAccount = new iam.PolicyStatement({
    actions: ['s3:PutObject'],
    principals: [new iam.ArnPrincipal(`arn:${Aws.PARTITION}:iam::${account}:root`)],
    resources: [logs],
  });
  const policy = bucket.policy!;
  const resource = policy.node.defaultChild as s3.CfnBucketPolicy;
  // After the statements above and enforceSSL's: a statement CloudFormation leaves out where the region has no account.
  resource.addPropertyOverride(`PolicyDocument.Statement.${policy.document.statementCount}`,
    Fn.conditionIf(hasAccount.logicalId, Stack.of(scope).resolve(byAccount.toStatementJson()), Aws.NO_VALUE));
  loadBalancer.node.addDependency(policy);
}
