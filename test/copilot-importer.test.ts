import { CONTAINER, imported, notAppliedFields, service } from './copilot-workspace';

/* A Copilot Load Balanced Web Service manifest read into this package's options, field by field. */

const BUILD = ['image:', '  build: ./Dockerfile', '  port: 8080', 'http:', '  path: /', '  healthcheck: /healthz'];

describe('a Copilot manifest\'s fields as options', () => {
  it('maps name, image, port, health path, size, count, platform, variables, secrets and exec', () => {
    const result = imported(service(
      ...BUILD,
      'cpu: 512',
      'memory: 1024',
      'count: 2',
      'platform: linux/arm64',
      'exec: true',
      'variables:',
      '  LOG_LEVEL: info',
      '  WORKERS: 4',
      '  DEBUG: false',
      'secrets:',
      '  GITHUB_TOKEN: GITHUB_TOKEN',
      '  API_KEY: arn:aws:ssm:eu-west-1:123456789012:parameter/orders/api-key',
      '  DB_PASSWORD:',
      "    secretsmanager: 'orders/db:password::'",
      '  DB_URL: arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/url-AbCdEf',
    ));
    expect(result.options).toEqual({
      ...CONTAINER,
      serviceName: 'api',
      containerPort: 8080,
      healthCheckPath: '/healthz',
      cpu: 512,
      memory: 1024,
      minContainers: 2,
      maxContainers: 2,
      architecture: 'ARM64',
      environment: { LOG_LEVEL: 'info', WORKERS: '4', DEBUG: 'false' },
      secrets: {
        GITHUB_TOKEN: { ssmParameter: 'GITHUB_TOKEN' },
        API_KEY: { ssmParameter: '/orders/api-key' },
        DB_PASSWORD: { secretsManager: 'orders/db', jsonKey: 'password' },
        DB_URL: { secretsManager: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/url-AbCdEf' },
      },
      stageOptions: [{ name: 'dev', enableExecuteCommand: true }, { name: 'production', enableExecuteCommand: true }],
    });
    expect(result.notApplied).toEqual([]);
    expect(result.notes).toEqual([]);
  });

  it('takes image.build as { dockerfile, context }, and the context\'s Dockerfile for a context alone', () => {
    expect(imported(service('image:', '  build:', '    dockerfile: docker/Dockerfile.prod', '    context: service', '  port: 80')).options)
      .toMatchObject({ dockerfilePath: 'docker/Dockerfile.prod', dockerBuildContext: 'service' });
    expect(imported(service('image:', '  build:', '    context: ./service', '  port: 80')).options)
      .toMatchObject({ dockerfilePath: 'service/Dockerfile', dockerBuildContext: 'service' });
    expect(imported(service('image:', '  build: ./frontend/Dockerfile', '  port: 80')).options)
      .toMatchObject({ dockerfilePath: 'frontend/Dockerfile', dockerBuildContext: 'frontend' });
  });

  it('maps count.range "1-10" or { min, max } and cpu_percentage (a number or { value }) to autoscaling', () => {
    expect(imported(service(...BUILD, 'count:', '  range: 1-10', '  cpu_percentage: 70')).options)
      .toMatchObject({ minContainers: 1, maxContainers: 10, autoScalingTargetCpu: 70 });
    expect(imported(service(...BUILD, 'count:', '  range:', '    min: 2', '    max: 6', '  cpu_percentage:', '    value: 60')).options)
      .toMatchObject({ minContainers: 2, maxContainers: 6, autoScalingTargetCpu: 60 });
  });

  it('maps http.healthcheck.path and lists the thresholds this package keeps its own', () => {
    const result = imported(service('image:', '  build: ./Dockerfile', '  port: 8080', 'http:', '  path: /', '  healthcheck:',
      '    path: /ready', '    healthy_threshold: 3', '    unhealthy_threshold: 2', '    interval: 10s', '    timeout: 5s', '    grace_period: 60s'));
    expect(result.options.healthCheckPath).toBe('/ready');
    expect(notAppliedFields(result)).toEqual([
      'http.healthcheck.healthy_threshold @10', 'http.healthcheck.unhealthy_threshold @11', 'http.healthcheck.interval @12',
      'http.healthcheck.timeout @13', 'http.healthcheck.grace_period @14',
    ]);
  });

  it('takes Copilot\'s default health path, /, when the manifest names none, and says so', () => {
    const result = imported(service('image:', '  build: ./Dockerfile', '  port: 8080', 'http:', '  path: /'));
    expect(result.options.healthCheckPath).toBe('/');
    expect(result.notes).toEqual(['copilot/api/manifest.yml:6: the manifest names no health check path: healthCheckPath is "/", Copilot\'s default.']);
  });

  it('lists a path other than / as not applied, with what to do instead', () => {
    const result = imported(service('image:', '  build: ./Dockerfile', '  port: 8080', 'http:', '  path: api', '  healthcheck: /api/health'));
    expect(result.notApplied).toEqual([{
      field: 'http.path',
      where: 'copilot/api/manifest.yml:7',
      advice: 'a service here has its own load balancer and answers every path: serve the app at /, or join a platform (--platform-name), where http.path becomes platformPath',
    }]);
  });

  describe('with --platform-name, on a platform\'s shared load balancer', () => {
    it('maps http.path to platformPath, with a leading and without a trailing /', () => {
      for (const [route, platformPath] of [['api', '/api'], ['/api/v2/', '/api/v2'], ["'api/v2'", '/api/v2']]) {
        const result = imported(service('image:', '  build: ./Dockerfile', '  port: 8080', 'http:', `  path: ${route}`, '  healthcheck: /api/health'), {}, { platformName: 'acme' });
        expect([route, result.options.platformPath, result.notApplied]).toEqual([route, platformPath, []]);
      }
    });

    it('leaves the health check to the default under the path when the manifest names none, and says so', () => {
      const result = imported(service('image:', '  build: ./Dockerfile', '  port: 8080', 'http:', '  path: api'), {}, { platformName: 'acme' });
      expect(result.options.platformPath).toBe('/api');
      expect(result.options.healthCheckPath).toBeUndefined();
      expect(result.notes).toEqual(['copilot/api/manifest.yml:6: the manifest names no health check path: healthCheckPath is "/api/health", the default under platformPath; check that the app answers it.']);
    });

    it('sets no platformPath for / and keeps Copilot\'s default health path', () => {
      const result = imported(service('image:', '  build: ./Dockerfile', '  port: 8080', 'http:', '  path: /'), {}, { platformName: 'acme' });
      expect(result.options.platformPath).toBeUndefined();
      expect(result.options.healthCheckPath).toBe('/');
    });

    it('lists an environment\'s own path as not applied: the path is the same in every stage', () => {
      const result = imported(service('image:', '  build: ./Dockerfile', '  port: 8080', 'http:', '  path: api', '  healthcheck: /api/health',
        'environments:', '  prod:', '    http:', '      path: api/v2'), {}, { platformName: 'acme' });
      expect(result.options.platformPath).toBe('/api');
      expect(notAppliedFields(result)).toEqual(['environments.prod.http.path @12']);
    });

    it('lists http.alias and hosted_zone as not applied: the platform\'s domain names the service', () => {
      const result = imported(service(...BUILD, '  alias: api.example.com', '  hosted_zone: Z0123456789ABCDEFGHIJ'), {}, { platformName: 'acme' });
      expect(result.options.hostedZoneId).toBeUndefined();
      expect(result.options.stageOptions).toBeUndefined();
      expect(result.notApplied.map((entry) => [entry.field, entry.advice])).toEqual([
        ['http.alias', 'on a platform the service answers on <service>.<platform domain> (the platform\'s certificate covers it): point the alias\'s record at it, or route the name in the platform'],
        ['http.hosted_zone', 'on a platform the service answers on <service>.<platform domain> (the platform\'s certificate covers it): point the alias\'s record at it, or route the name in the platform'],
      ]);
    });
  });

  it('maps http.alias with hosted_zone to the hosted zone and the production stage\'s domain', () => {
    const result = imported(service(...BUILD, '  alias: api.example.com', '  hosted_zone: Z0123456789ABCDEFGHIJ'));
    expect(result.options).toMatchObject({
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      hostedZoneName: 'api.example.com',
      stageOptions: [{ name: 'dev' }, { name: 'production', domain: 'api.example.com' }],
    });
    expect(result.notes).toContain('hostedZoneName api.example.com is the aliases\' common parent domain: check that it is the name of hosted zone Z0123456789ABCDEFGHIJ.');
  });

  it('gives each environment its own alias, in one zone named by the aliases\' common parent', () => {
    const result = imported(service(...BUILD,
      'environments:',
      '  test:',
      '    http:',
      '      alias:',
      '        - name: api.test.example.com',
      '          hosted_zone: Z0123456789ABCDEFGHIJ',
      '  prod:',
      '    http:',
      '      alias: { name: api.example.com, hosted_zone: Z0123456789ABCDEFGHIJ }',
    ));
    expect(result.options).toMatchObject({
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      hostedZoneName: 'example.com',
      stageOptions: [{ name: 'test', domain: 'api.test.example.com' }, { name: 'prod', domain: 'api.example.com' }],
    });
    expect(result.notApplied).toEqual([]);
  });

  it('lists an alias without a hosted zone, which Copilot put in the application\'s domain', () => {
    const result = imported(service(...BUILD, '  alias: api.example.com'));
    expect(result.options.hostedZoneId).toBeUndefined();
    expect(notAppliedFields(result)).toEqual(['http.alias @9']);
  });

  it('makes each environment a stage, in the manifest\'s order, with its overrides as the stage\'s options', () => {
    const result = imported(service(...BUILD,
      'cpu: 256',
      'memory: 512',
      'variables:',
      '  LOG_LEVEL: info',
      'environments:',
      '  test:',
      '    count: 1',
      '  prod:',
      '    cpu: 1024',
      '    memory: 2048',
      '    exec: false',
      '    count:',
      '      range: 2-8',
      '      cpu_percentage: 60',
      '    variables:',
      '      LOG_LEVEL: warn',
      '    secrets:',
      '      DB_PASSWORD: /orders/prod/db',
    ));
    expect(result.options).toMatchObject({
      cpu: 256,
      memory: 512,
      environment: { LOG_LEVEL: 'info' },
      stageOptions: [
        { name: 'test', minContainers: 1, maxContainers: 1 },
        {
          name: 'prod',
          cpu: 1024,
          memory: 2048,
          minContainers: 2,
          maxContainers: 8,
          autoScalingTargetCpu: 60,
          environment: { LOG_LEVEL: 'warn' },
          secrets: { DB_PASSWORD: { ssmParameter: '/orders/prod/db' } },
          enableExecuteCommand: false,
        },
      ],
    });
    expect(result.options.stages).toBeUndefined();
  });

  it('writes plain stage names for environments without overrides', () => {
    const result = imported(service(...BUILD, 'environments:', '  test:', '  prod:'));
    expect(result.options.stages).toEqual(['test', 'prod']);
    expect(result.options.stageOptions).toBeUndefined();
  });

  it('orders the stages as copilot/pipelines/*/manifest.yml does, with its approvals, and lists its other fields', () => {
    const pipeline = [
      'name: release',
      'version: 1',
      'source:',
      '  provider: GitHub',
      '  properties: { branch: main, repository: https://github.com/acme/api }',
      'stages:',
      '  - name: test',
      '    test_commands: [make test]',
      '  - name: staging',
      '  - name: prod',
      '    requires_approval: true',
      '',
    ].join('\n');
    const result = imported(service(...BUILD, 'environments:', '  prod:', '    count: 3', '  test:', '    count: 1'), { 'copilot/pipelines/release/manifest.yml': pipeline });
    expect(result.options.stageOptions).toEqual([
      { name: 'test', minContainers: 1, maxContainers: 1 },
      { name: 'staging' },
      { name: 'prod', minContainers: 3, maxContainers: 3, approval: true },
    ]);
    expect(notAppliedFields(result)).toEqual(['copilot/pipelines/release/manifest.yml: source @3', 'copilot/pipelines/release/manifest.yml: stages[0].test_commands @8']);
  });

  it('ignores a pipeline whose stages deploy other services only', () => {
    const pipeline = 'name: web\nstages:\n  - name: prod\n    deployments:\n      web:\n  - name: test\n    deployments:\n      web:\n';
    expect(imported(service(...BUILD, 'environments:', '  test:', '  prod:'), { 'copilot/pipelines/web/manifest.yml': pipeline }).options.stages).toEqual(['test', 'prod']);
  });

  it('refuses an environment the pipeline does not deploy to, naming it and the pipeline\'s stages', () => {
    const pipeline = 'name: release\nstages:\n  - name: test\n  - name: prod\n';
    expect(() => imported(service(...BUILD, 'environments:', '  staging:', '    count: 2'), { 'copilot/pipelines/release/manifest.yml': pipeline })).toThrow(
      'copilot/api/manifest.yml:10: environments.staging is not allowed: the pipeline copilot/pipelines/release/manifest.yml:2 deploys to test, prod only, and every stage here deploys through the pipeline. Add staging to the pipeline\'s stages, or leave its overrides out.');
  });

  it('lists an override of a project-wide value (image, health path, platform) that differs from the top level', () => {
    const result = imported(service(...BUILD, 'environments:', '  prod:', '    image:', '      port: 9090', '    http:', '      healthcheck: /healthz', '    platform: linux/arm64'));
    expect(notAppliedFields(result)).toEqual(['environments.prod.image.port @12', 'environments.prod.platform @15']);
    expect(result.notApplied[0].advice).toBe('the image is the project\'s, the same in every stage');
  });
});

describe('what a Copilot manifest says that no option carries', () => {
  it('is listed by its field path, at the top level and in environments, each with what to do instead', () => {
    const result = imported(service(...BUILD,
      '  stickiness: true',
      'sidecars:',
      '  nginx:',
      '    image: nginx',
      '  xray:',
      '    image: amazon/aws-xray-daemon',
      'storage:',
      '  readonly_fs: true',
      'publish:',
      '  topics: [{ name: orders }]',
      'network:',
      '  connect: true',
      '  vpc:',
      '    placement: private',
      'nlb:',
      '  port: 443/tls',
      'taskdef_overrides:',
      '  - path: ContainerDefinitions[0].Ulimits',
      '    value: []',
      'logging:',
      '  retention: 30',
      'observability:',
      '  tracing: awsxray',
      'deployment:',
      '  rolling: recreate',
      'entrypoint: /bin/start',
      'environments:',
      '  prod:',
      '    sidecars:',
      '      nginx:',
      '        port: 80',
      '    variables:',
      '      DB_HOST:',
      '        from_cfn: orders-db-host',
    ));
    expect(notAppliedFields(result)).toEqual([
      'http.stickiness @9', 'sidecars.nginx @11', 'sidecars.xray @13', 'storage @15', 'publish @17', 'network.connect @20',
      'network.vpc.placement @22', 'nlb @23', 'taskdef_overrides @25', 'logging @28', 'observability @30', 'deployment @32',
      'entrypoint @34', 'environments.prod.sidecars.nginx @38', 'environments.prod.variables.DB_HOST.from_cfn @42',
    ]);
    expect(result.notApplied.find((entry) => entry.field === 'environments.prod.sidecars.nginx')?.advice)
      .toBe('add the container to the task definition: change template.yml through project.serviceTemplate.addOverride in .projenrc.ts');
    expect(result.notApplied.find((entry) => entry.field === 'network.vpc.placement')?.advice)
      .toBe('set stageOptions[].taskSubnets (TaskSubnets.PUBLIC or TaskSubnets.PRIVATE, the default here)');
  });
});

describe('a Copilot manifest that is refused', () => {
  it.each([
    ['Backend Service'], ['Worker Service'], ['Scheduled Job'], ['Request-Driven Web Service'], ['Static Site'],
  ])('refuses a %s, naming the type and what this package deploys', (type) => {
    expect(() => imported(`name: api\ntype: ${type}\n`)).toThrow(
      `copilot/api/manifest.yml:2: type "${type}" is not allowed: a ${type} is a Copilot service type this package does not deploy. projen-codestar-fargate deploys a Load Balanced Web Service only: an ECS Fargate service answering HTTP(S) behind a load balancer, with its pipeline.`);
  });

  it('refuses a manifest without a type', () => {
    expect(() => imported('name: api\nimage:\n  port: 80\n')).toThrow('copilot/api/manifest.yml:1: the manifest is not allowed: a Copilot service manifest says its type: type: Load Balanced Web Service.');
  });

  it('refuses malformed YAML, naming the file and line', () => {
    expect(() => imported(service('image:', '  build: ./Dockerfile', '   port: 80'))).toThrow(/^copilot\/api\/manifest\.yml:4: the manifest is not valid YAML: Nested mappings are not allowed/);
    expect(() => imported(service('cpu: 256', 'cpu: 512'))).toThrow(/^copilot\/api\/manifest\.yml:4: the manifest is not valid YAML: Map keys must be unique/);
  });

  it('refuses a field of the wrong type, naming the file, line, field and value', () => {
    expect(() => imported(service(...BUILD, 'cpu: lots'))).toThrow('copilot/api/manifest.yml:9: cpu "lots" is not allowed: it must be a number of CPU units, e.g. 256.');
    expect(() => imported(service(...BUILD, 'memory: "512"'))).toThrow('copilot/api/manifest.yml:9: memory "512" is not allowed: it must be a number of MiB, e.g. 512.');
    expect(() => imported(service('image:', '  build: ./Dockerfile', '  port: [80]'))).toThrow('copilot/api/manifest.yml:5: image.port [80] is not allowed: it must be a port number, e.g. 8080.');
    expect(() => imported(service(...BUILD, 'exec: yes please'))).toThrow('copilot/api/manifest.yml:9: exec "yes please" is not allowed: it must be true or false.');
    expect(() => imported(service(...BUILD, 'variables:', '  LIST: [1, 2]'))).toThrow('copilot/api/manifest.yml:10: variables.LIST [1,2] is not allowed: a variable\'s value must be text, a number, true or false, or { from_cfn: export }.');
    expect(() => imported(service(...BUILD, 'secrets:', '  KEY: 42'))).toThrow('copilot/api/manifest.yml:10: secrets.KEY 42 is not allowed: a secret must be an SSM parameter\'s name, or { secretsmanager: name }.');
  });

  it('refuses a count that is neither a number nor a range, naming the file, line and field', () => {
    expect(() => imported(service(...BUILD, 'count: many'))).toThrow('copilot/api/manifest.yml:9: count "many" is not allowed: it must be a number of tasks, or { range: 1-10, cpu_percentage: 70 }.');
    expect(() => imported(service(...BUILD, 'count:', '  range: 1 to 10'))).toThrow('copilot/api/manifest.yml:10: count.range "1 to 10" is not allowed: it must be a range of task counts such as 1-10, or { min: 1, max: 10 }.');
    expect(() => imported(service(...BUILD, 'environments:', '  prod:', '    count:', '      range: 5'))).toThrow('copilot/api/manifest.yml:12: environments.prod.count.range 5 is not allowed: it must be a range of task counts such as 1-10, or { min: 1, max: 10 }.');
  });

  it('refuses a Windows platform: the tasks run Linux here', () => {
    expect(() => imported(service(...BUILD, 'platform: windows/x86_64'))).toThrow('copilot/api/manifest.yml:9: platform "windows/x86_64" is not allowed: this package runs Linux tasks: linux/x86_64 (or linux/amd64) or linux/arm64.');
    expect(() => imported(service(...BUILD, 'platform: { osfamily: windows_server_2019_core, architecture: x86_64 }'))).toThrow(/platform \{"osfamily":"windows_server_2019_core","architecture":"x86_64"\} is not allowed/);
  });

  it('refuses an environment whose name cannot be a stage\'s', () => {
    expect(() => imported(service(...BUILD, 'environments:', '  pre-prod:', '    count: 1'))).toThrow(
      'copilot/api/manifest.yml:10: environments.pre-prod is not allowed: each Copilot environment becomes a stage here, and a stage\'s name must start with a lowercase letter and contain only lowercase letters and digits (at most 16 characters), e.g. "test" or "prod". Rename the environment in the manifest, or leave its overrides out.');
  });

  it('refuses a manifest that cannot be read, naming the path given', () => {
    const { importCopilotManifest } = jest.requireActual('../src/importers/copilot');
    expect(() => importCopilotManifest('copilot/web/manifest.yml', '/nonexistent')).toThrow('copilotManifest "copilot/web/manifest.yml" cannot be read (ENOENT): give the path of a Copilot service manifest, e.g. copilot/api/manifest.yml, relative to the folder of projen new.');
  });

  it('refuses an image.build outside the folder of projen new', () => {
    expect(() => imported(service('image:', '  build: ../other/Dockerfile', '  port: 80'))).toThrow(/copilot\/api\/manifest\.yml:4: image\.build "\.\.\/other\/Dockerfile" is not allowed: \.\.\/other\/Dockerfile is outside the folder of projen new/);
  });
});
