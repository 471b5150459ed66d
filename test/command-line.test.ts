import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { toSnakeCase } from 'codemaker';
import { AppRuntime, CodeStarFargateProject } from '../src';
import { sharedTarball } from './e2e/harness';
import { serviceOptions } from './helpers';
import { projectTypeOptions } from '../src/command-line';
import { OptionError } from '../src/errors';

// The flags come from the jsii manifest (.jsii), which only a compile writes: packing compiles, once per run.
beforeAll(() => sharedTarball(), 15 * 60 * 1000);

/**
 * `projen new --from` as the project type sees it: projen sets PROJEN_CREATE_PROJECT, leaves the command line in
 * process.argv and hands over the options after its own parsing (projen's src/cli/cmds/new.ts).
 */
function duringProjenNew<T>(flags: string[], create: () => T): T {
  const saved = { argv: process.argv, creating: process.env.PROJEN_CREATE_PROJECT };
  process.argv = ['/usr/bin/node', '/tmp/npx/projen', 'new', '--from', 'projen-codestar-fargate@file:/tmp/p.tgz', ...flags];
  process.env.PROJEN_CREATE_PROJECT = 'true';
  try {
    return create();
  } finally {
    process.argv = saved.argv;
    if (saved.creating === undefined) {
      delete process.env.PROJEN_CREATE_PROJECT;
    } else {
      process.env.PROJEN_CREATE_PROJECT = saved.creating;
    }
  }
}

