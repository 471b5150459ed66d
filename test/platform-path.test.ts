import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Project, Testing } from 'projen';
import { parse, stringify } from 'yaml';
import { overridesByStage, serviceOptions, synthService } from './helpers';
import { ServiceTemplate } from '../src/components/service-template';
import { CodeStarFargatePipeline, CodeStarFargatePipelineProps } from '../src/constructs/pipeline';
import { PipelineSource } from '../src/constructs/source';
import { PlatformTemplateParameter, TemplateOutput } from '../src/contract';
import { AppRuntime, CodeStarFargateProjectOptions, DeploymentStrategyType } from '../src/options';
import { toolchainSettings } from '../src/toolchain-settings';
import { resolveServiceSettings } from '../src/validation';

/** A service on a platform routed by its path (`platformPath`): its rules, URL, health path, pipeline and lint. */

const P = PlatformTemplateParameter;
const HEALTH_CHECK = { gracePeriodSeconds: 60, deregistrationDelaySeconds: 30, startPeriodSeconds: 45, containerHealthCheckCommand: () => 'curl -fs http://127.0.0.1:8080/orders-api/health || exit 1' };
const PATH_PATTERN = { Field: 'path-pattern', PathPatternConfig: { Values: ['/orders-api', '/orders-api/*'] } };
const HOST = { Field: 'host-header', HostHeaderConfig: { Values: [{ 'Fn::Sub': `orders-api.\${${P.DOMAIN_NAME}}` }] } };

function settingsOf(overrides: Partial<CodeStarFargateProjectOptions> = {}) {
  return resolveServiceSettings(serviceOptions({ platformName: 'acme', platformPath: '/orders-api', ...overrides }), { cpu: 256, memoryMiB: 512 });
}

function templateOf(overrides: Partial<CodeStarFargateProjectOptions> = {}): any {
  const project = new Project({ name: 'test', outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'platform-path-')) });
  new ServiceTemplate(project, { settings: settingsOf(overrides), healthCheck: HEALTH_CHECK });
  return parse(Testing.synth(project)['template.yml']);
}

describe('template.yml of a service routed by its platform path', () => {
  const template = templateOf({ deploymentStrategy: { type: DeploymentStrategyType.BLUE_GREEN } });

  it('matches its host and its path where the stage has a domain, its path alone where it has none, on both listeners', () => {
    expect(template.Conditions.PlatformHasDomain).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: P.DOMAIN_NAME }, 'none'] }] });
    for (const rule of ['ProductionListenerRule', 'TestListenerRule']) {
      expect(template.Resources[rule].Properties.Conditions).toEqual({ 'Fn::If': ['PlatformHasDomain', [HOST, PATH_PATTERN], [PATH_PATTERN]] });
    }
  });

  it('outputs <scheme>://<service>.<domain><path>, or <scheme>://<load balancer DNS name><path> without a domain', () => {
    expect(template.Outputs[TemplateOutput.SERVICE_URL].Value).toEqual({
      'Fn::If': ['PlatformHasDomain', { 'Fn::Sub': `\${${P.URL_SCHEME}}://orders-api.\${${P.DOMAIN_NAME}}/orders-api` }, { 'Fn::Sub': `\${${P.URL_SCHEME}}://\${${P.LOAD_BALANCER_DNS_NAME}}/orders-api` }],
    });
    expect(template.Parameters[P.LOAD_BALANCER_DNS_NAME].Type).toBe('AWS::SSM::Parameter::Value<String>');
  });

  it('checks the health path under the prefix, /orders-api/health by default', () => {
    const [group] = Object.values<any>(template.Resources).filter(resource => resource.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup');
    expect(group.Properties.HealthCheckPath).toBe('/orders-api/health');
    expect(settingsOf({ healthCheckPath: '/orders-api/status' }).healthCheckPath).toBe('/orders-api/status');
  });

  it('declares no load balancer DNS name for a service routed by its host name', () => {
    expect(templateOf({ platformPath: undefined }).Parameters[P.LOAD_BALANCER_DNS_NAME]).toBeUndefined();
  });

  it('records platformPath among the toolchain settings, as the stage guard accepts only its rules', () => {
    expect(toolchainSettings(settingsOf())).toMatchObject({ platformPath: '/orders-api' });
    expect(toolchainSettings(settingsOf({ platformPath: undefined }))).not.toHaveProperty('platformPath');
  });
});

