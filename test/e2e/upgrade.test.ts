import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { jdkHome, sharedTarball } from './harness';
import { LocalRegistry } from './registry';
import { packReleaseFromGit } from '../../scripts/release-from-git';
import { developerEnvironment } from '../../scripts/sample-service';
import { CHECK_FAILED_HINT } from '../../src/runtimes/node';
import { DEFAULT_JAVA_VERSION } from '../../src/runtimes/spring-boot';
import { PIPELINE_PARAMETERS, renamedResources, replacements, resourcesAsDeployed } from '../template-rehearsal';

/*
 * Install by name and upgrade by one command, against a real npm registry on 127.0.0.1: the earlier releases below
 * and this checkout are published to it, services are created with the README's command by name, changed the way
 * a team changes them, and upgraded with the README's upgrade command.
 */

/** Earlier releases a service may be upgraded from, oldest first; each is built from its commit of main. */
const UPGRADE_FROM = [
  // The oldest commit whose package builds and creates a service: jest in app/ (964f6c0 misses src/runtimes/index.ts).
  { commit: '93c31d9', version: '1.0.0' },
];
/** The version this checkout is published as: newer than every release above, in the same major. */
const CURRENT_VERSION = '1.1.0';
/** This checkout again, as the next major: what a team moves to by changing the range in .projenrc.ts. */
const NEXT_MAJOR = '2.0.0';
/** The option edits a team makes in .projenrc.ts, the same for the old service and the fresh one. */
const OPTION_EDITS = { containerPort: 9090, healthCheckPath: '/status' };
const APP_DEPENDENCY: Record<Runtime, string> = { 'node': 'zod@^3', 'spring-boot': 'org.apache.commons/commons-lang3@3.17.0' };
/** Build output and installed packages: neither managed nor the team's. */
const NOT_SOURCE = /(^|\/)(node_modules|\.git|cdk\.out|lib|dist|target|test-reports|coverage)(\/|$)|(^|\/)package-lock\.json$|(^|\/)tsconfig\.tsbuildinfo$/;

type Runtime = 'node' | 'spring-boot';

let registry: LocalRegistry;
const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-upgrade-'));

beforeAll(async () => {
  registry = await LocalRegistry.start();
});

afterAll(async () => {
  await registry?.stop();
  if (!process.env.KEEP_E2E) {
    fs.rmSync(workdir, { recursive: true, force: true });
  }
});

