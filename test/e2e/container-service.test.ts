// An existing Python service (stdlib only, its own Dockerfile) adopted with `projen new --app-runtime container` in its
// own folder: none of its files may change, on `new` or on the synths after it, and `npx projen build` passes offline.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort, sharedTarball, stopGracefully, waitForHttp } from './harness';
import { developerEnvironment } from '../../scripts/sample-service';
import { Buildah, imageBuildSkipReason } from '../images/buildah';
import { descendantsNamed, uidOf } from '../images/service';
import { StandInBases } from '../images/stand-ins';

/** The team's tests, stdlib unittest: CodeBuild's and this machine's Python both have it. */
const TEST_COMMAND = 'python3 -m unittest';

/** The team's service as it is before adoption: an http.server app answering /healthz, its test, and its Dockerfile. */
const PYTHON_SERVICE: Record<string, string> = {
  'app.py': [
    '"""The orders service: answers its health path; everything else is 404."""',
    'import os',
    'from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer',
    '',
    '',
    'class Handler(BaseHTTPRequestHandler):',
    '    def do_GET(self):',
    '        status = 200 if self.path == "/healthz" else 404',
    '        self.send_response(status)',
    '        self.end_headers()',
    '        self.wfile.write(b"ok\\n" if status == 200 else b"")',
    '',
    '',
    'def serve(port):',
    '    return ThreadingHTTPServer(("0.0.0.0", port), Handler)',
    '',
    '',
    'if __name__ == "__main__":',
    '    serve(int(os.environ.get("PORT", "8000"))).serve_forever()',
    '',
  ].join('\n'),
  'test_app.py': [
    'import threading',
    'import unittest',
    'import urllib.request',
    '',
    'import app',
    '',
    '',
    'class HealthTest(unittest.TestCase):',
    '    def test_health_answers(self):',
    '        server = app.serve(0)',
    '        threading.Thread(target=server.serve_forever, daemon=True).start()',
    '        try:',
    '            with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/healthz") as response:',
    '                self.assertEqual(response.status, 200)',
    '        finally:',
    '            server.shutdown()',
    '',
  ].join('\n'),
  'Dockerfile': [
    'FROM public.ecr.aws/docker/library/python:3.13-slim',
    'WORKDIR /srv',
    'COPY app.py .',
    'RUN useradd --uid 10001 --no-create-home app',
    'USER 10001',
    'EXPOSE 8000',
    'CMD ["python", "app.py"]',
    '',
  ].join('\n'),
  '.dockerignore': '*\n!app.py\n',
  '.gitignore': '__pycache__/\nnode_modules/\ncdk.out/\n',
  'README.md': '# orders-api\n\nThe orders service, in Python.\n',
};

const imageSkipReason = imageBuildSkipReason();
if (imageSkipReason) {
  console.warn(`SKIPPED the image build of test/e2e/container-service.test.ts: ${imageSkipReason}.`);
}

