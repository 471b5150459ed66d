// An existing Go service (stdlib only, its own go.mod and multi-stage Dockerfile) adopted with `projen new --app-runtime
// container`: none of its files may change, `go test ./...` runs in `npx projen build` offline, and its image answers.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort, sharedTarball, stopGracefully, waitForHttp } from './harness';
import { developerEnvironment } from '../../scripts/sample-service';
import { Buildah, imageBuildSkipReason } from '../images/buildah';
import { descendantsNamed, uidOf } from '../images/service';
import { StandInBases } from '../images/stand-ins';

const TEST_COMMAND = 'go test ./...';
const BUILDER_BASE = 'public.ecr.aws/docker/library/golang:1.26';
/** The uid distroless calls nonroot; the final stage is scratch, which has no passwd, so the Dockerfile gives it as a number. */
const NON_ROOT_UID = 65532;

/** The team's service as it is before adoption: a net/http server answering /healthz, its test, and its Dockerfile. */
const GO_SERVICE: Record<string, string> = {
  // Without `ignore` (Go 1.25+), `go test ./...` walks the toolchain's node_modules, where aws-cdk ships Go templates that do not build.
  'go.mod': 'module example.com/orders\n\ngo 1.26\n\nignore ./node_modules\n',
  'main.go': [
    '// The orders service: answers its health path; everything else is 404.',
    'package main',
    '',
    'import (',
    '\t"log"',
    '\t"net/http"',
    '\t"os"',
    ')',
    '',
    'func routes() http.Handler {',
    '\tmux := http.NewServeMux()',
    '\tmux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {',
    '\t\tw.Write([]byte("ok\\n"))',
    '\t})',
    '\treturn mux',
    '}',
    '',
    'func main() {',
    '\tport := os.Getenv("PORT")',
    '\tif port == "" {',
    '\t\tport = "8080"',
    '\t}',
    '\tlog.Fatal(http.ListenAndServe(":"+port, routes()))',
    '}',
    '',
  ].join('\n'),
  'main_test.go': [
    'package main',
    '',
    'import (',
    '\t"net/http"',
    '\t"net/http/httptest"',
    '\t"testing"',
    ')',
    '',
    'func TestHealthAnswers(t *testing.T) {',
    '\tserver := httptest.NewServer(routes())',
    '\tdefer server.Close()',
    '\tresponse, err := http.Get(server.URL + "/healthz")',
    '\tif err != nil {',
    '\t\tt.Fatal(err)',
    '\t}',
    '\tif response.StatusCode != http.StatusOK {',
    '\t\tt.Fatalf("GET /healthz: %d", response.StatusCode)',
    '\t}',
    '}',
    '',
  ].join('\n'),
  'Dockerfile': [
    `FROM ${BUILDER_BASE} AS build`,
    'WORKDIR /src',
    'COPY go.mod ./',
    'COPY *.go ./',
    'RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/orders .',
    '',
    'FROM scratch',
    'COPY --from=build /out/orders /orders',
    `USER ${NON_ROOT_UID}:${NON_ROOT_UID}`,
    'EXPOSE 8080',
    'ENTRYPOINT ["/orders"]',
    '',
  ].join('\n'),
  '.dockerignore': '*\n!go.mod\n!*.go\n',
  '.gitignore': 'node_modules/\ncdk.out/\n',
  'README.md': '# orders-api\n\nThe orders service, in Go.\n',
};

const imageSkipReason = imageBuildSkipReason();
if (imageSkipReason) {
  console.warn(`SKIPPED the image build of test/e2e/go-service.test.ts: ${imageSkipReason}.`);
}

