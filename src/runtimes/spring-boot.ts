import * as fs from 'fs';
import * as path from 'path';
import { DependencyType, java, JsonPatch, Project, ProjenrcFile, SampleFile, TextFile } from 'projen';
import { renderAsset } from '../assets';
import { misreadNumber, shownValue } from '../command-line';
import { APP_SHUTDOWN_SECONDS, STOP_TIMEOUT_SECONDS } from '../contract';
import { OptionError } from '../errors';
import { AppRuntime, ServiceSettings } from '../options';
import { healthCheckPathUnderServiceUrl } from '../platform-membership';
import { refuseContainerOptions } from './container';
import { OPEN_TELEMETRY_JAVA_AGENT, OPEN_TELEMETRY_JAVA_AGENT_FILE, openTelemetryDockerLines, openTelemetryOf } from './open-telemetry';
import { AppRuntimeDefinition, MANAGED_IMAGE_SOURCE, RootProjenrc } from './runtime';
import { addSpringBootBuild, coordinatesOf, addTestDependencies, SpringBootBuildOptions, validateMavenCoordinates, validateSpringBootBuild } from './spring-boot-build';

/** The Spring Boot release every generated service builds on, through its parent POM. */
export const SPRING_BOOT_VERSION = '4.0.7';

/**
 * The Java release a service gets when `javaVersion` is left out: the current LTS, whose AOT cache is the fastest start
 * without `springAot`: 0.46-0.51 of the plain jar's against AppCDS's 0.57-0.67 on 17 and 21 (bench/RESULTS.md, runs 6 and 9).
 */
export const DEFAULT_JAVA_VERSION = 25;

/**
 * Tags of public.ecr.aws/docker/library/eclipse-temurin per Java release, pinned; ECR Public's copy of the
 * Docker official image avoids Docker Hub's pull limits in CodeBuild.
 */
export const JRE_TAGS: Readonly<Record<number, string>> = {
  17: '17.0.20_8-jre-noble',
  21: '21.0.12_8-jre-noble',
  25: '25.0.4_7-jre-noble',
};

/**
 * The multi-platform index digest of each JRE tag, so the image's content is fixed whatever the tag is later moved
 * to or a build's Docker daemon holds under that name: Docker Hub's, as public Dockerfiles pinned these tags in
 * 2026-09/10 (17's for `17-jre-noble` on 2026-10-07, when it was 17.0.20_8; ECR Public's copy is assumed to serve
 * the same manifests). Renewed with each release.
 */
export const JRE_DIGESTS: Readonly<Record<number, string>> = {
  17: 'sha256:900322f4cc1b9da9d730ae4bb56d8a1dabbaa9cfa32809fc8b542b600370a045',
  21: 'sha256:7739f0ffce786528961eea6bf46d9610ee968ac6127c9b2e93494757bdecce9f',
  25: 'sha256:b573af9e331196fbc42e246da4df24df9b6c556c73e7efddfde0511f1c9508c5',
};

/** How the image keeps what the JVM loads at start, so each task starts from it instead of from the jars. */
export interface StartCache {
  /** What the technique is called in the JDK's documentation. */
  readonly name: string;
  /** The file the image's training run writes, in the app's folder. */
  readonly file: string;
  /** The JVM flag of the training run that writes the file. */
  readonly trainFlag: string;
  /** The JVM flag of the container's start command that reads it. */
  readonly useFlag: string;
  /** The unified-logging tag whose `info` lines say whether the JVM used the file (`-Xlog:<tag>`). */
  readonly logTag: string;
}

const APP_CDS: StartCache = {
  name: 'AppCDS dynamic archive',
  file: 'app.jsa',
  trainFlag: '-XX:ArchiveClassesAtExit=app.jsa',
  useFlag: '-XX:SharedArchiveFile=app.jsa',
  logTag: 'cds',
};

/**
 * The best start cache each Java release has. Java 25's AOT cache (JEPs 483, 514, 515) also keeps classes linked
 * and method profiles, so it beats the class-only AppCDS archive of 17 and 21; both fall back to a plain start.
 */
export const START_CACHES: Readonly<Record<number, StartCache>> = {
  17: APP_CDS,
  21: APP_CDS,
  25: {
    name: 'AOT cache',
    file: 'app.aot',
    trainFlag: '-XX:AOTCacheOutput=app.aot',
    useFlag: '-XX:AOTCache=app.aot',
    logTag: 'aot',
  },
};