describe.each(UPGRADE_FROM)('a service created by release $version ($commit) and changed by its team', ({ commit, version }) => {
  const runtimes: Runtime[] = ['node', 'spring-boot'];
  const services = Object.fromEntries(runtimes.map((runtime) => [runtime, path.join(workdir, `from-${version}`, runtime, 'orders-api')])) as Record<Runtime, string>;
  const fresh = Object.fromEntries(runtimes.map((runtime) => [runtime, path.join(workdir, 'fresh', runtime, 'orders-api')])) as Record<Runtime, string>;
  const userFiles: Record<Runtime, Map<string, string>> = { 'node': new Map(), 'spring-boot': new Map() };
  // What release ${version} wrote and deployed for the Node.js service: template.yml as created and after the team's
  // option edits, and its synthesized toolchain stack.
  const lastRelease: { created?: string; template?: string; toolchain?: any } = {};

  beforeAll(async () => {
    timed(`build release ${version} from ${commit}`, () => registry.publish(packReleaseFromGit(commit, version)));
    for (const runtime of runtimes) {
      timed(`${runtime}: projen new --from projen-codestar-fargate (${version})`, () => createByName(services[runtime], runtime));
      if (runtime === 'node') {
        lastRelease.created = fs.readFileSync(path.join(services.node, 'template.yml'), 'utf-8');
      }
      timed(`${runtime}: the team's changes, npx projen with ${version}`, () => makeTeamChanges(services[runtime], runtime));
      if (runtime === 'node') {
        lastRelease.template = fs.readFileSync(path.join(services.node, 'template.yml'), 'utf-8');
        lastRelease.toolchain = timed(`node: cdk synth of the toolchain by ${version}`, () => synthToolchain(services.node));
      }
      userFiles[runtime] = snapshotUserFiles(services[runtime]);
      commitAll(services[runtime]);
    }
    registry.publish(await sharedTarball(), CURRENT_VERSION);
  });

  it('created the services by name with no file: spec, depending on the release by a range', () => {
    for (const runtime of runtimes) {
      const devDependencies = readJson(path.join(services[runtime], 'package.json')).devDependencies;
      expect(devDependencies['projen-codestar-fargate']).toBe(`^${version}`);
      expect(fs.readFileSync(path.join(services[runtime], 'package-lock.json'), 'utf-8')).not.toContain('file:');
    }
  });

  it('stops the Node.js upgrade at synth, naming the jest test files and the edit, and writes no managed file', () => {
    const service = services.node;
    const upgrade = spawnSync('npx', ['projen', 'upgrade'], { cwd: service, encoding: 'utf-8', env: envFor('node') });
    const output = `${upgrade.stdout}${upgrade.stderr}`;
    expect(upgrade.status).not.toBe(0);
    expect(output).toContain('app/test/orders.test.ts, app/test/server.test.ts use jest');
    expect(output).toContain("import assert from 'node:assert/strict'");
    // npm moved the dependency; no managed file was touched.
    expect(installedVersion(service)).toBe(CURRENT_VERSION);
    expect(changedFiles(service).filter((file) => !['package.json', 'package-lock.json'].includes(file))).toEqual([]);
    // The team does what the message says, then runs npx projen once.
    for (const test of ['server.test.ts', 'orders.test.ts']) {
      const file = path.join(service, 'app', 'test', test);
      fs.writeFileSync(file, toNodeTest(fs.readFileSync(file, 'utf-8')));
      userFiles.node.set(path.join('app', 'test', test), fs.readFileSync(file, 'utf-8'));
    }
    timed('node: npx projen after the test edits', () => run('npx', ['projen'], service, envFor('node')));
  });

  it('upgrades the Spring Boot service with one npx projen upgrade', () => {
    const output = timed('spring-boot: npx projen upgrade', () => run('npx', ['projen', 'upgrade'], services['spring-boot'], envFor('spring-boot')));
    expect(installedVersion(services['spring-boot'])).toBe(CURRENT_VERSION);
    expect(output).not.toContain('synthesizing again');
  });

  it.each(runtimes)('leaves the %s service\'s own files byte-identical', (runtime) => {
    for (const [file, content] of userFiles[runtime]) {
      expect({ file, content: fs.readFileSync(path.join(services[runtime], file), 'utf-8') }).toEqual({ file, content });
    }
  });

  it.each(runtimes)('leaves the %s service\'s managed files equal to a fresh service by the new release, and nothing stale', (runtime) => {
    timed(`${runtime}: fresh projen new --from projen-codestar-fargate (${CURRENT_VERSION}) with the same options`, () => {
      createByName(fresh[runtime], runtime);
      editOptions(fresh[runtime], runtime);
      run('npx', ['projen'], fresh[runtime], envFor(runtime));
    });
    const managed = managedFiles(fresh[runtime]);
    expect(managed.length).toBeGreaterThan(10);
    for (const file of managed) {
      const upgraded = readOrMissing(path.join(services[runtime], file));
      expect({ file, content: upgraded }).toEqual({ file, content: readOrMissing(path.join(fresh[runtime], file)) });
    }
    expect(managedFiles(services[runtime]).sort()).toEqual([...managed].sort());
    // Every file of the upgraded service is managed by the new release, the team's own, or a sample file of the new release.
    const known = new Set([...managed, ...userFiles[runtime].keys(), ...sourceFiles(fresh[runtime])]);
    expect(sourceFiles(services[runtime]).filter((file) => !known.has(file))).toEqual([]);
  });

  it.each(runtimes)('builds the upgraded %s service with npx projen build', (runtime) => {
    if (runtime === 'node') {
      // 1.0's app:test formatted the code it checked, so its skeleton never had to pass the check: the build says so, and app:fix is the one step.
      const failed = spawnSync('npx', ['projen', 'build'], { cwd: services.node, env: envFor('node'), encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
      if (failed.status !== 0) {
        expect(`${failed.stdout}${failed.stderr}`).toContain(CHECK_FAILED_HINT);
        run('npx', ['projen', 'app:fix'], services.node, envFor('node'));
      }
    }
    timed(`${runtime}: npx projen build after the upgrade`, () => run('npx', ['projen', 'build'], services[runtime], envFor(runtime)));
  });

  it(`wrote the template.yml test/change-rehearsal.test.ts rehearses as release ${version}'s`, () => {
    expect(lastRelease.created).toBe(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'releases', version, 'template.yml'), 'utf-8'));
  });

  it(`upgrades a stage release ${version} deployed, with what the Prepare step reads, replacing nothing named or stateful`, () => {
    const parameters = (stage: string) => ({
      ...PIPELINE_PARAMETERS,
      Stage: stage,
      // What the Prepare step reads from a stage release 1.0 created (test/service-placement.test.ts).
      ServicePlacement: 'LaunchType',
      LogGroupNaming: 'Release1',
    });
    const upgraded = parse(fs.readFileSync(path.join(services.node, 'template.yml'), 'utf-8'));
    for (const [stage, strategy] of [['dev', 'ROLLING'], ['production', 'CANARY']]) {
      const before = resourcesAsDeployed(parse(lastRelease.template!), parameters(stage));
      const after = resourcesAsDeployed(upgraded, { ...parameters(stage), DeploymentStrategy: strategy });
      const replaced = replacements(before, after);
      console.log(`${version} -> ${CURRENT_VERSION}, ${stage} template.yml: ${replaced.map(r => `${r.id} (${r.cause})`).join(', ') || 'nothing replaced'}`);
      expect(replaced.filter(r => r.blocker).map(r => `${r.type} ${r.id} (${r.cause}; ${r.blocker})`)).toEqual([]);
      expect(renamedResources(before, after)).toEqual({ conflicts: [], deletedStateful: [] });
    }
  });

  it(`upgrades the toolchain release ${version} deployed without replacing or renaming a named or stateful resource`, () => {
    const before = resourcesAsDeployed(lastRelease.toolchain, {});
    const after = resourcesAsDeployed(timed(`node: cdk synth of the toolchain by ${CURRENT_VERSION}`, () => synthToolchain(services.node)), {});
    const replaced = replacements(before, after);
    console.log(`${version} -> ${CURRENT_VERSION}, toolchain: ${replaced.map(r => `${r.id} (${r.cause})`).join(', ') || 'nothing replaced'}; ${Object.keys(after).filter(id => !before[id]).length} resources added`);
    expect(replaced.filter(r => r.blocker).map(r => `${r.type} ${r.id} (${r.cause}; ${r.blocker})`)).toEqual([]);
    expect(renamedResources(before, after)).toEqual({ conflicts: [], deletedStateful: [] });
  });

  it('builds a fresh clone of the new Node.js service with npm ci and npx projen build, as a teammate would', () => {
    const service = fresh.node;
    const projenrc = fs.readFileSync(path.join(service, '.projenrc.ts'), 'utf-8');
    expect(projenrc).toContain(`devDeps: ["projen-codestar-fargate@^${CURRENT_VERSION}"]`);
    expect(readJson(path.join(service, 'package.json')).devDependencies['projen-codestar-fargate']).toBe(`^${CURRENT_VERSION}`);
    commitAll(service);
    const clone = path.join(workdir, 'clone', 'orders-api');
    execFileSync('git', ['clone', '--quiet', service, clone]);
    timed('node: npm ci in a fresh clone', () => run('npm', ['ci', '--no-audit', '--no-fund'], clone, envFor('node')));
    timed('node: npx projen build in a fresh clone', () => run('npx', ['projen', 'build'], clone, envFor('node')));
  });
});

