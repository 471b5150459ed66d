// The speed benchmark: generated services against projen's stock CDK app, the apps' start under a CPU limit, the deploy floor, and the apps under load.
//
//   npx ts-node --transpile-only bench/run.ts [--runs N] [--only create,stages,start,deploy,app] [--keep] [--no-wait] [--reuse DIR]
//
// --keep keeps every generated project (round 1's are always kept for the later sections);
// --no-wait skips waiting for a load average below 1.5; --reuse takes the built services
// of an earlier run's work folder for the stages, start, deploy and app sections. The start section
// needs root for its CPU-limit cgroup (without one it pins a core only, and says so).
//
// Output is markdown tables on stdout; progress and the commands' own output go to stderr.
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { benchSpringBootStart, CpuLimit, measureStarts } from './app-start';
import { buildService, createService, packThisCheckout } from '../scripts/sample-service';
import { deliberateWaitMinutes, resolveDeploymentStrategy, trafficShiftMinutes } from '../src/deployment-strategy';
import { DeploymentStrategyType } from '../src/options';
import { DEFAULT_JAVA_VERSION } from '../src/runtimes/spring-boot';
import { freePort, jdkHome, stopGracefully, waitForHttp } from '../test/e2e/harness';

const REPO_ROOT = path.resolve(__dirname, '..');
const PROJEN_BIN = path.join(REPO_ROOT, 'node_modules', 'projen', 'bin', 'projen');
const WALKTHROUGH = '/work/shared/reference/codestar-fargate-walkthrough.txt';

type Kind = 'stock' | 'node' | 'spring-boot';
const KINDS: Kind[] = ['stock', 'node', 'spring-boot'];
const SECTIONS = ['create', 'stages', 'start', 'deploy', 'app'] as const;
type Section = typeof SECTIONS[number];

interface Args { runs: number; only: Set<Section>; keep: boolean; wait: boolean; reuse?: string }

function parseArgs(argv: string[]): Args {
  const args: Args = { runs: 3, only: new Set(SECTIONS), keep: false, wait: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') {
      args.runs = Number(argv[++i]);
      if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error(`--runs ${argv[i]} is not allowed: use a whole number of at least 1`);
    } else if (argv[i] === '--only') {
      const wanted = (argv[++i] ?? '').split(',');
      const unknown = wanted.filter((section) => !(SECTIONS as readonly string[]).includes(section));
      if (unknown.length) throw new Error(`--only ${unknown.join(',')} is not allowed: use a comma-separated list of ${SECTIONS.join(', ')}`);
      args.only = new Set(wanted as Section[]);
    } else if (argv[i] === '--keep') {
      args.keep = true;
    } else if (argv[i] === '--no-wait') {
      args.wait = false;
    } else if (argv[i] === '--reuse') {
      args.reuse = path.resolve(argv[++i] ?? '');
    } else {
      throw new Error(`unknown argument ${argv[i]}: usage: bench/run.ts [--runs N] [--only ${SECTIONS.join(',')}] [--keep] [--no-wait] [--reuse <earlier work folder>]`);
    }
  }
  return args;
}

// ---------------------------------------------------------------- helpers

const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

