import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'projen';
import { parse } from 'yaml';
import { AppRuntime, CodeStarFargateProject, CodeStarFargateProjectOptions } from '../src';
import { serviceOptions, synthService } from './helpers';

/** A container service's options: the team's Dockerfile is the only file in its folder. */
function containerOptions(overrides: Partial<CodeStarFargateProjectOptions> = {}): CodeStarFargateProjectOptions {
  const options = serviceOptions({ appRuntime: AppRuntime.CONTAINER, ...overrides });
  fs.writeFileSync(path.join(options.outdir!, 'Dockerfile'), 'FROM scratch\n');
  return options;
}

function refusal(overrides: Partial<CodeStarFargateProjectOptions>): string {
  try {
    new CodeStarFargateProject(containerOptions(overrides));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the options were accepted');
}

function run(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf-8' });
  if (result.error) {
    throw new Error(`${command} could not be run (${result.error.message}); install it (pip install ${command}).`);
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

describe('a container service', () => {
  const options = containerOptions({
    containerPort: 8000,
    healthCheckPath: '/healthz',
    dockerfilePath: 'docker/Dockerfile.prod',
    dockerBuildContext: './service/',
    testCommand: 'python -m unittest discover -s tests',
    buildRuntimeVersions: { python: '3.13' },
    testReportFiles: ['test-reports/*.xml'],
  });
  const project = new CodeStarFargateProject(options);
  const files: Record<string, any> = Testing.synth(project);
  const buildspec = parse(files['buildspec.yml']);
  const template = parse(files['template.yml']);
  const tasks = files['.projen/tasks.json'].tasks;

  it('writes no app, Dockerfile or .dockerignore: they are the team\'s', () => {
    expect(Object.keys(files).filter((file) => /^app\/|Dockerfile|\.dockerignore/.test(file))).toEqual(['Dockerfile']);
    expect(files.Dockerfile).toBe('FROM scratch\n');
    expect(project.app).toBeUndefined();
    expect(project.dockerfile).toBeUndefined();
  });

  it('runs testCommand before docker build, which builds the team\'s Dockerfile from its context', () => {
    const commands: string[] = buildspec.phases.build.commands;
    const test = commands.indexOf('python -m unittest discover -s tests');
    const build = commands.findIndex((command) => command.startsWith('docker build'));
    expect(test).toBeGreaterThan(-1);
    expect(build).toBeGreaterThan(test);
    expect(commands[build]).toMatch(/ --file docker\/Dockerfile\.prod service$/);
    expect(buildspec.phases.install['runtime-versions']).toEqual({ nodejs: '24', python: '3.13' });
    expect(buildspec.reports.tests).toEqual({ 'files': ['test-reports/*.xml'], 'base-directory': '.', 'file-format': 'JUNITXML' });
    expect(buildspec.cache.paths).toEqual(['/root/.npm/**/*']);
  });

  it('builds the same Dockerfile and context in image:build, and tests with testCommand in app:test and build', () => {
    expect(files['scripts/image.sh']).toContain('build) exec "$tool" build --tag "$tag" --file docker/Dockerfile.prod service ;;');
    expect(tasks['image:build'].steps).toEqual([{ exec: 'sh scripts/image.sh check' }, { exec: 'sh scripts/image.sh build' }]);
    expect(tasks['app:test'].steps).toEqual([{ exec: 'python -m unittest discover -s tests' }]);
    expect(tasks['pre-compile'].steps).toContainEqual({ spawn: 'app:test' });
    expect(tasks['app:start']).toBeUndefined();
    expect(tasks.dev).toBeUndefined();
  });

  it('deploys the port and health path, with the load balancer\'s check alone', () => {
    const [taskDefinition] = Object.values<any>(template.Resources).filter((resource) => resource.Type === 'AWS::ECS::TaskDefinition');
    const [container] = taskDefinition.Properties.ContainerDefinitions;
    expect(container.PortMappings).toEqual([expect.objectContaining({ ContainerPort: 8000 })]);
    expect(container.HealthCheck).toBeUndefined();
    const [targetGroup] = Object.values<any>(template.Resources).filter((resource) => resource.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup');
    expect(targetGroup.Properties.HealthCheckPath).toBe('/healthz');
    expect([taskDefinition.Properties.Cpu, taskDefinition.Properties.Memory]).toEqual(['256', '512']);
  });

  it('describes the container runtime in docs/service.md', () => {
    const guide: string = files['docs/service.md'];
    expect(guide).toContain('A container service on AWS ECS Fargate');
    expect(guide).toContain('`docker/Dockerfile.prod` with context `service`');
    expect(guide).toContain('npx projen app:test     # python -m unittest discover -s tests');
    expect(guide).not.toMatch(/app:start|npx projen dev|skeleton/);
  });

  it('passes cfn-lint and checkov', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-container-lint-'));
    fs.writeFileSync(path.join(dir, 'template.yml'), files['template.yml']);
    const lint = run('cfn-lint', [path.join(dir, 'template.yml')]);
    expect(lint.output).toBe('');
    expect(lint.status).toBe(0);
    // --skip-download: no network call for Prisma Cloud guideline mappings.
    const checkov = run('checkov', ['-f', path.join(dir, 'template.yml'), '--framework', 'cloudformation', '--compact', '--quiet', '--skip-download']);
    expect(checkov.output).toMatch(/Failed checks: 0,/);
    expect(checkov.status).toBe(0);
  });
});

describe('a container service with the defaults', () => {
  const files = synthService({ appRuntime: AppRuntime.CONTAINER });
  const buildspec = parse(files['buildspec.yml']);

  it('builds ./Dockerfile from the repository root on port 8080, with no test step or report', () => {
    expect(buildspec.phases.build.commands.at(-1)).toBe('docker build --pull --no-cache --tag "$REPOSITORY_URI:$IMAGE_TAG" .');
    expect(buildspec.phases.install['runtime-versions']).toEqual({ nodejs: '24' });
    expect(buildspec.reports).toBeUndefined();
    expect(files['.projen/tasks.json'].tasks['app:test']).toBeUndefined();
    expect(parse(files['template.yml']).Resources.Service ?? {}).toBeDefined();
    expect(files['template.yml']).toContain('ContainerPort: 8080');
  });
});

describe('container options', () => {
  it.each<[string, Partial<CodeStarFargateProjectOptions>, string]>([
    ['an absolute Dockerfile', { dockerfilePath: '/etc/Dockerfile' },
      'dockerfilePath "/etc/Dockerfile" is not allowed: give a path relative to the repository root, inside it (no "..", not absolute), of letters, digits, ".", "_", "-" and "/".'],
    ['a Dockerfile outside the repository', { dockerfilePath: '../other/Dockerfile' },
      'dockerfilePath "../other/Dockerfile" is not allowed: give a path relative to the repository root, inside it (no "..", not absolute), of letters, digits, ".", "_", "-" and "/".'],
    ['a Dockerfile path with a space', { dockerfilePath: 'my Dockerfile' },
      'dockerfilePath "my Dockerfile" is not allowed: give a path relative to the repository root, inside it (no "..", not absolute), of letters, digits, ".", "_", "-" and "/".'],
    ['an empty build context', { dockerBuildContext: '' },
      'dockerBuildContext "" is not allowed: give a path relative to the repository root, inside it (no "..", not absolute), of letters, digits, ".", "_", "-" and "/".'],
    ['a build context outside the repository', { dockerBuildContext: 'service/../..' },
      'dockerBuildContext "service/../.." is not allowed: give a path relative to the repository root, inside it (no "..", not absolute), of letters, digits, ".", "_", "-" and "/".'],
    ['a test command of two lines', { testCommand: 'pytest\nrm -rf /' },
      'testCommand "pytest\\nrm -rf /" is not allowed: give one shell command line, e.g. "python -m pytest" (chain several with &&).'],
    ['an empty test command', { testCommand: ' ' },
      'testCommand " " is not allowed: give one shell command line, e.g. "python -m pytest" (chain several with &&).'],
    ['a runtime CodeBuild does not offer', { buildRuntimeVersions: { rust: '1.94' } },
      'buildRuntimeVersions.rust is not allowed: CodeBuild\'s standard 7.0 image offers java, golang, python, php, ruby, dotnet besides Node.js.'],
    ['a Python CodeBuild does not offer', { buildRuntimeVersions: { python: '3.8' } },
      'buildRuntimeVersions.python "3.8" is not allowed: CodeBuild\'s standard 7.0 image offers "3.14", "3.13", "3.12", "3.11", "3.10", "3.9".'],
    ['a version as a number', { buildRuntimeVersions: { golang: 1.26 as unknown as string } },
      'buildRuntimeVersions.golang 1.26 is not allowed: CodeBuild\'s standard 7.0 image offers "1.26", "1.25", "1.24", "1.23", "1.22", "1.21", "1.20".'],
    ['Node.js as a build runtime', { buildRuntimeVersions: { nodejs: '22' } },
      'buildRuntimeVersions.nodejs "22" is not allowed: Node.js in CodeBuild is the toolchain\'s; set nodeVersion instead.'],
    ['runtime versions as a list', { buildRuntimeVersions: ['python'] as unknown as Record<string, string> },
      'buildRuntimeVersions ["python"] is not allowed: give an object of CodeBuild runtime-versions, e.g. { python: \'3.13\' } (runtimes: java, golang, python, php, ruby, dotnet).'],
    ['a report outside the repository', { testReportFiles: ['../junit.xml'] },
      'testReportFiles "../junit.xml" is not allowed: give a path relative to the repository root, inside it (no "..", not absolute), of letters, digits, ".", "_", "-" and "/".'],
    ['reports as one string', { testReportFiles: 'junit.xml' as unknown as string[] },
      'testReportFiles "junit.xml" is not allowed: give a list of JUnit XML paths relative to the repository root, e.g. ["test-reports/junit.xml"].'],
  ])('refuses %s, naming the option, the value and what is allowed', (_name, overrides, message) => {
    expect(refusal(overrides)).toBe(message);
  });

  it.each<[string, Partial<CodeStarFargateProjectOptions>, string]>([
    ['javaVersion', { javaVersion: 21 }, 'the Java release of the Spring Boot app and image this package writes'],
    ['springAot', { springAot: true }, 'the Spring Boot build this package writes'],
    ['javaPackage', { javaPackage: 'com.acme.orders' }, 'the package of the Spring Boot skeleton this package writes'],
    ['mavenPlugins', { mavenPlugins: [] }, 'the pom.xml this package writes for Spring Boot'],
    ['mavenBoms', { mavenBoms: ['software.amazon.awssdk/bom@2.31.50'] }, 'the pom.xml this package writes for Spring Boot'],
    ['annotationProcessors', { annotationProcessors: ['org.projectlombok/lombok'] }, 'the pom.xml this package writes for Spring Boot'],
    ['appDeps', { appDeps: ['zod@^3'] }, 'the package.json or pom.xml this package writes for node and spring-boot'],
    ['appDevDeps', { appDevDeps: ['@types/pg@^8'] }, 'the package.json or pom.xml this package writes for node and spring-boot'],
    ['openTelemetry', { openTelemetry: true }, 'the agent this package adds to the Dockerfile it writes for node and spring-boot'],
  ])('refuses %s, which only the other runtimes use', (option, overrides, what) => {
    const value = JSON.stringify(Object.values(overrides)[0]);
    expect(refusal(overrides)).toBe(`${option} ${value} is not allowed with appRuntime "container": it configures ${what}; with "container" the Dockerfile and the app are the team's.`);
  });

  it('refuses addAppDeps called later in .projenrc.ts', () => {
    const project = new CodeStarFargateProject(containerOptions());
    expect(() => project.addAppDeps('requests')).toThrow('appDeps ["requests"] is not allowed with appRuntime "container": it configures the package.json or pom.xml this package writes for node and spring-boot; the team\'s build (requirements.txt, go.mod, ...) lists the app\'s dependencies.');
    expect(() => project.addAppDevDeps('pytest')).toThrow('appDevDeps ["pytest"] is not allowed with appRuntime "container": its app has no build this package manages.');
  });

  it.each([AppRuntime.NODE, AppRuntime.SPRING_BOOT])('refuses the container options with %s, which writes its own Dockerfile', (appRuntime) => {
    for (const [option, value] of [['dockerfilePath', 'Dockerfile'], ['dockerBuildContext', '.'], ['testCommand', 'make test'], ['buildRuntimeVersions', { python: '3.13' }], ['testReportFiles', ['junit.xml']]] as const) {
      expect(() => new CodeStarFargateProject(serviceOptions({ appRuntime, [option]: value })))
        .toThrow(`${option} ${JSON.stringify(value)} is not allowed with appRuntime "${appRuntime}": it applies to "container" only, where the Dockerfile and the app are the team's.`);
    }
  });

  it('keeps the toolchain\'s nodeVersion, which Node.js in CodeBuild and the root run', () => {
    const files = synthService({ appRuntime: AppRuntime.CONTAINER, nodeVersion: 22 });
    expect(parse(files['buildspec.yml']).phases.install['runtime-versions']).toEqual({ nodejs: '22' });
  });
});
