import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ACCOUNT, clientOptions, describeAlarms, REGION, REPOSITORY_URI, seedService, Seeded, SERVICE, TASK_ID } from './day-two-seed';
import { synthService } from './helpers';
import { Moto, RecordingProxy, startMoto, startRecordingProxy } from './moto';
import { AppRuntime, CodeStarFargateProjectOptions } from '../src';

const REPO_ROOT = path.join(__dirname, '..');
/** 2025-12-03T07:58:20Z, in the epoch seconds CodePipeline's JSON carries. */
const PIPELINE_STARTED = 1764748700;

/** A generated service written to a folder, its node_modules this repository's (where the pinned SDK clients are). */
function writeService(appRuntime: AppRuntime, options: Partial<CodeStarFargateProjectOptions> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `day-two-${appRuntime}-`));
  for (const [file, contents] of Object.entries(synthService({ appRuntime, ...options }))) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), typeof contents === 'string' ? contents : JSON.stringify(contents, null, 2));
  }
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of someone signed in to the account moto stands in for, and nothing of this machine's own AWS setup. */
function awsEnvironment(endpoint: string, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: endpoint,
    AWS_CONFIG_FILE: path.join(os.tmpdir(), 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(os.tmpdir(), 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    // Generated services run Node.js 24; this machine's 20 would add the SDK's upgrade notice to every stderr.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...overrides,
  };
}

describe('the day-two commands of a generated service, against moto on 127.0.0.1', () => {
  let moto: Moto;
  let proxy: RecordingProxy;
  let seeded: Seeded;
  let service: string;

  /**
   * The task's command line, as `npx projen <command>` runs it (tasks.json), in the service's folder. Asynchronous:
   * the recording proxy answers from this process.
   */
  async function dayTwo(args: string[], env: NodeJS.ProcessEnv = {}, dir = service): Promise<CommandResult> {
    const tasks = JSON.parse(fs.readFileSync(path.join(dir, '.projen', 'tasks.json'), 'utf-8')).tasks;
    const [program, ...programArgs] = tasks[args[0]].steps[0].execArgs as string[];
    return runCommand(program, [...programArgs, ...args.slice(1)], dir, awsEnvironment(proxy.url, env));
  }

  beforeAll(async () => {
    // Services report two running tasks; tasks run as soon as they start.
    moto = await startMoto({ MOTO_ECS_SERVICE_RUNNING: '2' });
    await fetch(`${moto.url}/moto-api/state-manager/set-transition`, { method: 'POST', body: JSON.stringify({ model_name: 'ecs::task', transition: { progression: 'immediate' } }) });
    seeded = await seedService(moto.url);
    // moto has no GetPipelineState: the stage states as CodePipeline reports them, for the execution moto ran.
    proxy = await startRecordingProxy(moto.url, {
      'CodePipeline.GetPipelineState': () => ({
        pipelineName: SERVICE,
        stageStates: [{ stageName: 'dev', latestExecution: { pipelineExecutionId: seeded.executionId, status: 'Succeeded' } }],
      }),
      // moto's answer has ISO times where the SDK reads epoch seconds; the execution moto started, as CodePipeline lists it.
      'CodePipeline.ListPipelineExecutions': () => ({
        pipelineExecutionSummaries: [{ pipelineExecutionId: seeded.executionId, status: 'InProgress', startTime: PIPELINE_STARTED, sourceRevisions: [{ actionName: 'Source', revisionId: 'c0ffee1234567890abcdef' }] }],
      }),
      'CloudWatch.DescribeAlarms': describeAlarms,
    });
    service = writeService(AppRuntime.NODE);
  }, 120_000);

  afterAll(async () => {
    await proxy?.stop();
    await moto?.stop();
  });

  it('status prints every stage in one line: stack, tasks, deployment, image digest, alarms in ALARM and the pipeline', async () => {
    const { status, stdout, stderr } = await dayTwo(['status']);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    const [dev, production] = stdout.trimEnd().split('\n');
    expect(dev).toMatch(/^dev {9}CREATE_COMPLETE {2}2\/2 running {2}ROLLING COMPLETED {2}/);
    expect(dev).toContain(seeded.digests[2].slice(0, 19));
    expect(dev).toContain(`ALARM: ${SERVICE}-dev-error-rate`);
    expect(dev).toMatch(/pipeline Succeeded, commit c0ffee123456, started 2025-12-03T07:58:20Z$/);
    expect(production).toMatch(/^production {2}CREATE_COMPLETE {2}2\/2 running/);
    expect(production).toContain('no alarm');
    expect(production).toContain('the pipeline has not run this stage yet');
  });

  it('status <stage> shows the stage in detail, and --json the same as data', async () => {
    const detail = await dayTwo(['status', 'dev']);
    expect(detail.status).toBe(0);
    expect(detail.stdout).toContain(`image       ${REPOSITORY_URI}@${seeded.digests[2]}`);
    expect(detail.stdout).toContain('tasks       2 running, 2 desired, 0 pending');
    expect(detail.stdout).toContain(`alarms      in ALARM: ${SERVICE}-dev-error-rate`);

    const json = JSON.parse((await dayTwo(['status', 'dev', '--json'])).stdout);
    expect(json).toMatchObject({
      stage: 'dev',
      stack: { name: `${SERVICE}-dev`, status: 'CREATE_COMPLETE' },
      tasks: { running: 2, desired: 2, pending: 0 },
      deployment: { strategy: 'ROLLING', rolloutState: 'COMPLETED' },
      image: `${REPOSITORY_URI}@${seeded.digests[2]}`,
      alarmsInAlarm: [`${SERVICE}-dev-error-rate`],
      pipeline: { executionId: seeded.executionId, status: 'Succeeded' },
    });
    // The pipeline is asked by its real name, the stage's alarms by theirs.
    expect(proxy.requests).toContainEqual({ operation: 'CodePipeline.ListPipelineExecutions', parameters: { pipelineName: SERVICE, maxResults: 50 } });
    expect(proxy.requests).toContainEqual({
      operation: 'CloudWatch.DescribeAlarms',
      parameters: { AlarmNames: ['error-rate', 'p99-latency', 'unhealthy-targets', 'cpu-high', 'memory-high', 'tasks-not-starting'].map(what => `${SERVICE}-dev-${what}`), StateValue: 'ALARM' },
    });
  });

  it('status shows a canary\'s shifted traffic and the commit the pipeline\'s run carried, from the calls moto lacks', async () => {
    proxy.answers['ECS.DescribeServices'] = () => ({
      services: [{
        serviceName: SERVICE,
        status: 'ACTIVE',
        runningCount: 2,
        desiredCount: 2,
        pendingCount: 1,
        taskDefinition: 'orders-api-dev:7',
        deploymentConfiguration: { strategy: 'CANARY' },
        deployments: [{ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', createdAt: 1764748800, taskDefinition: 'orders-api-dev:7' }],
      }],
    });
    proxy.answers['ECS.ListServiceDeployments'] = () => ({ serviceDeployments: [{ serviceDeploymentArn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/orders-api-dev/orders-api/abc' }] });
    proxy.answers['ECS.DescribeServiceDeployments'] = () => ({ serviceDeployments: [{ targetServiceRevision: { requestedProductionTrafficWeight: 10 } }] });
    proxy.answers['ECS.DescribeTaskDefinition'] = () => ({ taskDefinition: { containerDefinitions: [{ name: SERVICE, image: `${REPOSITORY_URI}@${seeded.digests[2]}` }] } });
    try {
      const { status, stdout } = await dayTwo(['status', 'dev']);
      expect(status).toBe(0);
      expect(stdout).toContain('deployment  CANARY IN_PROGRESS, 10% of traffic shifted, started 2025-12-03T08:00:00Z');
      expect(stdout).toContain('pipeline    Succeeded, commit c0ffee123456, started 2025-12-03T07:58:20Z');
      const listDeployments = proxy.requests.filter(request => request.operation === 'ECS.ListServiceDeployments').pop();
      expect(listDeployments?.parameters).toEqual({ cluster: `${SERVICE}-dev`, service: SERVICE, status: ['IN_PROGRESS'] });
    } finally {
      for (const operation of ['ECS.DescribeServices', 'ECS.ListServiceDeployments', 'ECS.DescribeServiceDeployments', 'ECS.DescribeTaskDefinition']) {
        delete proxy.answers[operation];
      }
    }
  });

  it('logs prints the stage\'s container logs since --since, newest last, with time and task id; --filter narrows them', async () => {
    const { status, stdout } = await dayTwo(['logs', 'dev']);
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.map(line => line.replace(/^\S+ {2}/, ''))).toEqual([
      `${TASK_ID}  GET /orders 200`,
      `${TASK_ID}  payment service timed out`,
      `${TASK_ID}  GET /health 200`,
    ]);
    expect(lines[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z {2}/);
    expect((await dayTwo(['logs', 'dev', '--since', '30m'])).stdout).toContain('listening on 8080');
    expect((await dayTwo(['logs', 'dev', '--filter', 'timed out'])).stdout.trimEnd().split('\n')).toEqual([expect.stringContaining('payment service timed out')]);
    expect(JSON.parse((await dayTwo(['logs', 'dev', '--json'])).stdout.split('\n')[0])).toEqual({ time: expect.any(String), task: TASK_ID, message: 'GET /orders 200' });
    // The stack names its log group; the command asks it rather than guessing.
    expect(proxy.requests).toContainEqual(expect.objectContaining({ operation: 'Logs.FilterLogEvents', parameters: expect.objectContaining({ logGroupName: seeded.logGroupName }) }));
  });

  it('refuses an unknown stage, a bad --since and an unknown flag in one line each, naming what is allowed', async () => {
    expect(await dayTwo(['status', 'qa'])).toEqual({ status: 1, stdout: '', stderr: `unknown stage "qa": ${SERVICE}'s stages are dev, production (from .projenrc.ts).\n` });
    expect((await dayTwo(['logs', 'dev', '--since', 'yesterday'])).stderr).toBe('--since "yesterday" is not allowed: give a number and a unit, s, m, h or d, e.g. --since 10m or --since 2h.\n');
    expect((await dayTwo(['logs'])).stderr).toBe('logs needs a stage: npx projen logs <stage>, one of dev, production.\n');
    const unknownFlag = await dayTwo(['status', '--verbose']);
    expect(unknownFlag.status).toBe(1);
    expect(unknownFlag.stderr).toMatch(/^Unknown option '--verbose'.*: npx projen status \[stage\] \[--json\]\n$/);
  });

  it('says in an empty account that each stage\'s stack is not deployed, and where it looked, without a stack trace', async () => {
    const { status, stdout, stderr } = await dayTwo(['status'], { AWS_REGION: 'eu-west-1' });
    expect({ status, stdout }).toEqual({ status: 1, stdout: '' });
    expect(stderr.trimEnd().split('\n')).toEqual(['dev', 'production'].map(stage =>
      `${stage}: the stack ${SERVICE}-${stage} is not deployed (account ${ACCOUNT}, region eu-west-1): let the pipeline deploy it (push to the source branch), or point AWS_PROFILE and AWS_REGION at the stage's account.`));
    expect((await dayTwo(['logs', 'dev'], { AWS_REGION: 'eu-west-1' })).stderr).toBe(`dev: neither the stack ${SERVICE}-dev nor a log group /ecs/${SERVICE}/dev/* exists (account ${ACCOUNT}, region eu-west-1): let the pipeline deploy the stage, or point AWS_PROFILE and AWS_REGION at its account.\n`);
  });

  it('destroy refuses to delete the toolchain while a stage stack uses its VPCs and roles, naming the stacks last stage first', async () => {
    const tasks = JSON.parse(fs.readFileSync(path.join(service, '.projen', 'tasks.json'), 'utf-8')).tasks;
    const guard = (tasks.destroy.steps[0].exec as string).split(' ');
    expect(guard.slice(-1)).toEqual(['destroy-guard']);
    const run = (env: NodeJS.ProcessEnv): Promise<CommandResult> => runCommand(guard[0], guard.slice(1), service, awsEnvironment(proxy.url, env));
    const refused = await run({});
    expect(refused).toEqual({
      status: 1,
      stdout: '',
      stderr: `the stage stacks ${SERVICE}-production (CREATE_COMPLETE), ${SERVICE}-dev (CREATE_COMPLETE) still exist: they run in the toolchain's VPCs and are deleted with its deploy roles, so delete them first, in this order (see docs/service.md, "Decommission the service"), then run npx projen destroy again.\n`,
    });
    // Where no stage stack is left, cdk destroy (the task's next step) may run.
    expect(await run({ AWS_REGION: 'eu-west-1' })).toEqual({ status: 0, stdout: `No stage stack of ${SERVICE} is left: destroying the toolchain.\n`, stderr: '' });
  });

  it('says how to sign in when there are no credentials', async () => {
    const { status, stderr } = await dayTwo(['status', 'dev'], { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' });
    expect({ status, stderr }).toEqual({
      status: 1,
      stderr: 'dev: no AWS credentials found: sign in (aws sso login --profile <profile>, then AWS_PROFILE=<profile>) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then run this again.\n',
    });
  });

  it('says exec needs the Session Manager plugin, and how to install it, when it is not on PATH', async () => {
    const { status, stderr } = await dayTwo(['exec', 'dev'], { PATH: path.dirname(process.execPath) });
    expect(status).toBe(1);
    expect(stderr).toContain('exec needs the AWS Session Manager plugin (session-manager-plugin), which is not on your PATH: install it as https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html describes');
  });

  describe('with a stand-in session-manager-plugin that records how it was started', () => {
    let pluginDir: string;
    const withPlugin = () => ({ PATH: `${pluginDir}:${process.env.PATH}` });

    beforeAll(() => {
      pluginDir = fs.mkdtempSync(path.join(os.tmpdir(), 'session-manager-plugin-'));
      const plugin = path.join(pluginDir, 'session-manager-plugin');
      fs.writeFileSync(plugin, `#!/bin/sh\n[ "$1" = --version ] && exit 0\nprintf '%s\\n' "$@" > "${pluginDir}/arguments"\n`, { mode: 0o755 });
    });

    it('says a stage with exec off, or without a running task, cannot be exec\'d into, and what to do', async () => {
      expect((await dayTwo(['exec', 'production'], withPlugin())).stderr).toBe('production: ECS Exec is off for this stage: set enableExecuteCommand: true in its stageOptions in .projenrc.ts, run npx projen, and let the pipeline deploy it (for production, consider turning it on only while you need it).\n');
      expect(await dayTwo(['exec', 'dev'], withPlugin())).toEqual({
        status: 1,
        stdout: '',
        stderr: `dev: the service ${SERVICE} in cluster ${SERVICE}-dev has no running task to exec into: see npx projen status dev and npx projen logs dev for why.\n`,
      });
    });

    it('asks ECS to exec into the stage\'s running task and hands the session to the plugin as the AWS CLI does', async () => {
      // moto 5.2 fails to start Fargate tasks (awsvpc) and has no ExecuteCommand: ECS's answers for a running task and its session.
      const taskId = TASK_ID;
      const taskArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${SERVICE}-dev/${taskId}`;
      proxy.answers['ECS.ListTasks'] = () => ({ taskArns: [taskArn] });
      proxy.answers['ECS.DescribeTasks'] = () => ({
        tasks: [{ taskArn, lastStatus: 'RUNNING', containers: [{ name: SERVICE, runtimeId: `${taskId}-1234567890`, lastStatus: 'RUNNING' }] }],
      });
      proxy.answers['ECS.ExecuteCommand'] = () => ({ session: { sessionId: 'ecs-execute-command-0abc', streamUrl: 'wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/ecs-execute-command-0abc', tokenValue: 'token' } });
      const { status, stderr } = await dayTwo(['exec', 'dev', '--', 'ls', '-la', '/app'], withPlugin());
      expect({ status, stderr }).toEqual({ status: 0, stderr: `dev: ls -la /app in task ${taskId} (container ${SERVICE}); the session is logged to the stage's log group.\n` });
      expect(proxy.requests.filter(request => request.operation === 'ECS.ExecuteCommand').pop()?.parameters).toEqual({
        cluster: `${SERVICE}-dev`, task: taskArn, container: SERVICE, interactive: true, command: 'ls -la /app',
      });
      const [session, region, operation, profile, target, endpoint] = fs.readFileSync(path.join(pluginDir, 'arguments'), 'utf-8').trimEnd().split('\n');
      expect(JSON.parse(session)).toEqual({ sessionId: 'ecs-execute-command-0abc', streamUrl: expect.stringMatching(/^wss:/), tokenValue: 'token' });
      expect([region, operation, profile, endpoint]).toEqual([REGION, 'StartSession', '', `https://ssm.${REGION}.amazonaws.com`]);
      expect(JSON.parse(target)).toEqual({ Target: `ecs:${SERVICE}-dev_${taskId}_${taskId}-1234567890` });
      expect(proxy.requests.filter(request => request.operation === 'ECS.ListTasks').pop()?.parameters).toEqual({ cluster: `${SERVICE}-dev`, serviceName: SERVICE, desiredStatus: 'RUNNING' });
    });
  });

  it('rollback redeploys the image dev ran before, through its stack with the deploy role and the previous template', async () => {
    const { status, stdout, stderr } = await dayTwo(['rollback', 'dev', '--json']);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(stdout)).toEqual({
      stage: 'dev',
      stackName: `${SERVICE}-dev`,
      from: `${REPOSITORY_URI}@${seeded.digests[2]}`,
      to: `${REPOSITORY_URI}@${seeded.digests[1]}`,
      deployedTag: 'deployed-dev-execution-2',
      roleArn: seeded.deployRoleArn,
    });
    expect(proxy.requests.filter(request => request.operation === 'cloudformation.UpdateStack').pop()?.parameters).toEqual(expect.objectContaining({
      'StackName': `${SERVICE}-dev`,
      'UsePreviousTemplate': 'true',
      'RoleARN': seeded.deployRoleArn,
      'Parameters.member.1.ParameterKey': 'Stage',
      'Parameters.member.1.UsePreviousValue': 'true',
      'Parameters.member.2.ParameterKey': 'ImageUri',
      'Parameters.member.2.ParameterValue': `${REPOSITORY_URI}@${seeded.digests[1]}`,
      'Parameters.member.3.ParameterKey': 'DeploymentStrategy',
      'Parameters.member.3.UsePreviousValue': 'true',
      'Capabilities.member.1': 'CAPABILITY_IAM',
      'Capabilities.member.2': 'CAPABILITY_AUTO_EXPAND',
    }));
    const cloudFormation = new CloudFormationClient(clientOptions(moto.url));
    const { Stacks: [stack] = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: `${SERVICE}-dev` }));
    expect(stack!.Parameters!.find(parameter => parameter.ParameterKey === 'ImageUri')?.ParameterValue).toBe(`${REPOSITORY_URI}@${seeded.digests[1]}`);

    // Rolled back once, the stage runs the second image: the one before it is the first.
    const again = await dayTwo(['rollback', 'dev']);
    expect(again.stdout).toContain(`dev: rolling ${SERVICE}-dev back from ${seeded.digests[1].slice(0, 19)} to ${seeded.digests[0].slice(0, 19)} (deployed-dev-execution-1, pushed `);
    expect((await dayTwo(['rollback', 'dev'])).stderr).toBe(`dev: cannot roll back ${SERVICE}-dev: the repository ${SERVICE} has no image the stage ran before ${seeded.digests[0].slice(0, 19)} (it keeps the last three each stage ran, tagged deployed-dev-<execution>).\n`);
  });

  it('rolls back a stage behind an approval only with --yes', async () => {
    expect(await dayTwo(['rollback', 'production'])).toEqual({
      status: 1,
      stdout: '',
      stderr: `production: cannot roll back ${SERVICE}-production: the pipeline deploys production only after an approval; run npx projen rollback production --yes to confirm.\n`,
    });
  });

  it('runs from a Spring Boot service the same way: the commands do not depend on the runtime', async () => {
    const springBoot = writeService(AppRuntime.SPRING_BOOT);
    for (const file of ['cli.ts', 'status.ts', 'service.json']) {
      expect(fs.readFileSync(path.join(springBoot, 'scripts', 'day-two', file), 'utf-8')).toBe(fs.readFileSync(path.join(service, 'scripts', 'day-two', file), 'utf-8'));
    }
    const { status, stdout } = await dayTwo(['status'], {}, springBoot);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^dev {9}/);
  });

  it('asks for credentials of a stage\'s own account, naming it and why no toolchain role there will do', async () => {
    const network = { vpcId: 'vpc-0123456789abcdef0', publicSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], privateSubnetIds: ['subnet-0123456789abcdef2'] };
    const crossAccount = writeService(AppRuntime.NODE, { stageOptions: [{ name: 'dev' }, { name: 'production', account: '222222222222', region: REGION, network }] });
    expect(await dayTwo(['status', 'production'], {}, crossAccount)).toEqual({
      status: 1,
      stdout: '',
      stderr: `production: runs in account 222222222222, but your credentials are for ${ACCOUNT}; the toolchain creates no role you can assume there (the roles of ${SERVICE}-production-access trust only CloudFormation, CodeBuild and the pipeline), so run with AWS_PROFILE set to a profile of account 222222222222.\n`,
    });
  });

  it('prints each command\'s usage offline through npx projen', async () => {
    for (const command of ['status', 'logs', 'exec', 'rollback']) {
      const env = { ...awsEnvironment('http://127.0.0.1:9'), AWS_ACCESS_KEY_ID: '' };
      const result = spawnSync('npx', ['projen', command, '--help'], { cwd: service, encoding: 'utf-8', env });
      expect({ status: result.status, usage: result.stdout.split('\n')[0] }).toEqual({ status: 0, usage: expect.stringMatching(new RegExp(`^npx projen ${command} `)) });
    }
  });
});

/** A command's exit status and output; asynchronous, so the AWS stand-in in this process keeps answering it. */
async function runCommand(program: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  const child = spawn(program, args, { cwd, env, timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const status = await new Promise<number | null>(resolve => child.on('close', code => resolve(code)));
  return { status, stdout, stderr };
}
