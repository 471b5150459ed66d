import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import { parse } from 'yaml';
import { runAsCodeBuild } from './codebuild-shell';
import { loadToolchainModule, synthService } from './helpers';
import { AppRuntime } from '../src';
import { runningVersion } from '../src/components/release-dependency';
import { CodeStarFargatePipeline } from '../src/constructs/pipeline';
import { PipelineSource } from '../src/constructs/source';
import { BuildEnvironment } from '../src/contract';
import { settingDigests, TOOLCHAIN_SETTINGS_FILE } from '../src/toolchain-settings';

const REPO_ROOT = path.join(__dirname, '..');

/** The committed `.projen/toolchain-settings.json` of a synthesized service, without projen's marker. */
function committedSettings(files: Record<string, any>): Record<string, unknown> {
  const { ['//']: _marker, ...values } = files[TOOLCHAIN_SETTINGS_FILE];
  return values;
}

/** The digests the rendered toolchain module passes to the pipeline (its `toolchainSettings`). */
function renderedDigests(files: Record<string, any>): Record<string, string> {
  const module: string = files['infra/toolchain.generated.ts'];
  return JSON.parse(/toolchainSettings: (\{[^}]*\})/.exec(module)![1]);
}

/** The value of DEPLOYED_TOOLCHAIN_SETTINGS on the build project the rendered toolchain module synthesizes. */
function deployedVariable(files: Record<string, any>): Record<string, string> {
  const { app, stack } = loadToolchainModule(files['infra/toolchain.generated.ts']).createToolchain();
  const resources: Record<string, any> = app.synth().getStackByName(stack.stackName).template.Resources;
  const build = Object.values(resources).find((resource: any) => resource.Type === 'AWS::CodeBuild::Project'
    && resource.Properties.Environment.EnvironmentVariables.some((variable: any) => variable.Name === BuildEnvironment.REPOSITORY_URI));
  const variable = build.Properties.Environment.EnvironmentVariables.find((each: any) => each.Name === BuildEnvironment.DEPLOYED_TOOLCHAIN_SETTINGS);
  return JSON.parse(variable.Value);
}

/** A synthesized service's files written to a folder, as a build's source artifact has them. */
function writeFiles(files: Record<string, any>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-checks-'));
  for (const [file, contents] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), typeof contents === 'string' ? contents : JSON.stringify(contents, null, 2));
  }
  return dir;
}

/** The buildspec's toolchain-settings step in `dir`, as CodeBuild runs it, with the build project's variable set to `deployed`. */
function checkToolchainSettings(dir: string, deployed: Record<string, string> | undefined, extra: Record<string, string> = {}) {
  const buildspec = parse(fs.readFileSync(path.join(dir, 'buildspec.yml'), 'utf-8'));
  const step: string = buildspec.phases.pre_build.commands.find((command: string) => command.includes('toolchain-settings'));
  return runAsCodeBuild([`cd '${dir}'`, step], { ...extra, ...(deployed === undefined ? {} : { [BuildEnvironment.DEPLOYED_TOOLCHAIN_SETTINGS]: JSON.stringify(deployed) }) }, () => undefined, []);
}

/** Two stages, dev with its own task counts. */
const devCounts = (minContainers: number) => ({ stageOptions: [{ name: 'dev', minContainers, maxContainers: 4 }, { name: 'production' }] });