describe('the generated files of a path-routed Spring Boot service', () => {
  const files = synthService({ name: 'orders-api', appRuntime: AppRuntime.SPRING_BOOT, platformName: 'acme', platformPath: '/orders-api' });
  const generated = files['app/src/main/resources/service.generated.yml'];

  it('serves every route under the path: the path is the app\'s context path, the health group one segment under it', () => {
    expect(generated).toContain('  servlet:\n');
    expect(generated).toContain('    context-path: /orders-api\n');
    expect(generated).toContain('additional-path: "server:/health"');
    expect(generated).toContain('health-check-path: /health');
  });

  it('checks the health path under the path from the load balancer and in the container', () => {
    const template = parse(files['template.yml']);
    const groups = Object.values(template.Resources as Record<string, any>).filter((resource) => resource.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup');
    expect(groups.length).toBeGreaterThan(0);
    groups.forEach((group) => expect(group.Properties.HealthCheckPath).toBe('/orders-api/health'));
    expect(files['template.yml']).toContain('http://127.0.0.1:8080/orders-api/health');
  });

  it('writes no context path for a service routed by its host name', () => {
    const hostRouted = synthService({ name: 'orders-api', appRuntime: AppRuntime.SPRING_BOOT, platformName: 'acme' });
    expect(hostRouted['app/src/main/resources/service.generated.yml']).not.toContain('context-path');
  });
});

describe('the generated files of a path-routed Node service', () => {
  const files = synthService({ name: 'orders-api', platformName: 'acme', platformPath: '/orders-api' });

  it('serves the sample route under the path, and smoke-tests the service\'s URL with the health path under it', () => {
    expect(files['app/src/server.ts']).toContain('server.get(\'/orders-api/hello\'');
    expect(files['app/test/server.test.ts']).toContain('${baseUrl}/orders-api/hello');
    expect(files['smoke-test.sh']).toContain('health_check_path="${HEALTH_CHECK_PATH:-/health}"');
    expect(files['smoke-test.sh']).toContain('e.g. http://127.0.0.1:8080/orders-api}');
    expect(files['.projen/tasks.json'].tasks['smoke-test'].env).toEqual({ HEALTH_CHECK_PATH: '/health' });
    expect(files['docs/service.md']).toContain('npx projen smoke-test http://localhost:8080/orders-api ');
    expect(files['app/src/service.generated.ts']).toContain('healthCheckPath: "/orders-api/health"');
  });
});

describe('linters on a path-routed service\'s template.yml', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-path-lint-'));
  const files = [DeploymentStrategyType.ROLLING, DeploymentStrategyType.BLUE_GREEN].map(type => {
    const file = path.join(dir, `${type.toLowerCase()}.yml`);
    fs.writeFileSync(file, stringify(templateOf({ deploymentStrategy: { type } })));
    return file;
  });
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { encoding: 'utf-8' });
    if (result.error) {
      throw new Error(`${command} could not be run (${result.error.message}); install it (pip install ${command}) — CI does.`);
    }
    return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
  };

  it('cfn-lint reports nothing, rolling and blue/green', () => {
    expect(run('cfn-lint', files)).toEqual({ status: 0, output: '' });
  });

  it('checkov finds nothing that is not skipped with a reason', () => {
    const result = run('checkov', ['-d', dir, '--framework', 'cloudformation', '--compact', '--quiet', '--skip-download']);
    expect(result.output).toMatch(/Failed checks: 0,/);
    expect(result.status).toBe(0);
  });
});

describe('platformPath', () => {
  const allowed = 'it must be "/orders-api" or a path under it (e.g. "/orders-api/v2"): segments of letters, digits and . _ ~ -, no "*", "?", spaces or trailing "/", at most 126 characters (the load balancer\'s 128 with the "/*" added); the service\'s name comes first so that no two services\' paths overlap.';
  it.each<[string, unknown]>([
    ['the root', '/'],
    ['a trailing slash', '/orders-api/'],
    ['no leading slash', 'orders-api'],
    ['a wildcard', '/orders-api/*'],
    ['a question mark', '/orders-api?'],
    ['a space', '/orders-api/v 2'],
    ['an empty segment', '/orders-api//v2'],
    ['a dot segment', '/orders-api/..'],
    ['another service\'s name first', '/payments'],
    ['a longer name sharing its start', '/orders-apix'],
    ['more than 126 characters', `/orders-api/${'a'.repeat(115)}`],
  ])('refuses %s, naming the option, the value and what is allowed', (_what, platformPath) => {
    expect(() => settingsOf({ platformPath: platformPath as string })).toThrow(`platformPath ${JSON.stringify(platformPath)} is not allowed with serviceName "orders-api": ${allowed}`);
  });

  it('takes 126 characters', () => {
    const longest = `/orders-api/${'a'.repeat(114)}`;
    expect(longest).toHaveLength(126);
    expect(settingsOf({ platformPath: longest }).platformPath).toBe(longest);
  });

  it('refuses a number', () => {
    expect(() => settingsOf({ platformPath: 42 as unknown as string })).toThrow(`platformPath 42 is not allowed: ${allowed}`);
  });

  it('refuses a Spring Boot health path more than one segment under the platformPath, naming what is allowed', () => {
    expect(() => synthService({ name: 'orders-api', appRuntime: AppRuntime.SPRING_BOOT, platformName: 'acme', platformPath: '/orders-api', healthCheckPath: '/orders-api/actuator/health' }))
      .toThrow('healthCheckPath "/orders-api/actuator/health" is not allowed with appRuntime "spring-boot": Spring Boot serves its health group only on a one-segment path under its context path, such as "/orders-api/health" or "/orders-api/status" with platformPath "/orders-api".');
  });

  it('refuses platformPath without platformName, naming both', () => {
    expect(() => settingsOf({ platformName: undefined })).toThrow('platformPath "/orders-api" is not allowed without platformName: only a platform\'s shared load balancer routes services by path (an own load balancer serves one service on every path); give platformName or remove platformPath.');
  });

  it.each([['/health', '/orders-api/health'], ['/orders-api', '/orders-api/health'], ['/orders-apix/health', '/orders-api/orders-apix/health']])('refuses healthCheckPath %j outside the path, naming the value to use', (healthCheckPath, use) => {
    expect(() => settingsOf({ healthCheckPath })).toThrow(`healthCheckPath ${JSON.stringify(healthCheckPath)} is not allowed with platformPath "/orders-api": the load balancer forwards only paths under "/orders-api" to the service, unchanged, so its health check must be under it too; use healthCheckPath ${JSON.stringify(use)}.`);
  });
});

