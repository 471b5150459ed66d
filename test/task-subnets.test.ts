import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parse } from 'yaml';
import { loadToolchainModule, serviceOptions, synthService } from './helpers';
import { arn, Call, decisions, policiesOfRole, Principal, SERVICE, stageNetworkOf, synthesizeToolchain } from './iam-simulation';
import { CodeStarFargatePipeline, CodeStarFargateProjectOptions, PipelineSource, PipelineStage, StageOptions, TaskSubnets } from '../src';
import { TemplateParameter } from '../src/contract';
import { resolveServiceSettings } from '../src/validation';

const CONNECTION_ARN = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
const PUBLIC_SUBNETS = ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'];
const PRIVATE_SUBNETS = ['subnet-0123456789abcdef2', 'subnet-0123456789abcdef3'];

function refusal(stageOptions: StageOptions[]): string | undefined {
  try {
    resolveServiceSettings(serviceOptions({ stageOptions }), { cpu: 256, memoryMiB: 512 });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the stage option taskSubnets', () => {
  it.each<[string, StageOptions, string]>([
    ['a lowercase value', { name: 'dev', taskSubnets: 'public' as TaskSubnets },
      'stageOptions[0].taskSubnets "public" is not allowed in stage "dev": use TaskSubnets.PRIVATE (private subnets with a NAT gateway) or TaskSubnets.PUBLIC (public subnets, a public IP per task, no NAT gateway).'],
    ['a number', { name: 'dev', taskSubnets: 1 as unknown as TaskSubnets },
      'stageOptions[0].taskSubnets 1 is not allowed in stage "dev": use TaskSubnets.PRIVATE'],
    ['a network without private subnets for private tasks', { name: 'dev', network: { vpcId: 'vpc-0123456789abcdef0', publicSubnetIds: PUBLIC_SUBNETS } },
      'stageOptions[0].network.privateSubnetIds undefined is not allowed: give at least 1 distinct subnet ids ("subnet-" and 8 or 17 lowercase hex digits) for the tasks, with outbound internet access (or give taskSubnets PUBLIC to run them in the public subnets).'],
    ['a network with one public subnet for public tasks', { name: 'dev', taskSubnets: TaskSubnets.PUBLIC, network: { vpcId: 'vpc-0123456789abcdef0', publicSubnetIds: PUBLIC_SUBNETS.slice(0, 1) } },
      'stageOptions[0].network.publicSubnetIds ["subnet-0123456789abcdef0"] is not allowed: give at least 2 distinct subnet ids'],
    ['a private subnet id that is not one, for public tasks', { name: 'dev', taskSubnets: TaskSubnets.PUBLIC, network: { vpcId: 'vpc-0123456789abcdef0', publicSubnetIds: PUBLIC_SUBNETS, privateSubnetIds: ['subnet-x'] } },
      'stageOptions[0].network.privateSubnetIds ["subnet-x"] is not allowed: give at least 0 distinct subnet ids'],
  ])('refuses %s, naming the option, the value and what is allowed', (_name, stage, message) => {
    expect(refusal([stage])).toContain(message);
  });

  it('is PRIVATE unless asked for, and PUBLIC needs no private subnets in an existing network', () => {
    const settings = resolveServiceSettings(serviceOptions({
      stageOptions: [
        { name: 'dev', taskSubnets: TaskSubnets.PUBLIC, network: { vpcId: 'vpc-0123456789abcdef0', publicSubnetIds: PUBLIC_SUBNETS } },
        { name: 'production' },
      ],
    }), { cpu: 256, memoryMiB: 512 });
    expect(settings.stageSettings.map(stage => [stage.name, stage.taskSubnets, stage.network?.privateSubnetIds])).toEqual([
      ['dev', TaskSubnets.PUBLIC, []],
      ['production', TaskSubnets.PRIVATE, undefined],
    ]);
  });
});