describe('the toolchain settings the build compares with the deployed toolchain', () => {
  it('changes the committed settings and the rendered toolchain\'s build variable equally when a stage\'s minContainers changes', () => {
    const before = synthService(devCounts(0));
    const after = synthService(devCounts(2));
    for (const files of [before, after]) {
      expect(renderedDigests(files)).toEqual(settingDigests(committedSettings(files)));
      expect(deployedVariable(files)).toEqual(settingDigests(committedSettings(files)));
    }
    const changed = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      Object.keys(a).filter(name => JSON.stringify(a[name]) !== JSON.stringify(b[name]));
    expect(changed(committedSettings(before), committedSettings(after))).toEqual(['stages.dev.minContainers']);
    expect(changed(renderedDigests(before), renderedDigests(after))).toEqual(['stages.dev.minContainers']);
  });

  it('stays the same when the project\'s minContainers changes, which template.yml\'s default carries to every stage through the pipeline', () => {
    const before = synthService({ minContainers: 1 });
    const after = synthService({ minContainers: 2 });
    expect(committedSettings(after)).toEqual(committedSettings(before));
    expect(parse(after['template.yml']).Parameters.MinContainers.Default).toBe(2);
    // The pipeline passes no count of its own for a stage without one: the deploy takes the template's default.
    expect(after['infra/toolchain.generated.ts']).not.toMatch(/minContainers:/);
  });

  it('records what the toolchain holds (approval, emails, secrets, network, account, strategy) under the stage\'s name', () => {
    const network = { vpcId: 'vpc-0123456789abcdef0', publicSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], privateSubnetIds: ['subnet-0123456789abcdef2'] };
    const settings = committedSettings(synthService({
      notificationEmails: ['team@example.com'],
      stageOptions: [
        { name: 'dev', minContainers: 0, maxContainers: 2 },
        { name: 'production', account: '222222222222', region: 'eu-west-1', network, secrets: { DB_PASSWORD: { secretsManager: 'orders/db' } } },
      ],
    }));
    expect(settings).toMatchObject({
      'projen-codestar-fargate': runningVersion(),
      'notificationEmails': ['team@example.com'],
      'stages': ['dev', 'production'],
      'stages.dev.minContainers': 0,
      'stages.dev.approvalRequired': false,
      'stages.production.approvalRequired': true,
      'stages.production.account': '222222222222',
      'stages.production.network': network,
      'stages.production.deploymentStrategy': null,
      'stages.production.secrets': { DB_PASSWORD: { secretsManager: 'orders/db' } },
    });
    expect(Object.keys(settings).filter(name => /cpu|memory|environment|alarm/i.test(name))).toEqual([]);
  });

  describe.each([AppRuntime.NODE, AppRuntime.SPRING_BOOT])('the %s buildspec\'s toolchain-settings step', (appRuntime) => {
    const committed = synthService({ appRuntime, ...devCounts(2) });
    const deployed = settingDigests(committedSettings(synthService({ appRuntime, ...devCounts(0) })));
    const dir = writeFiles(committed);

    it('passes when the deployed toolchain has the committed settings', () => {
      const run = checkToolchainSettings(dir, renderedDigests(committed));
      expect(run.output).toContain('The deployed toolchain runs every toolchain setting this commit has.');
      expect(run.status).toBe(0);
    });

    it('fails naming the stage\'s minContainers, with the committed value, when the deployed toolchain has another', () => {
      const run = checkToolchainSettings(dir, deployed);
      expect(run.status).toBe(1);
      expect(run.output).toContain('has other values:\n  stages.dev.minContainers: 2\nThe toolchain holds them');
      expect(run.output).toContain('an admin runs npx projen deploy from this commit');
      expect(run.output).not.toContain('stages.dev.maxContainers');
    });

    it('names the waiting settings in a pull request\'s check and passes it: an admin deploys the toolchain after the merge', () => {
      for (const settings of [deployed, undefined]) {
        const run = checkToolchainSettings(dir, settings, { [BuildEnvironment.PULL_REQUEST_CHECK]: 'true' });
        expect(run.status).toBe(0);
        expect(run.output).toContain('Once this pull request is merged, its builds will wait for a toolchain deploy:');
      }
      expect(checkToolchainSettings(dir, deployed, { [BuildEnvironment.PULL_REQUEST_CHECK]: 'true' }).output).toContain('  stages.dev.minContainers: 2');
    });

    it('names a stage the deployed toolchain has and the commit no longer does', () => {
      const run = checkToolchainSettings(dir, { ...renderedDigests(committed), 'stages.qa.minContainers': '0123456789abcdef' });
      expect(run.status).toBe(1);
      expect(run.output).toContain('  stages.qa.minContainers: no longer in .projenrc.ts');
    });

    it('fails, saying a toolchain deploy is due, when the build project has no settings (a toolchain of an earlier release)', () => {
      const run = checkToolchainSettings(dir, undefined);
      expect(run.status).toBe(1);
      expect(run.output).toContain(`${BuildEnvironment.DEPLOYED_TOOLCHAIN_SETTINGS} is not set`);
    });
  });
});