describe('an existing Python service adopted with projen new --app-runtime container', () => {
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-e2e-container-'));
  const service = path.join(workdir, 'orders-api');
  const env = developerEnvironment({ npm_config_prefer_offline: 'true' });
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { cwd: service, encoding: 'utf-8', env, maxBuffer: 64 * 1024 * 1024 });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };
  const teamFiles = () => Object.fromEntries(Object.keys(PYTHON_SERVICE).map((file) => [file, fs.readFileSync(path.join(service, file), 'utf-8')]));

  beforeAll(async () => {
    const tarball = await sharedTarball();
    for (const [file, contents] of Object.entries(PYTHON_SERVICE)) {
      fs.mkdirSync(path.dirname(path.join(service, file)), { recursive: true });
      fs.writeFileSync(path.join(service, file), contents);
    }
    // The README's command word for word, the packed tarball in place of the registry's release.
    const created = run('npx', ['--yes', 'projen', 'new', '--from', `projen-codestar-fargate@file:${tarball}`, 'codestar-fargate', '--app-runtime', 'container', '--container-port', '8000', '--health-check-path', '/healthz', '--no-git', '--test-command', TEST_COMMAND]);
    expect({ status: created.status, tail: created.output.slice(-3000) }).toEqual({ status: 0, tail: expect.any(String) });
  });

  afterAll(() => {
    if (!process.env.KEEP_E2E) {
      fs.rmSync(workdir, { recursive: true, force: true });
    }
  });

  it('leaves every file of the team\'s byte-identical after projen new, and writes the toolchain beside them', () => {
    expect(teamFiles()).toEqual(PYTHON_SERVICE);
    expect(fs.readFileSync(path.join(service, '.projenrc.ts'), 'utf-8')).toContain('appRuntime: AppRuntime.CONTAINER');
    for (const file of ['buildspec.yml', 'template.yml', 'docs/service.md', 'infra/main.ts', 'smoke-test.sh', 'scripts/image.sh']) {
      expect([file, fs.existsSync(path.join(service, file))]).toEqual([file, true]);
    }
    expect(fs.existsSync(path.join(service, 'app'))).toBe(false);
  });

  it('keeps them byte-identical after npx projen', () => {
    const synth = run('npx', ['projen']);
    expect({ status: synth.status, tail: synth.output.slice(-3000) }).toEqual({ status: 0, tail: expect.any(String) });
    expect(teamFiles()).toEqual(PYTHON_SERVICE);
  });

  it('builds with npx projen build offline: the team\'s tests, the toolchain\'s type-check and cdk synth', () => {
    const build = run('npx', ['projen', 'build']);
    expect({ status: build.status, tail: build.output.slice(-3000) }).toEqual({ status: 0, tail: expect.any(String) });
    expect(build.output).toMatch(/Ran 1 test/);
    expect(fs.existsSync(path.join(service, 'cdk.out', 'orders-api-toolchain.template.json'))).toBe(true);
    expect(teamFiles()).toEqual(PYTHON_SERVICE);
  });

  // The base is a stand-in (Debian's python3 tagged as the Dockerfile's base): it proves the team's build steps, user and HTTP answer, not Python 3.13.
  (imageSkipReason ? it.skip : it)('builds the team\'s image with buildah, which answers its health path as uid 10001', async () => {
    const buildah = new Buildah(path.join(workdir, 'buildah'));
    const log = path.join(workdir, 'app.log');
    try {
      new StandInBases(buildah).python('public.ecr.aws/docker/library/python:3.13-slim');
      buildah.buildImage(service, 'orders-api:e2e', path.join(workdir, 'build.log'));
      const config = buildah.imageConfig('orders-api:e2e');
      expect(config.User).toBe('10001');
      const container = buildah.from('orders-api:e2e');
      const port = await freePort();
      const app = buildah.startIn(container, [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])], { PORT: String(port) }, log);
      try {
        const health = await waitForHttp(`http://127.0.0.1:${port}/healthz`, 30_000);
        expect(health.status).toBe(200);
        const pythons = [...descendantsNamed(app.pid!, 'python'), ...descendantsNamed(app.pid!, 'python3')];
        expect(pythons.length).toBeGreaterThan(0);
        expect(pythons.map(uidOf)).toEqual(pythons.map(() => 10001));
      } catch (error) {
        throw new Error(`${String(error)}\napp output:\n${fs.existsSync(log) ? fs.readFileSync(log, 'utf-8') : '(none)'}`);
      } finally {
        await stopGracefully(app, 10_000);
      }
    } finally {
      buildah.destroy();
    }
  }, 900_000);
});

