import { TemplateParameter } from '../contract';
import { ServiceSettings } from '../options';
import { CLUSTER_CAPACITY_PROVIDERS, CLUSTER_DEFAULT_CAPACITY_PROVIDER_STRATEGY } from './compute-platform';
import { productionTargetGroupArn, StrategyTemplateIds, trafficShiftingResources } from './deployment-strategy';
import { DomainId, domainConditions, domainParameters, domainResources, domainRules, listenerCertificateArn } from './stage-domain';
import { taskNetworkParameters } from './task-network';
import { ServiceTemplateIds, TemplateEnvironment } from './template-environment';
import { checkovSkip, getAtt, Json, nameWithStage, ref, stageTags, sub } from './template-json';

/**
 * A service's own stage environment, in its own stack: the cluster, an internet-facing load balancer with its
 * security group and listeners (HTTPS when the stage has a certificate or a domain), and the domain's certificate and
 * alias record. The pipeline passes the stage's VPC and subnets.
 */

/** Logical ids, named once so references cannot drift. */
export const OwnEnvironmentId = {
  CLUSTER: 'Cluster',
  LOAD_BALANCER: 'LoadBalancer',
  LOAD_BALANCER_SECURITY_GROUP: 'LoadBalancerSecurityGroup',
  HTTP_LISTENER: 'HttpListener',
  HTTPS_LISTENER: 'HttpsListener',
  HTTPS_LISTENER_READY: 'HttpsListenerReady',
  HAS_CERTIFICATE: 'HasCertificate',
} as const;

const Id = OwnEnvironmentId;

/** TLS 1.3 and 1.2 only: AWS's recommended policy for new HTTPS listeners. */
const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

function ifCertificate(whenSet: unknown, whenEmpty: unknown): Json {
  return { 'Fn::If': [Id.HAS_CERTIFICATE, whenSet, whenEmpty] };
}

export function ownEnvironment(settings: ServiceSettings, service: ServiceTemplateIds): TemplateEnvironment {
  const strategyIds: StrategyTemplateIds = {
    loadBalancer: Id.LOAD_BALANCER,
    loadBalancerSecurityGroup: Id.LOAD_BALANCER_SECURITY_GROUP,
    targetGroup: service.targetGroup,
    httpListener: Id.HTTP_LISTENER,
    httpsListener: Id.HTTPS_LISTENER,
    hasCertificate: Id.HAS_CERTIFICATE,
    certificateArn: listenerCertificateArn(),
    tlsPolicy: TLS_POLICY,
  };
  return {
    parameters: { ...environmentParameters(), ...domainParameters() },
    rules: domainRules(),
    conditions: domainConditions(Id.HAS_CERTIFICATE),
    resources: {
      ...clusterResources(settings),
      ...loadBalancerSecurityGroup(settings, service),
      ...loadBalancerResources(settings, service),
      ...domainResources(settings, Id.LOAD_BALANCER),
    },
    vpcId: ref(TemplateParameter.VPC_ID),
    serviceSubnetIds: ref(TemplateParameter.SERVICE_SUBNET_IDS),
    assignPublicIp: ref(TemplateParameter.ASSIGN_PUBLIC_IP),
    clusterReference: Id.CLUSTER,
    clusterName: nameWithStage(settings),
    loadBalancerFullName: getAtt(Id.LOAD_BALANCER, 'LoadBalancerFullName'),
    loadBalancerSecurityGroupId: getAtt(Id.LOAD_BALANCER_SECURITY_GROUP, 'GroupId'),
    serviceDependsOn: [Id.HTTP_LISTENER, Id.HTTPS_LISTENER_READY],
    serviceUrl: {
      'Fn::If': [
        DomainId.HAS_DOMAIN,
        sub(`https://\${${TemplateParameter.DOMAIN_NAME}}`),
        ifCertificate(
          sub(`https://\${${Id.LOAD_BALANCER}.DNSName}`),
          sub(`http://\${${Id.LOAD_BALANCER}.DNSName}`),
        ),
      ],
    },
    serviceUrlDescription: 'The service\'s URL: https://<DomainName> with a domain; else the load balancer\'s name, HTTPS when a certificate is set (point a DNS name on the certificate at it).',
    listenerRules: targetGroupProperties => trafficShiftingResources(settings, targetGroupProperties, strategyIds),
  };
}

function environmentParameters(): Json {
  return {
    [TemplateParameter.VPC_ID]: {
      Type: 'AWS::EC2::VPC::Id',
      Description: 'The VPC of the stage.',
    },
    [TemplateParameter.LOAD_BALANCER_SUBNET_IDS]: {
      Type: 'List<AWS::EC2::Subnet::Id>',
      Description: 'Public subnets in two or more Availability Zones for the internet-facing load balancer.',
    },
    [TemplateParameter.SERVICE_SUBNET_IDS]: {
      Type: 'List<AWS::EC2::Subnet::Id>',
      Description: 'The tasks\' subnets: private ones with outbound internet access (NAT), or with AssignPublicIp ENABLED the public ones.',
    },
    ...taskNetworkParameters(),
    [TemplateParameter.CERTIFICATE_ARN]: {
      Type: 'String',
      Description: 'ACM certificate ARN for HTTPS on port 443 (HTTP then redirects to HTTPS); empty: the certificate created for DomainName, or HTTP only without a domain.',
      Default: '',
      AllowedPattern: '^(arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+)?$',
      ConstraintDescription: 'must be an ACM certificate ARN or empty',
    },
    [TemplateParameter.LOAD_BALANCER_DELETION_PROTECTION]: {
      Type: 'String',
      Description: 'Whether the load balancer refuses deletion. The pipeline turns it on for production once the stack exists: on during the first create, it would make that create\'s rollback fail.',
      AllowedValues: ['true', 'false'],
      Default: 'false',
    },
  };
}