describe('the pipeline\'s toolchainSettings', () => {
  const pipeline = (toolchainSettings: any) => {
    const stack = new Stack(new App(), 'Toolchain');
    return new CodeStarFargatePipeline(stack, 'Pipeline', {
      serviceName: 'orders-api',
      source: PipelineSource.codeCommit({ repository: new codecommit.Repository(stack, 'Repository', { repositoryName: 'orders-api' }) }),
      toolchainSettings,
    });
  };

  it.each([
    ['a digest that is not 16 hex characters', { 'stages.dev.minContainers': 'abc' }],
    ['a name with a space', { 'min containers': '0123456789abcdef' }],
    ['a name that starts with a dot', { '.minContainers': '0123456789abcdef' }],
    ['a list', ['0123456789abcdef']],
  ])('refuses %s, naming toolchainSettings and what is allowed', (_what, toolchainSettings) => {
    expect(() => pipeline(toolchainSettings)).toThrow(/^toolchainSettings .* is not allowed: .*16 lowercase hex characters|^toolchainSettings .* is not allowed: give an object/);
  });

  it('gives the build no DEPLOYED_TOOLCHAIN_SETTINGS without them', () => {
    const construct = pipeline(undefined);
    const variables = Stack.of(construct).resolve((construct.buildProject.node.defaultChild as any).environment).environmentVariables;
    expect(variables.map((variable: any) => variable.name)).toEqual([BuildEnvironment.REPOSITORY_URI]);
  });
});

/**
 * A service on disk whose `npx projen` runs this checkout: node_modules links this repository's packages and
 * a `projen-codestar-fargate` that loads src/ (ts-node compiles it, as it compiles .projenrc.ts).
 */
function linkedService(projenrc: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-checks-service-'));
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(REPO_ROOT, 'node_modules'))) {
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', entry), path.join(modules, entry));
  }
  const self = path.join(modules, 'projen-codestar-fargate');
  fs.mkdirSync(self);
  fs.writeFileSync(path.join(self, 'package.json'), JSON.stringify({ name: 'projen-codestar-fargate', version: '0.0.0', main: 'index.js' }));
  fs.writeFileSync(path.join(self, 'index.js'), `module.exports = require(${JSON.stringify(path.join(REPO_ROOT, 'src'))});\n`);
  fs.writeFileSync(path.join(dir, '.projenrc.ts'), projenrc);
  // The first synth, as projen new ends: later ones run through the default task it writes.
  const tsconfig = path.join(dir, 'first-synth.tsconfig.json');
  fs.writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022', esModuleInterop: true } }));
  const first = spawnSync('npx', ['ts-node', '--transpileOnly', '--project', tsconfig, '.projenrc.ts'], { cwd: dir, encoding: 'utf-8', env: { ...process.env, PROJEN_DISABLE_POST: 'true' } });
  expect(first.stderr.replace(/^.*plain HTTP.*\n/m, '')).toBe('');
  fs.rmSync(tsconfig);
  return dir;
}

const PROJENRC = `import { AppRuntime, CodeStarFargateProject } from 'projen-codestar-fargate';
const project = new CodeStarFargateProject({
  appRuntime: AppRuntime.NODE,
  defaultReleaseBranch: 'main',
  devDeps: ['projen-codestar-fargate@^0.0.0'],
  name: 'orders-api',
});
project.synth();
`;