describe('a service moving to another release by its range in .projenrc.ts', () => {
  // The fresh Node.js service of the current release above; created here only when that one was not (a filtered run).
  const service = path.join(workdir, 'fresh', 'node', 'orders-api');

  beforeAll(async () => {
    const tarball = await sharedTarball();
    for (const version of [CURRENT_VERSION, NEXT_MAJOR]) {
      if (!registry.versions('projen-codestar-fargate').includes(version)) {
        registry.publish(tarball, version);
      }
    }
    if (!fs.existsSync(path.join(service, '.projenrc.ts'))) {
      timed(`node: projen new --from projen-codestar-fargate@^${CURRENT_VERSION}`, () => createByName(service, 'node', `projen-codestar-fargate@^${CURRENT_VERSION}`));
      // A service as a team has it: synthesized again after its first install (projen's Biome config changes once Biome is installed).
      run('npx', ['projen'], service, envFor('node'));
    }
    expect(readJson(path.join(service, 'package.json')).devDependencies['projen-codestar-fargate']).toBe(`^${CURRENT_VERSION}`);
    commitAll(service);
  });

  it('ends on the new major with one npx projen, synthesizing again with it', () => {
    const projenrc = path.join(service, '.projenrc.ts');
    fs.writeFileSync(projenrc, fs.readFileSync(projenrc, 'utf-8').replace(`projen-codestar-fargate@^${CURRENT_VERSION}`, `projen-codestar-fargate@^${NEXT_MAJOR}`));
    const output = timed('node: npx projen after changing the range to the next major', () => run('npx', ['projen'], service, envFor('node')));
    expect(output).toContain(`asks for projen-codestar-fargate@^${NEXT_MAJOR}, but ${CURRENT_VERSION} is installed`);
    expect(output).toContain(`${CURRENT_VERSION} wrote this synth's files, and npm has just installed ${NEXT_MAJOR}`);
    expect(installedVersion(service)).toBe(NEXT_MAJOR);
    expect(readJson(path.join(service, 'package.json')).devDependencies['projen-codestar-fargate']).toBe(`^${NEXT_MAJOR}`);
    // A second run has nothing left to do.
    const again = run('npx', ['projen'], service, envFor('node'));
    expect(again).not.toContain('synthesizing again');
    // Same code in both releases: only the dependency moved, and the release the toolchain settings record (an
    // upgrade waits for a toolchain deploy, docs/toolchain.md).
    expect(changedFiles(service).sort()).toEqual([
      '.projen/deps.json', '.projen/toolchain-settings.json', '.projenrc.ts', 'infra/toolchain.generated.ts', 'package-lock.json', 'package.json',
    ]);
    expect(fs.readFileSync(path.join(service, '.projen', 'toolchain-settings.json'), 'utf-8')).toContain(`"projen-codestar-fargate": "${NEXT_MAJOR}"`);
  });

  it('puts back the release .projenrc.ts asks for after an npm install -D of another, and says so', () => {
    run('npm', ['install', '-D', `projen-codestar-fargate@${CURRENT_VERSION}`], service, envFor('node'));
    const output = run('npx', ['projen'], service, envFor('node'));
    expect(output).toContain(`asks for projen-codestar-fargate@^${NEXT_MAJOR}, but ${CURRENT_VERSION} is installed`);
    expect(installedVersion(service)).toBe(NEXT_MAJOR);
    expect(readJson(path.join(service, 'package.json')).devDependencies['projen-codestar-fargate']).toBe(`^${NEXT_MAJOR}`);
  });
});