describe('projen new --app-runtime container in a folder whose buildspec.yml is the team\'s', () => {
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-e2e-container-taken-'));
  const service = path.join(workdir, 'orders-api');
  const env = developerEnvironment({ npm_config_prefer_offline: 'true' });
  const teamFiles = { ...PYTHON_SERVICE, 'buildspec.yml': 'version: 0.2\nphases: {}\n' };

  afterAll(() => {
    if (!process.env.KEEP_E2E) {
      fs.rmSync(workdir, { recursive: true, force: true });
    }
  });

  it('stops before writing anything, names the file, and removes what its npm install added', async () => {
    const tarball = await sharedTarball();
    for (const [file, contents] of Object.entries(teamFiles)) {
      fs.mkdirSync(path.dirname(path.join(service, file)), { recursive: true });
      fs.writeFileSync(path.join(service, file), contents);
    }
    const result = spawnSync('npx', ['--yes', 'projen', 'new', '--from', `projen-codestar-fargate@file:${tarball}`, 'codestar-fargate', '--app-runtime', 'container', '--no-git'], { cwd: service, encoding: 'utf-8', env });
    expect(result.status).toBe(1);
    expect(`${result.stdout}${result.stderr}`).toContain('  - buildspec.yml: no option moves it');
    expect(`${result.stdout}${result.stderr}`).toMatch(/Nothing was created; package\.json and (package-lock\.json and )?node_modules, which projen new installed first, were removed\./);
    expect(fs.readdirSync(service).sort()).toEqual(Object.keys(teamFiles).sort());
    expect(Object.fromEntries(Object.keys(teamFiles).map((file) => [file, fs.readFileSync(path.join(service, file), 'utf-8')]))).toEqual(teamFiles);
  });
});

describe('projen new --copilot-manifest in a Copilot workspace with its Dockerfile', () => {
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-e2e-copilot-'));
  const service = path.join(workdir, 'orders-api');
  const env = developerEnvironment({ npm_config_prefer_offline: 'true' });
  const manifest = [
    'name: orders',
    'type: Load Balanced Web Service',
    'image:',
    '  build: ./Dockerfile',
    '  port: 8000',
    'http:',
    '  path: /',
    '  healthcheck: /healthz',
    'cpu: 512',
    'memory: 1024',
    'sidecars:',
    '  nginx:',
    '    image: nginx',
    'environments:',
    '  test:',
    '    count: 1',
    '  prod:',
    '    count: 2',
    '',
  ].join('\n');

  afterAll(() => {
    if (!process.env.KEEP_E2E) {
      fs.rmSync(workdir, { recursive: true, force: true });
    }
  });

  it('writes .projenrc.ts from the manifest, lists the sidecar, and synthesizes again without the manifest', async () => {
    const tarball = await sharedTarball();
    for (const [file, contents] of Object.entries({ ...PYTHON_SERVICE, 'copilot/orders/manifest.yml': manifest })) {
      fs.mkdirSync(path.dirname(path.join(service, file)), { recursive: true });
      fs.writeFileSync(path.join(service, file), contents);
    }
    const created = spawnSync('npx', ['--yes', 'projen', 'new', '--from', `projen-codestar-fargate@file:${tarball}`, 'codestar-fargate', '--app-runtime', 'container', '--copilot-manifest', 'copilot/orders/manifest.yml', '--no-git'],
      { cwd: service, encoding: 'utf-8', env, maxBuffer: 64 * 1024 * 1024 });
    const output = `${created.stdout}${created.stderr}`;
    expect({ status: created.status, tail: output.slice(-3000) }).toEqual({ status: 0, tail: expect.any(String) });
    expect(output).toContain('sidecars.nginx (copilot/orders/manifest.yml:12)');
    const projenrc = fs.readFileSync(path.join(service, '.projenrc.ts'), 'utf-8');
    expect(projenrc).not.toContain('copilotManifest');
    expect(projenrc).toContain('serviceName: "orders"');
    expect(projenrc).toContain('stageOptions: [{"name":"test","minContainers":1,"maxContainers":1},{"name":"prod","minContainers":2,"maxContainers":2}]');
    fs.rmSync(path.join(service, 'copilot'), { recursive: true });
    const synth = spawnSync('npx', ['projen'], { cwd: service, encoding: 'utf-8', env, maxBuffer: 64 * 1024 * 1024 });
    expect({ status: synth.status, tail: `${synth.stdout}${synth.stderr}`.slice(-3000) }).toEqual({ status: 0, tail: expect.any(String) });
    expect(fs.readFileSync(path.join(service, 'template.yml'), 'utf-8')).toContain('ContainerPort: 8000');
  }, 900_000);
});
