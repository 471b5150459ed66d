import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CodeStarFargatePlatform, CodeStarFargatePlatformProps, PlatformStage, TaskSubnets } from '../src';
import { PLATFORM_NONE, PlatformParameter, platformParameterPath, platformRulePriorityParameter, platformStackName, TEST_LISTENER_PORT } from '../src/contract';

const ZONE = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' };
const NETWORK = {
  vpcId: 'vpc-0123456789abcdef0',
  vpcCidrBlock: '10.20.0.0/16',
  publicSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  privateSubnetIds: ['subnet-0123456789abcdef2', 'subnet-0123456789abcdef3'],
};

function synth(stages: PlatformStage[], overrides: Partial<CodeStarFargatePlatformProps> = {}) {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'platform-test-')) });
  const platform = new CodeStarFargatePlatform(app, 'Platform', {
    platformName: 'acme',
    stages,
    services: [{ name: 'orders-api', rulePriority: 100 }, { name: 'billing', rulePriority: 200 }],
    ...overrides,
  });
  const templates = platform.stacks.map(stack => Template.fromStack(stack));
  return { app, platform, templates, template: templates[0], stack: platform.stacks[0] };
}

/** The SSM parameters of a template, by name: their type and value. */
function parameters(template: Template): Record<string, { Type: string; Value: unknown }> {
  const found = template.findResources('AWS::SSM::Parameter');
  return Object.fromEntries(Object.values(found)
    .map((resource: any) => [resource.Properties.Name, { Type: resource.Properties.Type, Value: resource.Properties.Value }]));
}

