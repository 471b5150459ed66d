import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { stringify } from 'yaml';
import { AppRuntime, CodeStarFargatePipeline, PipelineSource } from '../src';
import { synthService } from './helpers';
import { roleTrustCheckCommand, roleTrustCheckEnvironment } from '../src/constructs/role-trust-guard';
import { DeploymentStrategyType } from '../src/options';

/**
 * The stage guard's check of template.yml's role trust policies, run as the buildspec runs it (bash, python3 with
 * PyYAML, as on CodeBuild's standard image; tests take cfn-lint's venv), on templates a dev commit could write.
 */

const ecsTasks = { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' };

/** A template with one role, Backdoor, trusting what `statements` say. */
function withRole(statements: unknown): object {
  return {
    Resources: {
      Backdoor: {
        Type: 'AWS::IAM::Role',
        Properties: { Path: '/orders/dev/', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: statements } },
      },
    },
  };
}

function check(template: string | object, options: { link?: boolean } = {}): { status: number | null; output: string } {
  const source = fs.mkdtempSync(path.join(os.tmpdir(), 'role-trust-'));
  const text = typeof template === 'string' ? template : stringify(template);
  if (options.link) {
    fs.writeFileSync(path.join(source, 'elsewhere.yml'), text);
    fs.symlinkSync(path.join(source, 'elsewhere.yml'), path.join(source, 'template.yml'));
  } else {
    fs.writeFileSync(path.join(source, 'template.yml'), text);
  }
  const environment = Object.fromEntries(Object.entries(roleTrustCheckEnvironment()).map(([name, variable]) => [name, String(variable.value)]));
  const result = spawnSync('bash', ['-c', `export PATH="/tmp/csf-venv/bin:$PATH"\n${roleTrustCheckCommand()}`], {
    encoding: 'utf-8',
    env: { PATH: `/tmp/csf-venv/bin:${process.env.PATH}`, HOME: process.env.HOME, ...environment, STAGE_GUARD_STEP: 'prepare', CODEBUILD_SRC_DIR: source },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function templateOf(files: Record<string, any>): string {
  const template = files['template.yml'];
  return typeof template === 'string' ? template : stringify(template);
}

describe('the stage guard\'s check of template.yml\'s role trust policies', () => {
  it('accepts a role only ECS tasks may assume, with a narrowing condition', () => {
    expect(check(withRole([{ ...ecsTasks, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }])))
      .toEqual({ status: 0, output: expect.stringContaining('template.yml: every role trusts only ECS') });
  });

  it.each(Object.values(AppRuntime))('accepts the template.yml this package generates for a %s service', (appRuntime) => {
    expect(check(templateOf(synthService({ appRuntime })))).toEqual({ status: 0, output: expect.stringContaining('every role trusts only ECS') });
  });

  it.each(Object.values(DeploymentStrategyType))('accepts the generated template.yml with %s, alone and on a platform', (type) => {
    expect(check(templateOf(synthService({ deploymentStrategy: { type } }))).status).toBe(0);
    expect(check(templateOf(synthService({ platformName: 'acme', deploymentStrategy: { type } }))).status).toBe(0);
  });

  it.each(fs.readdirSync(path.join(__dirname, '..', 'samples')))('accepts samples/%s/template.yml', (sample) => {
    expect(check(fs.readFileSync(path.join(__dirname, '..', 'samples', sample, 'template.yml'), 'utf-8')).status).toBe(0);
  });

  it.each([
    ['an outside account', { AWS: 'arn:aws:iam::999999999999:root' }, 'trusts {\'AWS\': \'arn:aws:iam::999999999999:root\'}'],
    ['any principal', '*', 'trusts \'*\''],
    ['an account named by a parameter', { AWS: { Ref: 'Outsider' } }, 'trusts {\'AWS\': {\'Ref\': \'Outsider\'}}'],
    ['a federated identity', { Federated: 'cognito-identity.amazonaws.com' }, 'trusts {\'Federated\': \'cognito-identity.amazonaws.com\'}'],
    ['another service of the account', { Service: 'lambda.amazonaws.com' }, 'trusts Service lambda.amazonaws.com'],
    ['a service and an outside account', { Service: 'ecs-tasks.amazonaws.com', AWS: '999999999999' }, 'trusts {\'Service\': \'ecs-tasks.amazonaws.com\', \'AWS\': \'999999999999\'}: only the Service principals ecs-tasks.amazonaws.com, ecs.amazonaws.com'],
    ['a service name CloudFormation resolves', { Service: { 'Fn::Sub': '${Svc}.amazonaws.com' } }, 'trusts Service {\'Fn::Sub\': \'${Svc}.amazonaws.com\'}, which only CloudFormation can resolve'],
  ])('refuses a role that %s may assume, naming the role', (_, principal, reason) => {
    const { status, output } = check(withRole([{ ...ecsTasks, Principal: principal }]));
    expect(status).toBe(1);
    expect(output).toContain(`refused: role Backdoor, trust statement 1 ${reason}`);
  });

  it('refuses a second statement that lets an outside account in, naming it', () => {
    const { status, output } = check(withRole([ecsTasks, { ...ecsTasks, Principal: { AWS: '999999999999' } }]));
    expect(status).toBe(1);
    expect(output).toContain('refused: role Backdoor, trust statement 2 trusts {\'AWS\': \'999999999999\'}');
    expect(output).not.toContain('trust statement 1');
  });

  it.each([
    ['NotPrincipal', { Effect: 'Allow', NotPrincipal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }, 'has NotPrincipal'],
    ['another action', { ...ecsTasks, Action: ['sts:AssumeRole', 'sts:TagSession'] }, 'has Action [\'sts:AssumeRole\', \'sts:TagSession\']: only sts:AssumeRole'],
    ['a Deny', { ...ecsTasks, Effect: 'Deny' }, 'has Effect \'Deny\': only Allow'],
  ])('refuses a trust statement with %s', (_, statement, reason) => {
    expect(check(withRole([statement])).output).toContain(`refused: role Backdoor, trust statement 1 ${reason}`);
  });

  it('refuses a trust policy it cannot read statically', () => {
    const template = { Resources: { Backdoor: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { 'Fn::If': ['Dev', {}, {}] } } } } };
    expect(check(template).output).toContain('refused: role Backdoor has the trust policy');
    expect(check(withRole({ 'Fn::If': ['Dev', [ecsTasks], []] })).output).toContain('refused: role Backdoor has the trust policy');
  });

  it('refuses short-form intrinsics in a principal, as CloudFormation reads them', () => {
    const text = stringify(withRole([{ ...ecsTasks, Principal: { AWS: 'OUTSIDER' } }])).replace('AWS: OUTSIDER', 'AWS: !Ref Outsider');
    expect(text).toContain('!Ref Outsider');
    expect(check(text).output).toContain('refused: role Backdoor, trust statement 1 trusts {\'AWS\': {\'Ref\': \'Outsider\'}}');
  });

  it('refuses a key given twice, which could show the check one principal and CloudFormation another', () => {
    const text = stringify(withRole([ecsTasks])).replace('Service: ecs-tasks.amazonaws.com', 'Service: ecs-tasks.amazonaws.com\n              Service: lambda.amazonaws.com');
    expect(text).toContain('lambda');
    expect(check(text)).toEqual({ status: 1, output: expect.stringContaining('Service given more than once') });
  });

  it('refuses a template.yml that is a link', () => {
    expect(check(withRole([ecsTasks]), { link: true })).toEqual({ status: 1, output: expect.stringContaining('template.yml is not a regular file') });
  });
});

describe('the stage guard\'s prepare step', () => {
  /** The guard's build commands and environment variable names for a pipeline with one dev stage. */
  const guardOf = (platformName?: string) => {
    const stack = new Stack(new App(), 'Toolchain');
    new CodeStarFargatePipeline(stack, 'Pipeline', {
      serviceName: 'orders',
      source: PipelineSource.connection({ connectionArn: 'arn:aws:codeconnections:eu-west-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d', owner: 'acme', repository: 'orders' }),
      stages: [{ name: 'dev' }],
      platformName,
    });
    const [guard] = Object.values(Template.fromStack(stack).findResources('AWS::CodeBuild::Project'))
      .filter((project: any) => JSON.stringify(project.Properties.Description).includes('Clears a failed first create'));
    const commands: string[] = JSON.parse(guard.Properties.Source.BuildSpec).phases.build.commands;
    return { commands, environment: guard.Properties.Environment.EnvironmentVariables.map((variable: any) => variable.Name) };
  };

  it.each([['an isolated service', undefined], ['a service on a platform', 'acme']])('checks the role trust policies of %s first, before anything else runs', (_, platformName) => {
    const { commands, environment } = guardOf(platformName);
    expect(commands[0]).toBe(roleTrustCheckCommand());
    expect(commands.slice(1).join('\n')).not.toContain('role-trust-check');
    expect(environment).toContain('TRUSTED_ROLE_SERVICES');
  });
});