/**
 * Seconds from start to the first healthy answer of the skeleton's image command with its start cache, on one
 * core at a CFS quota of half a core (the default task's 512 CPU units), by the cache's technique: median of 3
 * rounds of `npx projen bench --only start` (bench/RESULTS.md, run 11, the training run that serves the health check).
 */
export const MEASURED_START_SECONDS: Readonly<Record<string, number>> = {
  [APP_CDS.name]: 12.9,
  [START_CACHES[25].name]: 8.9,
};

/**
 * Seconds a task may take to its first healthy answer before ECS and the container health check count failures:
 * the measured start times 4, rounded up to 5 s. The factor covers a slower Fargate vCPU than the bench's core and
 * an app that grows past the skeleton (more beans, a connection pool); a healthy task is never delayed by it, while
 * a too-short one makes ECS replace tasks that were still starting.
 */
export function startAllowanceSeconds(measuredStartSeconds: number): number {
  return Math.ceil((measuredStartSeconds * 4) / 5) * 5;
}

const MANAGED = 'Managed by projen-codestar-fargate: edit .projenrc.ts instead.';
const ONE_SEGMENT_PATH = /^\/[^/]+$/;
const JAVA_PACKAGE = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/;
const JAVA_KEYWORDS = new Set([
  'abstract', 'assert', 'boolean', 'break', 'byte', 'case', 'catch', 'char', 'class', 'const', 'continue',
  'default', 'do', 'double', 'else', 'enum', 'extends', 'false', 'final', 'finally', 'float', 'for', 'goto',
  'if', 'implements', 'import', 'instanceof', 'int', 'interface', 'long', 'native', 'new', 'null', 'package',
  'private', 'protected', 'public', 'return', 'short', 'static', 'strictfp', 'super', 'switch', 'synchronized',
  'this', 'throw', 'throws', 'transient', 'true', 'try', 'void', 'volatile', 'while', '_',
]);

/** The options that shape the Spring Boot runtime itself (the rest reach it as `ServiceSettings`). */
export interface SpringBootOptions extends SpringBootBuildOptions {
  /** @default 25 */
  readonly javaVersion?: number;
  /** @default - derived from the service name, e.g. `com.example.ordersapi` */
  readonly javaPackage?: string;
  /** @default false */
  readonly springAot?: boolean;
  /** @default false */
  readonly openTelemetry?: boolean;
}

/** Where the container health check and the image's training run reach the app, from inside its container. */
function containerHealthUrl(settings: ServiceSettings): string {
  return `http://127.0.0.1:${settings.containerPort}${settings.healthCheckPath}`;
}

/** Starts the app from the bean definitions `spring-boot:process-aot` generated in the build. */
const SPRING_AOT_FLAG = '-Dspring.aot.enabled=true';

