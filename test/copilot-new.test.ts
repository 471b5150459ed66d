import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CodeStarFargateProject } from '../src';
import { copilotWorkspace, MANIFEST, service } from './copilot-workspace';
import { serviceOptions } from './helpers';

/*
 * `projen new --copilot-manifest` as projen runs it: PROJEN_CREATE_PROJECT set, the command line in process.argv, and the
 * options with `__new__`, the arguments projen renders into .projenrc.ts with its own renderer (projen's
 * src/javascript/render-options.ts), which reads the project type from this package's .jsii (a compile writes it).
 */
const REPO_ROOT = path.join(__dirname, '..');
const FQN = 'projen-codestar-fargate.CodeStarFargateProject';
const hasJsii = fs.existsSync(path.join(REPO_ROOT, '.jsii')) && fs.existsSync(path.join(REPO_ROOT, 'lib', 'index.js'));
if (!hasJsii) {
  console.warn('SKIPPED the rendering tests of test/copilot-new.test.ts: run npx projen compile first (they read .jsii and lib/).');
}

const MANIFEST_TEXT = service('image:', '  build: ./Dockerfile', '  port: 8000', 'http:', '  path: /', '  healthcheck: /healthz', 'cpu: 512', 'memory: 1024',
  'platform: linux/arm64', 'sidecars:', '  nginx:', '    image: nginx', 'environments:', '  test:', '    count: 1', '  prod:', '    count:', '      range: 2-6');

