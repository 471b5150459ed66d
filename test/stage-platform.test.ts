import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Project, Testing } from 'projen';
import { parse } from 'yaml';
import { orderApiSettings } from './helpers';
import { deployedAs } from './template-conditions';
import { PlatformId } from '../src/components/compute-platform';
import { strategyConditions } from '../src/components/deployment-strategy';
import { ServiceTemplate } from '../src/components/service-template';
import { DomainId } from '../src/components/stage-domain';
import { TemplateParameter } from '../src/contract';
import { CpuArchitecture, ServiceSettings } from '../src/options';


const DOMAIN = { [TemplateParameter.DOMAIN_NAME]: 'dev.orders-api.example.com', [TemplateParameter.HOSTED_ZONE_ID]: 'Z0123456789ABCDEFGHIJ' };
const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
const CONDITIONS = [
  ...Object.keys(strategyConditions()),
  DomainId.HAS_DOMAIN,
  DomainId.CREATES_CERTIFICATE,
  'HasCertificate',
  PlatformId.USES_FARGATE_SPOT,
  PlatformId.KEEPS_LAUNCH_TYPE,
  'KeepsRelease1LogGroup',
];

function writeTemplate(overrides: Partial<Omit<ServiceSettings, 'stageSettings'>> = {}): { text: string; dir: string } {
  const project = new Project({ name: 'test', outdir: mkdtempSync(join(tmpdir(), 'stage-platform-')) });
  new ServiceTemplate(project, {
    settings: orderApiSettings(overrides),
    healthCheck: { gracePeriodSeconds: 60, deregistrationDelaySeconds: 30, startPeriodSeconds: 45, containerHealthCheckCommand: () => 'exit 0' },
  });
  const text: string = Testing.synth(project)['template.yml'];
  const dir = mkdtempSync(join(tmpdir(), 'stage-platform-out-'));
  writeFileSync(join(dir, 'template.yml'), text);
  return { text, dir };
}

const TEXT = writeTemplate().text;

/** template.yml as CloudFormation deploys it with these parameters. */
function deployed(parameters: Record<string, string> = {}): any {
  return deployedAs(parse(TEXT), parameters, CONDITIONS);
}

function resourcesOfType(template: any, type: string): any[] {
  return Object.values(template.Resources).filter((resource: any) => resource.Type === type);
}