/** A Java service on Spring Boot, built with the Maven wrapper, for the given Java release and package. */
export function springBootRuntimeFor(options: SpringBootOptions): AppRuntimeDefinition {
  const javaVersion = options.javaVersion ?? DEFAULT_JAVA_VERSION;
  validateJavaVersion(javaVersion);
  const startCache = START_CACHES[javaVersion];
  const springAot = options.springAot ?? false;
  if (typeof springAot !== 'boolean') {
    throw new OptionError(`springAot ${JSON.stringify(springAot)} is not allowed: use true or false.`);
  }
  // Spring AOT's flag goes to the training run too: the cache must hold the classes the real start loads.
  const startFlags = [startCache.useFlag, ...(springAot ? [SPRING_AOT_FLAG] : [])];
  const trainingFlags = [startCache.trainFlag, ...(springAot ? [SPRING_AOT_FLAG] : [])];
  const startAllowance = startAllowanceSeconds(MEASURED_START_SECONDS[startCache.name]);
  const openTelemetry = openTelemetryOf(options);
  const javaPackageOf = (settings: ServiceSettings) => options.javaPackage ?? defaultJavaPackage(settings.serviceName);
  return {
    runtime: AppRuntime.SPRING_BOOT,
    displayName: 'Spring Boot',
    versionName: `Spring Boot ${SPRING_BOOT_VERSION} on Java ${javaVersion}`,
    localPrerequisite: `a JDK ${javaVersion} or newer`,
    taskSizeDefaults: { cpu: 512, memoryMiB: 1024 },
    validate: (settings: ServiceSettings) => {
      validateJavaPackage(javaPackageOf(settings), options.javaPackage === undefined);
      validateSpringBootBuild(options);
      refuseContainerOptions(options, AppRuntime.SPRING_BOOT);
      // Under a platformPath the app's context path is the platformPath, and the health group's path is relative to it.
      if (!ONE_SEGMENT_PATH.test(healthCheckPathUnderServiceUrl(settings.healthCheckPath, settings.platformPath))) {
        const example = settings.platformPath === undefined ? '"/health" or "/status"' : `"${settings.platformPath}/health" or "${settings.platformPath}/status" with platformPath "${settings.platformPath}"`;
        throw new OptionError(`healthCheckPath ${JSON.stringify(settings.healthCheckPath)} is not allowed with appRuntime "spring-boot": Spring Boot serves its health group only on a one-segment path${settings.platformPath === undefined ? '' : ' under its context path,'} such as ${example}.`);
      }
    },
    codeBuild: {
      // The Corretto of the same release the image's JRE runs, so tests see the production JVM.
      runtimeVersions: { java: `corretto${javaVersion}` },
      buildCommands: ['(cd app && ./mvnw -B -ntp verify)'],
      testReportBaseDirectory: 'app/target/surefire-reports',
      testReportFiles: ['TEST-*.xml'],
      // Nothing: Maven uses what ~/.m2 holds without checking it, so a cache would carry an unapproved build's jars
      // (or Maven itself, under ~/.m2/wrapper) into an approved one. Each build downloads, and the wrapper verifies Maven.
      cachePaths: [],
    },
    image: MANAGED_IMAGE_SOURCE,
    healthCheck: {
      gracePeriodSeconds: startAllowance,
      startPeriodSeconds: startAllowance,
      // Boot's graceful shutdown waits up to APP_SHUTDOWN_SECONDS (20 s) for in-flight requests; let the load balancer drain longer.
      deregistrationDelaySeconds: 30,
      containerHealthCheckCommand: (settings: ServiceSettings) => `curl -fsS -o /dev/null --max-time 5 ${containerHealthUrl(settings)} || exit 1`,
    },
    appCommands: {
      // The Maven wrapper, like JAVA, takes JAVA_HOME's java when it is set and PATH's otherwise.
      build: './mvnw -B verify',
      test: './mvnw -B test',
      // The one jar spring-boot-maven-plugin repackaged; the container starts the same code.
      start: `"${JAVA}" -jar target/*.jar`,
      check: javaCheck(javaVersion),
      // Devtools restarts the app in its restart class loader from what `compile` wrote, without a new JVM or a package;
      // a pom.xml change needs the task started again. C1 only: a short-lived Maven compiled in 11-13 s against 23-30 s,
      // and an app started in half the time (bench/RESULTS.md, the dev loop and run 6), both on a busy machine.
      dev: {
        command: `./mvnw -q -B spring-boot:run -Dspring-boot.run.jvmArguments=${DEV_JIT_FLAG}`,
        watch: ['src'],
        onChange: `MAVEN_OPTS="${DEV_JIT_FLAG} -XX:+UseSerialGC $MAVEN_OPTS" ./mvnw -q -B compile`,
      },
    },
    dockerfile: (settings: ServiceSettings) =>
      renderAsset('spring-boot/Dockerfile', {
        jreImage: `${JRE_TAGS[javaVersion]}@${JRE_DIGESTS[javaVersion]}`,
        containerPort: settings.containerPort,
        // The training run answers what a task answers before it is healthy.
        healthCheckUrl: containerHealthUrl(settings),
        startCacheName: startCache.name,
        startCacheFile: startCache.file,
        trainingFlags: trainingFlags.join(' '),
        startFlags: startFlags.map((flag) => JSON.stringify(flag)).join(', '),
        // Before the training run, so the start cache holds the classes the agent loads too.
        openTelemetry: openTelemetry ? openTelemetryDockerLines(settings.serviceName, 'JAVA_TOOL_OPTIONS', `-javaagent:/otel/${path.basename(OPEN_TELEMETRY_JAVA_AGENT_FILE)}`,
          [`COPY app/${OPEN_TELEMETRY_JAVA_AGENT_FILE} /otel/`]) : '',
      }),
    dockerignore: () => [
      ...renderAsset('spring-boot/dockerignore', {}).split('\n').filter((line) => line && !line.startsWith('#')),
      ...openTelemetry ? [`!app/${OPEN_TELEMETRY_JAVA_AGENT_FILE}`] : [],
    ],
    addApp: (parent: Project, settings: ServiceSettings) => {
      const app = addSpringBootApp(parent, settings, javaVersion, javaPackageOf(settings), springAot, options.annotationProcessors ?? []);
      // appDevDeps arrive through addAppDevDeps, as later calls in .projenrc.ts do.
      addSpringBootBuild(app, app.tryFindObjectFile('pom.xml')!, { ...options, appDevDeps: [] });
      if (openTelemetry) {
        copyJavaAgentInPackage(app);
      }
      return app;
    },
    addAppDeps: (app: Project, deps: string[]) => {
      validateMavenCoordinates('appDeps', deps);
      for (const dep of deps) {
        app.deps.addDependency(dep, DependencyType.RUNTIME);
      }
    },
    addAppDevDeps: addTestDependencies,
  };
}