/** Runs `create` as projen new would with these flags, in `dir`, and restores the process after. */
function duringProjenNew<T>(dir: string, flags: string[], create: () => T): T {
  const saved = { argv: process.argv, cwd: process.cwd(), creating: process.env.PROJEN_CREATE_PROJECT, post: process.env.PROJEN_DISABLE_POST };
  process.argv = ['/usr/bin/node', '/tmp/npx/projen', 'new', '--from', 'projen-codestar-fargate@file:/tmp/p.tgz', 'codestar-fargate', ...flags];
  process.env.PROJEN_CREATE_PROJECT = 'true';
  process.env.PROJEN_DISABLE_POST = 'true';
  process.chdir(dir);
  try {
    return create();
  } finally {
    process.chdir(saved.cwd);
    process.argv = saved.argv;
    for (const [name, value] of [['PROJEN_CREATE_PROJECT', saved.creating], ['PROJEN_DISABLE_POST', saved.post]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** A Copilot workspace where projen new finds this package as it would after installing it. */
function workspace(manifest = MANIFEST_TEXT): string {
  const dir = copilotWorkspace(manifest, { Dockerfile: 'FROM python:3.13-slim\nUSER 10001\n' });
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', 'projen-codestar-fargate'));
  return dir;
}

function createdWith(dir: string, args: Record<string, unknown>) {
  return new CodeStarFargateProject({ ...serviceOptions({ outdir: dir, name: 'orders-api' }), ...args, __new__: { fqn: FQN, args: { name: 'orders-api', defaultReleaseBranch: 'main', ...args }, comments: 'none' } } as any);
}

describe('projen new --copilot-manifest', () => {
  (hasJsii ? it : it.skip)('writes an ordinary .projenrc.ts with the manifest\'s values, which synthesizes with the manifest deleted', () => {
    const dir = workspace();
    const flags = ['--app-runtime', 'container', '--copilot-manifest', MANIFEST, '--no-git'];
    const project = duringProjenNew(dir, flags, () => createdWith(dir, { appRuntime: 'container', copilotManifest: MANIFEST }));
    duringProjenNew(dir, flags, () => project.synth());
    const projenrc = fs.readFileSync(path.join(dir, '.projenrc.ts'), 'utf-8');
    expect(projenrc).not.toContain('copilotManifest');
    for (const line of ['appRuntime: AppRuntime.CONTAINER,', 'architecture: CpuArchitecture.ARM64,', 'containerPort: 8000,', 'cpu: 512,', 'memory: 1024,',
      'healthCheckPath: "/healthz",', 'serviceName: "api",', 'dockerfilePath: "Dockerfile",',
      'stageOptions: [{"name":"test","minContainers":1,"maxContainers":1},{"name":"prod","minContainers":2,"maxContainers":6}],']) {
      expect([line, projenrc.includes(line)]).toEqual([line, true]);
    }
    expect(fs.readFileSync(path.join(dir, 'template.yml'), 'utf-8')).toContain('ContainerPort: 8000');

    fs.rmSync(path.join(dir, 'copilot'), { recursive: true });
    fs.rmSync(path.join(dir, 'template.yml'));
    const synth = spawnSync(process.execPath, ['--require', require.resolve('ts-node/register/transpile-only'), '.projenrc.ts'], {
      cwd: dir, encoding: 'utf-8', env: { ...process.env, PROJEN_DISABLE_POST: 'true', TS_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.dev.json') },
    });
    expect({ status: synth.status, stderr: synth.stderr.slice(-2000) }).toEqual({ status: 0, stderr: expect.any(String) });
    expect(fs.readFileSync(path.join(dir, 'template.yml'), 'utf-8')).toContain('ContainerPort: 8000');
  }, 120_000);

  it('lists the fields it did not carry over, with their lines and what to do instead', () => {
    const dir = workspace();
    const warn = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const project = duringProjenNew(dir, ['--app-runtime', 'container', '--copilot-manifest', MANIFEST], () => createdWith(dir, { appRuntime: 'container', copilotManifest: MANIFEST }));
      expect(project.settings.stages).toEqual(['test', 'prod']);
      const said = warn.mock.calls.flat().join('\n');
      expect(said).toContain('copilot/api/manifest.yml: 1 field is not carried over (docs/copilot.md):\n'
        + '  - sidecars.nginx (copilot/api/manifest.yml:13): add the container to the task definition: change template.yml through project.serviceTemplate.addOverride in .projenrc.ts');
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses a flag that disagrees with the manifest, naming both', () => {
    const dir = workspace();
    expect(() => duringProjenNew(dir, ['--app-runtime', 'container', '--cpu', '1024', '--copilot-manifest', MANIFEST],
      () => createdWith(dir, { appRuntime: 'container', cpu: 1024, copilotManifest: MANIFEST })))
      .toThrow('cpu 1024 (--cpu) and 512 from copilot/api/manifest.yml:9 (cpu) disagree: give the value once, in the manifest or on the command line.');
    expect(() => duringProjenNew(dir, ['--app-runtime', 'node', '--copilot-manifest', MANIFEST],
      () => createdWith(dir, { appRuntime: 'node', copilotManifest: MANIFEST })))
      .toThrow('appRuntime "node" (--app-runtime) and "container" from copilot/api/manifest.yml:1 (type) disagree');
  });

  it('accepts a flag that gives the manifest\'s own value', () => {
    const dir = workspace();
    const project = duringProjenNew(dir, ['--app-runtime', 'container', '--cpu', '512', '--copilot-manifest', MANIFEST],
      () => createdWith(dir, { appRuntime: 'container', cpu: 512, copilotManifest: MANIFEST }));
    expect(project.settings.cpu).toBe(512);
  });

  it('with --platform-name, routes the service by its http.path on the platform\'s load balancer', () => {
    const dir = workspace(service('image:', '  build: ./Dockerfile', '  port: 8000', 'http:', '  path: api/', '  healthcheck: /api/healthz'));
    const project = duringProjenNew(dir, ['--app-runtime', 'container', '--platform-name', 'acme', '--copilot-manifest', MANIFEST],
      () => createdWith(dir, { appRuntime: 'container', platformName: 'acme', copilotManifest: MANIFEST }));
    expect([project.settings.platformName, project.settings.platformPath, project.settings.healthCheckPath]).toEqual(['acme', '/api', '/api/healthz']);
  });

  it('refuses a manifest path that is not under the service\'s name, naming platformPath and what is allowed', () => {
    const dir = workspace(service('image:', '  build: ./Dockerfile', '  port: 8000', 'http:', '  path: orders', '  healthcheck: /orders/healthz'));
    expect(() => duringProjenNew(dir, ['--app-runtime', 'container', '--platform-name', 'acme', '--copilot-manifest', MANIFEST],
      () => createdWith(dir, { appRuntime: 'container', platformName: 'acme', copilotManifest: MANIFEST })))
      .toThrow('platformPath "/orders" is not allowed with serviceName "api": it must be "/api" or a path under it');
  });

  it('refuses copilotManifest in an existing .projenrc.ts, outside projen new', () => {
    const dir = copilotWorkspace(MANIFEST_TEXT);
    expect(() => new CodeStarFargateProject({ ...serviceOptions({ outdir: dir }), appRuntime: 'container', copilotManifest: MANIFEST } as any)).toThrow(
      'copilotManifest "copilot/api/manifest.yml" is not allowed in .projenrc.ts: it is read once, by projen new, which writes the manifest\'s values into .projenrc.ts. Remove copilotManifest and change the options themselves (docs/copilot.md).');
  });
});
