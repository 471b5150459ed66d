import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { serviceOptions, synthService } from './helpers';
import { ACCOUNT, arn, boundaryOf, decisions, Principal, SERVICE, synthesizeToolchain } from './iam-simulation';
import { CodeStarFargateProject } from '../src';
import { DAY_TWO_DIR, DAY_TWO_SDK_VERSIONS, DAY_TWO_SOURCES } from '../src/components/day-two';

const REPO_ROOT = path.join(__dirname, '..');

function templateOf(files: Record<string, any>): any {
  return parse(files['template.yml']);
}

describe('ECS Exec per stage (enableExecuteCommand)', () => {
  it('is on for dev and off for production by default: the service flag and the task role\'s ExecuteCommand policy follow the stage', () => {
    const template = templateOf(synthService());
    expect(template.Resources.Service.Properties.EnableExecuteCommand).toEqual({ 'Fn::If': ['IsDevStage', true, false] });
    const [policy] = template.Resources.TaskRole.Properties.Policies;
    expect(policy['Fn::If'][0]).toBe('IsDevStage');
    expect(policy['Fn::If'][2]).toEqual({ Ref: 'AWS::NoValue' });
    expect(policy['Fn::If'][1].PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'], Resource: '*' },
      { Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': ['LogGroup', 'Arn'] } },
    ]);
  });

  it('is on for production only when asked by name, and off everywhere when every stage says so', () => {
    const everywhere = templateOf(synthService({ stageOptions: [{ name: 'dev' }, { name: 'production', enableExecuteCommand: true }] }));
    expect(everywhere.Resources.Service.Properties.EnableExecuteCommand).toBe(true);
    expect(everywhere.Resources.TaskRole.Properties.Policies).toHaveLength(1);
    const nowhere = templateOf(synthService({ stageOptions: [{ name: 'dev', enableExecuteCommand: false }, { name: 'production' }] }));
    expect(nowhere.Resources.Service.Properties.EnableExecuteCommand).toBe(false);
    expect(nowhere.Resources.TaskRole.Properties.Policies).toBeUndefined();
  });

  it('logs each session through the task definition\'s awslogs settings, into the stage\'s log group', () => {
    const template = templateOf(synthService());
    expect(template.Resources.Cluster.Properties.Configuration).toEqual({ ExecuteCommandConfiguration: { Logging: 'DEFAULT' } });
    expect(template.Resources.TaskDefinition.Properties.ContainerDefinitions[0].LogConfiguration.Options['awslogs-group']).toEqual({ Ref: 'LogGroup' });
  });

  it('refuses an enableExecuteCommand that is not true or false, naming the option and the stage, and writes nothing', () => {
    const options = serviceOptions({ stageOptions: [{ name: 'dev', enableExecuteCommand: 'yes' as unknown as boolean }] });
    expect(() => new CodeStarFargateProject(options)).toThrow('stageOptions[0].enableExecuteCommand "yes" is not allowed in stage "dev": it must be true or false.');
    expect(fs.readdirSync(options.outdir!)).toEqual([]);
  });

  it('passes cfn-lint with ECS Exec on in one stage and off in the other', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'day-two-lint-')), 'template.yml');
    fs.writeFileSync(file, synthService()['template.yml']);
    const result = spawnSync('cfn-lint', ['--', file], { encoding: 'utf-8' });
    expect({ status: result.status, output: `${result.stdout}${result.stderr}` }).toEqual({ status: 0, output: '' });
  });
});