/** The dev loop's JVMs compile with C1 only: C2's compile threads compete with the short-lived work itself. */
const DEV_JIT_FLAG = '-XX:TieredStopAtLevel=1';

/** The java every app task runs, as the Maven wrapper picks it: JAVA_HOME's when it is set, else the one on PATH. */
const JAVA = '${JAVA_HOME:+$JAVA_HOME/bin/}java';

/**
 * Stops before minutes of Maven end in `release version 21 not supported`, or a start in
 * `UnsupportedClassVersionError`, when the java the tasks run is another release than `javaVersion`.
 */
function javaCheck(javaVersion: number): string {
  const olderReleases = Object.keys(JRE_TAGS).filter((release) => Number(release) < javaVersion);
  const waysOut = [
    `  - install a JDK ${javaVersion} or newer and point JAVA_HOME at it (export JAVA_HOME=/path/to/jdk-${javaVersion})${olderReleases.length ? ', or' : '.'}`,
    ...olderReleases.length === 0 ? [] : [
      // The newest older release is the likeliest JDK a developer already has.
      `  - build for the Java you have: set javaVersion to ${olderReleases.join(' or ')} in .projenrc.ts and run npx projen (projen new: --java-version ${olderReleases[olderReleases.length - 1]}).`,
    ],
  ];
  return [
    `java="${JAVA}"`,
    'where="$([ -n "$JAVA_HOME" ] && echo "from JAVA_HOME" || echo "on PATH")"',
    'if ! command -v "$java" >/dev/null 2>&1; then',
    `  printf '%s\\n' "The app needs Java ${javaVersion} or newer (javaVersion in .projenrc.ts), and there is no java $where ($java).${olderReleases.length ? ' Either:' : ''}" ${waysOut.map((line) => `'${line}'`).join(' ')} >&2`,
    '  exit 1',
    'fi',
    // The specification version is the release alone ("17", "21"), whatever the vendor's version string says.
    'found="$("$java" -XshowSettings:properties -version 2>&1 | sed -n \'s/^ *java\\.specification\\.version = //p\')"',
    // A newer JDK compiles for and runs the release (Maven's --release); 1.8 and older are not whole numbers.
    `if ! [ "$found" -ge ${javaVersion} ] 2>/dev/null; then`,
    `  printf '%s\\n' "The app needs Java ${javaVersion} or newer (javaVersion in .projenrc.ts), and the java $where ($(command -v "$java")) is Java \${found:-of an unknown release}.${olderReleases.length ? ' Either:' : ''}" ${waysOut.map((line) => `'${line}'`).join(' ')} >&2`,
    '  exit 1',
    'fi',
  ].join('\n');
}

