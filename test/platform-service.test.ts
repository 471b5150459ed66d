import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Project, Testing } from 'projen';
import { parse, stringify } from 'yaml';
import { loadToolchainModule, overridesByStage, serviceOptions, synthService } from './helpers';
import { deployedAs } from './template-conditions';
import { BOOTSTRAP_POLICY_FILE } from '../src/components/bootstrap-policy';
import { strategyConditions } from '../src/components/deployment-strategy';
import { ServiceTemplate } from '../src/components/service-template';
import { CodeStarFargatePipeline, CodeStarFargatePipelineProps } from '../src/constructs/pipeline';
import { PipelineSource } from '../src/constructs/source';
import { PLATFORM_VALUES_A_SERVICE_READS, PlatformTemplateParameter, TemplateOutput, TemplateParameter } from '../src/contract';
import { CodeStarFargateProjectOptions, DeploymentStrategyType } from '../src/options';
import { resolveServiceSettings } from '../src/validation';

const P = PlatformTemplateParameter;
/** What a service with its own environment is given about it, and a platform service is not. */
const OWN_ENVIRONMENT_PARAMETERS = [
  TemplateParameter.VPC_ID, TemplateParameter.LOAD_BALANCER_SUBNET_IDS, TemplateParameter.SERVICE_SUBNET_IDS,
  TemplateParameter.CERTIFICATE_ARN, TemplateParameter.DOMAIN_NAME, TemplateParameter.LOAD_BALANCER_DELETION_PROTECTION,
];
const HEALTH_CHECK = { gracePeriodSeconds: 60, deregistrationDelaySeconds: 30, startPeriodSeconds: 45, containerHealthCheckCommand: () => 'curl -fs http://127.0.0.1:8080/health || exit 1' };

function settingsOf(overrides: Partial<CodeStarFargateProjectOptions> = {}) {
  return resolveServiceSettings(serviceOptions({ platformName: 'acme', ...overrides }), { cpu: 256, memoryMiB: 512 });
}

/** template.yml of orders-api on the platform acme, as written. */
function templateText(overrides: Partial<CodeStarFargateProjectOptions> = {}): string {
  const project = new Project({ name: 'test', outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'platform-service-')) });
  new ServiceTemplate(project, { settings: settingsOf(overrides), healthCheck: HEALTH_CHECK });
  return Testing.synth(project)['template.yml'];
}

const raw = parse(templateText());
/** As a stack deploys with a strategy: its conditions evaluated. */
const deployed = (strategy: DeploymentStrategyType) =>
  deployedAs(raw, { [TemplateParameter.DEPLOYMENT_STRATEGY]: strategy }, Object.keys(strategyConditions(false)));
const rolling = deployed(DeploymentStrategyType.ROLLING);
const blueGreen = deployed(DeploymentStrategyType.BLUE_GREEN);

function ofType(template: any, type: string): any[] {
  return Object.values<any>(template.Resources).filter(resource => resource.Type === type);
}

