import * as fs from 'fs';
import * as path from 'path';
import { CodeStarFargateProject } from '../src';
import { copilotWorkspace, MANIFEST, notAppliedFields } from './copilot-workspace';
import { serviceOptions, synthWritesFilesOnly } from './helpers';
import { importCopilotManifest } from '../src/importers/copilot';

/* aws/copilot-cli's own test manifests (test/fixtures/copilot/README.md): each maps field for field, or is refused by its type. */

synthWritesFilesOnly();

const FIXTURES = path.join(__dirname, 'fixtures', 'copilot');

/** The fixture as a service manifest in a workspace of its own, imported as projen new would. */
function importFixture(file: string) {
  return importCopilotManifest(MANIFEST, copilotWorkspace(fs.readFileSync(path.join(FIXTURES, file), 'utf-8')));
}

const NO_HEALTH_PATH = (line: number) => `copilot/api/manifest.yml:${line}: the manifest names no health check path: healthCheckPath is "/", Copilot's default.`;

describe('aws/copilot-cli\'s Load Balanced Web Service manifests', () => {
  it('lb-svc.yml: every field mapped but Service Connect', () => {
    const result = importFixture('lb-svc.yml');
    expect(result.options).toEqual({
      appRuntime: 'container',
      serviceName: 'frontend',
      dockerfilePath: 'frontend/Dockerfile',
      dockerBuildContext: 'frontend',
      containerPort: 80,
      healthCheckPath: '/',
      cpu: 256,
      memory: 512,
      minContainers: 1,
      maxContainers: 1,
      stageOptions: [{ name: 'dev', enableExecuteCommand: true }, { name: 'production', enableExecuteCommand: true }],
    });
    expect(notAppliedFields(result)).toEqual(['network.connect @29']);
    expect(result.notes).toEqual([NO_HEALTH_PATH(10)]);
  });

  it('lb-svc-placement-private.yml: its one environment is the one stage; the placement is listed', () => {
    const result = importFixture('lb-svc-placement-private.yml');
    expect(result.options.stageOptions).toEqual([{ name: 'phonetool', enableExecuteCommand: true }]);
    expect(notAppliedFields(result)).toEqual(['network.connect @29', 'environments.phonetool.network.vpc.placement @47']);
  });

  it('stacklocal manifest.yml: autoscaling on CPU mapped; its path, memory scaling, Service Connect and overrides listed', () => {
    const result = importFixture('stacklocal-manifest.yml');
    expect(result.options).toMatchObject({ serviceName: 'my-svc', dockerfilePath: 'Dockerfile', dockerBuildContext: '.', containerPort: 5000, minContainers: 1, maxContainers: 10, autoScalingTargetCpu: 70 });
    expect(notAppliedFields(result)).toEqual(['http.path @19', 'count.memory_percentage @31', 'network.connect @35', 'taskdef_overrides @37']);
  });

  it('svc-grpc-manifest.yml: gRPC, an alias without a zone, storage and topics listed', () => {
    const result = importFixture('svc-grpc-manifest.yml');
    expect(result.options).toEqual({
      appRuntime: 'container',
      serviceName: 'gRPC',
      dockerfilePath: 'Dockerfile',
      dockerBuildContext: '.',
      containerPort: 50051,
      healthCheckPath: '/',
      cpu: 256,
      memory: 512,
      minContainers: 2,
      maxContainers: 10,
      autoScalingTargetCpu: 70,
      environment: { LOG_LEVEL: 'info' },
    });
    expect(notAppliedFields(result)).toEqual(['http.version @16', 'http.alias @18', 'storage @32', 'publish @36']);
    // Copilot allows capitals in a name; a name here must be lowercase (ECR, load balancer names): the options say so.
    expect(() => new CodeStarFargateProject({ ...serviceOptions(), ...result.options } as any)).toThrow(/^serviceName "gRPC" is not allowed/);
  });

  it('svc-manifest.yml: three environments as stages, one hosted zone, and 27 fields listed exactly', () => {
    const result = importFixture('svc-manifest.yml');
    expect(result.options).toEqual({
      appRuntime: 'container',
      serviceName: 'fe',
      dockerfilePath: 'Dockerfile',
      dockerBuildContext: '.',
      containerPort: 4000,
      healthCheckPath: '/',
      cpu: 256,
      memory: 512,
      minContainers: 2,
      maxContainers: 10,
      autoScalingTargetCpu: 70,
      environment: { LOG_LEVEL: 'info' },
      hostedZoneId: 'Z08230443CW11KE6JBNUA',
      hostedZoneName: 'example.com',
      stageOptions: [
        { name: 'test', domain: 'example.com' },
        { name: 'staging' },
        { name: 'prod', minContainers: 3, maxContainers: 12, secrets: { SQL_PASS: { ssmParameter: 'SQL_PASS' }, DB: { secretsManager: 'demo/testing/mysql' } } },
      ],
    });
    expect(notAppliedFields(result)).toEqual([
      'http.alias @17', 'count.cpu_percentage.cooldown @32', 'storage @34', 'publish @38',
      'environments.test.http.alb @58', 'environments.test.http.allowed_source_ips @59', 'environments.test.http.additional_rules @60',
      'environments.test.count.response_time @65', 'environments.test.network.vpc.security_groups @68',
      'environments.staging.image.location @75', 'environments.staging.count.spot @77', 'environments.staging.http.hosted_zone @79',
      'environments.staging.http.healthcheck.grace_period @82', 'environments.staging.http.deregistration_delay @83',
      'environments.staging.http.additional_rules @84', 'environments.prod.deployment @89', 'environments.prod.count.range.spot_from @96',
      'environments.prod.count.cooldown @97', 'environments.prod.variables.DB_NAME.from_cfn @102', 'environments.prod.secrets.GIT_USERNAME.from_cfn @106',
      'environments.prod.logging @109', 'environments.prod.http.alias @133', 'environments.prod.http.target_container @134',
      'environments.prod.http.additional_rules @135', 'environments.prod.network.connect @145', 'environments.prod.sidecars.nginx @148',
      'environments.prod.sidecars.operation @164',
    ]);
  });

  it.each(['lb-svc.yml', 'lb-svc-placement-private.yml', 'stacklocal-manifest.yml', 'svc-manifest.yml'])('%s: the mapped options make a valid service', (file) => {
    const project = new CodeStarFargateProject({ ...serviceOptions(), ...importFixture(file).options } as any);
    expect(project.settings.serviceName).toBe(importFixture(file).options.serviceName);
  });

  it('windows-svc-manifest.yml: refused by its platform, the tasks here run Linux', () => {
    expect(() => importFixture('windows-svc-manifest.yml')).toThrow('copilot/api/manifest.yml:30: platform "windows/x86_64" is not allowed: this package runs Linux tasks: linux/x86_64 (or linux/amd64) or linux/arm64.');
  });
});