function refusal(create: () => unknown): Error {
  try {
    create();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the options to be refused');
}

describe('projen new flags', () => {
  it('gives every option of this package a flag made of whole words (memory is --memory)', () => {
    const own = projectTypeOptions().filter((option) => option.parent === 'CodeStarFargateProjectOptions' && !option.deprecated);
    expect(own.map((option) => option.name)).toContain('memory');
    expect(own.find((option) => option.name === 'memory')?.switch).toBe('memory');
    expect(own.filter((option) => option.switch.split('-').some((word) => word.length === 1))).toEqual([]);
  });

  it('reads the options and flags exactly as projen\'s inventory does', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const inventory = require('projen/lib/inventory');
    const { options } = inventory.resolveProjectType('projen-codestar-fargate.CodeStarFargateProject');
    const asProjenReadsThem = options.map((option: any) => [option.name, option.switch, option.parent, option.deprecated]);
    expect(projectTypeOptions().map((option) => [option.name, option.switch, option.parent, option.deprecated])).toEqual(asProjenReadsThem);
  });

  it('gives every option a name of its own in Python, where jsii writes them in snake case (memoryMiB is memory_mib)', () => {
    // jsii-pacmak's own conversion (codemaker, which it depends on): memoryMiB and memoryMib are both memory_mib.
    const names = projectTypeOptions().map((option) => toSnakeCase(option.name));
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it('keeps memoryMiB working as the old name of memory', () => {
    const project = new CodeStarFargateProject(serviceOptions({ cpu: 1024, memoryMiB: 4096 }));
    expect(project.settings.memoryMiB).toBe(4096);
    expect(new CodeStarFargateProject(serviceOptions({ cpu: 1024, memory: 8192 })).settings.memoryMiB).toBe(8192);
    expect(() => new CodeStarFargateProject(serviceOptions({ cpu: 1024, memory: 8192, memoryMiB: 4096 })))
      .toThrow('memory 8192 and memoryMiB 4096 disagree: memoryMiB is the old name of memory, so give only memory.');
  });

  it('refuses --container-port abc, naming what was typed (projen parses it to NaN)', () => {
    expect(() => duringProjenNew(['--app-runtime', 'node', '--container-port', 'abc'], () =>
      new CodeStarFargateProject(serviceOptions({ containerPort: NaN }))))
      .toThrow('containerPort "abc" (typed as --container-port abc) is not allowed: it must be a whole number from 1 to 65535.');
  });

  it('refuses --container-port 80.5 and 8080abc, which projen would read as 80 and 8080', () => {
    expect(() => duringProjenNew(['--container-port=80.5'], () => new CodeStarFargateProject(serviceOptions({ containerPort: 80 }))))
      .toThrow('containerPort "80.5" (typed as --container-port 80.5) is not allowed');
    expect(() => duringProjenNew(['--java-version', '21x'], () =>
      new CodeStarFargateProject(serviceOptions({ appRuntime: AppRuntime.SPRING_BOOT, javaVersion: 21 }))))
      .toThrow('javaVersion "21x" (typed as --java-version 21x) is not allowed: use one of 17, 21, 25');
  });

  it('refuses containerPort: null, what projen new wrote into .projenrc.ts for --container-port abc', () => {
    expect(() => new CodeStarFargateProject(serviceOptions({ containerPort: null as unknown as number })))
      .toThrow('containerPort null is not allowed: it must be a whole number from 1 to 65535.');
  });

  it('refuses --memory-mb 8192 instead of dropping it, and names the flag meant', () => {
    expect(() => duringProjenNew(['--app-runtime', 'node', '--memory-mb', '8192'], () => new CodeStarFargateProject(serviceOptions())))
      .toThrow('--memory-mb is not an option of projen-codestar-fargate, and projen new would ignore it: did you mean --memory?');
  });

  it('refuses --memory-mi-b, the flag of the deprecated memoryMiB, which projen new drops, and names --memory', () => {
    expect(() => duringProjenNew(['--app-runtime', 'node', '--memory-mi-b', '1024'], () => new CodeStarFargateProject(serviceOptions({ memoryMiB: 1024 }))))
      .toThrow('--memory-mi-b is the flag of a deprecated option, which projen new would ignore: use --memory.');
  });

  it('lists this package\'s flags for a flag that resembles none', () => {
    const error = refusal(() => duringProjenNew(['--colour', 'blue'], () => new CodeStarFargateProject(serviceOptions())));
    expect(error.message).toMatch(/^--colour is not an option of projen-codestar-fargate, and projen new would ignore it: this package's own are (--[a-z-]+, )*--app-runtime, (--[a-z-]+, )*--memory, /);
  });

  it('accepts projen\'s own flags and negations (--no-git, --no-synth, --projen-version)', () => {
    expect(() => duringProjenNew(['--no-git', '--no-synth', '--projen-version', '0.103.25', '--app-runtime', 'node', '--memory', '1024'], () =>
      new CodeStarFargateProject(serviceOptions({ memory: 1024 })))).not.toThrow();
  });

  it('names the typed value of --app-runtime python, which projen renders as the undefined AppRuntime.PYTHON', () => {
    expect(() => duringProjenNew(['--app-runtime', 'python'], () =>
      new CodeStarFargateProject(serviceOptions({ appRuntime: undefined as unknown as AppRuntime }))))
      .toThrow('appRuntime "python" is not allowed: use one of "node", "spring-boot", "container" (AppRuntime.NODE, AppRuntime.SPRING_BOOT, AppRuntime.CONTAINER; with projen new: --app-runtime node or --app-runtime spring-boot or --app-runtime container).');
  });

  it('names a default memory as the default, not as a value the user typed', () => {
    expect(() => new CodeStarFargateProject(serviceOptions({ cpu: 4096 })))
      .toThrow('the default memory 512 is not allowed with cpu 4096: Fargate accepts 8192 to 30720 MiB in steps of 1024.');
  });
});

describe('a refused value', () => {
  it('is an OptionError, naming the option, the value and what is allowed', () => {
    const error = refusal(() => new CodeStarFargateProject(serviceOptions({ containerPort: 0 })));
    expect(error).toBeInstanceOf(OptionError);
    expect(error.message).toBe('containerPort 0 is not allowed: it must be a whole number from 1 to 65535.');
  });

  it('removes the package.json and node_modules projen new installed before asking, so the next try starts clean', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-new-'));
    fs.writeFileSync(path.join(outdir, 'package.json'), JSON.stringify({ devDependencies: { 'projen': '^0.103.25', 'projen-codestar-fargate': 'file:/tmp/p.tgz' } }));
    fs.mkdirSync(path.join(outdir, 'node_modules', 'projen'), { recursive: true });
    const error = refusal(() => duringProjenNew(['--container-port', '0'], () => new CodeStarFargateProject(serviceOptions({ outdir, containerPort: 0 }))));
    expect(error.message).toBe([
      'containerPort 0 is not allowed: it must be a whole number from 1 to 65535.',
      'Nothing was created; package.json and node_modules, which projen new installed first, were removed.',
    ].join('\n'));
    expect(fs.readdirSync(outdir)).toEqual([]);
    fs.rmSync(outdir, { recursive: true });
  });

  it('leaves a package.json that has more than projen new put there', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-new-'));
    fs.writeFileSync(path.join(outdir, 'package.json'), JSON.stringify({ name: 'mine', devDependencies: { projen: '^0.103.25' } }));
    expect(() => duringProjenNew([], () => new CodeStarFargateProject(serviceOptions({ outdir, containerPort: 0 }))))
      .toThrow(/^containerPort 0 is not allowed: it must be a whole number from 1 to 65535\.$/);
    expect(fs.readdirSync(outdir)).toEqual(['package.json']);
    fs.rmSync(outdir, { recursive: true });
  });

  it('stops projen new with the message alone, without source lines or frames', () => {
    // projen's CLI is the main module of projen new: a stand-in named like it creates the project as projen does.
    const service = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-new-'));
    const cli = path.join(service, 'cli', 'projen', 'bin', 'projen');
    fs.mkdirSync(path.dirname(cli), { recursive: true });
    fs.writeFileSync(cli, [
      `require(${JSON.stringify(require.resolve('ts-node/register/transpile-only'))});`,
      `const { AppRuntime, CodeStarFargateProject } = require(${JSON.stringify(path.join(__dirname, '..', 'src'))});`,
      'new CodeStarFargateProject({ name: \'orders-api\', defaultReleaseBranch: \'main\', appRuntime: AppRuntime.NODE, containerPort: NaN });',
    ].join('\n'));
    const result = spawnSync(process.execPath, [cli, 'new', '--from', 'projen-codestar-fargate', '--container-port', 'abc'], {
      cwd: service,
      encoding: 'utf-8',
      env: { ...process.env, PROJEN_CREATE_PROJECT: 'true', TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.dev.json') },
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 1,
      stderr: 'containerPort "abc" (typed as --container-port abc) is not allowed: it must be a whole number from 1 to 65535.\n',
    });
    fs.rmSync(service, { recursive: true });
  });

  it('stops npx projen with the message alone, without source lines or frames', () => {
    const service = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-projenrc-'));
    const src = path.join(__dirname, '..', 'src');
    fs.writeFileSync(path.join(service, '.projenrc.ts'), [
      `import { AppRuntime, CodeStarFargateProject } from ${JSON.stringify(src)};`,
      'new CodeStarFargateProject({ name: \'orders-api\', defaultReleaseBranch: \'main\', appRuntime: AppRuntime.NODE, containerPort: 70000 });',
    ].join('\n'));
    const result = spawnSync(process.execPath, ['--require', require.resolve('ts-node/register/transpile-only'), '.projenrc.ts'], {
      cwd: service,
      encoding: 'utf-8',
      env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.dev.json') },
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 1,
      stderr: 'containerPort 70000 is not allowed: it must be a whole number from 1 to 65535.\n',
    });
    fs.rmSync(service, { recursive: true });
  });
});

describe('npx projen on a generated service\'s .projenrc.ts', () => {
  const src = path.join(__dirname, '..', 'src');
  const sample = fs.readFileSync(path.join(__dirname, '..', 'samples', 'node-service', '.projenrc.ts'), 'utf-8');

  /** Runs the sample service's .projenrc.ts, with `edit` applied, as projen's default task does (ts-node, transpile only). */
  function projen(edit: (projenrc: string) => string, files: Record<string, string> = {}): { status: number | null; stderr: string } {
    const service = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-projenrc-'));
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(service, file)), { recursive: true });
      fs.writeFileSync(path.join(service, file), text);
    }
    fs.writeFileSync(path.join(service, '.projenrc.ts'), edit(sample.replace('\'projen-codestar-fargate\'', JSON.stringify(src))));
    const tsNode = path.join(__dirname, '..', 'node_modules', '.bin', 'ts-node');
    const result = spawnSync(tsNode, ['--transpileOnly', '--project', path.join(__dirname, '..', 'tsconfig.dev.json'), '.projenrc.ts'], {
      cwd: service,
      encoding: 'utf-8',
      env: { ...process.env, PROJEN_DISABLE_POST: 'true' },
    });
    fs.rmSync(service, { recursive: true, force: true });
    return { status: result.status, stderr: result.stderr };
  }
  const frames = (stderr: string) => stderr.split('\n').filter((line) => /^\s+at /.test(line));

  it('stops an upgrade that finds jest tests with the message alone and exit code 1, without ts-node\'s frames', () => {
    const result = projen((projenrc) => projenrc, { 'app/test/orders.test.ts': "describe('orders', () => { it('lists', () => { expect(1).toBe(1); }); });\n" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^app\/test\/orders\.test\.ts uses jest, which this release no longer installs in app\/:/);
    expect(frames(result.stderr)).toEqual([]);
    expect(result.stderr).not.toContain('.projenrc.ts:');
  });

  it('stops a refusal raised after construction (a method .projenrc.ts calls) with the message alone', () => {
    const result = projen((projenrc) => projenrc.replace('project.synth();', 'project.addAppDeps(\'Not A Package!\');\nproject.synth();'));
    expect(result).toEqual({
      status: 1,
      stderr: 'appDeps "Not A Package!" is not allowed with appRuntime "node": give an npm package name with an optional version range, e.g. "zod@^3" or "@fastify/cors@^11".\n',
    });
  });

  it('stops a bad stage option with the message alone', () => {
    const result = projen((projenrc) => projenrc.replace('  name:', '  stageOptions: [{ name: \'dev\', minContainers: -1 }],\n  name:'));
    expect(result).toEqual({ status: 1, stderr: 'stageOptions[0].minContainers -1 is not allowed: it must be a whole number from 0 to 5000.\n' });
  });

  it('keeps the frames of an error that is not a refused option, so a bug can still be found', () => {
    const result = projen((projenrc) => projenrc.replace('project.synth();', 'throw new TypeError(\'not an option error\');'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('TypeError: not an option error');
    expect(frames(result.stderr).length).toBeGreaterThan(0);
  });
});

describe('the options guide', () => {
  it('lists every option of this package in its Options table, where projen new --help cannot', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'docs', 'options.md'), 'utf-8');
    const table = readme.slice(readme.indexOf('# Options'), readme.indexOf('\n\n', readme.indexOf('| option |')));
    const listed = new Set([...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap((row) => [...row[1].matchAll(/`(\w+)`/g)].map((name) => name[1])));
    const own = projectTypeOptions().filter((option) => option.parent === 'CodeStarFargateProjectOptions' && !option.deprecated);
    expect(own.map((option) => option.name).filter((name) => !listed.has(name))).toEqual([]);
  });
});