/** The README's command, by name, in an empty folder. */
function createByName(service: string, runtime: Runtime, spec = 'projen-codestar-fargate'): void {
  fs.mkdirSync(service, { recursive: true });
  // The type's name: a current release holds the platform's project type too (release 1.0's `codestar-fargate` is the same).
  run('npx', ['projen', 'new', '--from', spec, 'codestar-fargate', '--app-runtime', runtime, '--no-git'], service, { ...envFor(runtime), npm_config_prefer_offline: 'true' });
}

/** What a team does in its first weeks: a route and its test, README, infra/main.ts, options and an app dependency. */
function makeTeamChanges(service: string, runtime: Runtime): void {
  const edit = (file: string, change: (content: string) => string) => fs.writeFileSync(path.join(service, file), change(fs.readFileSync(path.join(service, file), 'utf-8')));
  edit('README.md', (readme) => `${readme}\n## On call\n\nThe orders team, #orders-oncall.\n`);
  edit('infra/main.ts', (main) => main.replace('app.synth();', "Tags.of(app).add('team', 'orders');\napp.synth();").replace(/^import \{ ([^}]*)\} from 'aws-cdk-lib';/m, "import { $1, Tags } from 'aws-cdk-lib';"));
  if (runtime === 'node') {
    edit('app/src/server.ts', (server) => server.replace(/(\n\s*)return server;/, "$1server.get('/orders', async () => ({ orders: [] }));$1return server;"));
    fs.writeFileSync(path.join(service, 'app', 'test', 'orders.test.ts'), [
      "import { AddressInfo } from 'net';",
      "import { buildServer } from '../src/server';",
      '',
      "describe('the orders route', () => {",
      "  it('lists no orders yet', async () => {",
      '    const server = buildServer();',
      "    await server.listen({ host: '127.0.0.1', port: 0 });",
      '    const { port } = server.server.address() as AddressInfo;',
      '    const answer = await fetch(`http://127.0.0.1:${port}/orders`);',
      '    expect(await answer.json()).toEqual({ orders: [] });',
      '    await server.close();',
      '  });',
      '});',
      '',
    ].join('\n'));
  } else {
    const pkg = path.join('app', 'src', 'main', 'java', 'com', 'example', 'ordersapi');
    const testPkg = path.join('app', 'src', 'test', 'java', 'com', 'example', 'ordersapi');
    fs.writeFileSync(path.join(service, pkg, 'OrdersController.java'), [
      'package com.example.ordersapi;', '', 'import java.util.List;', 'import org.springframework.web.bind.annotation.GetMapping;',
      'import org.springframework.web.bind.annotation.RestController;', '', '@RestController', 'public class OrdersController {',
      '    @GetMapping("/orders")', '    public List<String> orders() {', '        return List.of();', '    }', '}', '',
    ].join('\n'));
    fs.writeFileSync(path.join(service, testPkg, 'OrdersControllerTests.java'), [
      'package com.example.ordersapi;', '', 'import static org.junit.jupiter.api.Assertions.assertEquals;', '', 'import java.util.List;',
      'import org.junit.jupiter.api.Test;', '', 'class OrdersControllerTests {', '    @Test', '    void listsNoOrdersYet() {',
      '        assertEquals(List.of(), new OrdersController().orders());', '    }', '}', '',
    ].join('\n'));
  }
  editOptions(service, runtime);
  run('npx', ['projen'], service, envFor(runtime));
}