describe('template.yml of a service on a platform', () => {
  it('creates no network, cluster, load balancer, listener or load balancer security group', () => {
    const types = new Set(Object.values<any>(raw.Resources).map(resource => resource.Type));
    for (const type of ['AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::ECS::Cluster', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancingV2::Listener', 'AWS::CertificateManager::Certificate', 'AWS::Route53::RecordSet']) {
      expect(types).not.toContain(type);
    }
    expect(ofType(raw, 'AWS::EC2::SecurityGroup')).toHaveLength(1);
    for (const parameter of [...OWN_ENVIRONMENT_PARAMETERS, TemplateParameter.HOSTED_ZONE_ID, TemplateParameter.TEST_TRAFFIC_CIDR]) {
      expect(raw.Parameters).not.toHaveProperty(parameter);
    }
  });

  it('reads each platform value through an SSM parameter type, the subnets as a subnet list', () => {
    const expected = [...PLATFORM_VALUES_A_SERVICE_READS.map(key => P[key]), P.RULE_PRIORITY];
    expect(Object.keys(raw.Parameters).filter(name => name.startsWith('Platform'))).toEqual(expected);
    for (const name of expected) {
      expect(raw.Parameters[name].Type).toBe(name === P.SERVICE_SUBNET_IDS ? 'AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>' : 'AWS::SSM::Parameter::Value<String>');
    }
  });

  it('runs the service in the platform\'s cluster and subnets, with the public IP the platform says, reached only from its load balancer', () => {
    const [service] = ofType(rolling, 'AWS::ECS::Service');
    expect(service.Properties.Cluster).toEqual({ Ref: P.CLUSTER_NAME });
    expect(service.Properties.NetworkConfiguration.AwsvpcConfiguration)
      .toMatchObject({ Subnets: { Ref: P.SERVICE_SUBNET_IDS }, AssignPublicIp: { Ref: P.ASSIGN_PUBLIC_IP } });
    expect(service.DependsOn).toContain('ProductionListenerRule');
    const ingress = ofType(rolling, 'AWS::EC2::SecurityGroupIngress');
    expect(ingress.map(rule => rule.Properties))
      .toEqual([expect.objectContaining({ FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: { Ref: P.LOAD_BALANCER_SECURITY_GROUP_ID } })]);
    const [group] = ofType(rolling, 'AWS::EC2::SecurityGroup');
    expect(group.Properties.VpcId).toEqual({ Ref: P.VPC_ID });
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    const [scalableTarget] = ofType(rolling, 'AWS::ApplicationAutoScaling::ScalableTarget');
    expect(scalableTarget.Properties.ResourceId).toEqual({ 'Fn::Sub': `service/\${${P.CLUSTER_NAME}}/\${Service.Name}` });
  });

  it('routes <service>.<platform domain> to its own target group at its priority on the production listener under ROLLING', () => {
    const [rule, ...others] = ofType(rolling, 'AWS::ElasticLoadBalancingV2::ListenerRule');
    expect(others).toHaveLength(0);
    expect(rule.Properties).toEqual({
      ListenerArn: { Ref: P.PRODUCTION_LISTENER_ARN },
      Priority: { Ref: P.RULE_PRIORITY },
      Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: [{ 'Fn::Sub': `orders-api.\${${P.DOMAIN_NAME}}` }] } }],
      Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: { Ref: 'TargetGroup' }, Weight: 100 }] } }],
      Tags: [{ Key: 'service', Value: 'orders-api' }, { Key: 'stage', Value: { Ref: 'Stage' } }],
    });
    const [targetGroup] = ofType(rolling, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    expect(targetGroup.Properties).toMatchObject({ VpcId: { Ref: P.VPC_ID }, Tags: [{ Key: 'service', Value: 'orders-api' }, { Key: 'stage', Value: { Ref: 'Stage' } }] });
  });

  it('adds under BLUE_GREEN the second target group and its test rule on the platform\'s test listener, and lets ECS modify only its own rules', () => {
    expect(ofType(blueGreen, 'AWS::ElasticLoadBalancingV2::TargetGroup')).toHaveLength(2);
    const rules = blueGreen.Resources;
    expect(rules.TestListenerRule.Properties).toMatchObject({ ListenerArn: { Ref: P.TEST_LISTENER_ARN }, Priority: { Ref: P.RULE_PRIORITY } });
    expect(rules.ProductionListenerRule.Properties.Actions[0].ForwardConfig.TargetGroups).toHaveLength(2);
    const [service] = ofType(blueGreen, 'AWS::ECS::Service');
    expect(service.Properties.LoadBalancers[0].AdvancedConfiguration).toMatchObject({ ProductionListenerRule: { Ref: 'ProductionListenerRule' }, TestListenerRule: { Ref: 'TestListenerRule' } });
    const statements = rules.LoadBalancerInfrastructureRole.Properties.Policies[0].PolicyDocument.Statement;
    expect(statements.flatMap((statement: any) => [statement.Action].flat())).not.toContain('elasticloadbalancing:ModifyListener');
    expect(statements.find((statement: any) => statement.Action === 'elasticloadbalancing:ModifyRule').Resource).toEqual([{ Ref: 'ProductionListenerRule' }, { Ref: 'TestListenerRule' }]);
  });

  it('watches the platform\'s load balancer and cluster in its alarms, and outputs <scheme>://<service>.<domain>', () => {
    const [errorRate] = ofType(rolling, 'AWS::CloudWatch::Alarm');
    expect(JSON.stringify(errorRate.Properties.Metrics)).toContain(JSON.stringify({ Name: 'LoadBalancer', Value: { Ref: P.LOAD_BALANCER_FULL_NAME } }));
    const cpu = rolling.Resources.CpuAlarm.Properties;
    expect(cpu.Dimensions).toContainEqual({ Name: 'ClusterName', Value: { Ref: P.CLUSTER_NAME } });
    expect(raw.Outputs[TemplateOutput.SERVICE_URL].Value).toEqual({ 'Fn::Sub': `\${${P.URL_SCHEME}}://orders-api.\${${P.DOMAIN_NAME}}` });
    expect(raw.Outputs.ClusterName.Value).toEqual({ Ref: P.CLUSTER_NAME });
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

describe('linters on a platform service\'s template.yml', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-service-lint-'));
  const files = [DeploymentStrategyType.ROLLING, DeploymentStrategyType.BLUE_GREEN].map(strategy => {
    const template = parse(templateText());
    template.Parameters.DeploymentStrategy.Default = strategy;
    const file = path.join(dir, `${strategy.toLowerCase()}.yml`);
    fs.writeFileSync(file, stringify(template));
    return file;
  });

  it('cfn-lint reports nothing, rolling and blue/green', () => {
    const result = run('cfn-lint', files);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('checkov finds nothing that is not skipped with a reason, rolling and blue/green', () => {
    const result = run('checkov', ['-d', dir, '--framework', 'cloudformation', '--compact', '--quiet', '--skip-download']);
    expect(result.output).toMatch(/Failed checks: 0,/);
    expect(result.status).toBe(0);
    for (const file of files) {
      for (const resource of Object.values<any>(parse(fs.readFileSync(file, 'utf-8')).Resources)) {
        for (const skip of resource.Metadata?.checkov?.skip ?? []) {
          expect(skip.comment).toMatch(/\w{3,}.*\./);
        }
      }
    }
  });
});

describe('platformName', () => {
  it.each<[string, Partial<CodeStarFargateProjectOptions>, string]>([
    ['capitals', { platformName: 'Acme' }, 'platformName "Acme" is not allowed: it must start with a lowercase letter, end with a letter or digit, and contain only lowercase letters, digits and single hyphens, 2 to 21 characters (with "-production", the same limit as a service name), e.g. "acme".'],
    ['one letter', { platformName: 'a' }, 'platformName "a" is not allowed'],
    ['two hyphens in a row', { platformName: 'acme--eu' }, 'platformName "acme--eu" is not allowed: it must start with a lowercase letter, end with a letter or digit, and contain only lowercase letters'],
    ['a leading digit', { platformName: '1acme' }, 'platformName "1acme" is not allowed'],
    ['a trailing hyphen', { platformName: 'acme-' }, 'platformName "acme-" is not allowed'],
    ['22 characters with a stage "production"', { platformName: 'a'.repeat(22) }, `platformName "${'a'.repeat(22)}" is not allowed`],
    ['a number', { platformName: 42 as unknown as string }, 'platformName 42 is not allowed'],
    ['a hosted zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' }, 'hostedZoneId "Z0123456789ABCDEFGHIJ" is not allowed with platformName "acme": the platform\'s domain names the service (<service>.<platform domain>) and its wildcard certificate covers it; remove hostedZoneId.'],
    ['a zone name alone', { hostedZoneName: 'example.com' }, 'hostedZoneName "example.com" is not allowed with platformName "acme"'],
    ['stage domain naming', { stageDomainNames: 'SIBLING' as any }, 'stageDomainNames "SIBLING" is not allowed with platformName "acme"'],
    ['the CodeStar transform', { codeStarTransform: true }, 'codeStarTransform true is not allowed with platformName "acme": the transform tags the stage\'s own cluster for a CodeStar project, and on a platform the cluster is the platform\'s; CodeStar was shut down in 2024, so remove codeStarTransform.'],
    ['a stage network', { stageOptions: [{ name: 'dev' }, { name: 'production', network: { vpcId: 'vpc-0123456789abcdef0', publicSubnetIds: ['subnet-01', 'subnet-02'], privateSubnetIds: ['subnet-03'] } }] },
      'stageOptions[1].network {"vpcId":"vpc-0123456789abcdef0","publicSubnetIds":["subnet-01","subnet-02"],"privateSubnetIds":["subnet-03"]} is not allowed with platformName "acme": stage "production" runs in the platform\'s VPC and subnets; remove network.'],
    ['a stage domain', { stageOptions: [{ name: 'dev', domain: 'dev.example.com' }, { name: 'production' }] }, 'stageOptions[0].domain "dev.example.com" is not allowed with platformName "acme": stage "dev" answers on <service>.<platform domain>; remove domain.'],
    ['a stage account that is no account id', { stageOptions: [{ name: 'dev' }, { name: 'production', account: '2109876543' }] },
      'stageOptions[1].account "2109876543" is not allowed: it must be a 12-digit AWS account id such as "123456789012".'],
  ])('refuses %s, naming the option, the value and why', (_name, overrides, message) => {
    expect(() => settingsOf(overrides)).toThrow(message);
  });

  it('takes a name of letters, digits and single hyphens', () => {
    expect(settingsOf({ platformName: 'acme-eu-2' }).platformName).toBe('acme-eu-2');
    expect(settingsOf({ platformName: 'a'.repeat(21) }).platformName).toBe('a'.repeat(21));
    expect(settingsOf({ platformName: 'a'.repeat(28), stages: ['dev'] }).platformName).toBe('a'.repeat(28));
  });
});

describe('the generated toolchain of a platform service', () => {
  const files = synthService({ platformName: 'acme' });

  it('passes platformName to the pipeline and records it among the toolchain settings', () => {
    expect(files['infra/toolchain.generated.ts']).toContain('platformName: "acme",');
    expect(files['.projen/toolchain-settings.json']).toMatchObject({ platformName: 'acme' });
  });

  it('generates the whole platform service (snapshot: review the diff when it changes)', () => {
    expect(files).toMatchSnapshot();
  });

  it('synthesizes with cdk-nag and aws-cdk-lib\'s validation, each stage reading its platform stage', () => {
    withCloudFormationValidation(() => {
      const { app, stack } = loadToolchainModule(files['infra/toolchain.generated.ts']).createToolchain();
      const resources = Object.values<any>(app.synth().getStackByName(stack.stackName).template.Resources);
      expect(resources.filter(resource => resource.Type === 'AWS::EC2::VPC')).toEqual([]);
      expect(productionDeployOverrides(productionDeploy(resources))).toContain(PRODUCTION_RULE_PRIORITY_OVERRIDE);
    });
  });

  it('records no platformName for an isolated service, whose settings stay as they were', () => {
    const isolated = synthService();
    expect(isolated['infra/toolchain.generated.ts']).not.toContain('platformName');
    expect(isolated['.projen/toolchain-settings.json']).not.toHaveProperty('platformName');
  });
});

describe('a platform service whose production is in another account and region', () => {
  const PIPELINE_ACCOUNT = '111111111111';
  const STAGE_ACCOUNT = '222222222222';
  const files = synthService({ platformName: 'acme', stageOptions: [{ name: 'dev' }, { name: 'production', account: STAGE_ACCOUNT, region: 'eu-central-1' }] });
  const toolchain = files['infra/toolchain.generated.ts'];

  it('passes the stage its account and region, and no network: the platform\'s stage there has one', () => {
    expect(toolchain).toContain(`{ name: "production", account: "${STAGE_ACCOUNT}", region: "eu-central-1" }`);
    expect(toolchain).not.toContain('ec2.Vpc');
  });

  it('gets the bootstrap execution policy for that account, which lets CloudFormation read the platform\'s parameters there', () => {
    const statement = files[BOOTSTRAP_POLICY_FILE].Statement.find((each: any) => each.Sid === 'StackParameters');
    expect(statement.Resource).toContain('arn:aws:ssm:*:*:parameter/codestar-fargate/platforms/*');
  });

  it('synthesizes, as infra/main.ts does with an explicit env, with cdk-nag and the CloudFormation validation: the stage reads its platform in its own account', () => {
    withCloudFormationValidation(() => {
      const module = loadToolchainModule(toolchain);
      const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'platform-elsewhere-')) });
      const stack = new Stack(app, `${module.serviceName}-toolchain`, { env: { account: PIPELINE_ACCOUNT, region: 'eu-west-1' } });
      new CodeStarFargatePipeline(stack, 'Pipeline', module.toolchainProps(stack));
      const assembly = app.synth();
      const ssmNames = (stackName: string) => Object.values<any>(assembly.getStackByName(stackName).template.Parameters ?? {})
        .filter(parameter => String(parameter.Type).startsWith('AWS::SSM::Parameter::Value')).map(parameter => String(parameter.Default));
      const access = assembly.getStackByName('orders-api-production-access');
      expect(access.environment).toMatchObject({ account: STAGE_ACCOUNT, region: 'eu-central-1' });
      expect(ssmNames('orders-api-production-access')).toContain('/codestar-fargate/platforms/acme/production/vpc-id');
      expect(ssmNames('orders-api-toolchain').filter(name => name.includes('/production/'))).toEqual([]);
      const resources = Object.values<any>(assembly.getStackByName('orders-api-toolchain').template.Resources);
      expect(resources.filter(resource => resource.Type === 'AWS::EC2::VPC')).toEqual([]);
      const deploy = productionDeploy(resources);
      expect(deploy.Region).toBe('eu-central-1');
      expect(JSON.stringify(deploy.Configuration.RoleArn)).toContain(STAGE_ACCOUNT);
      expect(productionDeployOverrides(deploy)).toContain(PRODUCTION_RULE_PRIORITY_OVERRIDE);
    });
  });
});

