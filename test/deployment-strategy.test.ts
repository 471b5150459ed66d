import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import { Project, Testing } from 'projen';
import { parse, stringify } from 'yaml';
import { CodeStarFargatePipeline, CodeStarFargatePipelineProps, CodeStarFargateProject, DeploymentStrategy, DeploymentStrategyType, PipelineSource } from '../src';
import { serviceOptions, orderApiSettings } from './helpers';
import { deployedAs } from './template-conditions';
import { PlatformId } from '../src/components/compute-platform';
import { strategyConditions } from '../src/components/deployment-strategy';
import { deploymentAlarms } from '../src/components/service-alarms';
import { ServiceTemplate } from '../src/components/service-template';
import { DomainId } from '../src/components/stage-domain';
import { TemplateParameter } from '../src/contract';
import { deliberateWaitMinutes, linearSteps, resolveDeploymentStrategy } from '../src/deployment-strategy';

const SETTINGS = orderApiSettings();

function templateText(): string {
  const project = new Project({ name: 'test', outdir: mkdtempSync(join(tmpdir(), 'strategy-')) });
  new ServiceTemplate(project, {
    settings: SETTINGS,
    healthCheck: { gracePeriodSeconds: 60, deregistrationDelaySeconds: 30, startPeriodSeconds: 45, containerHealthCheckCommand: () => 'curl -fs http://127.0.0.1:8080/health || exit 1' },
  });
  return Testing.synth(project)['template.yml'];
}

const raw = parse(templateText());
const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
// A stage's domain and Spot (test/stage-platform.test.ts) evaluated too: without a domain, no certificate or record is created.
const ALL_CONDITIONS = [...Object.keys(strategyConditions()), 'HasCertificate', DomainId.HAS_DOMAIN, DomainId.CREATES_CERTIFICATE, PlatformId.USES_FARGATE_SPOT];

/** The stack a strategy deploys, without a certificate unless given. */
function stackOf(strategy: DeploymentStrategyType, parameters: Record<string, string> = {}): any {
  return deployedAs(raw, { [TemplateParameter.DEPLOYMENT_STRATEGY]: strategy, ...parameters }, ALL_CONDITIONS);
}

const TRAFFIC_SHIFTING = [DeploymentStrategyType.BLUE_GREEN, DeploymentStrategyType.CANARY, DeploymentStrategyType.LINEAR];
const ref = (name: string) => ({ Ref: name });

