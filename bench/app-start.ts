// Start to healthy of the generated apps' container start commands, under a CPU limit standing in for the default task.
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { START_CACHES, StartCache } from '../src/runtimes/spring-boot';
import { freePort, stopGracefully, waitForHttp } from '../test/e2e/harness';

/** What `springAot: true` adds to the image's training run and start command. */
const SPRING_AOT_FLAG = '-Dspring.aot.enabled=true';

const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** The default task's 512 CPU units: half of one core, as a CFS quota of 50 ms per 100 ms period. */
const QUOTA_MICROSECONDS = 50_000;
const PERIOD_MICROSECONDS = 100_000;

/**
 * One core (taskset) at a CFS quota of half a core (a cgroup made for the run, v2 or v1 cpu controller),
 * standing in for a Fargate task of 0.5 vCPU. Without a writable cgroup, only the core is pinned and the
 * description says so.
 */
export class CpuLimit {
  public static create(name: string): CpuLimit {
    const candidates = [
      // cgroup v2: the root's controllers must include cpu.
      {
        root: '/sys/fs/cgroup',
        usable: (root: string) => readOr(path.join(root, 'cgroup.controllers')).split(/\s+/).includes('cpu'),
        write: (dir: string) => fs.writeFileSync(path.join(dir, 'cpu.max'), `${QUOTA_MICROSECONDS} ${PERIOD_MICROSECONDS}`),
        version: 'v2',
      },
      {
        root: '/sys/fs/cgroup/cpu',
        usable: (root: string) => fs.existsSync(path.join(root, 'cpu.cfs_quota_us')),
        write: (dir: string) => {
          fs.writeFileSync(path.join(dir, 'cpu.cfs_period_us'), String(PERIOD_MICROSECONDS));
          fs.writeFileSync(path.join(dir, 'cpu.cfs_quota_us'), String(QUOTA_MICROSECONDS));
        },
        version: 'v1',
      },
    ];
    for (const candidate of candidates) {
      if (!candidate.usable(candidate.root)) continue;
      const dir = path.join(candidate.root, name);
      try {
        fs.mkdirSync(dir);
        candidate.write(dir);
        return new CpuLimit(dir, `one core (taskset -c 0) at a CFS quota of ${QUOTA_MICROSECONDS / 1000} ms per ${PERIOD_MICROSECONDS / 1000} ms (cgroup ${candidate.version} ${dir})`);
      } catch (error) {
        log(`cannot use ${dir} for the CPU limit: ${String(error)}`);
        try {
          fs.rmdirSync(dir);
        } catch {
          // It was never made.
        }
      }
    }
    return new CpuLimit(undefined, 'one core (taskset -c 0) only: no writable cgroup here, so no CFS quota (a full core, twice the default task)');
  }

  private constructor(private readonly cgroupDir: string | undefined, public readonly description: string) {}

  /** The command and arguments that start `command` inside the limit (the shell execs it, so the pid stays the app's). */
  public wrap(command: string, args: string[]): [string, string[]] {
    if (!this.cgroupDir) return ['taskset', ['-c', '0', command, ...args]];
    return ['sh', ['-c', 'echo $$ > "$0/cgroup.procs" && exec taskset -c 0 "$@"', this.cgroupDir, command, ...args]];
  }

  /** Removes the cgroup; the kernel refuses while a process is still in it, so call after every app stopped. */
  public remove(): void {
    if (!this.cgroupDir || !fs.existsSync(this.cgroupDir)) return;
    try {
      fs.rmdirSync(this.cgroupDir);
    } catch (error) {
      log(`could not remove ${this.cgroupDir}: ${String(error)}; remove it with rmdir once its processes ended`);
    }
  }
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf-8');
  } catch {
    return '';
  }
}