describe('a stage\'s domain', () => {
  it('creates a certificate that CloudFormation validates by DNS in the hosted zone, and an alias record to the load balancer', () => {
    const template = deployed(DOMAIN);
    const [certificate] = resourcesOfType(template, 'AWS::CertificateManager::Certificate');
    expect(certificate.Properties).toMatchObject({
      DomainName: { Ref: TemplateParameter.DOMAIN_NAME },
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: { Ref: TemplateParameter.DOMAIN_NAME }, HostedZoneId: { Ref: TemplateParameter.HOSTED_ZONE_ID } }],
    });
    // The deploy role may describe and delete only certificates tagged for its stage.
    expect(certificate.Properties.Tags).toEqual([{ Key: 'service', Value: 'orders-api' }, { Key: 'stage', Value: { Ref: TemplateParameter.STAGE } }]);
    const [record] = resourcesOfType(template, 'AWS::Route53::RecordSet');
    expect(record.Properties).toEqual({
      HostedZoneId: { Ref: TemplateParameter.HOSTED_ZONE_ID },
      Name: { Ref: TemplateParameter.DOMAIN_NAME },
      Type: 'A',
      AliasTarget: {
        DNSName: { 'Fn::GetAtt': ['LoadBalancer', 'DNSName'] },
        HostedZoneId: { 'Fn::GetAtt': ['LoadBalancer', 'CanonicalHostedZoneID'] },
        EvaluateTargetHealth: true,
      },
    });
  });

  it('serves HTTPS with the created certificate and a TLS 1.2+ policy, redirects HTTP, and outputs https://<domain>', () => {
    const template = deployed(DOMAIN);
    expect(template.Resources.HttpsListener.Properties).toMatchObject({
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: { Ref: DomainId.CERTIFICATE } }],
    });
    expect(template.Resources.HttpListener.Properties.DefaultActions).toEqual([
      { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
    ]);
    expect(template.Outputs.LoadBalancerUrl.Value).toEqual({ 'Fn::Sub': `https://\${${TemplateParameter.DOMAIN_NAME}}` });
  });

  it('uses a given certificate instead of creating one, and still creates the record', () => {
    const template = deployed({ ...DOMAIN, [TemplateParameter.CERTIFICATE_ARN]: CERTIFICATE_ARN });
    expect(resourcesOfType(template, 'AWS::CertificateManager::Certificate')).toEqual([]);
    expect(resourcesOfType(template, 'AWS::Route53::RecordSet')).toHaveLength(1);
    expect(template.Resources.HttpsListener.Properties.Certificates).toEqual([{ CertificateArn: { Ref: TemplateParameter.CERTIFICATE_ARN } }]);
  });

  it('creates neither a certificate nor a record, and serves HTTP, without a domain', () => {
    const template = deployed();
    expect(resourcesOfType(template, 'AWS::CertificateManager::Certificate')).toEqual([]);
    expect(resourcesOfType(template, 'AWS::Route53::RecordSet')).toEqual([]);
    expect(template.Resources.HttpsListener).toBeUndefined();
    expect(template.Outputs.LoadBalancerUrl.Value).toEqual({ 'Fn::Sub': 'http://${LoadBalancer.DNSName}' });
  });

  it.each(['CANARY', 'BLUE_GREEN', 'LINEAR'])('moves %s traffic on the HTTPS listener, and tests the new release over HTTPS with the stage\'s certificate', (strategy) => {
    const template = deployed({ ...DOMAIN, [TemplateParameter.DEPLOYMENT_STRATEGY]: strategy });
    expect(template.Resources.ProductionListenerRule.Properties.ListenerArn).toEqual({ Ref: 'HttpsListener' });
    expect(template.Resources.TestListener.Properties).toMatchObject({
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: { Ref: DomainId.CERTIFICATE } }],
    });
  });

  it('refuses a domain without its hosted zone before changing anything (a template rule)', () => {
    expect(parse(TEXT).Rules[DomainId.DOMAIN_NEEDS_ZONE]).toEqual({
      RuleCondition: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: TemplateParameter.DOMAIN_NAME }, ''] }] },
      Assertions: [{ Assert: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: TemplateParameter.HOSTED_ZONE_ID }, ''] }] }, AssertDescription: expect.stringContaining('HostedZoneId') }],
    });
  });

  it('takes only lowercase domain names and hosted zone ids, or nothing', () => {
    const parameters = parse(TEXT).Parameters;
    const domain = new RegExp(parameters[TemplateParameter.DOMAIN_NAME].AllowedPattern);
    const zone = new RegExp(parameters[TemplateParameter.HOSTED_ZONE_ID].AllowedPattern);
    for (const allowed of ['', 'example.com', 'dev.orders-api.example.com', 'a1.b-2.example.co.uk']) {
      expect({ allowed, matches: domain.test(allowed) }).toEqual({ allowed, matches: true });
    }
    for (const refused of ['Example.com', 'example.com.', '-a.example.com', 'a-.example.com', 'a..example.com', 'localhost', '*.example.com']) {
      expect({ refused, matches: domain.test(refused) }).toEqual({ refused, matches: false });
    }
    expect(['', 'Z0123456789ABCDEFGHIJ'].every(id => zone.test(id))).toBe(true);
    expect(['z0123', 'Z', '/hostedzone/Z0123', 'A0123'].some(id => zone.test(id))).toBe(false);
  });
});

describe('Fargate Spot', () => {
  it('places every task of a Spot stage on FARGATE_SPOT, without a launch type, which ECS refuses beside a strategy', () => {
    const service = resourcesOfType(deployed({ [TemplateParameter.FARGATE_SPOT]: 'true' }), 'AWS::ECS::Service')[0].Properties;
    expect(service.LaunchType).toBeUndefined();
    expect(service.CapacityProviderStrategy).toEqual([{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }]);
  });

  it('places every task of a stage off Spot on FARGATE by a capacity provider strategy too, never by the create-only launch type', () => {
    const service = resourcesOfType(deployed(), 'AWS::ECS::Service')[0].Properties;
    expect(service.LaunchType).toBeUndefined();
    expect(service.CapacityProviderStrategy).toEqual([{ CapacityProvider: 'FARGATE', Weight: 1 }]);
  });

  it('associates both Fargate capacity providers with the cluster, regular Fargate as its default strategy', () => {
    const cluster = resourcesOfType(deployed(), 'AWS::ECS::Cluster')[0].Properties;
    expect(cluster.CapacityProviders).toEqual(['FARGATE', 'FARGATE_SPOT']);
    expect(cluster.DefaultCapacityProviderStrategy).toEqual([{ CapacityProvider: 'FARGATE', Weight: 1 }]);
  });

  it('runs a canary on Spot the same way: ECS\'s own deployment strategy, the strategy in the service', () => {
    const service = resourcesOfType(deployed({ [TemplateParameter.FARGATE_SPOT]: 'true', [TemplateParameter.DEPLOYMENT_STRATEGY]: 'CANARY' }), 'AWS::ECS::Service')[0].Properties;
    expect(service.DeploymentController).toEqual({ Type: 'ECS' });
    expect(service.DeploymentConfiguration.Strategy).toEqual({ Ref: TemplateParameter.DEPLOYMENT_STRATEGY });
    expect(service.CapacityProviderStrategy).toEqual([{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }]);
    expect(service.LaunchType).toBeUndefined();
  });
});

