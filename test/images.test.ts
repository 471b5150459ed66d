// The generated Dockerfiles, built unchanged with buildah and started, for both runtimes.
// Base images cannot be pulled here, so each FROM image is a local stand-in tagged with the
// Dockerfile's own base name (test/images/stand-ins.ts): this proves the build steps, the image's
// settings and its HTTP behaviour, not the real base image's Node or Java version.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AppRuntime } from '../src';
import { freePort, jdkHome, stopGracefully, waitForHttp } from './e2e/harness';
import { Buildah, findTool, ImageConfig } from './images/buildah';
import { descendantsNamed, findInTree, generateService, healthCheckTargets, run, uidOf } from './images/service';
import { baseImagesOf, StandInBases } from './images/stand-ins';

/** What differs between the runtimes' images; everything else is one specification. */
interface ImageSpec {
  readonly appRuntime: AppRuntime;
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

const JAVA_RELEASE = 21;

const specs: ImageSpec[] = [
  {
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
  {
    appRuntime: AppRuntime.SPRING_BOOT,
    // What the buildspec's mvn verify leaves for the Dockerfile; the tests ran in the e2e suite.
    prepare: (serviceDir) => run('./mvnw', ['-B', '-ntp', 'package', '-DskipTests'], path.join(serviceDir, 'app'), jdkHome(JAVA_RELEASE)),
    standIn: (bases, tag) => bases.java(tag, jdkHome(JAVA_RELEASE).JAVA_HOME!),
    // The Dockerfile's launcher is Spring Boot's own; the image must start it with container-aware memory limits.
    expectedCommand: () => ['java', '-XX:MaxRAMPercentage=75.0', '-XX:+ExitOnOutOfMemoryError', 'org.springframework.boot.loader.launch.JarLauncher'],
    appFiles: ['app/org/springframework/boot/loader/launch/JarLauncher.class', 'app/BOOT-INF/lib', 'app/BOOT-INF/classes/application.yml', 'opt/java/openjdk/bin/java'],
    buildOnlyTooling: (imageRoot) => findInTree(imageRoot, (_relative, entry) =>
      ['javac', 'mvn', 'mvnw', '.m2', 'jdk.compiler'].includes(entry.name) || entry.name.startsWith('apache-maven')),
    processName: 'java',
    startupTimeoutMs: 90_000,
  },
];

/** Why the images cannot be built here, or undefined when they can. */
function missingTools(): string | undefined {
  const missing = ['buildah', 'debootstrap'].filter((tool) => !findTool(tool));
  if (missing.length) {
    return `${missing.join(' and ')} not found (apt-get install buildah debootstrap)`;
  }
  if (process.getuid?.() !== 0) {
    return 'not running as root (vfs storage, chroot and debootstrap need it)';
  }
  return undefined;
}

const skipReason = missingTools();
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

  describe.each(specs)('the $appRuntime image', (spec) => {
    const serviceDir = path.join(workdir, spec.appRuntime);
    const image = `localhost/orders-api-${spec.appRuntime}:test`;
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
      timed('generate', () => generateService({ appRuntime: spec.appRuntime, outdir: serviceDir, containerPort, healthCheckPath }));
      timed('prepare', () => spec.prepare(serviceDir));
      const dockerfile = fs.readFileSync(path.join(serviceDir, 'Dockerfile'), 'utf-8');
      timed('stand-in bases', () => {
        for (const base of baseImagesOf(dockerfile)) {
          spec.standIn(bases, base);
        }
      });
      timed('image build', () => buildah.buildImage(serviceDir, image, path.join(workdir, `${spec.appRuntime}-build.log`)));
      config = buildah.imageConfig(image);
      container = buildah.from(image);
    });

    afterAll(() => {
      if (container) {
        buildah.exec(['rm', container]);
      }
      console.log(`${spec.appRuntime} image: ${buildah.imageExists(image) ? buildah.imageSize(image) : 'not built'}; `
        + `${timings.join(', ')}; ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
    });

    it('builds from the generated Dockerfile unchanged, on stand-ins named by its FROM lines', () => {
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

    it('starts as uid 1000 and answers where template.yml sends health checks, and on the sample route', async () => {
      const targets = healthCheckTargets(serviceDir);
      expect(targets).toMatchObject({ targetGroupPort: containerPort, containerPort, targetGroupPath: healthCheckPath });
      const app = buildah.startIn(container, [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])], {}, path.join(workdir, `${spec.appRuntime}-run.log`));
      try {
        const health = await waitForHttp(`http://127.0.0.1:${targets.targetGroupPort}${targets.targetGroupPath}`, spec.startupTimeoutMs);
        expect(health.status).toBe(200);
        const hello = await fetch(`http://127.0.0.1:${containerPort}/hello`);
        expect(hello.status).toBe(200);
        expect(await hello.json()).toEqual({ message: expect.any(String) });

        const appProcesses = descendantsNamed(app.pid!, spec.processName);
        expect(appProcesses).toHaveLength(1);
        expect(uidOf(appProcesses[0])).toBe(1000);

        // The task definition's own container health check, run in the app's container as ECS would.
        buildah.runIn(container, ['sh', '-c', targets.containerCommand]);
      } catch (error) {
        const log = path.join(workdir, `${spec.appRuntime}-run.log`);
        throw new Error(`${String(error)}\napp output:\n${fs.existsSync(log) ? fs.readFileSync(log, 'utf-8') : '(none)'}`);
      } finally {
        await stopGracefully(app, 25_000);
      }
    });
  });
});