describe('an existing Go service adopted with projen new --app-runtime container', () => {
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-e2e-go-'));
  const service = path.join(workdir, 'orders-api');
  const env = developerEnvironment({ npm_config_prefer_offline: 'true', GOPROXY: 'off', GOTOOLCHAIN: 'local' });
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { cwd: service, encoding: 'utf-8', env, maxBuffer: 64 * 1024 * 1024 });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };
  const teamFiles = () => Object.fromEntries(Object.keys(GO_SERVICE).map((file) => [file, fs.readFileSync(path.join(service, file), 'utf-8')]));

  beforeAll(async () => {
    await sharedTarball();
    fs.mkdirSync(service);
    for (const [file, contents] of Object.entries(GO_SERVICE)) {
      fs.writeFileSync(path.join(service, file), contents, { flag: 'wx' });
    }
  }, 900_000);

  afterAll(() => {
    if (!process.env.KEEP_E2E) {
      fs.rmSync(workdir, { recursive: true, force: true });
    }
  });

  it('leaves every file of the team\'s byte-identical after projen new', async () => {
    const tarball = await sharedTarball();
    const created = run('npx', ['--yes', 'projen', 'new', '--from', `projen-codestar-fargate@file:${tarball}`, 'codestar-fargate', '--app-runtime', 'container', '--container-port', '8080', '--health-check-path', '/healthz', '--no-git', '--test-command', TEST_COMMAND]);
    expect({ status: created.status, tail: created.output.slice(-3000) }).toEqual({ status: 0, tail: expect.any(String) });
    expect(teamFiles()).toEqual(GO_SERVICE);
    for (const file of ['buildspec.yml', 'template.yml', 'docs/service.md', 'infra/main.ts', 'smoke-test.sh']) {
      expect([file, fs.existsSync(path.join(service, file))]).toEqual([file, true]);
    }
  }, 900_000);

  it('keeps them byte-identical after npx projen with golang in the buildspec\'s runtime-versions', () => {
    // An object option has no projen new flag: the team adds it to .projenrc.ts (docs/options.md).
    const projenrc = path.join(service, '.projenrc.ts');
    const before = fs.readFileSync(projenrc, 'utf-8');
    const after = before.replace(`testCommand: ${JSON.stringify(TEST_COMMAND)},`, '$&\n  buildRuntimeVersions: { golang: \'1.26\' },');
    expect(after).not.toBe(before);
    fs.writeFileSync(projenrc, after);
    const synth = run('npx', ['projen']);
    expect({ status: synth.status, tail: synth.output.slice(-3000) }).toEqual({ status: 0, tail: expect.any(String) });
    expect(teamFiles()).toEqual(GO_SERVICE);
    expect(fs.readFileSync(path.join(service, 'buildspec.yml'), 'utf-8')).toMatch(/runtime-versions:[\s\S]*golang: "?1\.26"?/);
    expect(fs.readFileSync(path.join(service, 'buildspec.yml'), 'utf-8')).toContain(TEST_COMMAND);
  });

  it('builds with npx projen build offline: go test, the toolchain\'s type-check and cdk synth', () => {
    const build = run('npx', ['projen', 'build']);
    expect({ status: build.status, tail: build.output.slice(-3000) }).toEqual({ status: 0, tail: expect.any(String) });
    expect(build.output).toMatch(/^ok\s+example\.com\/orders\s/m);
    expect(fs.existsSync(path.join(service, 'cdk.out', 'orders-api-toolchain.template.json'))).toBe(true);
    expect(teamFiles()).toEqual(GO_SERVICE);
  });

  // The builder base is a stand-in (this machine's Go tagged as golang:1.26); the final stage is scratch, built as it is.
  (imageSkipReason ? it.skip : it)(`builds the team's image with buildah, which answers its health path as uid ${NON_ROOT_UID}`, async () => {
    const buildah = new Buildah(path.join(workdir, 'buildah'));
    const log = path.join(workdir, 'app.log');
    try {
      new StandInBases(buildah).golang(BUILDER_BASE);
      buildah.buildImage(service, 'orders-api:e2e', path.join(workdir, 'build.log'));
      const config = buildah.imageConfig('orders-api:e2e');
      expect(config.User).toBe(`${NON_ROOT_UID}:${NON_ROOT_UID}`);
      const container = buildah.from('orders-api:e2e');
      const port = await freePort();
      const app = buildah.startIn(container, [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])], { PORT: String(port) }, log);
      try {
        const health = await waitForHttp(`http://127.0.0.1:${port}/healthz`, 30_000);
        expect(health.status).toBe(200);
        const servers = descendantsNamed(app.pid!, 'orders');
        expect(servers.length).toBeGreaterThan(0);
        expect(servers.map(uidOf)).toEqual(servers.map(() => NON_ROOT_UID));
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