const CONNECTION_ARN = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';

/** What production's deploy passes template.yml for its rule priority: the name of the platform's parameter for it. */
const PRODUCTION_RULE_PRIORITY_OVERRIDE = '"PlatformRulePriority":"/codestar-fargate/platforms/acme/production/services/orders-api/rule-priority"';

/** Runs `check` as `projen build` synthesizes: with aws-cdk-lib's CloudFormation validation (CDK_VALIDATION=true). */
function withCloudFormationValidation(check: () => void): void {
  const previous = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'true';
  try {
    check();
  } finally {
    if (previous === undefined) {
      delete process.env.CDK_VALIDATION;
    } else {
      process.env.CDK_VALIDATION = previous;
    }
  }
}

/** The production stage's Deploy action in the toolchain stack's resources. */
function productionDeploy(resources: any[]): any {
  const pipeline = resources.find(resource => resource.Type === 'AWS::CodePipeline::Pipeline');
  return pipeline.Properties.Stages.find((each: any) => each.Name === 'production').Actions.find((action: any) => action.Name === 'Deploy');
}

/** The action's parameter overrides as one string, its Join's escapes removed. */
function productionDeployOverrides(deploy: any): string {
  return JSON.stringify(deploy.Configuration.ParameterOverrides).replace(/\\/g, '');
}