function seconds<T>(action: () => T): number {
  const started = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Runs a command with its output on stderr (the log), failing loudly. */
function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): void {
  log(`$ ${command} ${args.join(' ')}   (in ${cwd})`);
  execFileSync(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', process.stderr, process.stderr] });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const fmt = (value: number, digits = 1) => value.toFixed(digits);
const spread = (values: number[], digits = 1) =>
  values.length ? `${fmt(Math.min(...values), digits)} / ${fmt(median(values), digits)} / ${fmt(Math.max(...values), digits)}` : 'n/a';

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function machineState(): string {
  return execFileSync('uptime', { encoding: 'utf-8' }).trim();
}

/** Waits up to 10 minutes for the 1-minute load average to fall to 1.5; returns what it found. */
async function waitForQuietMachine(): Promise<string> {
  const deadline = Date.now() + 10 * 60_000;
  while (os.loadavg()[0] > 1.5 && Date.now() < deadline) {
    log(`load average ${os.loadavg()[0].toFixed(2)} > 1.5: waiting (until ${new Date(deadline).toISOString().slice(11, 19)})`);
    await new Promise((resolve) => setTimeout(resolve, 30_000));
  }
  const load = os.loadavg()[0];
  return load > 1.5 ? `load still ${load.toFixed(2)} after waiting 10 minutes: ran anyway` : `load ${load.toFixed(2)}`;
}

// ---------------------------------------------------------------- projects

const JAVA_ENV = (): NodeJS.ProcessEnv => jdkHome(DEFAULT_JAVA_VERSION);
const envFor = (kind: Kind): NodeJS.ProcessEnv => (kind === 'spring-boot' ? JAVA_ENV() : {});

/** The stock project exactly as the brief defines it: `projen new awscdk-app-ts` in an empty folder. */
function createStock(directory: string): void {
  fs.mkdirSync(directory, { recursive: true });
  // Same npm cache policy as createService uses for ours, so the comparison is fair.
  sh(process.execPath, [PROJEN_BIN, 'new', 'awscdk-app-ts', '--no-git'], directory, { npm_config_prefer_offline: 'true' });
}

function create(kind: Kind, tarball: string, directory: string): void {
  if (kind === 'stock') {
    createStock(directory);
  } else {
    createService(tarball, directory, ['--app-runtime', kind]);
  }
}

interface Timings { create: number; build: number; synth: number; cdkSynth: number; validatedCdkSynth: number }

function measureProject(kind: Kind, tarball: string, directory: string): Timings {
  const env = envFor(kind);
  log(`--- ${kind}: ${directory}`);
  const createSeconds = seconds(() => create(kind, tarball, directory));
  const buildSeconds = seconds(() => buildService(directory, env));
  // One untimed synth so the measured one is warm (build already synthesized once; this settles any file it touched).
  sh('npx', ['projen'], directory, env);
  const synthSeconds = seconds(() => sh('npx', ['projen'], directory, env));
  const cdkSynthSeconds = seconds(() => sh('npx', ['cdk', 'synth', '-q'], directory, env));
  // What `projen build` and `projen deploy` run: aws-cdk-lib's CloudFormation validation on (stock runs it on every synth).
  const validatedCdkSynthSeconds = seconds(() => sh('npx', ['cdk', 'synth', '-q'], directory, { ...env, CDK_VALIDATION: 'true' }));
  const timings = {
    create: createSeconds, build: buildSeconds, synth: synthSeconds, cdkSynth: cdkSynthSeconds, validatedCdkSynth: validatedCdkSynthSeconds,
  };
  log(`${kind}: ${JSON.stringify(Object.fromEntries(Object.entries(timings).map(([key, value]) => [key, Number(value.toFixed(1))])))}`);
  return timings;
}

/**
 * `npx projen build` again with each projen task step timestamped: where the
 * build's time goes. A repeat build, so installs and caches are warm.
 */
async function profileBuild(directory: string, env: NodeJS.ProcessEnv): Promise<Array<{ step: string; seconds: number }>> {
  log(`profiling npx projen build in ${directory}`);
  const started = Date.now();
  const marks: Array<{ step: string; at: number }> = [];
  const child = spawn('npx', ['projen', 'build'], { cwd: directory, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const onData = (chunk: Buffer) => {
    process.stderr.write(chunk);
    for (const line of chunk.toString('utf-8').split('\n')) {
      // projen announces each step as "👾 <task> | <command>" (and "👾 <task> » <subtask>").
      const match = /👾 (.+?) \| (.*)$/.exec(line);
      if (match) marks.push({ step: `${match[1]}: ${match[2]}`.slice(0, 110), at: Date.now() });
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`npx projen build failed in ${directory} (exit ${code})`);
  const ended = Date.now();
  const steps = marks.map((mark, index) => ({ step: mark.step, seconds: ((marks[index + 1]?.at ?? ended) - mark.at) / 1000 }));
  return [{ step: '(before the first step: npx, projen start-up)', seconds: ((marks[0]?.at ?? ended) - started) / 1000 }, ...steps, { step: 'TOTAL', seconds: (ended - started) / 1000 }];
}

// ---------------------------------------------------------------- stages

function stageNames(count: number): string[] {
  if (count === 1) return ['production'];
  return ['dev', ...Array.from({ length: count - 2 }, (_, index) => `s${index + 2}`), 'production'];
}

/** Sets `stages: [...]` in the generated .projenrc.ts (replacing an earlier setting). */
function setStages(directory: string, count: number): void {
  const file = path.join(directory, '.projenrc.ts');
  const stages = `stages: ${JSON.stringify(stageNames(count)).replace(/"/g, '\'')},`;
  let text = fs.readFileSync(file, 'utf-8').replace(/^\s*stages: \[.*\],\n/m, '');
  text = text.replace(/^(\s*)(name: .*\n)/m, `$1$2$1${stages}\n`);
  if (!text.includes(stages)) throw new Error(`could not set stages in ${file}`);
  fs.writeFileSync(file, text);
}

function measureStages(kind: Kind, directory: string, runs: number): Record<number, number[]> {
  const env = envFor(kind);
  const results: Record<number, number[]> = {};
  for (const count of [1, 5, 20]) {
    setStages(directory, count);
    sh('npx', ['projen'], directory, env); // settles the files the new stages change
    results[count] = Array.from({ length: runs }, () => seconds(() => sh('npx', ['projen'], directory, env)));
    log(`${kind} with ${count} stages: ${results[count].map((value) => value.toFixed(2)).join(', ')} s`);
  }
  setStages(directory, 2);
  sh('npx', ['projen'], directory, env);
  return results;
}

// ---------------------------------------------------------------- deploy floor

interface DeploySettings {
  source: string;
  interval: number;
  healthyThreshold: number;
  deregistrationDelay: number;
  gracePeriod: number;
  containerCheck?: { interval: number; startPeriod: number };
  /** Seconds the app takes to its first healthy answer, measured under the CPU limit; 0 when not measured. */
  appStart: number;
}

/** Reads the health check and draining settings from a generated template.yml. */
function deploySettingsOf(templateFile: string, source: string, appStart: number): DeploySettings {
  const template = parseYaml(fs.readFileSync(templateFile, 'utf-8'));
  const resources = Object.values<any>(template.Resources);
  const targetGroup = resources.find((resource) => resource.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup').Properties;
  const service = resources.find((resource) => resource.Type === 'AWS::ECS::Service').Properties;
  const taskDefinition = resources.find((resource) => resource.Type === 'AWS::ECS::TaskDefinition').Properties;
  const attribute = (key: string) => (targetGroup.TargetGroupAttributes ?? []).find((entry: any) => entry.Key === key)?.Value;
  const containerCheck = taskDefinition.ContainerDefinitions[0].HealthCheck;
  return {
    source,
    // A property left out takes the ALB default.
    interval: targetGroup.HealthCheckIntervalSeconds ?? ALB_DEFAULTS.interval,
    healthyThreshold: targetGroup.HealthyThresholdCount ?? ALB_DEFAULTS.healthyThreshold,
    deregistrationDelay: Number(attribute('deregistration_delay.timeout_seconds') ?? ALB_DEFAULTS.deregistrationDelay),
    gracePeriod: service.HealthCheckGracePeriodSeconds ?? 0,
    containerCheck: containerCheck ? { interval: containerCheck.Interval ?? 30, startPeriod: containerCheck.StartPeriod ?? 0 } : undefined,
    appStart,
  };
}

/** ALB target group defaults for an HTTP target group (Elastic Load Balancing documentation). */
const ALB_DEFAULTS = { interval: 30, healthyThreshold: 5, deregistrationDelay: 300 };

/**
 * The walkthrough's values: its target group is made by hand in the console
 * (only its ARN reaches the template), so it has the ALB defaults; its
 * template sets the grace period to its HealthCheckIntervalSeconds parameter.
 */
function walkthroughSettings(): DeploySettings {
  const lines = fs.readFileSync(WALKTHROUGH, 'utf-8').split('\n');
  const lineOf = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line)) + 1;
  const intervalLine = lineOf(/^HealthCheckIntervalSeconds:/);
  const interval = Number(/Default: (\d+)/.exec(lines.slice(intervalLine, intervalLine + 3).join('\n'))?.[1]);
  const graceLine = lineOf(/HealthCheckGracePeriodSeconds: !Ref HealthCheckIntervalSeconds/);
  const targetGroupLine = lineOf(/TargetGroupARN.*targetgroup\//);
  return {
    source: `walkthrough (target group by ARN, line ${targetGroupLine}: ALB defaults; grace = HealthCheckIntervalSeconds default, lines ${intervalLine}-${intervalLine + 2} and ${graceLine}; no container health check)`,
    ...ALB_DEFAULTS,
    gracePeriod: interval,
    appStart: 0,
  };
}

/**
 * The seconds a rolling deploy waits, from the settings and the app's measured start: the new target
 * passes `healthyThreshold` checks `interval` apart, the first passing one being the first check after
 * the app answers (and, when the task has a container health check, its first probe after the app
 * answers), then the old target drains for the deregistration delay. The grace period only lets a slow
 * app fail checks without being replaced, so it is the pessimistic column: the floor if ECS waited it out first.
 */
function deployFloor(settings: DeploySettings): { healthy: number; floor: number; pessimistic: number } {
  const checksBeforeAnswer = (interval: number) => Math.max(1, Math.ceil(settings.appStart / interval));
  const targetHealthy = (checksBeforeAnswer(settings.interval) + settings.healthyThreshold - 1) * settings.interval;
  const containerHealthy = settings.containerCheck ? checksBeforeAnswer(settings.containerCheck.interval) * settings.containerCheck.interval : 0;
  const healthy = Math.max(targetHealthy, containerHealthy);
  const graceFirst = Math.max(settings.gracePeriod, settings.containerCheck?.startPeriod ?? 0);
  return {
    healthy,
    floor: healthy + settings.deregistrationDelay,
    pessimistic: graceFirst + settings.interval * settings.healthyThreshold + settings.deregistrationDelay,
  };
}

/** Measured app starts (seconds, under the CPU limit) the deploy table adds rows for. */
export interface MeasuredStarts {
  node?: number;
  springBootBefore?: number;
  springBootCached?: Record<string, number>;
}

export function deployTable(directories: Partial<Record<Kind, string>>, starts: MeasuredStarts = {}): string {
  const rows: DeploySettings[] = [
    { source: 'ALB defaults (a target group left at its defaults)', ...ALB_DEFAULTS, gracePeriod: 0, appStart: 0 },
    walkthroughSettings(),
  ];
  const template = (kind: Kind) => path.join(directories[kind]!, 'template.yml');
  if (directories.node) rows.push(deploySettingsOf(template('node'), 'generated node template.yml', starts.node ?? 0));
  if (directories['spring-boot']) {
    if (starts.springBootBefore !== undefined) {
      rows.push(deploySettingsOf(template('spring-boot'), 'generated spring-boot template.yml, app started as before #16', starts.springBootBefore));
    }
    const cached = Object.entries(starts.springBootCached ?? {});
    for (const [cache, start] of cached) rows.push(deploySettingsOf(template('spring-boot'), `generated spring-boot template.yml, app started with the ${cache}`, start));
    if (!cached.length) rows.push(deploySettingsOf(template('spring-boot'), 'generated spring-boot template.yml', 0));
  }
  return table(
    ['settings', 'TG interval s', 'healthy threshold', 'deregistration delay s', 'grace period s', 'container check interval / start period s', 'app start s (measured, 0 if not)', 'healthy after s', 'deploy floor s', 'pessimistic (grace first) s'],
    rows.map((settings) => {
      const floor = deployFloor(settings);
      return [settings.source, String(settings.interval), String(settings.healthyThreshold), String(settings.deregistrationDelay),
        String(settings.gracePeriod),
        settings.containerCheck ? `${settings.containerCheck.interval} / ${settings.containerCheck.startPeriod}` : 'none',
        fmt(settings.appStart, 2), String(floor.healthy), `**${floor.floor}**`, String(floor.pessimistic)];
    }),
  );
}

/**
 * The deploy floor of each strategy with its default numbers (src/deployment-strategy.ts), for the generated
 * templates' settings. Rolling: the rolling floor above. Blue/green, canary and linear: ECS starts the new fleet
 * behind the alternate target group (healthy as in a rolling deploy), moves traffic by the strategy (each move is
 * a listener rule change, seconds), keeps the old fleet for the bake time, then deregisters it (the drain). The
 * waits are deliberate: they are when the deployment alarms watch real traffic on the new release.
 */
export function strategyTable(directories: Partial<Record<Kind, string>>, starts: MeasuredStarts = {}): string {
  const rows: DeploySettings[] = [];
  const template = (kind: Kind) => path.join(directories[kind]!, 'template.yml');
  if (directories.node) rows.push(deploySettingsOf(template('node'), 'node', starts.node ?? 0));
  if (directories['spring-boot']) {
    const cached = Object.entries(starts.springBootCached ?? {});
    const [cache, start] = cached[cached.length - 1] ?? ['', 0];
    rows.push(deploySettingsOf(template('spring-boot'), cache ? `spring-boot, with the ${cache}` : 'spring-boot', start));
  }
  const strategies = Object.values(DeploymentStrategyType).map(type => resolveDeploymentStrategy('bench', { type }, 'dev'));
  const describe = (strategy: ReturnType<typeof resolveDeploymentStrategy>) => {
    switch (strategy.type) {
      case DeploymentStrategyType.CANARY: return `CANARY ${strategy.canaryPercent}% for ${strategy.canaryBakeTimeMinutes} min, bake ${strategy.bakeTimeMinutes} min`;
      case DeploymentStrategyType.LINEAR: return `LINEAR ${strategy.linearStepPercent}% every ${strategy.linearStepBakeTimeMinutes} min, bake ${strategy.bakeTimeMinutes} min`;
      case DeploymentStrategyType.BLUE_GREEN: return `BLUE_GREEN, bake ${strategy.bakeTimeMinutes} min`;
      default: return 'ROLLING';
    }
  };
  return table(
    ['template', 'strategy', 'new tasks healthy after s', 'traffic shifting s', 'bake s', 'drain s', 'deploy floor s', 'slower than rolling by'],
    rows.flatMap((settings) => {
      const rolling = deployFloor(settings);
      return strategies.map((strategy) => {
        const shifting = trafficShiftMinutes(strategy) * 60;
        const bake = (strategy.bakeTimeMinutes ?? 0) * 60;
        const floor = rolling.healthy + shifting + bake + settings.deregistrationDelay;
        const slower = floor - rolling.floor;
        return [settings.source, describe(strategy), String(rolling.healthy), String(shifting), String(bake), String(settings.deregistrationDelay),
          `**${floor}**`, slower === 0 ? '-' : `${slower} s (${deliberateWaitMinutes(strategy)} min of deliberate waits)`];
      });
    }),
  );
}

// ---------------------------------------------------------------- the apps

function taskMemoryMiB(directory: string): number {
  const template = parseYaml(fs.readFileSync(path.join(directory, 'template.yml'), 'utf-8'));
  return Number(Object.values<any>(template.Resources).find((resource) => resource.Type === 'AWS::ECS::TaskDefinition').Properties.Memory);
}

function healthPathOf(directory: string): string {
  const template = parseYaml(fs.readFileSync(path.join(directory, 'template.yml'), 'utf-8'));
  return Object.values<any>(template.Resources).find((resource) => resource.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup').Properties.HealthCheckPath;
}

/** A server started by the bench, and the seconds it took to answer its health path. */
interface StartedServer {
  readonly child: ChildProcess;
  readonly startSeconds: number;
}

async function startServer(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, healthUrl: string): Promise<StartedServer> {
  const started = process.hrtime.bigint();
  // The app's own log (one line per request at info level) goes nowhere, as it would be shipped off the box in ECS.
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: 'ignore' });
  const response = await waitForHttp(healthUrl, 120_000);
  if (!response.ok) throw new Error(`${healthUrl} answered ${response.status}`);
  return { child, startSeconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

interface LoadResult { requestsPerSecond: number; p99: number }

function autocannon(toolDir: string, url: string, durationSeconds: number): LoadResult {
  const output = execFileSync(process.execPath, [path.join(toolDir, 'node_modules', 'autocannon', 'autocannon.js'), '-c', '10', '-d', String(durationSeconds), '-j', url],
    { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'] });
  const result = JSON.parse(output);
  if (result.non2xx || result.errors) throw new Error(`autocannon saw ${result.non2xx} non-2xx answers and ${result.errors} errors at ${url}`);
  return { requestsPerSecond: result.requests.average, p99: result.latency.p99 };
}

async function benchNodeApp(directory: string, runs: number, workDir: string): Promise<string> {
  const appDir = path.join(directory, 'app');
  const healthPath = healthPathOf(directory);
  const fastifyVersion = JSON.parse(fs.readFileSync(path.join(appDir, 'node_modules', 'fastify', 'package.json'), 'utf-8')).version;
  const toolDir = path.join(workDir, 'load-tools');
  fs.mkdirSync(toolDir, { recursive: true });
  fs.writeFileSync(path.join(toolDir, 'package.json'), JSON.stringify({ name: 'bench-load-tools', private: true }));
  sh('npm', ['install', '--no-audit', '--no-fund', 'autocannon@^8', `fastify@${fastifyVersion}`], toolDir, { npm_config_prefer_offline: 'true' });
  // The framework's own hello world, on the same health path and answer as the skeleton.
  fs.writeFileSync(path.join(toolDir, 'bare.js'), [
    "const fastify = require('fastify')();",
    `fastify.get(${JSON.stringify(healthPath)}, async () => ({ status: 'ok' }));`,
    "fastify.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });",
  ].join('\n'));

  const variants = [
    { name: 'generated app (NODE_ENV=production, as in the image)', cwd: appDir, args: ['lib/server.js'], env: { NODE_ENV: 'production' } },
    { name: `bare Fastify ${fastifyVersion} hello world`, cwd: toolDir, args: ['bare.js'], env: {} },
  ];
  const results = variants.map(() => [] as LoadResult[]);
  for (let run = 0; run < runs; run++) {
    for (const [index, variant] of variants.entries()) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}${healthPath}`;
      const { child } = await startServer(process.execPath, variant.args, variant.cwd, { ...variant.env, PORT: String(port) }, url);
      try {
        autocannon(toolDir, url, 2); // warm-up, not counted
        const result = autocannon(toolDir, url, 10);
        log(`${variant.name}: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.p99} ms`);
        results[index].push(result);
      } finally {
        await stopGracefully(child, 30_000);
      }
    }
  }
  const bare = results[1];
  return table(['server (10 connections, 10 s, interleaved)', 'req/s min / median / max', 'p99 ms min / median / max', 'req/s ratio to bare (per run) min / median / max'],
    variants.map((variant, index) => [variant.name, spread(results[index].map((r) => r.requestsPerSecond), 0),
      spread(results[index].map((r) => r.p99), 0),
      spread(results[index].map((r, run) => r.requestsPerSecond / bare[run].requestsPerSecond), 2)]));
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  // `npx projen bench -- --runs 2` passes the `--` through.
  const args = parseArgs(process.argv.slice(2).filter((arg) => arg !== '--'));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-bench-'));
  const report: string[] = [];
  const out = (text: string) => {
    report.push(text);
    console.log(text);
  };

  const loadNote = args.wait ? await waitForQuietMachine() : `load ${os.loadavg()[0].toFixed(2)}, not waited for (--no-wait)`;
  out(`# Benchmark run ${new Date().toISOString()}`);
  out(`- machine: ${os.cpus().length} cores, ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM; node ${process.version}`);
  out(`- before: \`${machineState()}\` (${loadNote})`);
  out(`- runs: ${args.runs}; sections: ${[...args.only].join(', ')}; work folder ${workDir}`);

  // Packed once per bench run, when a section first creates a service (a --reuse run of the deploy section needs none).
  let packed: string | undefined;
  const tarball = (): string => (packed ??= packThisCheckout(path.join(workDir, 'pack')));
  const keptDirectories: Partial<Record<Kind, string>> = {};

  if (args.only.has('create')) {
    const timings: Record<Kind, Timings[]> = { 'stock': [], 'node': [], 'spring-boot': [] };
    for (let run = 1; run <= args.runs; run++) {
      // Interleaved, so a change in machine load hits each kind alike; each ratio pairs runs of the same round.
      for (const kind of KINDS) {
        const directory = path.join(workDir, `${kind}-${run}`);
        timings[kind].push(measureProject(kind, tarball(), directory));
        if (run === 1) {
          keptDirectories[kind] = directory;
        } else if (!args.keep) {
          fs.rmSync(directory, { recursive: true, force: true });
        }
      }
    }
    const measures: Array<[keyof Timings, string]> = [['create', 'projen new'], ['build', 'first npx projen build'], ['synth', 'warm npx projen'], ['cdkSynth', 'npx cdk synth -q'], ['validatedCdkSynth', 'CDK_VALIDATION=true npx cdk synth -q']];
    const rows: string[][] = [];
    for (const [measure, label] of measures) {
      for (const kind of KINDS) {
        const values = timings[kind].map((timing) => timing[measure]);
        const ratios = timings[kind].map((timing, run) => timing[measure] / timings.stock[run][measure]);
        rows.push([label, kind, spread(values), kind === 'stock' ? '1' : spread(ratios, 2)]);
      }
    }
    out('\n## Developer loop (seconds)\n');
    out(table(['step', 'project', 's min / median / max', 'ratio to stock (same round) min / median / max'], rows));

    out('\n## Where the first build goes (a repeat `npx projen build` of round 1, steps timestamped)\n');
    for (const kind of KINDS) {
      const steps = await profileBuild(keptDirectories[kind]!, envFor(kind));
      out(`\n### ${kind}\n`);
      out(table(['step', 's'], steps.map((step) => [step.step.replace(/\|/g, '\\|'), fmt(step.seconds)])));
    }
  }

  const projectFor = (kind: Kind): string => {
    const reused = args.reuse && [`${kind}-1`, `${kind}-only`].map((name) => path.join(args.reuse!, name)).find((candidate) => fs.existsSync(path.join(candidate, 'template.yml')));
    if (!keptDirectories[kind] && reused) keptDirectories[kind] = reused;
    if (!keptDirectories[kind]) {
      const directory = path.join(workDir, `${kind}-only`);
      create(kind, tarball(), directory);
      buildService(directory, envFor(kind));
      keptDirectories[kind] = directory;
    }
    return keptDirectories[kind]!;
  };

  if (args.only.has('stages')) {
    out('\n## Warm `npx projen` by number of stages (seconds)\n');
    const rows: string[][] = [];
    for (const kind of ['node', 'spring-boot'] as const) {
      const results = measureStages(kind, projectFor(kind), args.runs);
      for (const count of [1, 5, 20]) {
        rows.push([kind, String(count), spread(results[count], 2), fmt(median(results[count]) / median(results[1]), 2)]);
      }
    }
    out(table(['project', 'stages', 's min / median / max', 'median vs 1 stage'], rows));
  }

  const starts: MeasuredStarts = {};
  if (args.only.has('start')) {
    const limit = CpuLimit.create(`csf-bench-${process.pid}`);
    try {
      out('\n## App start under a CPU limit standing in for the default task (0.5 vCPU)\n');
      const nodeDir = projectFor('node');
      const [node] = await measureStarts([{ name: 'node', command: process.execPath, args: ['lib/server.js'], cwd: path.join(nodeDir, 'app'), env: { NODE_ENV: 'production' } }],
        args.runs, healthPathOf(nodeDir), limit);
      starts.node = median(node.startSeconds);
      out(`Node, the image's \`node lib/server.js\` (NODE_ENV=production), ${limit.description}: healthy after ${spread(node.startSeconds, 2)} s (min / median / max), RSS ${spread(node.rssAfterStart, 0)} MiB.\n`);
      const springBootDir = projectFor('spring-boot');
      const springBoot = await benchSpringBootStart({
        appDir: path.join(springBootDir, 'app'),
        workDir,
        javaHome: JAVA_ENV().JAVA_HOME!,
        memoryMiB: taskMemoryMiB(springBootDir),
        healthPath: healthPathOf(springBootDir),
        runs: args.runs,
        limit,
      });
      starts.springBootBefore = springBoot.medianStartSeconds.before;
      starts.springBootCached = springBoot.medianStartSeconds.cached;
      out(springBoot.markdown);
    } finally {
      limit.remove();
    }
  }

  if (args.only.has('deploy')) {
    out('\n## Deploy floor per rolling deploy (seconds, from the settings and the measured start)\n');
    out(deployTable({ 'node': projectFor('node'), 'spring-boot': projectFor('spring-boot') }, starts));
    out('\n## Deploy floor per strategy (seconds; the default numbers of each strategy)\n');
    out(strategyTable({ 'node': projectFor('node'), 'spring-boot': projectFor('spring-boot') }, starts));
  }

  if (args.only.has('app')) {
    out('\n## Node app under load (127.0.0.1)\n');
    out(await benchNodeApp(projectFor('node'), args.runs, workDir));
  }

  out(`\n- after: \`${machineState()}\``);
  fs.writeFileSync(path.join(workDir, 'report.md'), `${report.join('\n')}\n`);
  log(`report also in ${path.join(workDir, 'report.md')}${args.keep ? '' : `; delete ${workDir} when done`}`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