describe('the pipeline of a path-routed service', () => {
  const synthPipeline = (props: Partial<CodeStarFargatePipelineProps> = {}) => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'platform-path-pipeline-')) });
    const stack = new Stack(app, 'Toolchain');
    new CodeStarFargatePipeline(stack, 'Toolchain', {
      serviceName: 'orders-api',
      source: PipelineSource.connection({ connectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d', owner: 'acme', repository: 'orders-api' }),
      platformName: 'acme',
      platformPath: '/orders-api',
      ...props,
    });
    return Template.fromStack(stack);
  };
  const template = synthPipeline();
  const projects = Object.values<any>(template.findResources('AWS::CodeBuild::Project'));
  const variablesOf = (project: any) => Object.fromEntries(project.Properties.Environment.EnvironmentVariables
    .map((variable: any) => [variable.Name, variable.Value]));

  it('passes each stage the load balancer\'s DNS name, which the URL without a domain uses', () => {
    for (const stage of ['dev', 'production']) {
      expect(overridesByStage(template)[stage][P.LOAD_BALANCER_DNS_NAME]).toBe(`/codestar-fargate/platforms/acme/${stage}/load-balancer-dns-name`);
    }
  });

  it('gives the guard the path-routed rule shape and no domain to read; the smoke test the health path under the service\'s URL', () => {
    const guard = projects.find(project => JSON.stringify(project.Properties.Description).includes('Clears a failed first create'));
    expect(JSON.parse(variablesOf(guard).PLATFORM_RULE_CONDITIONS)).toEqual({ 'Fn::If': ['PlatformHasDomain', [HOST, PATH_PATTERN], [PATH_PATTERN]] });
    expect(variablesOf(guard)).not.toHaveProperty('PLATFORM_DOMAIN_PARAMETER');
    const smokeTest = projects.find(project => 'HEALTH_CHECK_PATH' in variablesOf(project));
    expect(variablesOf(smokeTest).HEALTH_CHECK_PATH).toBe('/health');
  });

  it('lets a host-routed service\'s guard read its stage\'s domain, and nothing else of SSM', () => {
    const hostRouted = synthPipeline({ platformPath: undefined });
    const reads = Object.values<any>(hostRouted.findResources('AWS::IAM::Policy'))
      .flatMap(policy => policy.Properties.PolicyDocument.Statement)
      .filter((statement: any) => statement.Sid === 'ReadPlatformDomain');
    expect(reads.map((statement: any) => [statement.Action, JSON.stringify(statement.Resource)])).toEqual([
      ['ssm:GetParameter', expect.stringContaining(':parameter/codestar-fargate/platforms/acme/dev/domain-name')],
      ['ssm:GetParameter', expect.stringContaining(':parameter/codestar-fargate/platforms/acme/production/domain-name')],
    ]);
  });

  it('refuses platformPath without platformName, and a healthCheckPath outside it', () => {
    expect(() => synthPipeline({ platformName: undefined })).toThrow('platformPath "/orders-api" is not allowed without platformName');
    expect(() => synthPipeline({ healthCheckPath: '/health' })).toThrow('healthCheckPath "/health" is not allowed with platformPath "/orders-api"');
  });
});
