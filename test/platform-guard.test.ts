import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { stringify } from 'yaml';
import { CodeStarFargatePipeline, PipelineSource } from '../src';
import { fakeCommand } from './codebuild-shell';
import { PREPARED_IMAGE } from './guarded-image';
import { synthService } from './helpers';
import { platformTemplateCheckCommand, platformTemplateCheckEnvironment } from '../src/constructs/platform-guard';
import { platformListenerRuleConditions, platformRuleTemplateConditions, PlatformTemplateParameter } from '../src/contract';
import { DeploymentStrategyType } from '../src/options';

/**
 * The stage guard's check of a platform service's template.yml, run as the buildspec runs it (bash, python3 with
 * PyYAML, as on CodeBuild's standard image; tests take cfn-lint's venv) on the files a commit could write.
 */

const SERVICE = 'orders';
const ssm = { Type: 'AWS::SSM::Parameter::Value<String>' };
const ref = (name: string) => ({ Ref: name });

/** template.yml as the managed platform service writes it: its rules, target groups and ECS service. */
function managedTemplate(platformPath?: string): any {
  const forward = { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: { 'Fn::If': ['ProductionOnAlternate', ref('AlternateTargetGroup'), ref('TargetGroup')] }, Weight: 100 }] } };
  const rule = (listener: string) => ({
    Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
    Properties: {
      ListenerArn: ref(listener),
      Priority: ref(PlatformTemplateParameter.RULE_PRIORITY),
      Conditions: platformListenerRuleConditions({ serviceName: SERVICE, platformPath }),
      Actions: [forward],
      Tags: [{ Key: 'service', Value: SERVICE }, { Key: 'stage', Value: ref('Stage') }],
    },
  });
  return {
    Parameters: {
      Stage: { Type: 'String' },
      ImageUri: { Type: 'String' },
      [PlatformTemplateParameter.RULE_PRIORITY]: ssm,
      [PlatformTemplateParameter.DOMAIN_NAME]: ssm,
      [PlatformTemplateParameter.PRODUCTION_LISTENER_ARN]: ssm,
      [PlatformTemplateParameter.TEST_LISTENER_ARN]: ssm,
      [PlatformTemplateParameter.CLUSTER_NAME]: ssm,
    },
    Conditions: { ProductionOnAlternate: { 'Fn::Equals': ['a', 'b'] }, ...platformRuleTemplateConditions({ serviceName: SERVICE, platformPath }) },
    Resources: {
      TargetGroup: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Port: 8080, Protocol: 'HTTP', TargetType: 'ip' } },
      AlternateTargetGroup: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Port: 8080, Protocol: 'HTTP', TargetType: 'ip' } },
      ProductionListenerRule: rule(PlatformTemplateParameter.PRODUCTION_LISTENER_ARN),
      TestListenerRule: rule(PlatformTemplateParameter.TEST_LISTENER_ARN),
      Service: {
        Type: 'AWS::ECS::Service',
        Properties: {
          Cluster: ref(PlatformTemplateParameter.CLUSTER_NAME),
          ServiceName: SERVICE,
          LoadBalancers: [{ ContainerName: 'app', ContainerPort: 8080, TargetGroupArn: ref('TargetGroup') }],
        },
      },
    },
  };
}

interface CheckOptions {
  readonly configuration?: object;
  readonly step?: string;
  readonly link?: boolean;
  /** The service's platformPath; absent: routed by its host name. */
  readonly platformPath?: string;
  /** What `aws ssm get-parameter` answers for the stage's domain. */
  readonly domain?: { stdout?: string; stderr?: string; status?: number };
}

