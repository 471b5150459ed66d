import * as fs from 'fs';
import { AppRuntime, CodeStarFargateProject } from '../src';
import { serviceOptions } from './helpers';

/** Constructs a project with the given options; returns it, or throws as construction does. */
function construct(overrides: Parameters<typeof serviceOptions>[0]) {
  return new CodeStarFargateProject(serviceOptions(overrides));
}

describe('option validation', () => {
  describe('appRuntime', () => {
    it.each([AppRuntime.NODE, AppRuntime.SPRING_BOOT])('accepts %s', (appRuntime) => {
      expect(construct({ appRuntime }).appRuntime).toBe(appRuntime);
    });

    it('refuses Java options with the Node.js runtime', () => {
      expect(() => construct({ appRuntime: AppRuntime.NODE, javaVersion: 21 })).toThrow('javaVersion 21 is not allowed with appRuntime "node": it applies to "spring-boot" only.');
      expect(() => construct({ appRuntime: AppRuntime.NODE, javaPackage: 'com.acme' })).toThrow('javaPackage "com.acme" is not allowed with appRuntime "node": it applies to "spring-boot" only.');
    });

    it('refuses a runtime it does not know, naming the allowed ones', () => {
      // `projen new --app-runtime foo` renders AppRuntime.FOO, which is undefined at run time.
      expect(() => construct({ appRuntime: 'foo' as AppRuntime })).toThrow('appRuntime "foo" is not allowed: use one of "node", "spring-boot", "container" (AppRuntime.NODE, AppRuntime.SPRING_BOOT, AppRuntime.CONTAINER; with projen new: --app-runtime node or --app-runtime spring-boot or --app-runtime container).');
      expect(() => construct({ appRuntime: undefined as unknown as AppRuntime })).toThrow('appRuntime undefined is not allowed: use one of "node", "spring-boot", "container" (AppRuntime.NODE, AppRuntime.SPRING_BOOT, AppRuntime.CONTAINER; with projen new: --app-runtime node or --app-runtime spring-boot or --app-runtime container).');
    });
  });

  describe('serviceName', () => {
    it('defaults to the project name', () => {
      expect(construct({ name: 'billing' }).settings.serviceName).toBe('billing');
    });

    it.each(['a1', 'orders-api', 'x-2-y'])('accepts %s', (serviceName) => {
      expect(construct({ serviceName }).settings.serviceName).toBe(serviceName);
    });

    it.each(['Orders', 'orders_api', '-orders', 'orders-', 'a--b', '1orders', 'a', 'orders api'])('refuses %s', (serviceName) => {
      expect(() => construct({ serviceName })).toThrow(new RegExp(`serviceName "${serviceName}" is not allowed: it must start with a lowercase letter`));
    });

    it('says when a refused name came from the project name', () => {
      expect(() => construct({ name: '@acme/orders' })).toThrow(/serviceName "@acme\/orders" \(taken from the project name; set serviceName to choose another\) is not allowed/);
    });

    it('refuses a name that is too long for a load balancer once the longest stage is added', () => {
      // 21 + "-production" = 32 characters: the most AWS allows.
      expect(construct({ serviceName: 'a'.repeat(21) }).settings.serviceName).toHaveLength(21);
      expect(() => construct({ serviceName: 'a'.repeat(22) })).toThrow(/is too long: with the stage it names the load balancer "a{22}-production" \(33 characters\), and AWS allows at most 32\. Use at most 21 characters/);
    });
  });

  describe('containerPort', () => {
    it('defaults to 8080', () => {
      expect(construct({}).settings.containerPort).toBe(8080);
    });

    it.each([1, 80, 65535])('accepts %d', (containerPort) => {
      expect(construct({ containerPort }).settings.containerPort).toBe(containerPort);
    });

    it.each([0, -1, 65536, 80.5, NaN])('refuses %d', (containerPort) => {
      expect(() => construct({ containerPort })).toThrow(/containerPort .* is not allowed: it must be a whole number from 1 to 65535/);
    });
  });

  describe('healthCheckPath', () => {
    it('defaults to /health', () => {
      expect(construct({}).settings.healthCheckPath).toBe('/health');
    });

    it.each(['/', '/status', '/internal/health-check_v2'])('accepts %s', (healthCheckPath) => {
      expect(construct({ healthCheckPath }).settings.healthCheckPath).toBe(healthCheckPath);
    });

    it.each(['health', '', '/health check', '/a?b', `/${'a'.repeat(1024)}`])('refuses %j', (healthCheckPath) => {
      expect(() => construct({ healthCheckPath })).toThrow(/healthCheckPath .* is not allowed: it must start with "\/"/);
    });
  });

  describe('cpu and memoryMiB', () => {
    it('default to 256 CPU units and 512 MiB for Node.js', () => {
      const { cpu, memoryMiB } = construct({}).settings;
      expect({ cpu, memoryMiB }).toEqual({ cpu: 256, memoryMiB: 512 });
    });

    it.each([
      [256, 512], [256, 1024], [256, 2048],
      [512, 1024], [512, 4096],
      [1024, 2048], [1024, 8192],
      [2048, 4096], [2048, 16384],
      [4096, 8192], [4096, 30720],
      [8192, 16384], [8192, 61440],
      [16384, 32768], [16384, 122880],
    ])('accept %d CPU units with %d MiB', (cpu, memoryMiB) => {
      expect(construct({ cpu, memoryMiB }).settings.memoryMiB).toBe(memoryMiB);
    });

    it('refuses 6 GB of memory with 256 CPU units', () => {
      expect(() => construct({ cpu: 256, memoryMiB: 6144 })).toThrow('memoryMiB 6144 is not allowed with cpu 256: Fargate accepts 512, 1024, 2048 MiB.');
    });

    it.each([
      [256, 1536], [512, 512], [512, 5120], [1024, 1024], [2048, 17408], [4096, 31744], [8192, 18432], [16384, 36864],
    ])('refuse %d CPU units with %d MiB', (cpu, memoryMiB) => {
      expect(() => construct({ cpu, memoryMiB })).toThrow(new RegExp(`memoryMiB ${memoryMiB} is not allowed with cpu ${cpu}: Fargate accepts`));
    });

    it('refuses a CPU value Fargate does not offer', () => {
      expect(() => construct({ cpu: 300, memoryMiB: 512 })).toThrow('cpu 300 is not a Fargate CPU value: use one of 256, 512, 1024, 2048, 4096, 8192, 16384.');
    });
  });

  describe('minContainers, maxContainers and autoScalingTargetCpu', () => {
    it('default to 1, 4 and 50', () => {
      const { minContainers, maxContainers, autoScalingTargetCpu } = construct({}).settings;
      expect({ minContainers, maxContainers, autoScalingTargetCpu }).toEqual({ minContainers: 1, maxContainers: 4, autoScalingTargetCpu: 50 });
    });

    it('accept min equal to max', () => {
      expect(construct({ minContainers: 3, maxContainers: 3 }).settings.maxContainers).toBe(3);
    });

    it('refuse min greater than max', () => {
      expect(() => construct({ minContainers: 5, maxContainers: 2 })).toThrow('minContainers (5) is greater than maxContainers (2): minContainers must be at most maxContainers.');
    });

    it.each([
      ['minContainers', -1], ['minContainers', 1.5], ['maxContainers', 0], ['maxContainers', 5001],
      ['autoScalingTargetCpu', 0], ['autoScalingTargetCpu', 101],
    ])('refuse %s %d', (option, value) => {
      expect(() => construct({ [option]: value })).toThrow(new RegExp(`^${option} ${value} is not allowed: it must be a whole number from`));
    });
  });

  describe('stages', () => {
    it('default to dev and production', () => {
      expect(construct({}).settings.stages).toEqual(['dev', 'production']);
    });

    it('keep the order given', () => {
      expect(construct({ stages: ['test', 'staging', 'prod'] }).settings.stages).toEqual(['test', 'staging', 'prod']);
    });

    it('refuse duplicates', () => {
      expect(() => construct({ stages: ['dev', 'prod', 'dev'] })).toThrow('stages ["dev","prod","dev"] is not allowed: stage names must be unique, and "dev" appears more than once.');
    });

    it('refuse an empty list', () => {
      expect(() => construct({ stages: [] })).toThrow(/stages \[\] is not allowed: give at least one stage name/);
    });

    it.each(['Dev', 'pre-prod', '1st', '', 'a'.repeat(17)])('refuse the stage name %j', (stage) => {
      expect(() => construct({ stages: [stage] })).toThrow(/stages: stage name .* is not allowed: it must start with a lowercase letter/);
    });
  });

  describe('codeStarTransform', () => {
    it('is off by default', () => {
      expect(construct({}).settings.codeStarTransform).toBe(false);
    });
  });

  describe('source', () => {
    const arn = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';

    it('defaults to a CodeCommit repository on main', () => {
      expect(construct({}).settings.source).toEqual({ branch: 'main' });
    });

    it('accepts a connection with a repository', () => {
      expect(construct({ sourceConnectionArn: arn, sourceRepository: 'acme/orders-api', sourceBranch: 'release/1.x' }).settings.source)
        .toEqual({ connectionArn: arn, repository: 'acme/orders-api', branch: 'release/1.x' });
    });

    it('refuses a connection without a repository, and a repository without a connection', () => {
      expect(() => construct({ sourceConnectionArn: arn })).toThrow('sourceRepository undefined is not allowed: with sourceConnectionArn it must be "owner/name"');
      expect(() => construct({ sourceRepository: 'acme/orders-api' })).toThrow(/sourceConnectionArn undefined is not allowed/);
    });

    it('refuses an ARN that is not a connection', () => {
      expect(() => construct({ sourceConnectionArn: 'arn:aws:iam::123456789012:role/x', sourceRepository: 'a/b' })).toThrow(/sourceConnectionArn "arn:aws:iam::123456789012:role\/x" is not allowed/);
    });

    it.each(['a..b', 'x/', 'has space', ''])('refuses the branch %j', (sourceBranch) => {
      expect(() => construct({ sourceBranch })).toThrow(/sourceBranch .* is not allowed: it must be a git branch name/);
    });
  });

  describe('appDeps', () => {
    it.each(['zod@^3', '@fastify/cors@^11.0.0', 'ms'])('accepts the npm spec %s for Node.js', (dep) => {
      expect(() => construct({ appDeps: [dep] })).not.toThrow();
    });

    it.each(['Zod', 'zod@ ^3', 'org.postgresql/postgresql@42.7.4', ''])('refuses %j for Node.js', (dep) => {
      expect(() => construct({ appDeps: [dep] })).toThrow(`appDeps ${JSON.stringify(dep)} is not allowed with appRuntime "node": give an npm package name`);
    });
  });

  it.each([
    ['containerPort', { containerPort: 0 }],
    ['appDeps', { appDeps: ['Not A Package'] }],
  ])('writes nothing when %s is refused', (option, overrides) => {
    const options = serviceOptions(overrides);
    expect(() => new CodeStarFargateProject(options)).toThrow(new RegExp(`^${option}`));
    expect(fs.readdirSync(options.outdir!)).toEqual([]);
  });
});
