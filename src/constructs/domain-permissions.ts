import { Aws } from 'aws-cdk-lib';
import { STAGE_TAG, stageTagConditions } from '../contract';
import type { Arn, Grant } from './grant';

/** A stage's own name and the zone it is in, for the stage's deploy role. */
export interface StageDomain {
  readonly hostedZoneId: string;
  readonly domainName: string;
}

/**
 * ACM's DNS validation record of a name: `_` and 32 hex digits, then the name. `?` matches one character, so the
 * role may write validation records of its own name and of no other.
 */
function validationRecordName(domainName: string): string {
  return `_${'?'.repeat(32)}.${domainName}`;
}

/** A Route 53 ARN: global, and without an account. */
function route53Arn(resource: string): Arn {
  return { value: `arn:${Aws.PARTITION}:route53:::${resource}`, nagName: `arn:<AWS::Partition>:route53:::${resource}` };
}

/**
 * What the stage's deploy role needs for its domain: request and delete only a DNS-validated certificate of the
 * stage's own name, tagged for the stage; and in the one hosted zone, change only the records of that name (the
 * alias) and its ACM validation record, of types A and CNAME. `arn` renders an ARN in the deploying account.
 */
export function stageDomainGrants(
  serviceName: string,
  stage: string,
  domain: StageDomain,
  arn: (service: string, resource: string, region?: boolean) => Arn,
): Grant[] {
  const zone = route53Arn(`hostedzone/${domain.hostedZoneId}`);
  const certificates = arn('acm', 'certificate/*');
  const stageTags = (key: 'aws:RequestTag' | 'aws:ResourceTag') => stageTagConditions(key, serviceName, stage);
  return [
    {
      sid: 'RequestStageCertificate',
      why: `ACM defines no resource for RequestCertificate; only a DNS-validated certificate of ${domain.domainName} alone, tagged for the stage.`,
      actions: ['acm:RequestCertificate'],
      // ACM defines no resource for RequestCertificate: the conditions are what limit it.
      resources: [{ value: '*', nagName: '*' }],
      conditions: {
        'StringEquals': { ...stageTags('aws:RequestTag'), 'acm:ValidationMethod': 'DNS' },
        'ForAllValues:StringEquals': { 'acm:DomainNames': [domain.domainName] },
      },
    },
    {
      // ACM has no CreateAction key: a certificate another stage's tags already mark may not be tagged again.
      sid: 'TagStageCertificate',
      why: `Certificate ids are generated; only the tags ${STAGE_TAG.service}=${serviceName} and ${STAGE_TAG.stage}=${stage}, on a new certificate or one already tagged so.`,
      actions: ['acm:AddTagsToCertificate'],
      resources: [certificates],
      conditions: { StringEquals: stageTags('aws:RequestTag'), StringEqualsIfExists: stageTags('aws:ResourceTag') },
    },
    {
      sid: 'StageCertificate',
      why: `Certificate ids are generated; only certificates tagged ${STAGE_TAG.service}=${serviceName} and ${STAGE_TAG.stage}=${stage}.`,
      actions: ['acm:DescribeCertificate', 'acm:DeleteCertificate', 'acm:ListTagsForCertificate', 'acm:AddTagsToCertificate', 'acm:RemoveTagsFromCertificate'],
      resources: [certificates],
      conditions: { StringEquals: stageTags('aws:ResourceTag') },
    },
    {
      sid: 'StageRecords',
      why: `Only the hosted zone ${domain.hostedZoneId}, and in it only the records ${domain.domainName} (A alias) and its ACM validation record (CNAME).`,
      actions: ['route53:ChangeResourceRecordSets'],
      resources: [zone],
      conditions: {
        'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [domain.domainName, validationRecordName(domain.domainName)] },
        'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'CNAME'] },
      },
    },
    {
      sid: 'ReadStageZone',
      why: `Only the hosted zone ${domain.hostedZoneId}, read-only.`,
      actions: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'],
      resources: [zone],
    },
    {
      sid: 'FindZones',
      why: 'route53:ListHostedZones supports no resource-level permission; the record set\'s handlers list the zones to find theirs.',
      actions: ['route53:ListHostedZones'],
      resources: [{ value: '*', nagName: '*' }],
    },
    {
      sid: 'WaitForRecordChanges',
      why: 'route53:GetChange reads whether a record change is in sync; change ids are generated per change.',
      actions: ['route53:GetChange'],
      resources: [route53Arn('change/*')],
    },
  ];
}
