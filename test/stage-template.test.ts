import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Project, Testing } from 'projen';
import { parse } from 'yaml';
import { CodeStarFargateProjectOptions } from '../src';
import { serviceOptions } from './helpers';
import { deployedAs } from './template-conditions';
import { strategyConditions } from '../src/components/deployment-strategy';
import { ServiceTemplate } from '../src/components/service-template';
import { conditionName } from '../src/components/stage-template';
import { TemplateParameter } from '../src/contract';
import { resolveServiceSettings } from '../src/validation';

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** A service whose stages differ in everything stage objects can say. */
const PER_STAGE: Partial<CodeStarFargateProjectOptions> = {
  environment: { LOG_LEVEL: 'info', GREETING: 'hello' },
  secrets: { API_KEY: { ssmParameter: '/orders/api-key' } },
  egress: [{ port: 6379, securityGroupId: 'sg-0123456789abcdef0', description: 'Redis' }],
  stageOptions: [
    { name: 'dev', environment: { GREETING: 'hello from dev' }, secrets: { DB_PASSWORD: { secretsManager: 'orders/dev/db', jsonKey: 'password' } }, egress: [{ port: 5432, cidr: '10.0.0.0/16' }] },
    { name: 'production', cpu: 1024, memory: 2048, autoScalingTargetCpu: 60, secrets: { DB_PASSWORD: { ssmParameter: '/orders/production/db-password', kmsKeyArn: KEY } } },
  ],
};

function synth(overrides: Partial<CodeStarFargateProjectOptions> = {}): { text: string; raw: any; dir: string } {
  const settings = resolveServiceSettings(serviceOptions(overrides), { cpu: 256, memoryMiB: 512 });
  const project = new Project({ name: 'test', outdir: mkdtempSync(join(tmpdir(), 'stage-template-')) });
  new ServiceTemplate(project, {
    settings,
    healthCheck: { gracePeriodSeconds: 60, deregistrationDelaySeconds: 30, startPeriodSeconds: 45, containerHealthCheckCommand: () => 'curl -fs http://127.0.0.1:8080/health || exit 1' },
  });
  const text: string = Testing.synth(project)['template.yml'];
  const dir = mkdtempSync(join(tmpdir(), 'stage-template-out-'));
  writeFileSync(join(dir, 'template.yml'), text);
  return { text, raw: parse(text), dir };
}

const perStage = synth(PER_STAGE);
const STAGE_CONDITIONS = [conditionName('dev'), conditionName('production')];

/** The stack a stage deploys (rolling), every per-stage choice made. */
function stackOf(raw: any, stage: string): any {
  return deployedAs(raw, { [TemplateParameter.STAGE]: stage }, [...STAGE_CONDITIONS, ...Object.keys(strategyConditions())]);
}

const container = (stack: any) => stack.Resources.TaskDefinition.Properties.ContainerDefinitions[0];

