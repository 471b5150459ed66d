import { ChildProcess, spawn, spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { platformRulePriorityParameter, platformStackName } from '../src/contract';
import { freePort, sharedTarball, waitForHttp } from './e2e/harness';

/*
 * The jsii packages in the languages a CDK user writes: each test builds one
 * language's package with the release task (`npx projen package:<lang>`, into
 * dist/) and runs a small CDK app in test/consumers/<lang> against it, the way
 * a user of that language would, then reads the synthesized template.
 */

const REPO_ROOT = path.resolve(__dirname, '..');
const CONSUMERS = path.join(__dirname, 'consumers');
const VERSION: string = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf-8')).version;
/** Where package:projen-bindings builds projen's Java and Go bindings, which this machine's registries do not serve. */
const PROJEN_BINDINGS = path.join(REPO_ROOT, 'node_modules', 'projen', 'dist');
const GO_MODULE = 'github.com/projen-codestar-fargate/projen-codestar-fargate-go/projencodestarfargate';
const PROJEN_GO_MODULE = 'github.com/projen/projen-go/projen';

beforeAll(async () => {
  // Compiles once per jest run, shared with the end-to-end suites, so two workers never run jsii at once.
  await sharedTarball();
});

test('a Python CDK app synthesizes the pipeline with the package pip-installed by name from a package index', async () => {
  requireToolchain('python3', ['-c', 'import venv, ensurepip'], 'Python 3.10+ with its venv module (Debian: apt-get install python3-venv)');
  timed('python: package:python', () => run('npx', ['projen', 'package:python'], { cwd: REPO_ROOT }));
  const wheel = newest(path.join(REPO_ROOT, 'dist', 'python'), '.whl');
  const work = tempDir('python');
  const python = path.join(work, 'venv', 'bin', 'python');
  const outdir = path.join(work, 'cdk.out');
  const index = await PackageIndex.serve(path.join(work, 'index'), wheel);
  try {
    timed('python: venv and pip install', () => {
      run('python3', ['-m', 'venv', path.join(work, 'venv')]);
      const pipInstall = (...args: string[]) => run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...args]);
      // The package's own dependencies (jsii, projen, CDK) from PyPI first, then the package by name from the local index only.
      pipInstall('-r', path.join(CONSUMERS, 'python', 'requirements.txt'), ...requiresDist(python, wheel));
      pipInstall('--no-deps', '--index-url', index.url, `projen-codestar-fargate==${VERSION}`);
      run(python, ['-m', 'pip', 'check']);
    });
  } finally {
    index.stop();
  }
  timed('python: app.synth()', () => run(python, [path.join(CONSUMERS, 'python', 'app.py')], { env: { CDK_OUTDIR: outdir } }));
  expectToolchain(outdir);
  expectPlatform(outdir);
});

/** A PEP 503 package index (`simple/<name>/` pages) served by Python's own http.server on 127.0.0.1. */
class PackageIndex {
  public static async serve(root: string, wheel: string): Promise<PackageIndex> {
    const project = path.join(root, 'simple', 'projen-codestar-fargate');
    fs.mkdirSync(project, { recursive: true });
    fs.copyFileSync(wheel, path.join(project, path.basename(wheel)));
    const port = await freePort();
    const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', root], { stdio: 'ignore' });
    const url = `http://127.0.0.1:${port}/simple/`;
    await waitForHttp(`${url}projen-codestar-fargate/`, 15_000);
    return new PackageIndex(url, server);
  }

  private constructor(public readonly url: string, private readonly server: ChildProcess) {}

  public stop(): void {
    this.server.kill('SIGTERM');
  }
}

/** The wheel's dependencies, from its METADATA. */
function requiresDist(python: string, wheel: string): string[] {
  const script = 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); m = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"));'
    + ' print("\\n".join(l.split(":", 1)[1].strip() for l in z.read(m).decode().splitlines() if l.startswith("Requires-Dist:")))';
  return spawnSync(python, ['-c', script, wheel], { encoding: 'utf-8' }).stdout.split('\n').filter(Boolean);
}