describe('template.yml per deployment strategy', () => {
  it('creates nothing extra for ROLLING: the same resources as before strategies, the circuit breaker, no bake time and no advanced configuration', () => {
    const stack = stackOf(DeploymentStrategyType.ROLLING);
    const monitoring = ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Dashboard', 'AWS::Events::Rule'];
    expect(Object.keys(stack.Resources).filter(id => !monitoring.includes(stack.Resources[id].Type)).sort()).toEqual([
      'Cluster', 'CpuScalingPolicy', 'HttpListener', 'HttpsListenerReady', 'LoadBalancer', 'LoadBalancerSecurityGroup', 'LogGroup',
      'ScalableTarget', 'Service', 'ServiceSecurityGroup', 'ServiceSecurityGroupIngressFromLoadBalancer', 'TargetGroup', 'TaskDefinition',
      'TaskExecutionRole', 'TaskRole',
    ]);
    const service = stack.Resources.Service.Properties;
    expect(service.DeploymentConfiguration).toEqual({
      Strategy: ref(TemplateParameter.DEPLOYMENT_STRATEGY),
      MinimumHealthyPercent: 100,
      MaximumPercent: 200,
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      // Explicit: an omitted field keeps what an earlier BLUE_GREEN, CANARY or LINEAR set.
      BakeTimeInMinutes: 0,
      Alarms: deploymentAlarms(SETTINGS),
    });
    expect(service.LoadBalancers).toEqual([{ ContainerName: 'orders-api', ContainerPort: 8080, TargetGroupArn: ref('TargetGroup') }]);
  });

  it.each<[DeploymentStrategyType, object]>([
    // ECS's circuit breaker works under rolling and blue/green (its "deployment failure detection" page).
    [DeploymentStrategyType.BLUE_GREEN, { DeploymentCircuitBreaker: { Enable: true, Rollback: true } }],
    // Canary and linear: explicitly off, and the tasks-not-starting alarm (service-alarms.test.ts) ends such a release.
    [DeploymentStrategyType.CANARY, { DeploymentCircuitBreaker: { Enable: false, Rollback: false }, CanaryConfiguration: { CanaryPercent: ref('CanaryPercent'), CanaryBakeTimeInMinutes: ref('CanaryBakeTimeMinutes') } }],
    [DeploymentStrategyType.LINEAR, { DeploymentCircuitBreaker: { Enable: false, Rollback: false }, LinearConfiguration: { StepPercent: ref('LinearStepPercent'), StepBakeTimeInMinutes: ref('LinearStepBakeTimeMinutes') } }],
  ])('gives %s its strategy, bake time, shifting settings and circuit breaker where ECS has one, without the rolling-only percentages', (strategy, shifting) => {
    const service = stackOf(strategy).Resources.Service.Properties;
    expect(service.DeploymentController).toEqual({ Type: 'ECS' });
    expect(service.DeploymentConfiguration).toEqual({
      Strategy: ref(TemplateParameter.DEPLOYMENT_STRATEGY),
      BakeTimeInMinutes: ref(TemplateParameter.BAKE_TIME_MINUTES),
      ...shifting,
      Alarms: deploymentAlarms(SETTINGS),
    });
    expect(service.LoadBalancers).toEqual([{
      ContainerName: 'orders-api',
      ContainerPort: 8080,
      TargetGroupArn: ref('TargetGroup'),
      AdvancedConfiguration: {
        AlternateTargetGroupArn: ref('AlternateTargetGroup'),
        ProductionListenerRule: ref('ProductionListenerRule'),
        TestListenerRule: ref('TestListenerRule'),
        RoleArn: { 'Fn::GetAtt': ['LoadBalancerInfrastructureRole', 'Arn'] },
      },
    }]);
  });

  it.each(TRAFFIC_SHIFTING)('gives %s a second target group that checks health, drains and is tagged like the live one', (strategy) => {
    const { Resources } = stackOf(strategy);
    expect(Resources.AlternateTargetGroup.Type).toBe('AWS::ElasticLoadBalancingV2::TargetGroup');
    expect(Resources.AlternateTargetGroup.Properties).toEqual(Resources.TargetGroup.Properties);
  });

  it.each(TRAFFIC_SHIFTING)('routes %s production traffic by a rule weighted 100/0 on the HTTP listener, or on the HTTPS listener with a certificate', (strategy) => {
    const forward = [{
      Type: 'forward',
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: ref('TargetGroup'), Weight: 100 }, { TargetGroupArn: ref('AlternateTargetGroup'), Weight: 0 }] },
    }];
    const rule = (listener: string) => ({ ListenerArn: ref(listener), Priority: 1, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }], Actions: forward });
    expect(stackOf(strategy).Resources.ProductionListenerRule.Properties).toEqual(rule('HttpListener'));
    expect(stackOf(strategy, { CertificateArn: CERTIFICATE }).Resources.ProductionListenerRule.Properties).toEqual(rule('HttpsListener'));
    expect(stackOf(strategy).Resources.TestListenerRule.Properties).toEqual(rule('TestListener'));
  });

  it.each(TRAFFIC_SHIFTING)('puts the %s test listener on port 8443, HTTPS with a certificate, reachable only from TestTrafficCidr', (strategy) => {
    const http = stackOf(strategy).Resources.TestListener.Properties;
    expect(http).toMatchObject({ Port: 8443, Protocol: 'HTTP', DefaultActions: [{ Type: 'fixed-response' }] });
    expect(http.Certificates).toBeUndefined();
    const https = stackOf(strategy, { CertificateArn: CERTIFICATE }).Resources.TestListener.Properties;
    expect(https).toMatchObject({ Port: 8443, Protocol: 'HTTPS', SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', Certificates: [{ CertificateArn: ref('CertificateArn') }] });
    // The load balancer group lets the internet in on 80 and 443 only; 8443 only from the given range.
    const publicPorts = stackOf(strategy).Resources.LoadBalancerSecurityGroup.Properties.SecurityGroupIngress.map((rule: any) => rule.FromPort);
    expect([...new Set(publicPorts)]).toEqual([80, 443]);
    expect(stackOf(strategy).Resources.LoadBalancerSecurityGroupIngressTestTraffic).toBeUndefined();
    expect(stackOf(strategy, { TestTrafficCidr: '203.0.113.0/24' }).Resources.LoadBalancerSecurityGroupIngressTestTraffic.Properties).toEqual({
      GroupId: { 'Fn::GetAtt': ['LoadBalancerSecurityGroup', 'GroupId'] },
      IpProtocol: 'tcp',
      FromPort: 8443,
      ToPort: 8443,
      CidrIp: ref('TestTrafficCidr'),
      Description: 'Test traffic to a new release before production traffic moves',
    });
    expect(stackOf(DeploymentStrategyType.ROLLING, { TestTrafficCidr: '203.0.113.0/24' }).Resources.LoadBalancerSecurityGroupIngressTestTraffic).toBeUndefined();
  });

  it('lets the TestTrafficCidr parameter take an IPv4 range or nothing, and nothing else', () => {
    const pattern = new RegExp(raw.Parameters.TestTrafficCidr.AllowedPattern);
    expect(['', '203.0.113.0/24', '10.0.0.0/8', '198.51.100.7/32'].filter(value => !pattern.test(value))).toEqual([]);
    expect(['0.0.0.0/33', '256.1.1.1/24', '203.0.113.0', 'any', '::/0'].filter(value => pattern.test(value))).toEqual([]);
  });

  it.each(TRAFFIC_SHIFTING)('gives ECS, for %s, a role under the stage\'s path with its boundary that may move only the stage\'s own traffic', (strategy) => {
    const role = (parameters: Record<string, string>) => stackOf(strategy, parameters).Resources.LoadBalancerInfrastructureRole.Properties;
    const http = role({});
    expect(http.Path).toEqual({ 'Fn::Sub': '/orders-api/${Stage}/infrastructure/' });
    expect(http.PermissionsBoundary).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/orders-api/${Stage}/orders-api-${Stage}-boundary' });
    expect(http.RoleName).toBeUndefined();
    expect(http.AssumeRolePolicyDocument.Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    expect(http.Policies[0].PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth'],
        Resource: '*',
      },
      { Effect: 'Allow', Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], Resource: [ref('TargetGroup'), ref('AlternateTargetGroup')] },
      { Effect: 'Allow', Action: 'elasticloadbalancing:ModifyRule', Resource: [ref('ProductionListenerRule'), ref('TestListenerRule')] },
      { Effect: 'Allow', Action: 'elasticloadbalancing:ModifyListener', Resource: [ref('HttpListener'), ref('TestListener')] },
    ]);
    expect(role({ CertificateArn: CERTIFICATE }).Policies[0].PolicyDocument.Statement[3].Resource).toEqual([ref('HttpListener'), ref('HttpsListener'), ref('TestListener')]);
  });

  it('declares the strategy parameters with ECS\'s limits, rolling when deployed by hand', () => {
    expect(raw.Parameters.DeploymentStrategy).toMatchObject({ AllowedValues: ['ROLLING', 'BLUE_GREEN', 'CANARY', 'LINEAR'], Default: 'ROLLING' });
    expect(raw.Parameters.BakeTimeMinutes).toMatchObject({ Type: 'Number', Default: 5, MinValue: 0, MaxValue: 1440 });
    expect(raw.Parameters.CanaryPercent).toMatchObject({ Type: 'Number', Default: 10, MinValue: 0.1, MaxValue: 100 });
    expect(raw.Parameters.CanaryBakeTimeMinutes).toMatchObject({ Default: 10, MinValue: 0, MaxValue: 1440 });
    expect(raw.Parameters.LinearStepPercent).toMatchObject({ Default: 20, MinValue: 3, MaxValue: 100 });
    expect(raw.Parameters.LinearStepBakeTimeMinutes).toMatchObject({ Default: 3, MinValue: 0, MaxValue: 1440 });
  });
});