describe('template.yml with stage objects', () => {
  it('stays as it was for plain stage names: no variables, secrets or size lookups, and a stage condition only for ECS Exec', () => {
    const { raw } = synth();
    expect(container(raw).Environment).toBeUndefined();
    expect(container(raw).Secrets).toBeUndefined();
    // ECS Exec is on by default in dev and off in production, so that one choice needs the stage.
    expect(Object.keys(raw.Conditions).filter(name => /^Is.*Stage$/.test(name))).toEqual(['IsDevStage']);
    expect(raw.Resources.Service.Properties.EnableExecuteCommand).toEqual({ 'Fn::If': ['IsDevStage', true, false] });
    expect(raw.Resources.TaskDefinition.Properties.Cpu).toBe('256');
    expect(raw.Resources.ServiceSecurityGroup.Properties.SecurityGroupEgress).toHaveLength(1);
  });

  it('gives each stage the project\'s variables and its own, the stage\'s value winning', () => {
    expect(container(stackOf(perStage.raw, 'dev')).Environment).toEqual([{ Name: 'GREETING', Value: 'hello from dev' }, { Name: 'LOG_LEVEL', Value: 'info' }]);
    expect(container(stackOf(perStage.raw, 'production')).Environment).toEqual([{ Name: 'GREETING', Value: 'hello' }, { Name: 'LOG_LEVEL', Value: 'info' }]);
  });

  it('passes each stage its own secrets by reference: Secrets Manager with the JSON key, SSM by the parameter\'s ARN', () => {
    expect(container(stackOf(perStage.raw, 'dev')).Secrets).toEqual([
      { Name: 'API_KEY', ValueFrom: { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/orders/api-key' } },
      { Name: 'DB_PASSWORD', ValueFrom: { 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:orders/dev/db:password::' } },
    ]);
    expect(container(stackOf(perStage.raw, 'production')).Secrets[1]).toEqual(
      { Name: 'DB_PASSWORD', ValueFrom: { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/orders/production/db-password' } });
  });

  it('lets each stage\'s execution role read exactly its own secrets, and decrypt with the named key only through SSM', () => {
    const readPolicy = (stage: string) => stackOf(perStage.raw, stage).Resources.TaskExecutionRole.Properties.Policies
      .find((policy: any) => policy.PolicyName === 'ReadStageSecrets').PolicyDocument.Statement;
    expect(readPolicy('dev')).toEqual([
      { Sid: 'ReadStageSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:orders/dev/db-??????' }] },
      { Sid: 'ReadStageParameters', Effect: 'Allow', Action: 'ssm:GetParameters', Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/orders/api-key' }] },
    ]);
    expect(readPolicy('production')).toEqual([
      {
        Sid: 'ReadStageParameters',
        Effect: 'Allow',
        Action: 'ssm:GetParameters',
        Resource: [
          { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/orders/api-key' },
          { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/orders/production/db-password' },
        ],
      },
      { Sid: 'DecryptStageSecrets', Effect: 'Allow', Action: 'kms:Decrypt', Resource: [KEY], Condition: { StringEquals: { 'kms:ViaService': [{ 'Fn::Sub': 'ssm.${AWS::Region}.amazonaws.com' }] } } },
    ]);
  });

  it('opens the tasks\' egress to each stage\'s destinations on top of HTTPS, and to nothing else', () => {
    const egress = (stage: string) => {
      const { Resources } = stackOf(perStage.raw, stage);
      const separate = Object.values<any>(Resources).filter(resource => resource.Type === 'AWS::EC2::SecurityGroupEgress').map(resource => resource.Properties);
      return [...Resources.ServiceSecurityGroup.Properties.SecurityGroupEgress, ...separate]
        .map((rule: any) => `${rule.FromPort}-${rule.ToPort} ${rule.CidrIp ?? rule.DestinationSecurityGroupId}`);
    };
    expect(egress('dev')).toEqual(['443-443 0.0.0.0/0', '6379-6379 sg-0123456789abcdef0', '5432-5432 10.0.0.0/16']);
    expect(egress('production')).toEqual(['443-443 0.0.0.0/0', '6379-6379 sg-0123456789abcdef0']);
  });

  it('sizes each stage\'s tasks and sets its scaling target from the StageSettings mapping', () => {
    const { Mappings, Resources } = perStage.raw;
    expect(Resources.TaskDefinition.Properties.Cpu).toEqual({ 'Fn::FindInMap': ['StageSettings', { Ref: 'Stage' }, 'Cpu'] });
    expect(Resources.TaskDefinition.Properties.Memory).toEqual({ 'Fn::FindInMap': ['StageSettings', { Ref: 'Stage' }, 'Memory'] });
    expect(Resources.CpuScalingPolicy.Properties.TargetTrackingScalingPolicyConfiguration.TargetValue).toEqual({ 'Fn::FindInMap': ['StageSettings', { Ref: 'Stage' }, 'AutoScalingTargetCpu'] });
    expect(Mappings.StageSettings).toEqual({
      dev: { LogRetentionDays: 30, Cpu: '256', Memory: '512', AutoScalingTargetCpu: 50 },
      production: { LogRetentionDays: 365, Cpu: '1024', Memory: '2048', AutoScalingTargetCpu: 60 },
    });
  });

  it('is clean for cfn-lint and checkov', () => {
    const lint = spawnSync('cfn-lint', [join(perStage.dir, 'template.yml')], { encoding: 'utf-8' });
    expect(`${lint.stdout}${lint.stderr}`.trim()).toBe('');
    expect(lint.status).toBe(0);
    const checkov = spawnSync('checkov', ['-f', join(perStage.dir, 'template.yml'), '--framework', 'cloudformation', '--compact', '--quiet', '--skip-download'], { encoding: 'utf-8' });
    expect(`${checkov.stdout}${checkov.stderr}`).toMatch(/Failed checks: 0,/);
    expect(checkov.status).toBe(0);
  });
});
