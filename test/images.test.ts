// The generated Dockerfiles, built with buildah and started, for both runtimes.
// Base images cannot be pulled here, so each FROM image is a local stand-in tagged with the
// Dockerfile's own base name, its digest taken off (test/images/stand-ins.ts): this proves the build steps, the image's
// settings and its HTTP behaviour, not the real base image's Node or Java version.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AppRuntime } from '../src';
import { freePort, jdkHome, stopGracefully, waitForHttp } from './e2e/harness';
import { Buildah, ImageConfig, imageBuildSkipReason } from './images/buildah';
import { descendantsNamed, findInTree, generateService, healthCheckTargets, run, uidOf } from './images/service';
import { baseImagesOf, StandInBases, withoutBaseDigests } from './images/stand-ins';
import { applicationClassOf, START_CACHES, StartCache } from '../src/runtimes/spring-boot';

/** The generated Dockerfile with its bases' digests taken off, written next to it. */
const STAND_IN_DOCKERFILE = 'Dockerfile.stand-ins';

/** What differs between the runtimes' images; everything else is one specification. */
interface ImageSpec {
  /** The image's name in test names and files. */
  readonly name: string;
  readonly appRuntime: AppRuntime;
  /** Spring Boot's Java release; its start cache technique differs by release. */
  readonly javaVersion?: number;
  /** Spring Boot's `springAot` option. */
  readonly springAot?: boolean;
  /** Builds what the Dockerfile copies in. */
  readonly prepare: (serviceDir: string) => void;
  /** Builds a stand-in for one FROM image of the Dockerfile, tagged with its name. */
  readonly standIn: (bases: StandInBases, tag: string) => void;
  /** The command the image must start with, from the app's own build definition. */
  readonly expectedCommand: (serviceDir: string) => string[];
  /** Paths in the final image's root that show the app is there (so the tooling check cannot pass on an empty image). */
  readonly appFiles: string[];
  /** Paths in the final image's root that only a build needs. */
  readonly buildOnlyTooling: (imageRoot: string, serviceDir: string) => string[];
  /** The process name of the running app, to read its uid. */
  readonly processName: string;
  readonly startupTimeoutMs: number;
}

/** A Spring Boot image for one Java release: 21 gets an AppCDS archive, 25 an AOT cache (17 is built as 21). */
function springBootSpec(javaVersion: number, springAot = false): ImageSpec {
  const startCache = START_CACHES[javaVersion];
  const springAotFlags = springAot ? ['-Dspring.aot.enabled=true'] : [];
  return {
    name: `spring-boot-java${javaVersion}${springAot ? '-spring-aot' : ''}`,
    appRuntime: AppRuntime.SPRING_BOOT,
    javaVersion,
    springAot,
    // What the buildspec's mvn verify leaves for the Dockerfile; the tests ran in the e2e suite.
    prepare: (serviceDir) => run('./mvnw', ['-B', '-ntp', 'package', '-DskipTests'], path.join(serviceDir, 'app'), jdkHome(javaVersion)),
    // A JRE jlinked from the newest JDK here, which runs either release's bytecode.
    standIn: (bases, tag) => bases.java(tag, jdkHome(javaVersion).JAVA_HOME!),
    // Spring Boot's extracted jar with the start cache the image's training run wrote, and container-aware memory limits.
    expectedCommand: () => ['java', startCache.useFlag, ...springAotFlags, '-XX:MaxRAMPercentage=75.0', '-XX:+ExitOnOutOfMemoryError', '-jar', 'app.jar'],
    appFiles: ['app/app.jar', 'app/lib', `app/${startCache.file}`, 'opt/java/openjdk/bin/java'],
    // Build tools, and what the training run would leave in /tmp: its log, the JVM's perf data, Tomcat's work folders.
    buildOnlyTooling: (imageRoot) => findInTree(imageRoot, (relative, entry) =>
      ['javac', 'mvn', 'mvnw', '.m2', 'jdk.compiler'].includes(entry.name) || entry.name.startsWith('apache-maven')
      || /^tmp\/(training\.log|hsperfdata_|tomcat)/.test(relative)),
    processName: 'java',
    startupTimeoutMs: 90_000,
  };
}