/** The app in `app/`: a projen subproject whose pom.xml and Maven wrapper are managed and whose code is the user's. */
function addSpringBootApp(
  parent: Project, settings: ServiceSettings, javaVersion: number, javaPackage: string, springAot: boolean, annotationProcessors: string[],
): Project {
  // A plain project: java.JavaProject would add a compiler plugin for Java 1.8 and a Java projenrc.
  const app = new Project({ parent, outdir: 'app', name: settings.serviceName });
  new RootProjenrc(app, `../${ProjenrcFile.of(parent)?.filePath ?? '.projenrc.ts'}`);
  app.gitignore.exclude('/target/');
  // cmd.exe misreads labels in LF-only batch files; the wrapper's .cmd keeps its CRLF in every checkout.
  app.gitattributes.addAttributes('*.cmd', 'text', 'eol=crlf');

  const pom = new java.Pom(app, {
    groupId: groupIdOf(javaPackage),
    artifactId: settings.serviceName,
    version: '0.0.1-SNAPSHOT',
    description: `The ${settings.serviceName} service.`,
    // Boot's parent manages every dependency and plugin version, so a release of this package can move them all.
    parentPom: {
      groupId: 'org.springframework.boot',
      artifactId: 'spring-boot-starter-parent',
      version: SPRING_BOOT_VERSION,
      relativePath: '',
    },
  });
  pom.addProperty('java.version', String(javaVersion));
  pom.addDependency('org.springframework.boot/spring-boot-starter-webmvc');
  pom.addDependency('org.springframework.boot/spring-boot-starter-actuator');
  pom.addTestDependency('org.springframework.boot/spring-boot-starter-webmvc-test');
  pom.addTestDependency('org.springframework.boot/spring-boot-resttestclient');
  // With springAot, Boot's parent binds process-aot to prepare-package and compiles what it generates into the jar.
  pom.addPlugin('org.springframework.boot/spring-boot-maven-plugin', {
    ...springAot ? { executions: [{ id: 'process-aot', goals: ['process-aot'] }] } : {},
    // Boot's repackaged jar takes provided-scope jars too: annotation processors (Lombok) stay out of it, as Initializr's pom says.
    ...annotationProcessors.length > 0
      ? { configuration: { excludes: { exclude: annotationProcessors.map((processor) => withoutVersion(coordinatesOf(processor))) } } }
      : {},
  });
  // projen puts its marker after the root element; a moved key puts ours right below the XML declaration.
  const pomFile = app.tryFindObjectFile(pom.fileName)!;
  pomFile.addOverride('!', ` ${MANAGED} `);
  pomFile.patch(JsonPatch.move('/project', '/project'));
  // Devtools for npx projen dev, as Initializr adds it: optional, so it stays out of the repackaged jar (Boot's excludeDevtools).
  pomFile.patch(JsonPatch.add('/project/dependencies/dependency/-', { groupId: 'org.springframework.boot', artifactId: 'spring-boot-devtools', scope: 'runtime', optional: true }));

  const asset = (relativePath: string) => `spring-boot/app/${relativePath}`;
  for (const wrapperFile of ['mvnw', 'mvnw.cmd', '.mvn/wrapper/maven-wrapper.properties']) {
    const lines = renderAsset(asset(wrapperFile), {}).replace(/\r\n/g, '\n').split('\n');
    new TextFile(app, wrapperFile, {
      // Kept as in the asset, final newline included: the wrapper's `read` loop skips an unterminated last line.
      // Windows scripts get CRLF whatever line endings git gave the asset.
      lines: wrapperFile.endsWith('.cmd') ? lines.map((line, index) => (index < lines.length - 1 ? `${line}\r` : line)) : lines,
      executable: wrapperFile === 'mvnw',
      marker: false,
    });
  }

  const values = {
    stopTimeoutSeconds: STOP_TIMEOUT_SECONDS,
    appShutdownSeconds: APP_SHUTDOWN_SECONDS,
    serviceName: settings.serviceName,
    containerPort: settings.containerPort,
    healthCheckPath: healthCheckPathUnderServiceUrl(settings.healthCheckPath, settings.platformPath),
    // The platform's load balancer forwards the platformPath unchanged: the app serves every route under it.
    contextPath: settings.platformPath ?? '',
    servletContextPath: settings.platformPath === undefined ? '' : `\n  servlet:\n    # platformPath: the platform's load balancer forwards only this path and those under it, unchanged.\n    context-path: ${settings.platformPath}`,
    javaPackage,
    applicationClass: applicationClassOf(settings.serviceName),
  };
  new TextFile(app, 'src/main/resources/service.generated.yml', {
    lines: renderAsset(asset('src/main/resources/service.generated.yml'), values).split('\n'),
    marker: false,
  });

  const packagePath = javaPackage.replace(/\./g, '/');
  // A service whose application.yml predates AppProperties has no `app.greeting` placeholder for it to read: leave it as it is.
  const appPropertiesFile = `src/main/java/${packagePath}/AppProperties.java`;
  const existingApp = fs.existsSync(path.join(app.outdir, 'src/main/resources/application.yml'));
  const predatesAppProperties = existingApp && !fs.existsSync(path.join(app.outdir, appPropertiesFile));
  const sample = (target: string, source: string) =>
    new SampleFile(app, target, { contents: renderAsset(asset(source), values) });
  sample(`src/main/java/${packagePath}/${values.applicationClass}.java`, 'src/main/java/Application.java');
  sample(`src/main/java/${packagePath}/HelloController.java`, 'src/main/java/HelloController.java');
  sample(`src/test/java/${packagePath}/${values.applicationClass}Tests.java`, 'src/test/java/ApplicationTests.java');
  if (!predatesAppProperties) {
    sample(appPropertiesFile, 'src/main/java/AppProperties.java');
    sample(`src/test/java/${packagePath}/AppPropertiesTests.java`, 'src/test/java/AppPropertiesTests.java');
  }
  // A new app only: in an existing one, a second error handler or request filter would change answers the team relies on.
  if (!existingApp) {
    sample(`src/main/java/${packagePath}/RequestIdFilter.java`, 'src/main/java/RequestIdFilter.java');
    sample(`src/main/java/${packagePath}/ErrorResponses.java`, 'src/main/java/ErrorResponses.java');
  }
  sample('src/main/resources/application.yml', 'src/main/resources/application.yml');
  return app;
}