describe('CodeStarFargatePlatform', () => {
  it('creates one stack per stage, named by the contract, with no account or region', () => {
    const { platform } = synth([{ name: 'dev' }, { name: 'production', hostedZone: ZONE }]);
    expect(platform.stacks.map(stack => stack.stackName)).toEqual([platformStackName('acme', 'dev'), platformStackName('acme', 'production')]);
    expect(platform.stacks.map(stack => stack.stackName)).toEqual(['acme-platform-dev', 'acme-platform-production']);
    for (const stack of platform.stacks) {
      expect(stack.environment).toBe('aws://unknown-account/unknown-region');
    }
  });

  it('publishes every PlatformParameter under the stage\'s path, the subnets as a StringList, and each service\'s priority', () => {
    const { template } = synth([{ name: 'dev' }]);
    const published = parameters(template);
    const stagePath = platformParameterPath('acme', 'dev');
    for (const name of Object.values(PlatformParameter)) {
      expect(published[`${stagePath}${name}`]?.Type).toBe(name === PlatformParameter.SERVICE_SUBNET_IDS ? 'StringList' : 'String');
    }
    expect(Object.keys(published)).toHaveLength(Object.values(PlatformParameter).length + 2);
    expect(published[platformRulePriorityParameter('acme', 'dev', 'orders-api')]).toEqual({ Type: 'String', Value: '100' });
    expect(published[platformRulePriorityParameter('acme', 'dev', 'billing')]).toEqual({ Type: 'String', Value: '200' });
  });

  it('publishes "none" for the domain and http for the scheme without a zone, the domain and https with one', () => {
    const { templates } = synth([{ name: 'dev' }, { name: 'production', hostedZone: ZONE }]);
    const [dev, production] = templates.map(parameters);
    expect(dev[`${platformParameterPath('acme', 'dev')}${PlatformParameter.DOMAIN_NAME}`].Value).toBe(PLATFORM_NONE);
    expect(dev[`${platformParameterPath('acme', 'dev')}${PlatformParameter.URL_SCHEME}`].Value).toBe('http');
    expect(production[`${platformParameterPath('acme', 'production')}${PlatformParameter.DOMAIN_NAME}`].Value).toBe('example.com');
    expect(production[`${platformParameterPath('acme', 'production')}${PlatformParameter.URL_SCHEME}`].Value).toBe('https');
  });

  it('gives a stage other than production the domain <stage>.<zone> by default, and its own when given', () => {
    const { templates } = synth([{ name: 'dev', hostedZone: ZONE }, { name: 'staging', hostedZone: ZONE, domainName: 'stage.example.com' }]);
    templates[0].hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: '*.dev.example.com', ValidationMethod: 'DNS' });
    templates[1].hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: '*.stage.example.com' });
    templates[0].hasResourceProperties('AWS::Route53::RecordSet', { Name: '*.dev.example.com.', Type: 'A', HostedZoneId: ZONE.hostedZoneId });
  });

  it('creates a certificate and a wildcard record only where the stage has a zone', () => {
    const { templates } = synth([{ name: 'dev' }, { name: 'production', hostedZone: ZONE }]);
    templates[0].resourceCountIs('AWS::CertificateManager::Certificate', 0);
    templates[0].resourceCountIs('AWS::Route53::RecordSet', 0);
    templates[1].resourceCountIs('AWS::CertificateManager::Certificate', 1);
    templates[1].resourceCountIs('AWS::Route53::RecordSet', 1);
  });

  it('with a zone: HTTPS on 443 answering 404, HTTP on 80 only redirecting, and an HTTPS test listener', () => {
    const { template } = synth([{ name: 'production', hostedZone: ZONE }]);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 3);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: Match.stringLikeRegexp('TLS13'),
      DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '404' }) }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: TEST_LISTENER_PORT,
      Protocol: 'HTTPS',
      DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '404' }) }],
    });
  });

  it('without a zone: a plain HTTP production listener answering 404 and an HTTP test listener', () => {
    const { template } = synth([{ name: 'dev' }]);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP', DefaultActions: [Match.objectLike({ Type: 'fixed-response' })] });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: TEST_LISTENER_PORT, Protocol: 'HTTP' });
  });

  it('lets only testTrafficCidr reach the test listener, and nobody without it', () => {
    const ingress = (template: Template) => (Object.values(template.findResources('AWS::EC2::SecurityGroup'))
      .find((group: any) => /shared load balancer/.test(group.Properties.GroupDescription)) as any).Properties.SecurityGroupIngress;
    const withCidr = ingress(synth([{ name: 'dev', testTrafficCidr: '203.0.113.0/24' }]).template);
    expect(withCidr.filter((rule: any) => rule.FromPort === TEST_LISTENER_PORT)).toEqual([expect.objectContaining({ CidrIp: '203.0.113.0/24', ToPort: TEST_LISTENER_PORT })]);
    const without = ingress(synth([{ name: 'dev' }]).template);
    expect(without.map((rule: any) => [rule.CidrIp, rule.FromPort])).toEqual([['0.0.0.0/0', 80]]);
  });

  it('opens 80 and 443 to the internet for an internet-facing balancer, to the VPC only for an internal one; egress only to the VPC', () => {
    const group = (template: Template) => (Object.values(template.findResources('AWS::EC2::SecurityGroup'))
      .find((candidate: any) => /shared load balancer/.test(candidate.Properties.GroupDescription)) as any).Properties;
    const internal = group(synth([{ name: 'dev', hostedZone: ZONE, network: NETWORK, internetFacing: false }]).template);
    expect(internal.SecurityGroupIngress.map((rule: any) => [rule.CidrIp, rule.FromPort])).toEqual([['10.20.0.0/16', 80], ['10.20.0.0/16', 443]]);
    expect(internal.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '10.20.0.0/16', IpProtocol: 'tcp', FromPort: 0, ToPort: 65535 })]);
    const { template } = synth([{ name: 'dev', hostedZone: ZONE, network: NETWORK, internetFacing: false }]);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal', Subnets: NETWORK.privateSubnetIds });
    const facing = synth([{ name: 'dev', hostedZone: ZONE, network: NETWORK }]).template;
    facing.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing', Subnets: NETWORK.publicSubnetIds });
  });

  it('logs the load balancer\'s access to an encrypted, TLS-only, expiring bucket ELB may write to', () => {
    const { template } = synth([{ name: 'dev' }]);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 90, Status: 'Enabled' })]) },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'true' }, { Key: 'access_logs.s3.enabled', Value: 'true' }]),
    });
    const policy = JSON.stringify(template.findResources('AWS::S3::BucketPolicy'));
    expect(policy).toContain('aws:SecureTransport');
    expect(policy).toContain('logdelivery.elasticloadbalancing.amazonaws.com');
    expect(policy).toContain('ElbLogDeliveryByAccount');
    // eu-west-1's ELB account, from aws-cdk-lib's region facts.
    const mappings = Object.entries(template.toJSON().Mappings).filter(([id]) => id.includes('ElbLogDeliveryAccount'));
    expect(mappings.map(([, mapping]: [string, any]) => mapping['eu-west-1'])).toEqual([{ account: '156460612806' }]);
  });

  it('creates a two-AZ VPC with flow logs and one NAT gateway by default, two when asked', () => {
    const one = synth([{ name: 'dev' }]).template;
    one.resourceCountIs('AWS::EC2::NatGateway', 1);
    one.resourceCountIs('AWS::EC2::Subnet', 4);
    one.resourceCountIs('AWS::EC2::FlowLog', 1);
    synth([{ name: 'dev', natGateways: 2 }]).template.resourceCountIs('AWS::EC2::NatGateway', 2);
  });

  it('with public task subnets: no NAT gateway, no private subnets, and tasks get public IPs', () => {
    const { template } = synth([{ name: 'dev', taskSubnets: TaskSubnets.PUBLIC }]);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    const published = parameters(template);
    expect(published[`${platformParameterPath('acme', 'dev')}${PlatformParameter.ASSIGN_PUBLIC_IP}`].Value).toBe('ENABLED');
  });

  it('uses an existing network by its ids and creates no VPC', () => {
    const { template } = synth([{ name: 'dev', network: NETWORK }]);
    template.resourceCountIs('AWS::EC2::VPC', 0);
    const published = parameters(template);
    expect(published[`${platformParameterPath('acme', 'dev')}${PlatformParameter.VPC_ID}`].Value).toBe(NETWORK.vpcId);
    expect(published[`${platformParameterPath('acme', 'dev')}${PlatformParameter.SERVICE_SUBNET_IDS}`].Value).toBe(NETWORK.privateSubnetIds.join(','));
    expect(published[`${platformParameterPath('acme', 'dev')}${PlatformParameter.ASSIGN_PUBLIC_IP}`].Value).toBe('DISABLED');
  });

  it('creates the cluster with Container Insights and the Fargate capacity providers', () => {
    const { template } = synth([{ name: 'dev' }]);
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'acme-platform-dev', ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', { CapacityProviders: ['FARGATE', 'FARGATE_SPOT'] });
  });

  it('tags everything with the platform and the stage', () => {
    const { template } = synth([{ name: 'dev' }]);
    for (const type of ['AWS::EC2::VPC', 'AWS::ECS::Cluster', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::S3::Bucket', 'AWS::EC2::SecurityGroup']) {
      template.hasResourceProperties(type, { Tags: Match.arrayWith([{ Key: 'platform', Value: 'acme' }, { Key: 'stage', Value: 'dev' }]) });
    }
    template.hasResourceProperties('AWS::SSM::Parameter', { Tags: { platform: 'acme', stage: 'dev' } });
  });

  it.each([
    ['the default stages', [{ name: 'dev' }, { name: 'production', hostedZone: ZONE }]],
    ['an existing network, internal, public task subnets and a test range', [{ name: 'dev', network: { ...NETWORK, privateSubnetIds: [] }, taskSubnets: TaskSubnets.PUBLIC, internetFacing: false, testTrafficCidr: '10.0.0.0/8' }]],
  ])('synthesizes offline with %s and no unacknowledged cdk-nag finding, error or warning', (_name, stages) => {
    const { app, platform } = synth(stages as PlatformStage[]);
    const checks = new AwsSolutionsChecks(app);
    Validations.of(app).addPlugins(checks);
    expect(checks.validateScope(app).violations).toEqual([]);
    const assembly = app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((plugin: any) => plugin.violations)).toEqual([]);
    for (const stack of platform.stacks) {
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    }
  });

  describe('the synthesized stage stacks', () => {
    const templateFiles = () => {
      const { app, platform } = synth([{ name: 'dev', taskSubnets: TaskSubnets.PUBLIC, testTrafficCidr: '203.0.113.0/24' }, { name: 'production', hostedZone: ZONE, natGateways: 2 }]);
      const directory = app.synth().directory;
      return platform.stacks.map((stack: Stack) => path.join(directory, stack.templateFile));
    };

    it('pass cfn-lint', () => {
      // W3005: aws-cdk-lib's provider that empties the VPC's default security group writes a DependsOn beside a GetAtt.
      const result = spawnSync('cfn-lint', ['--ignore-checks', 'W3005', '--', ...templateFiles()], { encoding: 'utf-8' });
      expect({ status: result.status, output: `${result.stdout}${result.stderr}` }).toEqual({ status: 0, output: '' });
    });

    it('pass checkov, each finding skipped in the template with its reason', () => {
      // aws-cdk-lib's own provider function that empties the default security group of each new VPC: not ours to configure.
      const cdkProviderChecks = ['CKV_AWS_115', 'CKV_AWS_116', 'CKV_AWS_117'];
      for (const file of templateFiles()) {
        const result = spawnSync('checkov', ['-f', file, '--framework', 'cloudformation', '--compact', '--quiet', '--skip-download', '--skip-check', cdkProviderChecks.join(',')], { encoding: 'utf-8' });
        expect({ file: path.basename(file), status: result.status, output: result.stdout.split('\n').filter(line => /Check:|FAILED/.test(line)) })
          .toEqual({ file: path.basename(file), status: 0, output: [] });
      }
    });
  });
});