const specs: ImageSpec[] = [
  {
    name: 'node',
    appRuntime: AppRuntime.NODE,
    // The Dockerfile compiles and runs npm ci itself; it needs only the lock file next to package.json.
    prepare: (serviceDir) => run('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], path.join(serviceDir, 'app'), { npm_config_prefer_offline: 'true' }),
    standIn: (bases, tag) => bases.node(tag),
    expectedCommand: (serviceDir) => JSON.parse(fs.readFileSync(path.join(serviceDir, 'app', 'package.json'), 'utf-8')).scripts.start.split(' '),
    appFiles: ['app/lib/server.js', 'app/node_modules/fastify/package.json'],
    buildOnlyTooling: (imageRoot, serviceDir) => {
      const devDependencies = Object.keys(JSON.parse(fs.readFileSync(path.join(serviceDir, 'app', 'package.json'), 'utf-8')).devDependencies);
      expect(devDependencies).toEqual(expect.arrayContaining(['typescript', 'ts-node', '@biomejs/biome']));
      return [...devDependencies.map((name) => `app/node_modules/${name}`), 'app/src', 'app/tsconfig.json']
        .filter((relative) => fs.existsSync(path.join(imageRoot, relative)));
    },
    processName: 'node',
    startupTimeoutMs: 30_000,
  },
  springBootSpec(21),
  springBootSpec(25),
  springBootSpec(25, true),
];

const skipReason = imageBuildSkipReason();
if (skipReason) {
  console.warn(`SKIPPED test/images.test.ts: container images are not built on this machine: ${skipReason}.`);
}
const describeImages = skipReason ? describe.skip : describe;

describeImages('container images built from the generated Dockerfiles with buildah on stand-in base images (the real bases\' runtime versions are not checked)', () => {
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-images-'));
  let buildah: Buildah;
  let bases: StandInBases;

  beforeAll(() => {
    buildah = new Buildah(path.join(workdir, 'buildah'));
    bases = new StandInBases(buildah);
  });

  afterAll(() => {
    if (!buildah) {
      return;
    }
    console.log(`buildah storage used by the images test: ${(buildah.storageBytes() / 1e9).toFixed(2)} GB`);
    if (!process.env.KEEP_IMAGES) {
      buildah.destroy();
      fs.rmSync(workdir, { recursive: true, force: true });
    }
  });

  describe.each(specs)('the $name image', (spec) => {
    const serviceDir = path.join(workdir, spec.name);
    const image = `localhost/orders-api-${spec.name}:test`;
    const healthCheckPath = '/status';
    const timings: string[] = [];
    let started: number;
    let containerPort: number;
    let config: ImageConfig;
    /** One working container of the image, for looking inside and for running it (vfs copies the whole root per container). */
    let container: string;

    const timed = <T>(step: string, action: () => T): T => {
      const stepStarted = Date.now();
      const result = action();
      timings.push(`${step} ${((Date.now() - stepStarted) / 1000).toFixed(1)} s`);
      return result;
    };

    beforeAll(async () => {
      started = Date.now();
      // A free port as the container port itself: the image must listen on it with no PORT set, as ECS runs it.
      containerPort = await freePort();
      timed('generate', () => generateService({ appRuntime: spec.appRuntime, javaVersion: spec.javaVersion, springAot: spec.springAot, outdir: serviceDir, containerPort, healthCheckPath }));
      timed('prepare', () => spec.prepare(serviceDir));
      // The bases' digests aside (a stand-in cannot have them; buildspec.test.ts proves each FROM carries one), the generated Dockerfile.
      const dockerfile = withoutBaseDigests(fs.readFileSync(path.join(serviceDir, 'Dockerfile'), 'utf-8'));
      fs.writeFileSync(path.join(serviceDir, STAND_IN_DOCKERFILE), dockerfile);
      timed('stand-in bases', () => {
        // An image of the same Java release has built this stand-in already.
        for (const base of baseImagesOf(dockerfile).filter((tag) => !buildah.imageExists(tag))) {
          spec.standIn(bases, base);
        }
      });
      timed('image build', () => buildah.buildImage(serviceDir, image, path.join(workdir, `${spec.name}-build.log`), STAND_IN_DOCKERFILE));
      config = buildah.imageConfig(image);
      container = buildah.from(image);
    });

    afterAll(() => {
      if (container) {
        buildah.exec(['rm', container]);
      }
      console.log(`${spec.name} image: ${buildah.imageExists(image) ? buildah.imageSize(image) : 'not built'}; `
        + `${timings.join(', ')}; ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
    });

    it('builds from the generated Dockerfile, its base digests aside, on stand-ins named by its FROM lines', () => {
      expect(buildah.imageExists(image)).toBe(true);
    });

    it('runs as a non-root user, exposes the container port and starts the app', () => {
      expect(config.User).toBe('1000:1000');
      expect(Object.keys(config.ExposedPorts ?? {})).toEqual([`${containerPort}/tcp`]);
      expect([...(config.Entrypoint ?? []), ...(config.Cmd ?? [])]).toEqual(spec.expectedCommand(serviceDir));
    });

    it('holds the app and no build-only tooling', () => {
      const root = buildah.mount(container);
      for (const appFile of spec.appFiles) {
        expect({ appFile, present: fs.existsSync(path.join(root, appFile)) }).toEqual({ appFile, present: true });
      }
      expect(spec.buildOnlyTooling(root, serviceDir)).toEqual([]);
    });

    /** Starts the image's command in the container, runs `check` once it answers health checks, and stops it. */
    type RunningCheck = (appPid: number, log: string) => Promise<void> | void;
    const whileRunning = async (runName: string, check: RunningCheck, env: Record<string, string> = {}): Promise<void> => {
      const log = path.join(workdir, `${spec.name}-${runName}.log`);
      const app = buildah.startIn(container, [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])], env, log);
      try {
        const health = await waitForHttp(`http://127.0.0.1:${containerPort}${healthCheckPath}`, spec.startupTimeoutMs);
        expect(health.status).toBe(200);
        await check(app.pid!, log);
      } catch (error) {
        throw new Error(`${String(error)}\napp output:\n${fs.existsSync(log) ? fs.readFileSync(log, 'utf-8') : '(none)'}`);
      } finally {
        await stopGracefully(app, 25_000);
      }
    };

    it('starts as uid 1000 and answers where template.yml sends health checks, and on the sample route', async () => {
      const targets = healthCheckTargets(serviceDir);
      expect(targets).toMatchObject({ targetGroupPort: containerPort, containerPort, targetGroupPath: healthCheckPath });
      await whileRunning('run', async (appPid) => {
        const hello = await fetch(`http://127.0.0.1:${containerPort}/hello`);
        expect(hello.status).toBe(200);
        expect(await hello.json()).toEqual({ message: expect.any(String) });

        const appProcesses = descendantsNamed(appPid, spec.processName);
        expect(appProcesses).toHaveLength(1);
        expect(uidOf(appProcesses[0])).toBe(1000);

        // The task definition's own container health check, run in the app's container as ECS would.
        buildah.runIn(container, ['sh', '-c', targets.containerCommand]);
      });
    });

    if (spec.javaVersion !== undefined) {
      const startCache: StartCache = START_CACHES[spec.javaVersion];
      const cacheFile = () => path.join(buildah.mount(container), 'app', startCache.file);
      /** The image's own command, stopped by Spring after its context refresh, with the JVM's cache log and class sources. */
      const classSourcesAtStart = () => buildah.runIn(container, [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])], {
        JAVA_TOOL_OPTIONS: `-Xlog:${startCache.logTag} -Xlog:class+load -Dspring.context.exit=onRefresh`,
      });
      const applicationClassLine = new RegExp(`\\.${applicationClassOf('orders-api')} source: (.*)$`, 'm');

      it(`loads the app's classes from the ${startCache.name} the image build wrote`, () => {
        const log = classSourcesAtStart();
        expect(log).toMatch(new RegExp(`\\[info\\s*\\]\\[${startCache.logTag}\\s*\\] Opened .*${startCache.file.replace('.', '\\.')}`));
        // The app's own main class, not only the JDK's, comes from the cache: the training run saw the app.
        expect(applicationClassLine.exec(log)?.[1]).toMatch(/^shared objects file/);
        // Spring Boot names the class it starts "AOT-processed" when it runs the build's generated bean definitions.
        expect(log.includes(`Starting AOT-processed ${applicationClassOf('orders-api')}`)).toBe(spec.springAot ?? false);
      });

      it(`answers its first health check with the request classes the training run put in the ${startCache.name}`, async () => {
        // Tomcat loads its request class on the first request only: a training run stopped after the context refresh misses it.
        await whileRunning('request-classes', (_appPid, log) => {
          expect(/ org\.apache\.catalina\.connector\.Request source: (.*)$/m.exec(fs.readFileSync(log, 'utf-8'))?.[1]).toMatch(/^shared objects file/);
        }, { JAVA_TOOL_OPTIONS: '-Xlog:class+load' });
      });

      it(`still starts, from the jars, when the ${startCache.name} is broken or missing`, async () => {
        fs.writeFileSync(cacheFile(), 'not a class cache');
        expect(applicationClassLine.exec(classSourcesAtStart())?.[1]).toMatch(/app\.jar/);
        await whileRunning('broken-cache', () => undefined);

        fs.rmSync(cacheFile());
        expect(applicationClassLine.exec(classSourcesAtStart())?.[1]).toMatch(/app\.jar/);
        await whileRunning('no-cache', () => undefined);
      });
    }
  });
});