/** Runs the guard's check on a template.yml (and template-configuration.json) in a fresh source folder. */
function check(template: string | object, options: CheckOptions = {}): { status: number | null; output: string } {
  const source = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-guard-'));
  const text = typeof template === 'string' ? template : stringify(template);
  if (options.link) {
    fs.writeFileSync(path.join(source, 'elsewhere.yml'), text);
    fs.symlinkSync(path.join(source, 'elsewhere.yml'), path.join(source, 'template.yml'));
  } else {
    fs.writeFileSync(path.join(source, 'template.yml'), text);
  }
  fs.writeFileSync(path.join(source, 'template-configuration.json'), JSON.stringify(options.configuration ?? { Tags: { service: SERVICE } }));
  const environment = Object.fromEntries(Object.entries(platformTemplateCheckEnvironment(SERVICE, 'dev', { name: 'acme', path: options.platformPath }))
    .map(([name, variable]) => [name, String(variable.value)]));
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-guard-bin-'));
  fakeCommand(bin, 'aws', path.join(bin, 'calls.log'), [[/ssm get-parameter --name \/codestar-fargate\/platforms\/acme\/dev\/domain-name /, options.domain ?? { stdout: 'dev.acme.example.com' }]]);
  // The shell's profile here puts pyenv's shims first, whose python would find the real aws CLI before the fake.
  const result = spawnSync('bash', ['-c', `export PATH="${bin}:/tmp/csf-venv/bin:$PATH"\n${platformTemplateCheckCommand()}`], {
    encoding: 'utf-8',
    env: { PATH: `${bin}:/tmp/csf-venv/bin:${process.env.PATH}`, HOME: process.env.HOME, ...environment, ...PREPARED_IMAGE, STAGE_GUARD_STEP: options.step ?? 'prepare', CODEBUILD_SRC_DIR: source },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The managed template with one change made by `change`. */
function hostile(change: (template: any) => void): any {
  const template = managedTemplate();
  change(template);
  return template;
}

describe('the stage guard\'s check of a platform service\'s template.yml', () => {
  it('accepts the managed shape: rules at the platform\'s priority for the service\'s own host, on the platform\'s listeners, to its own target groups', () => {
    expect(check(managedTemplate())).toEqual({ status: 0, output: expect.stringContaining('template.yml: the listener rules, target groups and resource types are the service\'s own') });
  });

  it.each(Object.values(DeploymentStrategyType))('accepts the template.yml this package generates for a service on a platform, %s', (type) => {
    const files = synthService({ name: SERVICE, platformName: 'acme', deploymentStrategy: { type } });
    const template = files['template.yml'];
    expect(check(typeof template === 'string' ? template : stringify(template))).toEqual({ status: 0, output: expect.stringContaining('are the service\'s own') });
  });

  it('accepts the managed shape written with short-form intrinsics', () => {
    const text = stringify(managedTemplate())
      .replace(/Ref: (\w+)/g, '!Ref $1')
      .replace(/- Fn::Sub: (.+)/g, '- !Sub $1');
    expect(text).toContain('!Sub');
    expect(check(text).status).toBe(0);
  });

  it('accepts actions that choose between its own target groups with Fn::If, as traffic shifting writes them', () => {
    const weighted = (primary: number) => [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: ref('TargetGroup'), Weight: primary }, { TargetGroupArn: ref('AlternateTargetGroup'), Weight: 100 - primary }] } }];
    expect(check(hostile(template => template.Resources.ProductionListenerRule.Properties.Actions = { 'Fn::If': ['ProductionOnAlternate', weighted(0), weighted(100)] })).status).toBe(0);
  });

  it('refuses a scalable target for another service in the shared cluster, which IAM cannot tell from its own', () => {
    const { status, output } = check(hostile(template => template.Resources.Scaling = {
      Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      Properties: { ServiceNamespace: 'ecs', ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 0, MaxCapacity: 0, ResourceId: { 'Fn::Sub': 'service/${PlatformClusterName}/payments' } },
    }));
    expect(status).toBe(1);
    expect(output).toContain('refused: scalable target Scaling scales {"Fn::Sub": "service/${PlatformClusterName}/payments"}: only this template\'s own ECS service, as [{"Fn::Sub": "service/${PlatformClusterName}/${Service.Name}"}]');
  });

  it('refuses another service\'s target group hidden in an Fn::If branch of the actions', () => {
    const foreign = [{ Type: 'forward', TargetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/paymen-TargetGr-1A2B3C/73e2d6bc24d8a067' }];
    const { status, output } = check(hostile(template => template.Resources.TestListenerRule.Properties.Actions = { 'Fn::If': ['ProductionOnAlternate', foreign, { Ref: 'AWS::NoValue' }] }));
    expect(status).toBe(1);
    expect(output).toContain('refused: listener rule TestListenerRule forwards to "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/paymen-TargetGr-1A2B3C/73e2d6bc24d8a067"');
  });

  it('runs only in the prepare step', () => {
    const { status, output } = check(hostile(template => template.Resources.ProductionListenerRule.Properties.Priority = 1), { step: 'record' });
    expect(status).toBe(0);
    expect(output).not.toContain('template.yml');
  });

  it.each<[string, (template: any) => void, string]>([
    ['a literal priority', template => template.Resources.ProductionListenerRule.Properties.Priority = 1,
      'refused: listener rule ProductionListenerRule has priority 1: it must be {"Ref": "PlatformRulePriority"}, the priority the platform gave this service'],
    ['a priority from another parameter', template => {
      template.Parameters.PaymentsPriority = { Type: 'Number', Default: 9 };
      template.Resources.TestListenerRule.Properties.Priority = ref('PaymentsPriority');
    }, 'refused: listener rule TestListenerRule has priority {"Ref": "PaymentsPriority"}'],
    ['another service\'s host', template => template.Resources.ProductionListenerRule.Properties.Conditions[0].HostHeaderConfig.Values = [{ 'Fn::Sub': 'payments.${PlatformDomainName}' }],
      'refused: listener rule ProductionListenerRule has conditions [{"Field": "host-header", "HostHeaderConfig": {"Values": [{"Fn::Sub": "payments.${PlatformDomainName}"}]}}]: they must be exactly [{"Field": "host-header", "HostHeaderConfig": {"Values": [{"Fn::Sub": "orders.${PlatformDomainName}"}]}}], the service\'s own host name'],
    ['a literal host name', template => template.Resources.ProductionListenerRule.Properties.Conditions[0].HostHeaderConfig.Values = ['payments.acme.example.com'],
      'refused: listener rule ProductionListenerRule has conditions'],
    ['its own host and another\'s', template => template.Resources.TestListenerRule.Properties.Conditions[0].HostHeaderConfig.Values.push({ 'Fn::Sub': 'payments.${PlatformDomainName}' }),
      'refused: listener rule TestListenerRule has conditions'],
    ['a path instead of its host', template => template.Resources.ProductionListenerRule.Properties.Conditions = [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
      'refused: listener rule ProductionListenerRule has conditions [{"Field": "path-pattern"'],
    ['its host with a Sub variable map that renames the domain', template => template.Resources.ProductionListenerRule.Properties.Conditions[0].HostHeaderConfig.Values = [{ 'Fn::Sub': ['orders.${PlatformDomainName}', { PlatformDomainName: 'x' }] }],
      'refused: listener rule ProductionListenerRule has conditions'],
    ['a rule on another listener', template => template.Resources.ProductionListenerRule.Properties.ListenerArn = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/billing/1234567890abcdef/fedcba0987654321',
      'refused: listener rule ProductionListenerRule is on listener "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/billing/1234567890abcdef/fedcba0987654321": it must be one of [{"Ref": "PlatformProductionListenerArn"}, {"Ref": "PlatformTestListenerArn"}]'],
    ['a rule forwarding to another service\'s target group', template => template.Resources.ProductionListenerRule.Properties.Actions = [{ Type: 'forward', TargetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/paymen-TargetGr-1A2B3C/73e2d6bc24d8a067' }],
      'refused: listener rule ProductionListenerRule forwards to "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/paymen-TargetGr-1A2B3C/73e2d6bc24d8a067": only to this template\'s own target groups'],
    ['its tasks registered in another service\'s target group', template => template.Resources.Service.Properties.LoadBalancers[0].TargetGroupArn = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/paymen-TargetGr-1A2B3C/73e2d6bc24d8a067',
      'refused: ECS service Service registers its tasks in "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/paymen-TargetGr-1A2B3C/73e2d6bc24d8a067": only in this template\'s own target groups'],
    ['an extra listener', template => template.Resources.Backdoor = { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: 'x', Port: 8080, Protocol: 'HTTP', DefaultActions: [] } },
      'refused: resource Backdoor (AWS::ElasticLoadBalancingV2::Listener) is not allowed on a platform: the platform\'s stacks own its listeners'],
    ['a load balancer of its own', template => template.Resources.Balancer = { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: {} },
      'refused: resource Balancer (AWS::ElasticLoadBalancingV2::LoadBalancer) is not allowed on a platform: the platform\'s stacks own its load balancer'],
    ['a cluster of its own', template => template.Resources.Cluster = { Type: 'AWS::ECS::Cluster' },
      'refused: resource Cluster (AWS::ECS::Cluster) is not allowed on a platform: the platform\'s stacks own its cluster'],
    ['a Lambda function', template => template.Resources.Function = { Type: 'AWS::Lambda::Function', Properties: {} },
      'refused: resource Function (AWS::Lambda::Function) is not allowed on a platform: functions run code with their own role'],
    ['a custom resource', template => template.Resources.Priority = { Type: 'Custom::RulePriority', Properties: { ServiceToken: 'x' } },
      'refused: resource Priority (Custom::RulePriority) is not allowed on a platform: a custom resource runs code with its own role'],
    ['a nested stack', template => template.Resources.Nested = { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example.com/t.yml' } },
      'refused: resource Nested (AWS::CloudFormation::Stack) is not allowed on a platform: a nested stack is a template this check never reads'],
    ['a transform', template => template.Transform = 'AWS::Serverless-2016-10-31',
      'refused: template.yml uses a transform: on a platform none may rewrite the template after this check'],
    ['an included snippet', template => template.Resources.Service.Properties['Fn::Transform'] = { Name: 'AWS::Include', Parameters: { Location: 's3://bucket/rule.yml' } },
      'refused: template.yml uses a transform'],
    ['the rule priority read as a plain number', template => template.Parameters.PlatformRulePriority = { Type: 'Number', Default: 1 },
      'refused: parameter PlatformRulePriority is of type Number: it must stay AWS::SSM::Parameter::Value<String>, read from the platform\'s SSM parameter the pipeline names'],
    ['the domain read as a plain string', template => template.Parameters.PlatformDomainName = { Type: 'String', Default: 'payments' },
      'refused: parameter PlatformDomainName is of type String'],
  ])('refuses %s, naming the resource', (_what, change, message) => {
    const { status, output } = check(hostile(change));
    expect(status).toBe(1);
    expect(output).toContain(message);
  });

  it('refuses a template configuration that sets the pipeline\'s parameters', () => {
    const { status, output } = check(managedTemplate(), { configuration: { Parameters: { PlatformRulePriority: '/codestar-fargate/platforms/acme/dev/services/payments/rule-priority', ImageUri: 'evil' }, Tags: {} } });
    expect(status).toBe(1);
    expect(output).toContain('refused: template-configuration.json sets ImageUri, PlatformRulePriority: those are the pipeline\'s parameters');
  });

  it('refuses a key given twice, which could show the check one value and CloudFormation another', () => {
    const text = stringify(managedTemplate()).replace(/( +)Priority:\n( +)Ref: PlatformRulePriority\n/, '$1Priority:\n$2Ref: PlatformRulePriority\n$1Priority: 1\n');
    expect(text.match(/^ +Priority: 1$/gm)?.length).toBe(1);
    const { status, output } = check(text);
    expect(status).toBe(1);
    expect(output).toContain('Priority given more than once');
  });

  it('refuses a resource named like the platform\'s rule priority parameter', () => {
    const { status, output } = check(hostile(template => {
      delete template.Parameters.PlatformRulePriority;
      template.Resources.PlatformRulePriority = { Type: 'AWS::CloudFormation::WaitConditionHandle' };
    }));
    expect(status).toBe(1);
    expect(output).toContain('refused: resource PlatformRulePriority has the name of the platform\'s parameter PlatformRulePriority');
  });

  it('refuses a template.yml that is a link', () => {
    expect(check(managedTemplate(), { link: true })).toEqual({ status: 1, output: expect.stringContaining('template.yml is not a regular file: the guard checks only what it reads') });
  });

  it('refuses what it cannot read as CloudFormation', () => {
    expect(check('Resources: [unclosed').status).toBe(1);
    expect(check('just text').output).toContain('refused: template.yml has no Resources mapping');
  });

  it('lists every refusal, not only the first', () => {
    const { output } = check(hostile(template => {
      template.Resources.ProductionListenerRule.Properties.Priority = 1;
      template.Resources.Cluster = { Type: 'AWS::ECS::Cluster' };
    }));
    expect(output).toContain('2 reason(s) this template may not deploy on the platform');
  });
});

describe('the stage guard\'s check of a path-routed service (platformPath)', () => {
  const PATH = '/orders';
  const pathTemplate = (change: (template: any) => void = () => undefined) => {
    const template = managedTemplate(PATH);
    change(template);
    return template;
  };
  const conditionsOf = (template: any) => template.Resources.ProductionListenerRule.Properties.Conditions;

  it('accepts its own path, with its host where the stage has a domain, without reading the stage\'s domain', () => {
    expect(check(pathTemplate(), { platformPath: PATH, domain: { stderr: 'must not be called', status: 1 } })).toEqual({ status: 0, output: expect.stringContaining('are the service\'s own') });
  });

  it.each(Object.values(DeploymentStrategyType))('accepts the template.yml this package generates for a path-routed service, %s', (type) => {
    const files = synthService({ name: SERVICE, platformName: 'acme', platformPath: PATH, deploymentStrategy: { type } });
    const template = files['template.yml'];
    expect(check(typeof template === 'string' ? template : stringify(template), { platformPath: PATH })).toEqual({ status: 0, output: expect.stringContaining('are the service\'s own') });
  });

  it.each<[string, (template: any) => void]>([
    ['another service\'s path', template => conditionsOf(template)['Fn::If'][2][0].PathPatternConfig.Values = ['/payments', '/payments/*']],
    ['a broader path, "/*"', template => conditionsOf(template)['Fn::If'][2][0].PathPatternConfig.Values = ['/*']],
    ['a broader path, "/"', template => conditionsOf(template)['Fn::If'][2][0].PathPatternConfig.Values = ['/', '/orders', '/orders/*']],
    ['an extra condition', template => conditionsOf(template)['Fn::If'][2].push({ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET'] } })],
    ['another service\'s host', template => conditionsOf(template)['Fn::If'][1][0].HostHeaderConfig.Values = [{ 'Fn::Sub': 'payments.${PlatformDomainName}' }]],
    ['the path alone on every stage', template => template.Resources.ProductionListenerRule.Properties.Conditions = [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/orders', '/orders/*'] } }]],
    ['its host alone', template => template.Resources.ProductionListenerRule.Properties.Conditions = platformListenerRuleConditions({ serviceName: SERVICE })],
  ])('refuses %s', (_what, change) => {
    const { status, output } = check(pathTemplate(change), { platformPath: PATH });
    expect(status).toBe(1);
    expect(output).toContain('refused: listener rule ProductionListenerRule has conditions');
    expect(output).toContain('they must be exactly {"Fn::If": ["PlatformHasDomain", [{"Field": "host-header", "HostHeaderConfig": {"Values": [{"Fn::Sub": "orders.${PlatformDomainName}"}]}}, {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/orders", "/orders/*"]}}], [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/orders", "/orders/*"]}}]]}, the service\'s own host name or path');
  });

  it('refuses a PlatformHasDomain condition that is always false, which would match the path on other services\' hosts', () => {
    const { status, output } = check(pathTemplate(template => template.Conditions.PlatformHasDomain = { 'Fn::Equals': ['a', 'b'] }), { platformPath: PATH });
    expect(status).toBe(1);
    expect(output).toContain('refused: condition PlatformHasDomain is {"Fn::Equals": ["a", "b"]}: it must be exactly {"Fn::Not": [{"Fn::Equals": [{"Ref": "PlatformDomainName"}, "none"]}]}');
  });

  it('refuses a host-routed template for a path-routed service', () => {
    const { status, output } = check(managedTemplate(), { platformPath: PATH });
    expect(status).toBe(1);
    expect(output).toContain('refused: listener rule ProductionListenerRule has conditions [{"Field": "host-header"');
  });
});

describe('the stage guard\'s check of a host-routed service on a stage without a domain', () => {
  it('refuses the deploy, naming platformPath and hostedZone', () => {
    const { status, output } = check(managedTemplate(), { domain: { stdout: 'none' } });
    expect(status).toBe(1);
    expect(output).toContain('refused: the platform stage has no domain (/codestar-fargate/platforms/acme/dev/domain-name is "none"): a service routed by its host name <service>.<domain> cannot be reached there; give the service platformPath in .projenrc.ts (and deploy its toolchain), or the platform\'s stage a hostedZone');
  });

  it('refuses the deploy when the stage\'s domain cannot be read', () => {
    const { status, output } = check(managedTemplate(), { domain: { stderr: 'An error occurred (ParameterNotFound)', status: 254 } });
    expect(status).toBe(1);
    expect(output).toContain('refused: the platform stage\'s domain (/codestar-fargate/platforms/acme/dev/domain-name) cannot be read: An error occurred (ParameterNotFound)');
  });
});

describe('the stage guard of a pipeline', () => {
  const guardBuildSpec = (platformName?: string) => {
    const app = new App();
    const stack = new Stack(app, 'Toolchain');
    new CodeStarFargatePipeline(stack, 'Pipeline', {
      serviceName: SERVICE,
      source: PipelineSource.connection({ connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d', owner: 'acme', repository: SERVICE }),
      stages: [{ name: 'dev' }],
      platformName,
    });
    const [guard] = Object.values(Template.fromStack(stack).findResources('AWS::CodeBuild::Project'))
      .filter((project: any) => JSON.stringify(project.Properties.Description).includes('Clears a failed first create'));
    const environment = guard.Properties.Environment.EnvironmentVariables.map((variable: any) => variable.Name);
    return { buildSpec: JSON.stringify(guard.Properties.Source.BuildSpec), environment };
  };

  it('checks the template before the deploy on a platform, with the accepted rule shape of contract.ts', () => {
    const { buildSpec, environment } = guardBuildSpec('acme');
    expect(buildSpec).toContain('platform-template-check');
    expect(environment).toEqual(expect.arrayContaining(['PLATFORM_RULE_CONDITIONS', 'PLATFORM_RULE_PRIORITY_PARAMETER', 'PLATFORM_LISTENER_PARAMETERS', 'PLATFORM_SSM_PARAMETERS', 'TOOLCHAIN_PARAMETERS']));
  });

  it('is unchanged for an isolated service', () => {
    const { buildSpec, environment } = guardBuildSpec();
    expect(buildSpec).not.toContain('platform-template-check');
    expect(environment).not.toContain('PLATFORM_RULE_CONDITIONS');
  });

  it.each([['ACME'], ['acme_platform'], ['-acme'], ['acme--eu'], ['a'.repeat(41)], ['']])('refuses the platform name %j, naming the option', (platformName) => {
    expect(() => guardBuildSpec(platformName)).toThrow(`platformName ${JSON.stringify(platformName)} is not allowed: it must start with a lowercase letter, end with a letter or digit, and contain only lowercase letters, digits and single hyphens`);
  });
});
