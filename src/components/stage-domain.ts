import { STAGE_TAG, TemplateParameter } from '../contract';
import { ServiceSettings } from '../options';

/**
 * The parts of template.yml that give a stage its own domain: the parameters, a DNS-validated ACM certificate
 * that CloudFormation validates in the hosted zone itself, and an alias record to the load balancer. A stage
 * without a domain has none of them; `HasCertificate` (HTTPS on, HTTP redirecting) holds with a domain or an
 * existing certificate.
 */

type Json = Record<string, unknown>;

/** Logical ids of what this module adds. */
export const DomainId = {
  HAS_DOMAIN: 'HasDomain',
  CREATES_CERTIFICATE: 'CreatesCertificate',
  CERTIFICATE: 'Certificate',
  RECORD: 'DomainRecord',
  DOMAIN_NEEDS_ZONE: 'DomainNeedsHostedZone',
} as const;

function ref(name: string): Json {
  return { Ref: name };
}

function isEmpty(parameter: string): Json {
  return { 'Fn::Equals': [ref(parameter), ''] };
}

/** A domain name of RFC 1035 labels, or empty. */
const DOMAIN_NAME_PATTERN = '^(([a-z]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?)?$';

export function domainParameters(): Json {
  return {
    [TemplateParameter.DOMAIN_NAME]: {
      Type: 'String',
      Description: 'The stage\'s domain name, e.g. dev.orders.example.com; with HostedZoneId the stack creates its certificate (unless CertificateArn is given) and an alias record, and serves HTTPS. Empty: no domain.',
      Default: '',
      AllowedPattern: DOMAIN_NAME_PATTERN,
      MaxLength: 64,
      ConstraintDescription: 'must be a lowercase domain name of at most 64 characters without a trailing dot, or empty',
    },
    [TemplateParameter.HOSTED_ZONE_ID]: {
      Type: 'String',
      Description: 'The Route 53 public hosted zone DomainName is in, in this account.',
      Default: '',
      AllowedPattern: '^(Z[A-Z0-9]{1,31})?$',
      ConstraintDescription: 'must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ, or empty',
    },
  };
}

/** `HasCertificate` becomes true with a domain as well as with an existing certificate. */
export function domainConditions(hasCertificate: string): Json {
  return {
    [DomainId.HAS_DOMAIN]: { 'Fn::Not': [isEmpty(TemplateParameter.DOMAIN_NAME)] },
    [DomainId.CREATES_CERTIFICATE]: { 'Fn::And': [{ Condition: DomainId.HAS_DOMAIN }, isEmpty(TemplateParameter.CERTIFICATE_ARN)] },
    [hasCertificate]: { 'Fn::Or': [{ 'Fn::Not': [isEmpty(TemplateParameter.CERTIFICATE_ARN)] }, { Condition: DomainId.HAS_DOMAIN }] },
  };
}

/** A domain without its zone would fail only at the certificate's validation; the rule refuses it before any change. */
export function domainRules(): Json {
  return {
    [DomainId.DOMAIN_NEEDS_ZONE]: {
      RuleCondition: { 'Fn::Not': [isEmpty(TemplateParameter.DOMAIN_NAME)] },
      Assertions: [{
        Assert: { 'Fn::Not': [isEmpty(TemplateParameter.HOSTED_ZONE_ID)] },
        AssertDescription: 'HostedZoneId must name the hosted zone of DomainName.',
      }],
    },
  };
}

/** The certificate the HTTPS listeners use: the one created for the domain, else `CertificateArn`. */
export function listenerCertificateArn(): Json {
  return { 'Fn::If': [DomainId.CREATES_CERTIFICATE, ref(DomainId.CERTIFICATE), ref(TemplateParameter.CERTIFICATE_ARN)] };
}

/** The certificate and the alias record; `loadBalancer` is the load balancer's logical id. */
export function domainResources(settings: ServiceSettings, loadBalancer: string): Json {
  return {
    // Tagged for the stage: the deploy role may describe and delete only certificates carrying these tags.
    [DomainId.CERTIFICATE]: {
      Type: 'AWS::CertificateManager::Certificate',
      Condition: DomainId.CREATES_CERTIFICATE,
      Properties: {
        DomainName: ref(TemplateParameter.DOMAIN_NAME),
        ValidationMethod: 'DNS',
        DomainValidationOptions: [{
          DomainName: ref(TemplateParameter.DOMAIN_NAME),
          HostedZoneId: ref(TemplateParameter.HOSTED_ZONE_ID),
        }],
        Tags: [
          { Key: STAGE_TAG.service, Value: settings.serviceName },
          { Key: STAGE_TAG.stage, Value: ref(TemplateParameter.STAGE) },
        ],
      },
    },
    // The load balancer is IPv4-only, so an A alias; Route 53 answers with its current addresses.
    [DomainId.RECORD]: {
      Type: 'AWS::Route53::RecordSet',
      Condition: DomainId.HAS_DOMAIN,
      Properties: {
        HostedZoneId: ref(TemplateParameter.HOSTED_ZONE_ID),
        Name: ref(TemplateParameter.DOMAIN_NAME),
        Type: 'A',
        AliasTarget: {
          DNSName: { 'Fn::GetAtt': [loadBalancer, 'DNSName'] },
          HostedZoneId: { 'Fn::GetAtt': [loadBalancer, 'CanonicalHostedZoneID'] },
          EvaluateTargetHealth: true,
        },
      },
    },
  };
}