test('a Java CDK app synthesizes the pipeline from the built jar with Maven', () => {
  requireToolchain('mvn', ['--version'], 'Apache Maven 3.8+ and a JDK 17+ (Debian: apt-get install maven)');
  timed('java: package:java', () => run('npx', ['projen', 'package:java'], { cwd: REPO_ROOT }));
  const work = tempDir('java');
  fs.cpSync(path.join(CONSUMERS, 'java'), work, { recursive: true });
  // Maven never downloads a release version twice: drop the copy an earlier run cached, so this run uses the new jar.
  fs.rmSync(path.join(os.homedir(), '.m2', 'repository', 'io', 'github', 'projencodestarfargate', 'projen-codestar-fargate', VERSION), { recursive: true, force: true });
  const settings = path.join(work, 'settings.xml');
  fs.writeFileSync(settings, mavenSettings([path.join(REPO_ROOT, 'dist', 'java'), path.join(PROJEN_BINDINGS, 'java')]));
  const outdir = path.join(work, 'cdk.out');
  timed('java: mvn compile exec:java', () => run('mvn', [
    '--batch-mode', '--quiet', '--settings', settings, `-Dprojen-codestar-fargate.version=${VERSION}`, 'compile', 'exec:java',
  ], { cwd: work, env: { CDK_OUTDIR: outdir } }));
  expectToolchain(outdir);
  expectPlatform(outdir);
});

test('a Go CDK app synthesizes the pipeline from the generated module', () => {
  requireToolchain('go', ['version'], 'Go 1.25+ (https://go.dev/doc/install)');
  timed('go: package:go', () => run('npx', ['projen', 'package:go'], { cwd: REPO_ROOT }));
  const work = tempDir('go');
  fs.cpSync(path.join(CONSUMERS, 'go'), work, { recursive: true });
  const outdir = path.join(work, 'cdk.out');
  timed('go: go mod tidy, go run', () => {
    run('go', [
      'mod', 'edit',
      `-replace=${GO_MODULE}=${path.join(REPO_ROOT, 'dist', 'go', 'projencodestarfargate')}`,
      `-replace=${PROJEN_GO_MODULE}=${path.join(PROJEN_BINDINGS, 'go', 'projen')}`,
    ], { cwd: work });
    run('go', ['mod', 'tidy'], { cwd: work });
    run('go', ['run', '.'], { cwd: work, env: { CDK_OUTDIR: outdir } });
  });
  expectToolchain(outdir);
  expectPlatform(outdir);
});

/** The template has the pipeline: Source (CodeCommit), Build, dev, then production behind an approval. */
function expectToolchain(outdir: string): void {
  const template = JSON.parse(fs.readFileSync(path.join(outdir, 'Toolchain.template.json'), 'utf-8'));
  const resources: Array<{ Type: string; Properties: any }> = Object.values(template.Resources);
  const pipelines = resources.filter(resource => resource.Type === 'AWS::CodePipeline::Pipeline');
  expect(pipelines).toHaveLength(1);
  type Action = { Name: string; RunOrder: number; ActionTypeId: { Category: string; Provider: string } };
  const stages: Array<{ Name: string; Actions: Action[] }> = pipelines[0].Properties.Stages;
  const outline = stages.map(stage => `${stage.Name}: ${[...stage.Actions]
    .sort((a, b) => a.RunOrder - b.RunOrder)
    .map(action => `${action.ActionTypeId.Category}/${action.ActionTypeId.Provider}`)
    .join(' > ')}`);
  expect(outline).toEqual([
    'Source: Source/CodeCommit',
    'Build: Build/CodeBuild',
    'dev: Build/CodeBuild > Deploy/CloudFormation > Build/CodeBuild > Build/CodeBuild',
    'production: Approval/Manual > Build/CodeBuild > Deploy/CloudFormation > Build/CodeBuild > Build/CodeBuild',
  ]);
  expect(pipelines[0].Properties.Name).toBe('orders-api');
  expect(resources.filter(resource => resource.Type === 'AWS::ECR::Repository')).toHaveLength(1);
}

