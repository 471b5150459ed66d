import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { CodeStarFargateProject } from '../src';
import { serviceOptions, synthService } from './helpers';

/** A server on loopback answering 200 with `{"message":...}` on exactly the given routes, 404 elsewhere. */
async function serverWith(routes: string[]): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    const found = routes.includes(request.url ?? '');
    response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
    response.end(found ? '{"message":"hello"}' : '{"error":"not found"}');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise(resolve => server.close(() => resolve())) };
}

/** Runs the script as the pipeline does, without blocking the server in this process. */
function runScript(script: string, url: string, env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn('bash', [script, url], { env: { ...process.env, SMOKE_TEST_ATTEMPTS: '2', SMOKE_TEST_DELAY_SECONDS: '0', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => stdout += chunk);
    child.stderr.on('data', chunk => stderr += chunk);
    child.on('close', status => resolve({ status, stdout, stderr }));
  });
}

describe('smoke-test.sh', () => {
  const files = synthService({ healthCheckPath: '/status' });
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-test-')), 'smoke-test.sh');
  fs.writeFileSync(script, files['smoke-test.sh']);

  it('is the user\'s own, written once: not among projen\'s managed files', () => {
    expect(files['.projen/files.json'].files).not.toContain('smoke-test.sh');
    expect(files['smoke-test.sh']).toMatch(/^#!\/usr\/bin\/env bash\n# Your code: /);
  });

  it('calls the health path from .projenrc.ts and the sample route', () => {
    expect(files['smoke-test.sh']).toContain('health_check_path="${HEALTH_CHECK_PATH:-/status}"');
    expect(files['smoke-test.sh']).toContain('expect_ok /hello \'"message"\'');
  });

  it('has a projen task that runs it with the URL given and the health path of .projenrc.ts', () => {
    const task = files['.projen/tasks.json'].tasks['smoke-test'];
    expect(task.steps).toEqual([{ exec: 'bash smoke-test.sh', receiveArgs: true }]);
    expect(task.env).toEqual({ HEALTH_CHECK_PATH: '/status' });
  });

  it('is a script shellcheck reports nothing on', () => {
    const result = spawnSync('shellcheck', [script], { encoding: 'utf-8' });
    expect({ status: result.status, output: `${result.stdout}${result.stderr}` }).toEqual({ status: 0, output: '' });
  });

  it('passes against a service answering its health path and sample route', async () => {
    const server = await serverWith(['/status', '/hello']);
    try {
      const result = await runScript(script, `${server.url}/`);
      expect(result).toMatchObject({ status: 0, stderr: '' });
      expect(result.stdout).toContain(`smoke test passed: ${server.url}`);
    } finally {
      await server.close();
    }
  });

  it('fails naming the route and the status when the sample route is broken', async () => {
    const server = await serverWith(['/status']);
    try {
      const result = await runScript(script, server.url);
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(`smoke test failed: GET ${server.url}/hello answered 404 (expected 200) after 2 attempts\n`);
    } finally {
      await server.close();
    }
  });

  it('fails when nothing answers, and when HEALTH_CHECK_PATH names a path the service lacks', async () => {
    const server = await serverWith(['/status', '/hello']);
    const url = server.url;
    try {
      const wrongPath = await runScript(script, url, { HEALTH_CHECK_PATH: '/health' });
      expect(wrongPath.stderr).toBe(`smoke test failed: GET ${url}/health answered 404 (expected 200) after 2 attempts\n`);
    } finally {
      await server.close();
    }
    const nobody = await runScript(script, url);
    expect(nobody.status).toBe(1);
    expect(nobody.stderr).toBe(`smoke test failed: GET ${url}/status got no answer (expected 200) after 2 attempts\n`);
  });

  it('refuses to run without a base URL, saying how to call it', () => {
    const result = spawnSync('bash', [script], { encoding: 'utf-8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('usage: smoke-test.sh <base URL>, e.g. http://127.0.0.1:8080');
  });
});

describe('notificationEmails', () => {
  it('subscribes the addresses in the toolchain\'s managed module, and passes the health path for the smoke test', () => {
    const managed = synthService({ notificationEmails: ['team@example.com', 'oncall@example.com'] })['infra/toolchain.generated.ts'];
    expect(managed).toContain('notificationEmails: ["team@example.com", "oncall@example.com"],');
    expect(managed).toContain('healthCheckPath: "/health",');
  });

  it.each([
    [['team'], 'notificationEmails[0] "team" is not allowed: it must be an email address such as "team@example.com" (at most 254 characters): no spaces, one "@", and a domain with a dot.'],
    [['team@example.com', 'a@b'], 'notificationEmails[1] "a@b" is not allowed: it must be an email address such as "team@example.com"'],
    ['team@example.com', 'notificationEmails "team@example.com" is not allowed: give a list of email addresses, e.g. ["team@example.com"].'],
  ])('refuses %j, naming the option, the value and what is allowed, before writing anything', (notificationEmails, message) => {
    const options = serviceOptions({ notificationEmails: notificationEmails as string[] });
    expect(() => new CodeStarFargateProject(options)).toThrow(message);
    expect(fs.readdirSync(options.outdir!)).toEqual([]);
  });
});
