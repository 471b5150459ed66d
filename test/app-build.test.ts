import { AppRuntime, CodeStarFargateProject, CodeStarFargateProjectOptions, MavenPlugin } from '../src';
import { serviceOptions, synthService } from './helpers';

/** The pom's text without indentation, so assertions read like the XML. */
const pomOf = (files: Record<string, any>): string => (files['app/pom.xml'] as string).replace(/\n\s*/g, '');
const spring = (overrides: Partial<CodeStarFargateProjectOptions>) => synthService({ appRuntime: AppRuntime.SPRING_BOOT, ...overrides });
const construct = (overrides: Partial<CodeStarFargateProjectOptions>) => () => new CodeStarFargateProject(serviceOptions(overrides));
const constructSpring = (overrides: Partial<CodeStarFargateProjectOptions>) => construct({ appRuntime: AppRuntime.SPRING_BOOT, ...overrides });

const JACOCO: MavenPlugin = {
  coordinates: 'org.jacoco/jacoco-maven-plugin@0.8.14',
  executions: [{ id: 'prepare-agent', goals: ['prepare-agent'] }, { id: 'report', goals: ['report'], phase: 'verify' }],
};

describe('a Spring Boot service that extends its build', () => {
  // The same options `mvn -q verify` built green with a Lombok class, an Awaitility test and the AWS SDK's Region (see the report).
  const files = spring({
    appDeps: ['software.amazon.awssdk/regions'],
    appDevDeps: ['org.awaitility/awaitility'],
    mavenBoms: ['software.amazon.awssdk/bom@2.31.50'],
    annotationProcessors: ['org.projectlombok/lombok'],
    mavenPlugins: [JACOCO],
  });
  const pom = pomOf(files);

  it('adds appDevDeps in Maven\'s test scope', () => {
    expect(pom).toContain('<dependency><groupId>org.awaitility</groupId><artifactId>awaitility</artifactId><scope>test</scope></dependency>');
  });

  it('adds a plugin with its executions', () => {
    expect(pom).toContain('<plugin><groupId>org.jacoco</groupId><artifactId>jacoco-maven-plugin</artifactId><version>0.8.14</version><executions>'
      + '<execution><id>prepare-agent</id><goals><goal>prepare-agent</goal></goals></execution>'
      + '<execution><id>report</id><goals><goal>report</goal></goals><phase>verify</phase></execution></executions></plugin>');
  });

  it('imports a BOM, so a dependency it manages needs no version', () => {
    expect(pom).toContain('<dependencyManagement><dependencies><dependency><groupId>software.amazon.awssdk</groupId><artifactId>bom</artifactId>'
      + '<version>2.31.50</version><type>pom</type><scope>import</scope></dependency></dependencies></dependencyManagement>');
    expect(pom).toContain('<dependency><groupId>software.amazon.awssdk</groupId><artifactId>regions</artifactId></dependency>');
  });

  it('runs an annotation processor in the compiler, with its annotations on the compile class path and out of the jar', () => {
    expect(pom).toContain('<artifactId>maven-compiler-plugin</artifactId><configuration><annotationProcessorPaths><path><groupId>org.projectlombok</groupId>'
      + '<artifactId>lombok</artifactId></path></annotationProcessorPaths><annotationProcessorPathsUseDepMgmt>true</annotationProcessorPathsUseDepMgmt></configuration>');
    expect(pom).toContain('<dependency><groupId>org.projectlombok</groupId><artifactId>lombok</artifactId><scope>provided</scope></dependency>');
    expect(pom).toContain('<artifactId>spring-boot-maven-plugin</artifactId><configuration><excludes><exclude><groupId>org.projectlombok</groupId><artifactId>lombok</artifactId></exclude></excludes></configuration>');
  });

  it('takes test dependencies added later through addAppDevDeps too', () => {
    const project = new CodeStarFargateProject(serviceOptions({ appRuntime: AppRuntime.SPRING_BOOT }));
    project.addAppDevDeps('org.testcontainers/postgresql');
    expect(project.app!.deps.all.find((dep) => dep.name === 'org.testcontainers/postgresql')?.type).toBe('test');
  });
});