function clusterResources(settings: ServiceSettings): Json {
  return {
    [Id.CLUSTER]: {
      Type: 'AWS::ECS::Cluster',
      Properties: {
        ClusterName: nameWithStage(settings),
        ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
        // ECS Exec sessions are logged through the task definition's awslogs settings: the stage's log group.
        Configuration: { ExecuteCommandConfiguration: { Logging: 'DEFAULT' } },
        // The service names its capacity provider, which must be the cluster's; the default serves anything that names none.
        CapacityProviders: CLUSTER_CAPACITY_PROVIDERS,
        DefaultCapacityProviderStrategy: CLUSTER_DEFAULT_CAPACITY_PROVIDER_STRATEGY,
        ...(settings.codeStarTransform
          ? { Tags: [{ Key: 'codestar-project-id', Value: ref(TemplateParameter.PROJECT_ID) }] }
          : {}),
      },
    },
  };
}

/** The internet reaches only the load balancer, and the load balancer reaches only the tasks. */
function loadBalancerSecurityGroup(settings: ServiceSettings, service: ServiceTemplateIds): Json {
  const port = settings.containerPort;
  const fromInternet = (portNumber: number) => [
    { IpProtocol: 'tcp', FromPort: portNumber, ToPort: portNumber, CidrIp: '0.0.0.0/0', Description: `HTTP${portNumber === 443 ? 'S' : ''} from the internet (IPv4)` },
    { IpProtocol: 'tcp', FromPort: portNumber, ToPort: portNumber, CidrIpv6: '::/0', Description: `HTTP${portNumber === 443 ? 'S' : ''} from the internet (IPv6)` },
  ];
  return {
    [Id.LOAD_BALANCER_SECURITY_GROUP]: {
      Type: 'AWS::EC2::SecurityGroup',
      Metadata: checkovSkip('CKV_AWS_260', 'The internet-facing load balancer serves HTTP on port 80 without a certificate and redirects it to HTTPS with one.'),
      Properties: {
        GroupDescription: `${settings.serviceName} load balancer: HTTP and HTTPS from the internet, out only to the tasks`,
        VpcId: ref(TemplateParameter.VPC_ID),
        SecurityGroupIngress: [...fromInternet(80), ...fromInternet(443)],
        // Tagged at creation: the deploy role changes only security groups carrying its stage's tags.
        Tags: stageTags(settings),
        // Listing egress replaces EC2's default allow-all egress rule.
        SecurityGroupEgress: [{
          IpProtocol: 'tcp',
          FromPort: port,
          ToPort: port,
          DestinationSecurityGroupId: getAtt(service.serviceSecurityGroup, 'GroupId'),
          Description: 'To the tasks on the container port',
        }],
      },
    },
  };
}

function loadBalancerResources(settings: ServiceSettings, service: ServiceTemplateIds): Json {
  // Where production is: under a traffic-shifting strategy the production rule answers first, this only while it is replaced.
  const forward = [{ Type: 'forward', TargetGroupArn: productionTargetGroupArn(service.targetGroup) }];
  const redirectToHttps = [{
    Type: 'redirect',
    RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' },
  }];
  return {
    [Id.LOAD_BALANCER]: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Metadata: checkovSkip('CKV_AWS_91', 'Access logs need an S3 bucket whose policy trusts the region\'s load balancer log delivery; such a bucket belongs to the stage\'s shared infrastructure, not to each service.'),
      Properties: {
        Name: nameWithStage(settings),
        Type: 'application',
        Scheme: 'internet-facing',
        Subnets: ref(TemplateParameter.LOAD_BALANCER_SUBNET_IDS),
        SecurityGroups: [getAtt(Id.LOAD_BALANCER_SECURITY_GROUP, 'GroupId')],
        LoadBalancerAttributes: [
          { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
          { Key: 'deletion_protection.enabled', Value: ref(TemplateParameter.LOAD_BALANCER_DELETION_PROTECTION) },
        ],
      },
    },
    // Redirects to HTTPS only once the HTTPS listener exists (through the handle), not while its certificate is validated.
    [Id.HTTP_LISTENER]: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      DependsOn: [Id.HTTPS_LISTENER_READY],
      Properties: {
        LoadBalancerArn: ref(Id.LOAD_BALANCER),
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: ifCertificate(redirectToHttps, forward),
      },
    },
    [Id.HTTPS_LISTENER]: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Condition: Id.HAS_CERTIFICATE,
      Properties: {
        LoadBalancerArn: ref(Id.LOAD_BALANCER),
        Port: 443,
        Protocol: 'HTTPS',
        SslPolicy: TLS_POLICY,
        Certificates: [{ CertificateArn: listenerCertificateArn() }],
        DefaultActions: forward,
      },
    },
    // DependsOn cannot name a resource whose condition is false; this handle
    // depends on the HTTPS listener only when it exists, and the HTTP listener and the service on it.
    [Id.HTTPS_LISTENER_READY]: {
      Type: 'AWS::CloudFormation::WaitConditionHandle',
      Metadata: {
        HttpsListener: ifCertificate(ref(Id.HTTPS_LISTENER), ''),
      },
    },
  };
}