/** The option edits of `.projenrc.ts`, the same text for every release. */
function editOptions(service: string, runtime: Runtime): void {
  const file = path.join(service, '.projenrc.ts');
  const projenrc = fs.readFileSync(file, 'utf-8');
  const edited = projenrc.replace(/(appRuntime: AppRuntime\.\w+,)/, `$1\n  containerPort: ${OPTION_EDITS.containerPort},\n  healthCheckPath: '${OPTION_EDITS.healthCheckPath}',\n  appDeps: ['${APP_DEPENDENCY[runtime]}'],`);
  expect(edited).not.toBe(projenrc);
  fs.writeFileSync(file, edited);
}

/** A jest test rewritten for node:test, the edit the upgrade's message asks for. */
function toNodeTest(source: string): string {
  const body = source
    .replace(/\bbeforeAll\(/g, 'before(')
    .replace(/\bafterAll\(/g, 'after(')
    .replace(/expect\(([^;]*?)\)\.toEqual\(([^;]*)\);/g, 'assert.deepEqual($1, $2);')
    .replace(/expect\(([^;]*?)\)\.toBe\(([^;]*)\);/g, 'assert.equal($1, $2);')
    .replace(/expect\(([^;]*?)\)\.toMatch\(([^;]*)\);/g, 'assert.match($1, $2);');
  const used = ['after', 'afterEach', 'before', 'beforeEach', 'describe', 'it'].filter((name) => new RegExp(`\\b${name}\\(`).test(body));
  return `import assert from 'node:assert/strict';\nimport { ${used.join(', ')} } from 'node:test';\n${body}`;
}

/** The files the team owns at this point (every source file that no .projen/files.json lists), with their content. */
function snapshotUserFiles(service: string): Map<string, string> {
  const managed = new Set(managedFiles(service));
  return new Map(sourceFiles(service).filter((file) => !managed.has(file) && !file.startsWith('.projen/')).map((file) => [file, fs.readFileSync(path.join(service, file), 'utf-8')]));
}

/** The files projen wrote for the service and its app: their .projen/files.json, those lists and package.json (which projen does not list). */
function managedFiles(service: string): string[] {
  const lists = ['.projen/files.json', 'app/.projen/files.json'].filter((list) => fs.existsSync(path.join(service, list)));
  return lists.flatMap((list) => {
    const base = path.dirname(path.dirname(list));
    const packageJson = path.join(base, 'package.json');
    const listed = readJson(path.join(service, list)).files.map((file: string) => path.normalize(path.join(base, file)));
    return [list, ...listed, ...(fs.existsSync(path.join(service, packageJson)) ? [path.normalize(packageJson)] : [])];
  });
}

/** Every file of the service that is not build output or installed packages, relative to it. */
function sourceFiles(service: string): string[] {
  return (fs.readdirSync(service, { recursive: true, withFileTypes: false }) as string[])
    .filter((file) => !NOT_SOURCE.test(file) && fs.statSync(path.join(service, file)).isFile());
}

function changedFiles(service: string): string[] {
  return execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: service, encoding: 'utf-8' })
    .split('\n').filter(Boolean).map((line) => line.slice(3));
}