describe('a Node.js service\'s build', () => {
  it('puts appDevDeps, @types packages among them, in the app\'s devDependencies', () => {
    const packageJson = synthService({ appDevDeps: ['@types/pg@^8', 'undici@^7'] })['app/package.json'];
    expect(packageJson.devDependencies).toMatchObject({ '@types/pg': '^8', 'undici': '^7' });
    expect(packageJson.dependencies['@types/pg']).toBeUndefined();
  });

  it('moves an @types package given in appDeps to devDependencies, so it never ships in the image', () => {
    const packageJson = synthService({ appDeps: ['pg@^8', '@types/pg@^8'] })['app/package.json'];
    expect(packageJson.dependencies).toMatchObject({ pg: '^8' });
    expect(packageJson.dependencies['@types/pg']).toBeUndefined();
    expect(packageJson.devDependencies['@types/pg']).toBe('^8');
  });
});

describe('the build options\' validation', () => {
  it.each([
    [{ appDevDeps: ['org.awaitility:awaitility'] }, 'appDevDeps: "org.awaitility:awaitility" is not allowed with appRuntime "spring-boot": give Maven coordinates as "groupId/artifactId@version"'],
    [{ annotationProcessors: ['lombok'] }, 'annotationProcessors: "lombok" is not allowed with appRuntime "spring-boot": give Maven coordinates'],
    [{ mavenBoms: ['software.amazon.awssdk/bom'] }, 'mavenBoms: "software.amazon.awssdk/bom" is not allowed: give a BOM as "groupId/artifactId@version" with one exact version (Maven imports no range)'],
    [{ mavenBoms: ['software.amazon.awssdk/bom@[2,3)'] }, 'mavenBoms: "software.amazon.awssdk/bom@[2,3)" is not allowed'],
    [{ mavenPlugins: [{ coordinates: 'jacoco' }] }, 'mavenPlugins[0].coordinates "jacoco" is not allowed: give the plugin as "groupId/artifactId@version"'],
    [{ mavenPlugins: [{ ...JACOCO, executions: [{ id: 'report', goals: ['report'], phase: 'verfy' }] }] },
      'mavenPlugins[0] (org.jacoco/jacoco-maven-plugin@0.8.14).executions "report" phase "verfy" is not allowed: use a Maven lifecycle phase, one of pre-clean,'],
    [{ mavenPlugins: [{ ...JACOCO, executions: [{ id: 'report', goals: [] }] }] }, 'mavenPlugins[0] (org.jacoco/jacoco-maven-plugin@0.8.14).executions "report" goals [] is not allowed: give one or more goal names'],
    [{ mavenPlugins: [{ ...JACOCO, executions: [{ id: 'a', goals: ['report'] }, { id: 'a', goals: ['check'] }] }] }, 'executions id "a" is not allowed: give each execution a unique id'],
    [{ mavenPlugins: [{ ...JACOCO, configuration: ['x'] as any }] }, 'mavenPlugins[0] (org.jacoco/jacoco-maven-plugin@0.8.14).configuration ["x"] is not allowed: give an object'],
    [{ mavenPlugins: [{ ...JACOCO, dependencies: ['h2'] }] }, 'mavenPlugins[0] (org.jacoco/jacoco-maven-plugin@0.8.14).dependencies: "h2" is not allowed'],
  ] as Array<[Partial<CodeStarFargateProjectOptions>, string]>)('refuses %j for Spring Boot, naming the option and what is allowed', (overrides, message) => {
    expect(constructSpring(overrides)).toThrow(message);
  });

  it.each(['mavenPlugins', 'mavenBoms', 'annotationProcessors'])('refuses %s with the Node.js runtime', (option) => {
    const value = option === 'mavenPlugins' ? [JACOCO] : ['org.projectlombok/lombok@1.18.46'];
    expect(construct({ [option]: value })).toThrow(`${option} ${JSON.stringify(value)} is not allowed with appRuntime "node": it applies to "spring-boot" only.`);
  });

  it('refuses an appDevDeps entry that is not an npm spec for Node.js', () => {
    expect(construct({ appDevDeps: ['types pg'] })).toThrow('appDevDeps "types pg" is not allowed with appRuntime "node": give an npm package name with an optional version range, e.g. "@types/pg@^8" or "undici@^7".');
  });
});
