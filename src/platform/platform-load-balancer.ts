import { Duration, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { skipCheckov } from '../constructs/findings';
import { TEST_LISTENER_PORT } from '../contract';
import { logAccessLogs } from './platform-access-logs';
import { PlatformStageNetwork } from './platform-network';
import { PlatformStageSettings } from './platform-validation';

/** What a request gets that no service's rule matches: nothing of the platform's own. */
const NO_SERVICE_HERE = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'No service here.' });

/** Why an internet-facing load balancer's group is open to the internet on 80 and 443. */
const INTERNET_FACING_REASON = 'The internet-facing load balancer of the platform\'s services: HTTP (which only redirects where there is a certificate) and HTTPS from anywhere is its purpose.';

/** Days the load balancer's access logs are kept. */
const ACCESS_LOG_DAYS = 90;

/** The shared load balancer of one platform stage, its listeners and what reaches them. */
export class PlatformLoadBalancer extends Construct {
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  public readonly securityGroup: ec2.SecurityGroup;
  /** HTTPS with the wildcard certificate where the stage has a domain, else HTTP. */
  public readonly productionListener: elbv2.ApplicationListener;
  /** TEST_LISTENER_PORT, same protocol as production, reachable only from the stage's testTrafficCidr. */
  public readonly testListener: elbv2.ApplicationListener;
  public readonly accessLogs: s3.Bucket;
  /** The wildcard certificate `*.<domain>`; absent without a domain. */
  public readonly certificate?: acm.Certificate;

  constructor(scope: Construct, id: string, stage: PlatformStageSettings, network: PlatformStageNetwork) {
    super(scope, id);
    const { vpc } = network;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: `The shared load balancer of stage ${stage.name}: HTTP and HTTPS in, to the tasks in the VPC out`,
      allowAllOutbound: false,
    });
    // Targets are the services' tasks in this VPC, on ports the services choose.
    this.securityGroup.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.allTcp(), 'To the tasks of the services in the VPC');
    const clients = stage.internetFacing ? ec2.Peer.anyIpv4() : ec2.Peer.ipv4(vpc.vpcCidrBlock);
    const ports = stage.domain ? [80, 443] : [80];
    for (const port of ports) {
      this.securityGroup.addIngressRule(clients, ec2.Port.tcp(port), stage.internetFacing ? `Port ${port} from the internet` : `Port ${port} from the VPC`);
    }
    if (stage.testTrafficCidr) {
      this.securityGroup.addIngressRule(ec2.Peer.ipv4(stage.testTrafficCidr), ec2.Port.tcp(TEST_LISTENER_PORT), 'Test listener from testTrafficCidr only');
    }
    if (stage.internetFacing) {
      Validations.of(this.securityGroup).acknowledge({
        id: 'AwsSolutions-EC23',
        reason: INTERNET_FACING_REASON,
      });
      skipCheckov(this.securityGroup, 'CKV_AWS_260', INTERNET_FACING_REASON);
    }

    this.accessLogs = createAccessLogBucket(this);
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc,
      internetFacing: stage.internetFacing,
      vpcSubnets: { subnets: network.loadBalancerSubnets },
      securityGroup: this.securityGroup,
      dropInvalidHeaderFields: true,
      // Every service of the stage is behind it: deleting it takes a console or CLI step first.
      deletionProtection: true,
    });
    logAccessLogs(this, this.loadBalancer, this.accessLogs);

    if (stage.domain) {
      const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: stage.domain.hostedZoneId, zoneName: stage.domain.zoneName });
      const wildcard = `*.${stage.domain.domainName}`;
      this.certificate = new acm.Certificate(this, 'Certificate', { domainName: wildcard, validation: acm.CertificateValidation.fromDns(zone) });
      skipCheckov(this.certificate, 'CKV2_AWS_71', 'One wildcard certificate for the stage\'s domain is what lets every service on the platform be <service>.<domain> without a certificate (and DNS permissions) of its own; it covers one label only.');
      this.productionListener = this.loadBalancer.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [this.certificate],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        defaultAction: NO_SERVICE_HERE,
        open: false,
      });
      this.loadBalancer.addListener('HttpRedirect', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
        open: false,
      });
      new route53.ARecord(this, 'WildcardRecord', {
        zone,
        recordName: wildcard,
        target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(this.loadBalancer)),
      });
    } else {
      this.productionListener = this.loadBalancer.addListener('Http', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        defaultAction: NO_SERVICE_HERE,
        open: false,
      });
    }
    this.testListener = this.loadBalancer.addListener('Test', {
      port: TEST_LISTENER_PORT,
      protocol: this.certificate ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
      ...(this.certificate ? { certificates: [this.certificate], sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS } : {}),
      defaultAction: NO_SERVICE_HERE,
      open: false,
    });
    if (!this.certificate) {
      skipCheckov(this.productionListener, 'CKV_AWS_2', 'A stage without a hosted zone has no certificate: its production listener is plain HTTP until the platform gives the stage a hostedZone.');
      skipCheckov(this.testListener, 'CKV_AWS_2', 'The test listener of a stage without a hosted zone speaks HTTP like its production listener; only testTrafficCidr may reach it.');
      skipCheckov(this.productionListener, 'CKV_AWS_103', 'Plain HTTP has no TLS version to set: the stage has no hosted zone, so no certificate.');
      skipCheckov(this.testListener, 'CKV_AWS_103', 'Plain HTTP has no TLS version to set: the stage has no hosted zone, so no certificate.');
    }
  }
}

/** The access-log bucket: S3-managed keys (the only ones ELB log delivery writes with), TLS only, private, expiring. */
function createAccessLogBucket(scope: Construct): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{ expiration: Duration.days(ACCESS_LOG_DAYS), noncurrentVersionExpiration: Duration.days(7) }],
  });
  const reason = 'This bucket receives the load balancer\'s access logs; logging its own access too would need another bucket, and so on without end.';
  Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason });
  skipCheckov(bucket, 'CKV_AWS_18', reason);
  return bucket;
}