describe('the buildspec\'s managed-files step, run in a service whose npx projen runs this checkout', () => {
  let service: string;
  let build: string[];
  let step: string;
  beforeAll(() => {
    service = linkedService(PROJENRC);
    build = parse(fs.readFileSync(path.join(service, 'buildspec.yml'), 'utf-8')).phases.build.commands;
    step = build.find((command) => command.includes('managed-files'))!;
  });
  // `npm ci` would install what node_modules links already; the step itself is the buildspec's.
  const runStep = () => runAsCodeBuild([`cd '${service}'`, step], { PATH: process.env.PATH! }, () => undefined, []);
  const handEdit = (file: string, text: string) => {
    fs.chmodSync(path.join(service, file), 0o644);
    fs.appendFileSync(path.join(service, file), text);
  };

  it('runs after the root\'s npm ci and before anything is tested or built', () => {
    expect(build.indexOf(step)).toBe(build.indexOf('npm ci --no-audit --no-fund') + 1);
    expect(build.indexOf(step)).toBeLessThan(build.findIndex(command => command.startsWith('docker build')));
  });

  it('passes on a service as .projenrc.ts makes it', () => {
    const run = runStep();
    expect(run.output).toContain('Every managed file is what .projenrc.ts makes of it.');
    expect(run.status).toBe(0);
  });

  it('fails naming template.yml and buildspec.yml when they were edited by hand, and only them', () => {
    handEdit('template.yml', '# scaled by hand\n');
    handEdit('buildspec.yml', '# edited by hand\n');
    const run = runStep();
    expect(run.status).toBe(1);
    expect(run.output).toContain('These managed files are not what .projenrc.ts makes of them (edited by hand, or .projenrc.ts changed without a synth):\n  buildspec.yml\n  template.yml\nRun npx projen locally and commit');
  });

  it('fails naming the files a change to .projenrc.ts makes when it was committed without a synth', () => {
    const projenrc = path.join(service, '.projenrc.ts');
    fs.writeFileSync(projenrc, PROJENRC.replace("name: 'orders-api',", "name: 'orders-api',\n  minContainers: 2,"));
    try {
      const run = runStep();
      expect(run.status).toBe(1);
      for (const file of ['docs/service.md', 'template.yml']) {
        expect(run.output).toContain(`\n  ${file}\n`);
      }
    } finally {
      fs.writeFileSync(projenrc, PROJENRC);
    }
  });

  it('fails naming a managed file deleted by hand', () => {
    fs.rmSync(path.join(service, 'scripts', 'image.sh'), { force: true });
    const run = runStep();
    expect(run.status).toBe(1);
    expect(run.output).toContain('\n  scripts/image.sh\n');
  });
});

describe('the buildspec\'s toolchain synth', () => {
  it.each([AppRuntime.NODE, AppRuntime.SPRING_BOOT])('%s: runs the synth with cdk-nag the local build runs, after the managed-files check, with no AWS credentials in reach', (appRuntime) => {
    const files = synthService({ appRuntime });
    const build: string[] = parse(files['buildspec.yml']).phases.build.commands;
    const synth = build.find(command => command.endsWith('npx projen synth:silent'))!;
    expect(build.indexOf(synth)).toBe(build.findIndex(command => command.includes('managed-files')) + 1);
    const tasks = files['.projen/tasks.json'].tasks;
    // The task `npx projen build` runs after compiling, with aws-cdk-lib's validation on.
    expect(tasks['post-compile'].steps).toEqual([{ spawn: 'synth:silent' }]);
    expect(tasks['synth:silent']).toMatchObject({ env: { CDK_VALIDATION: 'true' }, steps: [{ execArgs: ['cdk', 'synth', '-q'] }] });
    const run = runAsCodeBuild([synth], {
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/build-role',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
    }, (bin) => {
      fs.writeFileSync(path.join(bin, 'npx'), '#!/usr/bin/env bash\necho "npx $*"\nenv | grep ^AWS_ | sort\n', { mode: 0o755 });
    }, []);
    expect(run.status).toBe(0);
    expect(run.output).toBe('npx projen synth:silent\nAWS_EC2_METADATA_DISABLED=true\n');
  });

  it('installs Node.js for the Spring Boot build too, which runs projen and the toolchain\'s synth', () => {
    expect(parse(synthService({ appRuntime: AppRuntime.SPRING_BOOT })['buildspec.yml']).phases.install['runtime-versions']).toEqual({ nodejs: '24', java: 'corretto25' });
  });
});