/** The platform's stacks: one per stage, each with its load balancer and the service's rule priority published for it. */
function expectPlatform(outdir: string): void {
  for (const stage of ['dev', 'production']) {
    const template = JSON.parse(fs.readFileSync(path.join(outdir, templateFileOf(outdir, platformStackName('acme', stage))), 'utf-8'));
    const resources: Array<{ Type: string; Properties: any }> = Object.values(template.Resources);
    expect(resources.filter(resource => resource.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer')).toHaveLength(1);
    expect(resources.filter(resource => resource.Type === 'AWS::ECS::Cluster')).toHaveLength(1);
    const priority = resources.find(resource => resource.Type === 'AWS::SSM::Parameter'
      && resource.Properties.Name === platformRulePriorityParameter('acme', stage, 'orders-api'));
    expect(priority?.Properties.Value).toBe('100');
  }
}

/** The template file of the stack named `stackName`, from the cloud assembly's manifest (artifact ids are construct paths). */
function templateFileOf(outdir: string, stackName: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf-8'));
  const artifact: any = Object.values(manifest.artifacts).find((candidate: any) => candidate.type === 'aws:cloudformation:stack'
    && candidate.properties?.stackName === stackName);
  if (!artifact) {
    throw new Error(`no stack named ${stackName} in ${outdir}/manifest.json`);
  }
  return artifact.properties.templateFile;
}

/** Fails by name when a language's toolchain is missing, rather than skipping that language. */
function requireToolchain(tool: string, args: string[], install: string): void {
  const result = spawnSync(tool, args, { stdio: 'ignore' });
  if (result.error || result.status !== 0) {
    throw new Error(`${tool} is missing or broken (\`${tool} ${args.join(' ')}\` failed): install ${install}; .ci/run installs it for CI`);
  }
}

/** Runs a command; on failure the error carries its output, which is otherwise kept quiet. */
function run(command: string, args: string[], options: SpawnSyncOptions = {}): void {
  const result = spawnSync(command, args, {
    encoding: 'utf-8',
    maxBuffer: 256 * 1024 * 1024,
    ...options,
    env: { ...process.env, ...options.env },
  });
  if (result.error || result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').slice(-120).join('\n');
    throw new Error(`\`${command} ${args.join(' ')}\` failed (${result.error ?? `exit ${result.status}`}):\n${output}`);
  }
}

/** Prints how long a step took: CI must stay under its time budget. */
function timed(step: string, action: () => void): void {
  const started = Date.now();
  action();
  console.log(`${step}: ${Math.round((Date.now() - started) / 1000)} s`);
}

function tempDir(language: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `csf-consumer-${language}-`));
}

function newest(dir: string, extension: string): string {
  const files = fs.readdirSync(dir).filter(file => file.endsWith(extension)).map(file => path.join(dir, file));
  if (files.length === 0) {
    throw new Error(`no ${extension} file in ${dir}`);
  }
  return files.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
}

/** Maven settings adding the local builds as repositories, as if they were on Maven Central. */
function mavenSettings(repositories: string[]): string {
  const entries = repositories.map((dir, index) => `        <repository><id>local-${index}</id><url>file://${dir}</url></repository>`);
  return [
    '<settings>',
    '  <profiles>',
    '    <profile>',
    '      <id>local-builds</id>',
    '      <repositories>',
    ...entries,
    '      </repositories>',
    '    </profile>',
    '  </profiles>',
    '  <activeProfiles><activeProfile>local-builds</activeProfile></activeProfiles>',
    '</settings>',
    '',
  ].join('\n');
}