describe('aws/copilot-cli\'s manifests of other types', () => {
  it.each([
    ['backend-svc-customhealthcheck.yml', 'Backend Service', 7],
    ['worker-svc-subscribe.yml', 'Worker Service', 7],
    ['scheduled-job-no-retries.yml', 'Scheduled Job', 7],
    ['rdws-manifest.yml', 'Request-Driven Web Service', 8],
    ['static-site-manifest.yml', 'Static Site', 7],
  ])('%s is refused as a %s', (file, type, line) => {
    expect(() => importFixture(file)).toThrow(`copilot/api/manifest.yml:${line}: type "${type}" is not allowed: a ${type} is a Copilot service type this package does not deploy.`);
  });

  it('pipeline-environment.yml, a pipeline manifest, is refused as a service manifest', () => {
    expect(() => importFixture('pipeline-environment.yml')).toThrow('copilot/api/manifest.yml:6: the manifest is not allowed: a Copilot service manifest says its type: type: Load Balanced Web Service.');
  });

  it('pipeline-environment.yml beside a service orders its stages test, prod', () => {
    const pipeline = fs.readFileSync(path.join(FIXTURES, 'pipeline-environment.yml'), 'utf-8');
    const dir = copilotWorkspace(fs.readFileSync(path.join(FIXTURES, 'svc-grpc-manifest.yml'), 'utf-8').replace('name: gRPC', 'name: grpc'),
      { 'copilot/pipelines/mock-pipeline/manifest.yml': pipeline });
    const result = importCopilotManifest(MANIFEST, dir);
    // Its stages deploy "deploy-env" only: not this service, so the pipeline does not order it.
    expect(result.options.stages).toBeUndefined();
    const all = pipeline.replace(/\n    deployments:\n      deploy-env:\n(        .*\n)+/g, '\n');
    const ordered = importCopilotManifest(MANIFEST, copilotWorkspace(fs.readFileSync(path.join(dir, MANIFEST), 'utf-8'), { 'copilot/pipelines/mock-pipeline/manifest.yml': all }));
    expect(ordered.options.stages).toEqual(['test', 'prod']);
    expect(notAppliedFields(ordered)).toContain('copilot/pipelines/mock-pipeline/manifest.yml: source @12');
  });
});