describe('a generated service with a public dev stage', () => {
  const options: Partial<CodeStarFargateProjectOptions> = {
    stageOptions: [
      { name: 'dev', taskSubnets: TaskSubnets.PUBLIC },
      { name: 'staging', taskSubnets: TaskSubnets.PUBLIC, network: { vpcId: 'vpc-0123456789abcdef0', publicSubnetIds: PUBLIC_SUBNETS } },
      { name: 'production' },
    ],
  };
  const files = synthService(options);
  const managed: string = files['infra/toolchain.generated.ts'];

  it('names the choice in the managed toolchain module and the toolchain settings, and nothing for private stages', () => {
    expect(managed).toContain(', PipelineSource, TaskSubnets } from \'projen-codestar-fargate\';');
    expect(managed).toContain('{ name: "dev", taskSubnets: TaskSubnets.PUBLIC }');
    expect(managed).toContain('publicSubnetNames: ["Public1","Public2"] }), taskSubnets: TaskSubnets.PUBLIC }');
    expect(managed).not.toContain('privateSubnetIds');
    const settings = files['.projen/toolchain-settings.json'];
    expect([settings['stages.dev.taskSubnets'], settings['stages.staging.taskSubnets']]).toEqual(['PUBLIC', 'PUBLIC']);
    expect(Object.keys(settings).filter(key => key.startsWith('stages.production.'))).not.toContain('stages.production.taskSubnets');
  });

  it('synthesizes a toolchain whose public stages have no NAT gateway and pass ENABLED and public subnets to template.yml', () => {
    const { app, stack } = loadToolchainModule(managed).createToolchain();
    const template = Template.fromJSON(app.synth().getStackByName(stack.stackName).template);
    // Only production's new VPC has one; staging runs in the given network.
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.resourceCountIs('AWS::EC2::VPC', 2);
    const pipeline: any = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0];
    const overridesOf = (stage: string) => JSON.stringify(pipeline.Properties.Stages.find((each: any) => each.Name === stage)
      .Actions.find((action: any) => action.Name === 'Deploy').Configuration.ParameterOverrides);
    expect(overridesOf('staging')).toContain(`\\"${TemplateParameter.SERVICE_SUBNET_IDS}\\":\\"${PUBLIC_SUBNETS.join(',')}\\"`);
    expect(overridesOf('staging')).toContain(`\\"${TemplateParameter.ASSIGN_PUBLIC_IP}\\":\\"ENABLED\\"`);
    expect(overridesOf('dev')).toContain(`\\"${TemplateParameter.ASSIGN_PUBLIC_IP}\\":\\"ENABLED\\"`);
    expect(overridesOf('production')).not.toContain(TemplateParameter.ASSIGN_PUBLIC_IP);
  });
});

interface Synthesized {
  readonly app: App;
  readonly stack: Stack;
  readonly template: Template;
}

function synthPipeline(stages: (stack: Stack) => PipelineStage[]): Synthesized {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'task-subnets-')) });
  const stack = new Stack(app, 'Toolchain');
  new CodeStarFargatePipeline(stack, 'Toolchain', {
    serviceName: SERVICE,
    source: PipelineSource.connection({ connectionArn: CONNECTION_ARN, owner: 'acme', repository: SERVICE }),
    stages: stages(stack),
  });
  return { app, stack, template: Template.fromStack(stack) };
}

function importedVpc(stack: Stack, publicSubnets: number, privateSubnets: number): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, `Vpc${publicSubnets}${privateSubnets}`, {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'].slice(0, Math.max(publicSubnets, privateSubnets)),
    publicSubnetIds: PUBLIC_SUBNETS.slice(0, publicSubnets),
    privateSubnetIds: PRIVATE_SUBNETS.slice(0, privateSubnets),
  });
}