/** `orders-api` becomes `com.example.ordersapi`, as Spring Initializr names a package. */
export function defaultJavaPackage(serviceName: string): string {
  return `com.example.${serviceName.replace(/-/g, '')}`;
}

/** `orders-api` becomes `OrdersApiApplication`. */
export function applicationClassOf(serviceName: string): string {
  const words = serviceName.split('-').map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return `${words.join('')}Application`;
}

/** The package without its last segment (`com.acme.orders` is in group `com.acme`). */
function groupIdOf(javaPackage: string): string {
  const segments = javaPackage.split('.');
  return segments.length > 1 ? segments.slice(0, -1).join('.') : javaPackage;
}

function validateJavaVersion(javaVersion: number): void {
  if (typeof javaVersion !== 'number' || !(javaVersion in JRE_TAGS) || misreadNumber('javaVersion', javaVersion)) {
    const allowed = Object.keys(JRE_TAGS).join(', ');
    throw new OptionError(`javaVersion ${shownValue('javaVersion', javaVersion)} is not allowed: use one of ${allowed}, the Java LTS releases Spring Boot ${SPRING_BOOT_VERSION} runs on.`);
  }
}

function validateJavaPackage(javaPackage: string, derived: boolean): void {
  const source = derived ? ' (derived from serviceName; set javaPackage to choose another)' : '';
  const keyword = typeof javaPackage === 'string' ? javaPackage.split('.').find((segment) => JAVA_KEYWORDS.has(segment)) : undefined;
  if (typeof javaPackage !== 'string' || !JAVA_PACKAGE.test(javaPackage) || keyword !== undefined) {
    throw new OptionError(`javaPackage ${JSON.stringify(javaPackage)}${source} is not allowed: it must be dot-separated lowercase Java identifiers (letters, digits, _), none of them a Java keyword${keyword ? ` such as "${keyword}"` : ''}, e.g. "com.acme.orders".`);
  }
}

/** The build copies OpenTelemetry's Java agent beside the jar (target/otel/), where the image build takes it from. */
function copyJavaAgentInPackage(app: Project): void {
  app.deps.addDependency('org.apache.maven.plugins/maven-dependency-plugin', DependencyType.BUILD, {
    executions: [{
      id: 'copy-opentelemetry-javaagent',
      goals: ['copy'],
      phase: 'package',
      configuration: {
        artifactItems: { artifactItem: [{ ...OPEN_TELEMETRY_JAVA_AGENT, destFileName: path.basename(OPEN_TELEMETRY_JAVA_AGENT_FILE) }] },
        outputDirectory: `\${project.build.directory}/${path.dirname(path.relative('target', OPEN_TELEMETRY_JAVA_AGENT_FILE))}`,
      },
    }],
  });
}

function withoutVersion(coordinates: { groupId: string; artifactId: string }): { groupId: string; artifactId: string } {
  return { groupId: coordinates.groupId, artifactId: coordinates.artifactId };
}