function commitAll(service: string): void {
  if (!fs.existsSync(path.join(service, '.git'))) {
    execFileSync('git', ['init', '--quiet', '-b', 'main'], { cwd: service });
  }
  execFileSync('git', ['add', '-A'], { cwd: service });
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '--quiet', '--allow-empty', '-m', 'service'], { cwd: service });
}

function installedVersion(service: string): string {
  return readJson(path.join(service, 'node_modules', 'projen-codestar-fargate', 'package.json')).version;
}

function envFor(runtime: Runtime): NodeJS.ProcessEnv {
  // npm_config_yes answers npx's "Ok to proceed?" (for projen in projen new, npm-check-updates in upgrade) as a user at a terminal does.
  return developerEnvironment({ ...registry.env, npm_config_yes: 'true', ...(runtime === 'spring-boot' ? jdkHome(DEFAULT_JAVA_VERSION) : {}) });
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) {
    throw new Error(`\`${command} ${args.join(' ')}\` failed in ${cwd} (exit ${result.status}):\n${output.split('\n').slice(-80).join('\n')}`);
  }
  return output;
}

/** The service's toolchain stack as `cdk synth` writes it, offline (the stack is environment-agnostic). */
function synthToolchain(service: string): any {
  const out = fs.mkdtempSync(path.join(workdir, 'toolchain-'));
  run('npx', ['cdk', 'synth', '--quiet', '--output', out], service, envFor('node'));
  const [stackTemplate] = fs.readdirSync(out).filter((file) => file.endsWith('-toolchain.template.json'));
  return readJson(path.join(out, stackTemplate));
}

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf-8'));
}

function readOrMissing(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf-8') : '(missing)';
}

/** Prints how long a step took: CI must stay under its time budget. */
function timed<T>(step: string, action: () => T): T {
  const started = Date.now();
  const result = action();
  console.log(`${step}: ${Math.round((Date.now() - started) / 1000)} s`);
  return result;
}