describe('a stage\'s permissions boundary, for ECS Exec, over a role given AdministratorAccess', () => {
  const toolchain = synthesizeToolchain();
  const administrator = { name: 'AdministratorAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
  const devTask: Principal = { identityPolicies: [administrator], permissionBoundaryPolicies: [{ name: 'boundary', policy: boundaryOf(toolchain, 'dev') }] };
  const logGroup = (stage: string) => arn('logs', `log-group:/ecs/${SERVICE}/${stage}/6f1c2b3a-0000-4000-8000-000000000000`);

  it('lets the task open Session Manager\'s channels and write the session to its own stage\'s log group', async () => {
    const answers = await decisions(devTask, [
      ...['CreateControlChannel', 'CreateDataChannel', 'OpenControlChannel', 'OpenDataChannel'].map(action => ({ action: `ssmmessages:${action}`, resource: '*' })),
      { action: 'logs:DescribeLogGroups', resource: '*' },
      { action: 'logs:DescribeLogStreams', resource: logGroup('dev') },
      { action: 'logs:PutLogEvents', resource: `${logGroup('dev')}:log-stream:ecs-execute-command-0abc` },
    ]);
    expect(answers.filter(answer => !answer.startsWith('Allowed'))).toEqual([]);
  });

  it('keeps the session log out of another stage\'s log group, and ECS Exec sessions out of any other task', async () => {
    const answers = await decisions(devTask, [
      { action: 'logs:DescribeLogStreams', resource: logGroup('production') },
      { action: 'logs:PutLogEvents', resource: `${logGroup('production')}:log-stream:ecs-execute-command-0abc` },
      { action: 'ecs:ExecuteCommand', resource: arn('ecs', `task/${SERVICE}-production/0f1e2d3c4b5a69788796a5b4c3d2e1f0`) },
      { action: 'ssm:StartSession', resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123456789abcdef0` },
    ]);
    expect(answers.filter(answer => answer.startsWith('Allowed'))).toEqual([]);
  });

  it('lets no deploy role open Session Manager channels: they are the tasks\' only', () => {
    expect(JSON.stringify(Object.values(toolchain).filter((resource: any) => resource.Type === 'AWS::IAM::Role'))).not.toContain('ssmmessages');
  });
});

describe('the day-two commands a generated service gets', () => {
  const files = synthService();

  it('are projen tasks that run the managed CLI with ts-node\'s transpile-only hook and pass every argument on', () => {
    for (const command of ['status', 'logs', 'exec', 'rollback']) {
      const task = files['.projen/tasks.json'].tasks[command];
      expect(task.steps).toEqual([{ execArgs: ['node', '--require', 'ts-node/register/transpile-only', `${DAY_TWO_DIR}/cli.ts`, command], receiveArgs: true }]);
    }
    for (const source of DAY_TWO_SOURCES) {
      expect(files[`${DAY_TWO_DIR}/${source}`]).toBe(fs.readFileSync(path.join(REPO_ROOT, 'assets', 'day-two', source), 'utf-8').trimEnd());
      expect(files[`${DAY_TWO_DIR}/${source}`].split('\n')[0]).toMatch(/^\/\/ Managed by projen-codestar-fargate/);
    }
  });

  it('find the names the toolchain and template.yml give each stage in service.json', () => {
    const config = files[`${DAY_TWO_DIR}/service.json`];
    expect({ ...config, '//': undefined }).toEqual({
      '//': undefined,
      'serviceName': 'orders-api',
      'pipelineName': 'orders-api',
      'repositoryName': 'orders-api',
      'containerName': 'orders-api',
      'logGroupLogicalId': 'LogGroup',
      'imageParameter': 'ImageUri',
      'stages': ['dev', 'production'].map(stage => ({
        name: stage,
        stackName: `orders-api-${stage}`,
        clusterName: `orders-api-${stage}`,
        logGroupPrefix: `/ecs/orders-api/${stage}/`,
        deployedTagPrefix: `deployed-${stage}-`,
        alarmNames: ['error-rate', 'p99-latency', 'unhealthy-targets', 'cpu-high', 'memory-high', 'tasks-not-starting'].map(what => `orders-api-${stage}-${what}`),
        enableExecuteCommand: stage === 'dev',
        approvalRequired: stage === 'production',
      })),
    });
    const template = templateOf(files);
    expect(template.Resources.Cluster.Properties.ClusterName).toEqual({ 'Fn::Sub': 'orders-api-${Stage}' });
    expect(template.Resources.Service.Properties.ServiceName).toBe(config.containerName);
    expect(template.Resources.TaskDefinition.Properties.ContainerDefinitions[0].Name).toBe(config.containerName);
    expect(Object.keys(template.Resources)).toContain(config.logGroupLogicalId);
    expect(Object.keys(template.Parameters)).toContain(config.imageParameter);
  });

  it('name a stage\'s own account and its -access stack, for the message that asks for that account\'s credentials', () => {
    const network = { vpcId: 'vpc-0123456789abcdef0', publicSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], privateSubnetIds: ['subnet-0123456789abcdef2'] };
    const crossAccount = synthService({ stageOptions: [{ name: 'dev' }, { name: 'production', account: '222222222222', region: 'eu-west-1', network }] });
    expect(crossAccount[`${DAY_TWO_DIR}/service.json`].stages[1]).toMatchObject({ account: '222222222222', region: 'eu-west-1', accessStackName: 'orders-api-production-access' });
  });

  it('pin the AWS SDK clients the CLI imports, at the versions this package tests them with', () => {
    const ownDevDependencies = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf-8')).devDependencies;
    expect(Object.fromEntries(Object.keys(DAY_TWO_SDK_VERSIONS).map(name => [name, ownDevDependencies[name]]))).toEqual(DAY_TWO_SDK_VERSIONS);
    const serviceDevDependencies = files['package.json'].devDependencies;
    expect(Object.fromEntries(Object.keys(DAY_TWO_SDK_VERSIONS).map(name => [name, serviceDevDependencies[name]]))).toEqual(DAY_TWO_SDK_VERSIONS);
    const imported = new Set(DAY_TWO_SOURCES.flatMap(source => [...files[`${DAY_TWO_DIR}/${source}`].matchAll(/from '(@aws-sdk\/[^']+)'/g)].map(match => match[1])));
    expect([...imported].sort()).toEqual(Object.keys(DAY_TWO_SDK_VERSIONS).sort());
  });

  it('type-check under TypeScript\'s strict mode against those clients', () => {
    const result = spawnSync('npx', ['tsc', '--noEmit', '--strict', '--module', 'commonjs', '--moduleResolution', 'node', '--target', 'es2022', '--esModuleInterop', '--skipLibCheck', '--types', 'node', path.join('assets', 'day-two', 'cli.ts')], { cwd: REPO_ROOT, encoding: 'utf-8' });
    expect({ status: result.status, output: result.stdout }).toEqual({ status: 0, output: '' });
  });
});