describe('CodeStarFargatePipeline with a stage whose tasks run in public subnets', () => {
  it('creates that stage a VPC with public subnets only and no NAT gateway, and cdk-nag finds nothing', () => {
    // A staging stage, not production: production without a domain warns that it serves plain HTTP.
    const { app, stack, template } = synthPipeline(() => [{ name: 'dev', taskSubnets: TaskSubnets.PUBLIC }, { name: 'staging' }]);
    const natGateways = template.findResources('AWS::EC2::NatGateway');
    expect(Object.keys(natGateways).map(id => id.split('Vpc')[0])).toEqual(['ToolchainStagestaging']);
    expect(Object.keys(template.findResources('AWS::EC2::EIP')).map(id => id.split('Vpc')[0])).toEqual(['ToolchainStagestaging']);
    const devSubnets = Object.entries(template.findResources('AWS::EC2::Subnet')).filter(([id]) => id.startsWith('ToolchainStagedev'));
    expect(devSubnets.map(([, subnet]) => subnet.Properties.MapPublicIpOnLaunch)).toEqual([true, true]);
    expect(devSubnets.map(([, subnet]) => subnet.Properties.Tags.find((tag: any) => tag.Key === 'aws-cdk:subnet-type').Value)).toEqual(['Public', 'Public']);

    const checks = new AwsSolutionsChecks(app);
    Validations.of(app).addPlugins(checks);
    expect(checks.validateScope(app).violations).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('runs the tasks in the given network\'s public subnets with public IPs, and passes nothing new for private stages', () => {
    const toolchain = synthesizeToolchain([], undefined, {}, 'two VPCs', undefined, undefined, { dev: TaskSubnets.PUBLIC });
    const overrides = (stage: string) => {
      const [pipeline] = Object.values<any>(toolchain).filter(resource => resource.Type === 'AWS::CodePipeline::Pipeline');
      return JSON.parse(pipeline.Properties.Stages.find((each: any) => each.Name === stage).Actions.find((action: any) => action.Name === 'Deploy').Configuration.ParameterOverrides);
    };
    const dev = stageNetworkOf(toolchain, 'dev');
    expect(dev.serviceSubnetIds).toEqual(dev.loadBalancerSubnetIds);
    expect(overrides('dev')[TemplateParameter.ASSIGN_PUBLIC_IP]).toBe('ENABLED');
    expect(overrides('production')).not.toHaveProperty(TemplateParameter.ASSIGN_PUBLIC_IP);
    const production = stageNetworkOf(toolchain, 'production');
    expect(production.serviceSubnetIds).not.toEqual(production.loadBalancerSubnetIds);
  });

  it.each<[string, (stack: Stack) => PipelineStage, string]>([
    ['a value that is not a TaskSubnets', () => ({ name: 'dev', taskSubnets: 'public' as TaskSubnets }),
      'stages[0].taskSubnets "public" is not allowed in stage "dev": use TaskSubnets.PRIVATE (private subnets with a NAT gateway) or TaskSubnets.PUBLIC (public subnets, a public IP per task, no NAT gateway).'],
    ['a vpc with one public subnet for public tasks', stack => ({ name: 'dev', taskSubnets: TaskSubnets.PUBLIC, vpc: importedVpc(stack, 1, 0) }),
      'stages[0].vpc "vpc-0123456789abcdef0" is not allowed in stage "dev": it has 1 public subnets, and with taskSubnets PUBLIC the load balancer and the tasks need at least 2 public subnets (a route to an internet gateway) in two Availability Zones.'],
    ['a vpc without private subnets for private tasks', stack => ({ name: 'dev', vpc: importedVpc(stack, 2, 0) }),
      'stages[0].vpc "vpc-0123456789abcdef0" is not allowed in stage "dev": it has 2 public and 0 private-with-egress subnets, and the service needs at least 2 public subnets (load balancer) and 1 private subnet with egress (tasks), or taskSubnets: TaskSubnets.PUBLIC to run the tasks in the public subnets.'],
  ])('refuses %s', (_name, stage, message) => {
    expect(() => synthPipeline(stack => [stage(stack)])).toThrow(message);
  });

  it('accepts a vpc with public subnets only for public tasks', () => {
    const { template } = synthPipeline(stack => [{ name: 'dev', taskSubnets: TaskSubnets.PUBLIC, vpc: importedVpc(stack, 2, 0) }]);
    template.resourceCountIs('AWS::EC2::VPC', 0);
  });
});

describe('the deploy role of a stage, evaluated by the IAM policy simulator', () => {
  const toolchain = synthesizeToolchain([], undefined, {}, 'two VPCs', undefined, undefined, { dev: TaskSubnets.PUBLIC });
  const deployRoleOf = (stage: string): Principal => ({ identityPolicies: policiesOfRole(toolchain, `PipelineStage${stage}DeploymentRole`) });
  const createService = (stage: string, publicIp: string): Call => ({
    action: 'ecs:CreateService',
    resource: arn('ecs', `service/${SERVICE}-${stage}/${SERVICE}`),
    context: { 'ecs:task-definition': arn('ecs', `task-definition/${SERVICE}-${stage}:1`), 'ecs:subnet': stageNetworkOf(toolchain, stage).serviceSubnetIds, 'ecs:auto-assign-public-ip': publicIp },
  });

  it('gives tasks a public IP only in a stage whose tasks run in public subnets', async () => {
    expect(await decisions(deployRoleOf('dev'), [createService('dev', 'true'), createService('dev', 'false')])).toEqual([
      expect.stringMatching(/^Allowed: ecs:CreateService/),
      expect.stringMatching(/^ImplicitlyDenied: ecs:CreateService/),
    ]);
    expect(await decisions(deployRoleOf('production'), [createService('production', 'true'), createService('production', 'false')])).toEqual([
      expect.stringMatching(/^ImplicitlyDenied: ecs:CreateService/),
      expect.stringMatching(/^Allowed: ecs:CreateService/),
    ]);
  });

  it('keeps the public stage\'s tasks out of the private stage\'s subnets', async () => {
    const intoProduction = { ...createService('dev', 'true'), context: { ...createService('dev', 'true').context, 'ecs:subnet': stageNetworkOf(toolchain, 'production').serviceSubnetIds } };
    expect(await decisions(deployRoleOf('dev'), [intoProduction])).toEqual([expect.stringMatching(/^ImplicitlyDenied: /)]);
  });
});

describe('template.yml', () => {
  it('takes AssignPublicIp as a parameter, DISABLED unless the pipeline passes ENABLED', () => {
    const template = parse(synthService()['template.yml']);
    expect(template.Parameters[TemplateParameter.ASSIGN_PUBLIC_IP]).toMatchObject({ Type: 'String', AllowedValues: ['DISABLED', 'ENABLED'], Default: 'DISABLED' });
    const [service] = Object.values<any>(template.Resources).filter(resource => resource.Type === 'AWS::ECS::Service');
    expect(service.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toEqual({ Ref: TemplateParameter.ASSIGN_PUBLIC_IP });
  });

  it('lets only the load balancer\'s security group reach the tasks, whatever their subnets', () => {
    const template = parse(synthService()['template.yml']);
    const [service] = Object.values<any>(template.Resources).filter(resource => resource.Type === 'AWS::ECS::Service');
    const [taskGroup] = service.Properties.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups.map((group: any) => group['Fn::GetAtt'][0]);
    expect(template.Resources[taskGroup].Properties.SecurityGroupIngress).toBeUndefined();
    const ingress = Object.values<any>(template.Resources)
      .filter(resource => resource.Type === 'AWS::EC2::SecurityGroupIngress' && resource.Properties.GroupId['Fn::GetAtt'][0] === taskGroup);
    expect(ingress.map(rule => Object.keys(rule.Properties).filter(key => /Cidr|Source|PrefixList/.test(key)))).toEqual([['SourceSecurityGroupId']]);
    const [loadBalancer] = Object.values<any>(template.Resources).filter(resource => resource.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(loadBalancer.Properties.SecurityGroups).toContainEqual({ 'Fn::GetAtt': [ingress[0].Properties.SourceSecurityGroupId['Fn::GetAtt'][0], 'GroupId'] });
  });
});