/** Runs a command-line linter; fails the test with a clear message when it is not installed. */
function run(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf-8' });
  if (result.error) {
    throw new Error(`${command} could not be run (${result.error.message}); install it (pip install ${command}) — CI does.`);
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/** template.yml with the strategy, certificate and test range as parameter defaults, which the linters evaluate conditions with. */
function writeTemplateFor(dir: string, strategy: DeploymentStrategyType, certificate: string): string {
  const template = parse(templateText());
  template.Parameters.DeploymentStrategy.Default = strategy;
  template.Parameters.CertificateArn.Default = certificate;
  template.Parameters.TestTrafficCidr.Default = '203.0.113.0/24';
  const file = join(dir, `${strategy.toLowerCase()}-${certificate ? 'https' : 'http'}.yml`);
  writeFileSync(file, stringify(template));
  return file;
}

// One run of each linter over every variant: a finding names its file (strategy and protocol); a run per variant costs 4-9 s.
describe('linters per strategy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strategy-lint-'));
  const files = Object.values(DeploymentStrategyType).flatMap(strategy => [writeTemplateFor(dir, strategy, ''), writeTemplateFor(dir, strategy, CERTIFICATE)]);

  it('cfn-lint reports nothing for any strategy over HTTP or HTTPS', () => {
    expect(files).toHaveLength(8);
    const result = run('cfn-lint', files);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('checkov finds nothing that is not skipped with a reason, for any strategy over HTTP or HTTPS', () => {
    const result = run('checkov', ['-d', dir, '--framework', 'cloudformation', '--compact', '--quiet', '--skip-download']);
    expect(result.output).toMatch(/Failed checks: 0,/);
    // Each variant's resources are checked: 8 files of 15 to 22 resources.
    expect(Number(/Passed checks: (\d+)/.exec(result.output)?.[1])).toBeGreaterThan(8 * 37);
    expect(result.status).toBe(0);
    for (const file of files) {
      for (const resource of Object.values<any>(parse(readFileSync(file, 'utf-8')).Resources)) {
        for (const skip of resource.Metadata?.checkov?.skip ?? []) {
          expect(skip.comment).toMatch(/\w{3,}.*\./);
        }
      }
    }
  });
});

describe('deploymentStrategy validation', () => {
  const resolve = (strategy: unknown, stage = 'dev') => () => resolveDeploymentStrategy('deploymentStrategy', strategy as DeploymentStrategy, stage);

  it('defaults to a canary for production and prod, and rolling for other stages', () => {
    expect(resolve(undefined, 'production')()).toEqual({ type: 'CANARY', bakeTimeMinutes: 5, canaryPercent: 10, canaryBakeTimeMinutes: 10 });
    expect(resolve(undefined, 'prod')().type).toBe('CANARY');
    expect(resolve(undefined, 'dev')()).toEqual({ type: 'ROLLING' });
    expect(resolve(undefined, 'staging')()).toEqual({ type: 'ROLLING' });
  });

  it('fills in the numbers a strategy uses and keeps the ones given', () => {
    expect(resolve({ type: 'LINEAR', linearStepPercent: 25 })()).toEqual({ type: 'LINEAR', bakeTimeMinutes: 5, linearStepPercent: 25, linearStepBakeTimeMinutes: 3 });
    expect(resolve({ type: 'BLUE_GREEN', bakeTimeMinutes: 0 })()).toEqual({ type: 'BLUE_GREEN', bakeTimeMinutes: 0 });
    expect(resolve({ type: 'CANARY', canaryPercent: 0.1 })().canaryPercent).toBe(0.1);
  });

  it.each<[string, unknown, string]>([
    ['a strategy ECS does not have', { type: 'RED_BLACK' }, 'deploymentStrategy.type "RED_BLACK" is not allowed: use one of ROLLING, BLUE_GREEN, CANARY, LINEAR.'],
    ['a string instead of an object', 'CANARY', 'deploymentStrategy "CANARY" is not allowed: give an object such as { type: "CANARY", canaryPercent: 10 }.'],
    ['a bake time with ROLLING', { type: 'ROLLING', bakeTimeMinutes: 5 }, 'deploymentStrategy.bakeTimeMinutes 5 is not allowed with type ROLLING: it applies to BLUE_GREEN, CANARY, LINEAR only.'],
    ['a canary percent with LINEAR', { type: 'LINEAR', canaryPercent: 10 }, 'deploymentStrategy.canaryPercent 10 is not allowed with type LINEAR: it applies to CANARY only.'],
    ['a linear step with CANARY', { type: 'CANARY', linearStepPercent: 10 }, 'deploymentStrategy.linearStepPercent 10 is not allowed with type CANARY: it applies to LINEAR only.'],
    ['an unknown setting', { type: 'CANARY', canaryPercentage: 10 }, 'deploymentStrategy.canaryPercentage 10 is not allowed with type CANARY: it is not a strategy setting; CANARY takes bakeTimeMinutes, canaryPercent, canaryBakeTimeMinutes.'],
    ['a bake time over 24 hours', { type: 'BLUE_GREEN', bakeTimeMinutes: 1441 }, 'deploymentStrategy.bakeTimeMinutes 1441 is not allowed: it must be a whole number of minutes from 0 to 1440 (ECS\'s limit, 24 hours).'],
    ['a negative canary bake time', { type: 'CANARY', canaryBakeTimeMinutes: -1 }, 'deploymentStrategy.canaryBakeTimeMinutes -1 is not allowed: it must be a whole number of minutes from 0 to 1440'],
    ['a fractional step bake time', { type: 'LINEAR', linearStepBakeTimeMinutes: 2.5 }, 'deploymentStrategy.linearStepBakeTimeMinutes 2.5 is not allowed: it must be a whole number of minutes'],
    ['a canary of 0%', { type: 'CANARY', canaryPercent: 0 }, 'deploymentStrategy.canaryPercent 0 is not allowed: it must be a percentage from 0.1 to 100 in steps of 0.1 (ECS\'s limit), e.g. 10.'],
    ['a canary of 10.05%', { type: 'CANARY', canaryPercent: 10.05 }, 'deploymentStrategy.canaryPercent 10.05 is not allowed: it must be a percentage from 0.1 to 100 in steps of 0.1'],
    ['a canary over 100%', { type: 'CANARY', canaryPercent: 101 }, 'deploymentStrategy.canaryPercent 101 is not allowed'],
    ['a linear step under 3%', { type: 'LINEAR', linearStepPercent: 2.9 }, 'deploymentStrategy.linearStepPercent 2.9 is not allowed: it must be a percentage from 3 to 100 in steps of 0.1'],
    ['a percent given as a string', { type: 'CANARY', canaryPercent: '10' }, 'deploymentStrategy.canaryPercent "10" is not allowed'],
    ['bake times over CloudFormation\'s 33 hours', { type: 'LINEAR', linearStepPercent: 3, linearStepBakeTimeMinutes: 60 }, 'bake times add up to 1985 minutes, and CloudFormation refuses a deployment over 1980 (33 hours)'],
  ])('refuses %s, naming the option, the value and what is allowed', (_what, strategy, message) => {
    expect(resolve(strategy)).toThrow(message);
  });

  it('counts linear waits as CloudFormation does: none after the step that reaches 100%', () => {
    expect([linearSteps(10), linearSteps(11), linearSteps(20), linearSteps(33.3), linearSteps(100), linearSteps(3)]).toEqual([9, 9, 4, 3, 0, 33]);
    expect(deliberateWaitMinutes(resolveDeploymentStrategy('s', { type: DeploymentStrategyType.LINEAR }, 'dev'))).toBe(5 + 4 * 3);
  });

  it('refuses a bad project option before writing anything, naming it', () => {
    expect(() => new CodeStarFargateProject(serviceOptions({ deploymentStrategy: { type: DeploymentStrategyType.CANARY, canaryPercent: 150 } })))
      .toThrow('deploymentStrategy.canaryPercent 150 is not allowed');
  });
});

describe('the pipeline\'s deployment strategies', () => {
  function deployParameters(props: Partial<CodeStarFargatePipelineProps>): Record<string, Record<string, string>> {
    const app = new App();
    const stack = new Stack(app, 'Toolchain');
    new CodeStarFargatePipeline(stack, 'Pipeline', {
      serviceName: 'orders-api',
      source: PipelineSource.codeCommit({ repository: codecommit.Repository.fromRepositoryName(stack, 'Repo', 'orders-api') }),
      ...props,
    });
    const pipeline: any = Object.values(app.synth().getStackByName('Toolchain').template.Resources).find((resource: any) => resource.Type === 'AWS::CodePipeline::Pipeline');
    const byStage: Record<string, Record<string, string>> = {};
    for (const stage of pipeline.Properties.Stages) {
      const deploy = stage.Actions.find((action: any) => action.Name === 'Deploy');
      if (deploy) {
        // The new network's ids are tokens, joined in; they stand in as "token" here.
        const overrides = deploy.Configuration.ParameterOverrides;
        const text = typeof overrides === 'string' ? overrides : overrides['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : 'token')).join('');
        byStage[stage.Name] = JSON.parse(text);
      }
    }
    return byStage;
  }
  const strategyOf = (overrides: Record<string, string>) => Object.fromEntries(Object.entries(overrides).filter(([key]) =>
    ['DeploymentStrategy', 'BakeTimeMinutes', 'CanaryPercent', 'CanaryBakeTimeMinutes', 'LinearStepPercent', 'LinearStepBakeTimeMinutes'].includes(key)));

  it('passes rolling to dev and a 10% canary to production by default', () => {
    const parameters = deployParameters({});
    expect(strategyOf(parameters.dev)).toEqual({ DeploymentStrategy: 'ROLLING' });
    expect(strategyOf(parameters.production)).toEqual({ DeploymentStrategy: 'CANARY', BakeTimeMinutes: '5', CanaryPercent: '10', CanaryBakeTimeMinutes: '10' });
  });

  it('passes the pipeline\'s strategy to every stage, and a stage\'s own instead where it has one', () => {
    const parameters = deployParameters({
      deploymentStrategy: { type: DeploymentStrategyType.BLUE_GREEN, bakeTimeMinutes: 15 },
      stages: [{ name: 'dev', deploymentStrategy: { type: DeploymentStrategyType.ROLLING } }, { name: 'staging' }, { name: 'production', deploymentStrategy: { type: DeploymentStrategyType.LINEAR, linearStepPercent: 50 } }],
    });
    expect(strategyOf(parameters.dev)).toEqual({ DeploymentStrategy: 'ROLLING' });
    expect(strategyOf(parameters.staging)).toEqual({ DeploymentStrategy: 'BLUE_GREEN', BakeTimeMinutes: '15' });
    expect(strategyOf(parameters.production)).toEqual({ DeploymentStrategy: 'LINEAR', BakeTimeMinutes: '5', LinearStepPercent: '50', LinearStepBakeTimeMinutes: '3' });
  });

  it('refuses a bad strategy of the pipeline or of a stage, naming which', () => {
    expect(() => deployParameters({ deploymentStrategy: { type: DeploymentStrategyType.CANARY, canaryBakeTimeMinutes: 2000 } }))
      .toThrow('deploymentStrategy.canaryBakeTimeMinutes 2000 is not allowed');
    expect(() => deployParameters({ stages: [{ name: 'dev' }, { name: 'production', deploymentStrategy: { type: DeploymentStrategyType.ROLLING, canaryPercent: 5 } }] }))
      .toThrow('stages[1].deploymentStrategy.canaryPercent 5 is not allowed with type ROLLING');
  });
});