/** One way to start an app, as a command run in `cwd`. */
export interface StartVariant {
  readonly name: string;
  readonly command: string;
  readonly args: string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface StartFigures {
  readonly startSeconds: number[];
  /** CPU seconds (user + system, all threads) the process used until healthy: what the quota turns into wall time. */
  readonly cpuSeconds: number[];
  readonly rssAfterStart: number[];
  readonly rssAfterLoad: number[];
}

/** Clock ticks per second of /proc's times: 100 on Linux (USER_HZ), which getconf confirms where it exists. */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf-8' }).stdout?.trim() || 100);

/** User and system CPU seconds of a process, all its threads (/proc/<pid>/stat fields 14 and 15). */
function cpuSecondsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf-8');
  // The command name may hold spaces; the fields after its closing parenthesis start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf-8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/**
 * Starts each variant `runs` times, interleaved so a change in machine load hits each alike: seconds from spawn to
 * the first 2xx health answer (polled every 250 ms), RSS then, and RSS after 2000 sequential health requests.
 */
export async function measureStarts(variants: StartVariant[], runs: number, healthPath: string, limit: CpuLimit): Promise<StartFigures[]> {
  const figures: StartFigures[] = variants.map(() => ({ startSeconds: [], cpuSeconds: [], rssAfterStart: [], rssAfterLoad: [] }));
  for (let run = 0; run < runs; run++) {
    for (const [index, variant] of variants.entries()) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}${healthPath}`;
      const [command, args] = limit.wrap(variant.command, variant.args);
      const started = process.hrtime.bigint();
      // The app's own output goes nowhere, as it would be shipped off the box in ECS.
      const child: ChildProcess = spawn(command, args, { cwd: variant.cwd, env: { ...process.env, ...variant.env, PORT: String(port) }, stdio: 'ignore' });
      try {
        const response = await waitForHttp(url, 180_000);
        if (!response.ok) throw new Error(`${variant.name}: ${url} answered ${response.status}`);
        const startSeconds = Number(process.hrtime.bigint() - started) / 1e9;
        figures[index].startSeconds.push(startSeconds);
        figures[index].cpuSeconds.push(cpuSecondsOf(child.pid!));
        figures[index].rssAfterStart.push(rssMiB(child.pid!));
        for (let request = 0; request < 2000; request++) await (await fetch(url)).text();
        figures[index].rssAfterLoad.push(rssMiB(child.pid!));
        log(`${variant.name}: healthy after ${startSeconds.toFixed(2)} s (${figures[index].cpuSeconds.at(-1)!.toFixed(2)} CPU s), RSS ${figures[index].rssAfterStart.at(-1)!.toFixed(0)} MiB, after 2000 requests ${figures[index].rssAfterLoad.at(-1)!.toFixed(0)} MiB`);
      } finally {
        await stopGracefully(child, 40_000);
      }
    }
  }
  return figures;
}

/** The folders the image's start commands run in, built from the app's jar as the Dockerfile builds them. */
interface SpringBootLayouts {
  /** Before #16: the exploded launcher layout the image ran with `JarLauncher`. */
  readonly launcher: string;
  /** Now: the extracted jars (`app.jar` and `lib/`) with each start cache's file beside them. */
  readonly jars: string;
  /** Seconds and bytes of each cache's training run, by cache name. */
  readonly training: Record<string, { seconds: number; bytes: number }>;
}

/**
 * Extracts the jar in both layouts and merges each one's layers, as the Dockerfile's COPY lines do; then the
 * Dockerfile's training runs, with `extraFlags` as the image adds them (Spring AOT's).
 */
async function springBootLayouts(
  jar: string, workDir: string, javaHome: string, healthPath: string, extraFlags: string[],
): Promise<SpringBootLayouts> {
  const java = path.join(javaHome, 'bin', 'java');
  // The Dockerfile copies the jar in as app.jar, the name its extracted jar then gets.
  fs.mkdirSync(workDir, { recursive: true });
  fs.copyFileSync(jar, path.join(workDir, 'app.jar'));
  const layout = (name: string, extraArgs: string[]): string => {
    const extracted = path.join(workDir, `${name}-layers`);
    const merged = path.join(workDir, name);
    fs.rmSync(extracted, { recursive: true, force: true });
    fs.rmSync(merged, { recursive: true, force: true });
    execFileSync(java, ['-Djarmode=tools', '-jar', path.join(workDir, 'app.jar'), 'extract', '--layers', ...extraArgs, '--destination', extracted], { stdio: ['ignore', process.stderr, process.stderr] });
    fs.mkdirSync(merged, { recursive: true });
    for (const layer of ['dependencies', 'spring-boot-loader', 'snapshot-dependencies', 'application']) {
      if (fs.existsSync(path.join(extracted, layer))) execFileSync('cp', ['-a', `${path.join(extracted, layer)}/.`, `${merged}/`]);
    }
    return merged;
  };
  const launcher = layout('launcher', ['--launcher']);
  const jars = layout('jars', []);
  const training: SpringBootLayouts['training'] = {};
  for (const cache of uniqueCaches()) {
    // The Dockerfile's training run at full speed, as in CodeBuild: start, answer the health check and 20 more, SIGTERM.
    const started = process.hrtime.bigint();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}${healthPath}`;
    const child = spawn(java, [cache.trainFlag, ...extraFlags, '-jar', 'app.jar'], { cwd: jars, env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
    try {
      await waitForHttp(url, 180_000);
      for (let request = 0; request < 20; request++) await (await fetch(url)).text();
    } finally {
      await stopGracefully(child, 120_000);
    }
    training[cache.name] = { seconds: Number(process.hrtime.bigint() - started) / 1e9, bytes: fs.statSync(path.join(jars, cache.file)).size };
  }
  return { launcher, jars, training };
}

function builtJar(appDir: string): string {
  const jar = fs.readdirSync(path.join(appDir, 'target')).find((name) => name.endsWith('.jar') && !name.endsWith('-plain.jar'));
  if (!jar) throw new Error(`no jar in ${appDir}/target: build the service first`);
  return path.join(appDir, 'target', jar);
}

/**
 * The same app built as `springAot: true` builds it: a copy whose pom gets the process-aot execution that option
 * adds to spring-boot-maven-plugin, packaged with the Maven wrapper.
 */
function springAotJar(appDir: string, copyDir: string, javaHome: string): string {
  fs.rmSync(copyDir, { recursive: true, force: true });
  execFileSync('cp', ['-a', appDir, copyDir]);
  fs.rmSync(path.join(copyDir, 'target'), { recursive: true, force: true });
  const pomFile = path.join(copyDir, 'pom.xml');
  const pom = fs.readFileSync(pomFile, 'utf-8');
  const withAot = pom.replace(/(<artifactId>spring-boot-maven-plugin<\/artifactId>)/,
    '$1<executions><execution><id>process-aot</id><goals><goal>process-aot</goal></goals></execution></executions>');
  if (withAot === pom) throw new Error(`no spring-boot-maven-plugin in ${pomFile}`);
  fs.chmodSync(pomFile, 0o644);
  fs.writeFileSync(pomFile, withAot);
  log(`building the springAot variant of the app in ${copyDir}`);
  execFileSync('./mvnw', ['-B', '-ntp', '-q', 'package', '-DskipTests'], {
    cwd: copyDir, env: { ...process.env, JAVA_HOME: javaHome, PATH: `${path.join(javaHome, 'bin')}:${process.env.PATH}` }, stdio: ['ignore', process.stderr, process.stderr],
  });
  return builtJar(copyDir);
}

function uniqueCaches(): StartCache[] {
  return [...new Map(Object.values(START_CACHES).map((cache) => [cache.name, cache])).values()];
}

function javaVersionsOf(cache: StartCache): string {
  return Object.entries(START_CACHES).filter(([, other]) => other.name === cache.name).map(([version]) => version).join(' and ');
}

/** The Spring Boot variants' rows and, by variant name, their median start seconds (for the deploy floor). */
export interface SpringBootStartReport {
  readonly markdown: string;
  readonly medianStartSeconds: { before: number; cached: Record<string, number> };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const spread = (values: number[], digits: number) =>
  `${Math.min(...values).toFixed(digits)} / ${median(values).toFixed(digits)} / ${Math.max(...values).toFixed(digits)}`;

/**
 * Today's image start command against the one before #16 and the one with its cache missing, in the same run:
 * the jar of the built service in `appDir`, the image's JVM flags, `-XX:MaxRAM` standing in for the task's memory.
 */
export async function benchSpringBootStart(
  options: { appDir: string; workDir: string; javaHome: string; memoryMiB: number; healthPath: string; runs: number; limit: CpuLimit },
): Promise<SpringBootStartReport> {
  const layouts = await springBootLayouts(builtJar(options.appDir), path.join(options.workDir, 'spring-boot-start'), options.javaHome, options.healthPath, []);
  const springAotLayouts = await springBootLayouts(springAotJar(options.appDir, path.join(options.workDir, 'spring-aot-app'), options.javaHome),
    path.join(options.workDir, 'spring-aot-start'), options.javaHome, options.healthPath, [SPRING_AOT_FLAG]);
  const java = path.join(options.javaHome, 'bin', 'java');
  // The image's flags; MaxRAM stands in for the task's memory limit, which the JVM reads from the cgroup in ECS.
  const imageFlags = ['-XX:MaxRAMPercentage=75.0', '-XX:+ExitOnOutOfMemoryError', `-XX:MaxRAM=${options.memoryMiB}m`];
  const caches = uniqueCaches();
  const variants: StartVariant[] = [
    { name: 'before #16: `JarLauncher` on the exploded layers', command: java, args: [...imageFlags, 'org.springframework.boot.loader.launch.JarLauncher'], cwd: layouts.launcher },
    { name: 'now, cache missing or broken: `-jar app.jar` on the extracted jars', command: java, args: [...imageFlags, '-jar', 'app.jar'], cwd: layouts.jars },
    ...caches.map((cache) => ({
      name: `now with the ${cache.name} (image for Java ${javaVersionsOf(cache)}): \`${cache.useFlag}\``,
      command: java,
      args: [cache.useFlag, ...imageFlags, '-jar', 'app.jar'],
      cwd: layouts.jars,
    })),
    ...caches.map((cache) => ({
      name: `with \`springAot: true\` and the ${cache.name}: \`${cache.useFlag} ${SPRING_AOT_FLAG}\``,
      command: java,
      args: [cache.useFlag, SPRING_AOT_FLAG, ...imageFlags, '-jar', 'app.jar'],
      cwd: springAotLayouts.jars,
    })),
  ];
  const figures = await measureStarts(variants, options.runs, options.healthPath, options.limit);
  const before = median(figures[0].startSeconds);
  const rows = variants.map((variant, index) => {
    const ratios = figures[index].startSeconds.map((seconds, run) => seconds / figures[0].startSeconds[run]);
    const cpuRatios = figures[index].cpuSeconds.map((seconds, run) => seconds / figures[0].cpuSeconds[run]);
    return `| ${variant.name} | ${spread(figures[index].startSeconds, 2)} | ${spread(ratios, 2)} | ${spread(figures[index].cpuSeconds, 2)} | ${spread(cpuRatios, 2)} | ${spread(figures[index].rssAfterStart, 0)} | ${spread(figures[index].rssAfterLoad, 0)} |`;
  });
  const trainingRow = (label: string, training: SpringBootLayouts['training'][string]) => `| ${label} | ${training.seconds.toFixed(1)} | ${(training.bytes / 2 ** 20).toFixed(0)} |`;
  const trainingRows = [
    ...caches.map((cache) => trainingRow(cache.name, layouts.training[cache.name])),
    ...caches.map((cache) => trainingRow(`${cache.name}, springAot`, springAotLayouts.training[cache.name])),
  ];
  const version = spawnSync(java, ['-version'], { encoding: 'utf-8' }).stderr.split('\n')[0];
  return {
    markdown: [
      `JVM: ${version}; CPU: ${options.limit.description}; memory: \`-XX:MaxRAM=${options.memoryMiB}m\` (the task's, from template.yml).`,
      `Flags of every variant: \`${imageFlags.join(' ')}\`; ${options.runs} rounds, the variants interleaved in each.`,
      '',
      'CPU s is what the process used until healthy (user + system, all threads): under the quota it becomes wall time at twice that on an uncontended host, so its ratio holds when other work shares the core.',
      '',
      '| start command | start to healthy s min / median / max | ratio to before #16 (same round) | CPU s to healthy | CPU ratio to before #16 | RSS after start MiB | RSS after 2000 requests MiB |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      'The training run each image build adds (full speed, unlimited CPU, as in CodeBuild) and the file it writes:',
      '',
      '| cache | training run s | file MiB |',
      '| --- | --- | --- |',
      ...trainingRows,
    ].join('\n'),
    medianStartSeconds: {
      before,
      cached: Object.fromEntries(caches.map((cache, index) => [cache.name, median(figures[index + 2].startSeconds)])),
    },
  };
}