describe('a service release 1.0 created with LaunchType FARGATE', () => {
  const kept = { [TemplateParameter.SERVICE_PLACEMENT]: 'LaunchType' };

  it('keeps LaunchType FARGATE and names no strategy, so the update changes no create-only placement and replaces nothing', () => {
    for (const strategy of ['ROLLING', 'CANARY']) {
      const service = resourcesOfType(deployed({ ...kept, [TemplateParameter.DEPLOYMENT_STRATEGY]: strategy }), 'AWS::ECS::Service')[0].Properties;
      expect(service.LaunchType).toBe('FARGATE');
      expect(service.CapacityProviderStrategy).toBeUndefined();
    }
  });

  it('is told apart by the ServicePlacement parameter, which defaults to a capacity provider strategy for every new stage', () => {
    expect(parse(TEXT).Parameters[TemplateParameter.SERVICE_PLACEMENT]).toMatchObject({
      AllowedValues: ['CapacityProviderStrategy', 'LaunchType'],
      Default: 'CapacityProviderStrategy',
    });
  });

  it('keeps the log group name release 1.0 gave it, and names every other stage\'s log group with its stack id', () => {
    const logGroup = (parameters: Record<string, string>) => resourcesOfType(deployed(parameters), 'AWS::Logs::LogGroup')[0].Properties.LogGroupName;
    expect(logGroup({ [TemplateParameter.LOG_GROUP_NAMING]: 'Release1' })).toEqual({ 'Fn::Sub': '/ecs/orders-api/${Stage}' });
    expect(logGroup({})).toEqual({ 'Fn::Join': ['', [{ 'Fn::Sub': '/ecs/orders-api/${Stage}/' }, { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }]] });
  });

  it('refuses, by a template rule before any change, FargateSpot true for such a service', () => {
    expect(parse(TEXT).Rules[PlatformId.SPOT_NEEDS_STRATEGY]).toEqual({
      RuleCondition: { 'Fn::Equals': [{ Ref: TemplateParameter.FARGATE_SPOT }, 'true'] },
      Assertions: [{
        Assert: { 'Fn::Equals': [{ Ref: TemplateParameter.SERVICE_PLACEMENT }, 'CapacityProviderStrategy'] },
        AssertDescription: 'FargateSpot true needs ServicePlacement CapacityProviderStrategy: a service created with LaunchType FARGATE cannot move to Fargate Spot without being replaced (docs/upgrades.md).',
      }],
    });
  });
});

describe('the CPU architecture', () => {
  it('refuses, by a template rule before any change, FargateSpot true with ARM64, which Fargate Spot never places', () => {
    const rule = parse(TEXT).Rules[PlatformId.SPOT_NEEDS_X86_64];
    expect(rule).toEqual({
      RuleCondition: { 'Fn::Equals': [{ Ref: TemplateParameter.FARGATE_SPOT }, 'true'] },
      Assertions: [{
        Assert: { 'Fn::Equals': [{ Ref: TemplateParameter.CPU_ARCHITECTURE }, 'X86_64'] },
        AssertDescription: 'FargateSpot true needs CpuArchitecture X86_64: Fargate Spot runs only X86_64 Linux tasks.',
      }],
    });
  });

  it('runs the task on the architecture the pipeline passes, defaulting to the project\'s', () => {
    const template = parse(writeTemplate({ architecture: CpuArchitecture.ARM64 }).text);
    expect(template.Parameters[TemplateParameter.CPU_ARCHITECTURE]).toEqual(expect.objectContaining({ AllowedValues: ['X86_64', 'ARM64'], Default: 'ARM64' }));
    expect(template.Resources.TaskDefinition.Properties.RuntimePlatform).toEqual({ OperatingSystemFamily: 'LINUX', CpuArchitecture: { Ref: TemplateParameter.CPU_ARCHITECTURE } });
  });
});

describe('cfn-lint and checkov', () => {
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { encoding: 'utf-8' });
    if (result.error) {
      throw new Error(`${command} is not installed (pip install -r requirements-dev.txt): ${result.error.message}`);
    }
    return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
  };

  it('cfn-lint reports nothing for an ARM64, Spot, three-stage template, its Spot rule included', () => {
    const { dir } = writeTemplate({ architecture: CpuArchitecture.ARM64, fargateSpot: true, stages: ['dev', 'staging', 'prod'] });
    const result = run('cfn-lint', [join(dir, 'template.yml')]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('checkov finds nothing in the certificate, the record or the cluster', () => {
    const { dir } = writeTemplate({ architecture: CpuArchitecture.ARM64 });
    const result = run('checkov', ['-f', join(dir, 'template.yml'), '--framework', 'cloudformation', '--compact', '--quiet', '--skip-download']);
    expect(result.output).toMatch(/Failed checks: 0,/);
    expect(result.status).toBe(0);
  });
});