function synthPipeline(props: Partial<CodeStarFargatePipelineProps> = {}): { stack: Stack; template: Template } {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'platform-pipeline-')) });
  const stack = new Stack(app, 'Toolchain');
  new CodeStarFargatePipeline(stack, 'Toolchain', {
    serviceName: 'orders-api',
    source: PipelineSource.connection({ connectionArn: CONNECTION_ARN, owner: 'acme', repository: 'orders-api' }),
    platformName: 'acme',
    ...props,
  });
  return { stack, template: Template.fromStack(stack) };
}


describe('the pipeline of a platform service', () => {
  const { template } = synthPipeline();

  it('creates no VPC for any stage', () => {
    expect(Object.keys(template.findResources('AWS::EC2::VPC'))).toEqual([]);
    expect(Object.keys(template.findResources('AWS::EC2::NatGateway'))).toEqual([]);
  });

  it('passes each stage\'s template the names of its platform stage\'s SSM parameters, and no network or load balancer setting', () => {
    const overrides = overridesByStage(template);
    for (const stage of ['dev', 'production']) {
      expect(overrides[stage]).toMatchObject({
        [P.VPC_ID]: `/codestar-fargate/platforms/acme/${stage}/vpc-id`,
        [P.SERVICE_SUBNET_IDS]: `/codestar-fargate/platforms/acme/${stage}/service-subnet-ids`,
        [P.PRODUCTION_LISTENER_ARN]: `/codestar-fargate/platforms/acme/${stage}/production-listener-arn`,
        [P.DOMAIN_NAME]: `/codestar-fargate/platforms/acme/${stage}/domain-name`,
        [P.RULE_PRIORITY]: `/codestar-fargate/platforms/acme/${stage}/services/orders-api/rule-priority`,
      });
      const names = Object.keys(overrides[stage]);
      expect(names.filter(name => name.startsWith('Platform')).sort()).toEqual([...PLATFORM_VALUES_A_SERVICE_READS.map(key => P[key]), P.RULE_PRIORITY].sort());
      for (const absent of OWN_ENVIRONMENT_PARAMETERS) {
        expect(names).not.toContain(absent);
      }
    }
  });

  it('passes only parameters the platform template declares', () => {
    const declared = Object.keys(raw.Parameters);
    for (const names of Object.values(overridesByStage(template))) {
      expect(Object.keys(names).filter(name => !declared.includes(name))).toEqual([]);
    }
  });

  it.each<[string, (stack: Stack) => Partial<CodeStarFargatePipelineProps>, string]>([
    ['a bad platform name', () => ({ platformName: 'Acme' }), 'platformName "Acme" is not allowed: it must start with a lowercase letter, end with a letter or digit, and contain only lowercase letters'],
    ['a stage VPC', stack => ({ stages: [{ name: 'dev', vpc: new ec2.Vpc(stack, 'Own') }] }), 'stages[0].vpc (Toolchain/Own) is not allowed with platformName "acme": stage "dev" runs in the platform\'s VPC; remove vpc.'],
    ['a certificate', () => ({ stages: [{ name: 'production', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d' }] }), 'stages[0].certificateArn "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d" is not allowed with platformName "acme": stage "production" is served under the platform\'s certificate; remove certificateArn.'],
    ['a stage domain', () => ({ stages: [{ name: 'dev', domainName: 'dev.example.com' }] }), 'stages[0].domainName "dev.example.com" is not allowed with platformName "acme"'],
    ['a hosted zone', () => ({ hostedZone: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' } }), 'hostedZone {"hostedZoneId":"Z0123456789ABCDEFGHIJ","zoneName":"example.com"} is not allowed with platformName "acme": the platform\'s domain names each stage\'s service (<service>.<platform domain>); remove hostedZone.'],
    ['a stage in another account without an explicit env on the pipeline\'s stack', () => ({ stages: [{ name: 'production', account: '210987654321' }] }), 'stages[0].account "210987654321" and stages[0].region null need the pipeline\'s stack "Toolchain" to have an explicit env'],
  ])('refuses %s', (_name, props, message) => {
    const app = new App();
    const stack = new Stack(app, 'Toolchain');
    expect(() => new CodeStarFargatePipeline(stack, 'Pipeline', {
      serviceName: 'orders-api',
      source: PipelineSource.connection({ connectionArn: CONNECTION_ARN, owner: 'acme', repository: 'orders-api' }),
      platformName: 'acme',
      ...props(stack),
    })).toThrow(message);
  });
});
