import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort, waitForHttp } from './harness';

const VERDACCIO = path.resolve(__dirname, '..', '..', 'node_modules', 'verdaccio', 'bin', 'verdaccio');

/**
 * A real npm registry (Verdaccio) on 127.0.0.1 and a free port, holding only what a test publishes to it
 * under this package's name and passing every other package through to the registry npm uses here.
 */
export class LocalRegistry {
  /** Starts it and waits until it answers. */
  public static async start(): Promise<LocalRegistry> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-registry-'));
    const port = await freePort();
    const upstream = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf-8' }).trim();
    fs.writeFileSync(path.join(dir, 'config.yaml'), [
      `storage: ${path.join(dir, 'storage')}`,
      'uplinks:',
      '  upstream:',
      `    url: ${upstream}`,
      '    timeout: 60s',
      'packages:',
      // No uplink for this package: an install gets exactly what the test published.
      '  \'projen-codestar-fargate\':',
      '    access: $all',
      '    publish: $anonymous',
      '  \'**\':',
      '    access: $all',
      '    publish: $anonymous',
      '    proxy: upstream',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'));
    const log = fs.openSync(path.join(dir, 'verdaccio.log'), 'a');
    const server = spawn(process.execPath, [VERDACCIO, '--config', path.join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', log, log] });
    const registry = new LocalRegistry(`http://127.0.0.1:${port}/`, dir, server);
    const ping = await waitForHttp(`${registry.url}-/ping`, 60_000).catch((error) => error);
    if (!(ping instanceof Response) || !ping.ok) {
      await registry.stop();
      throw new Error(`Verdaccio did not start on port ${port}: ${fs.readFileSync(path.join(dir, 'verdaccio.log'), 'utf-8')}`);
    }
    return registry;
  }

  private constructor(public readonly url: string, private readonly dir: string, private readonly server: ChildProcess) {}

  /** The environment that makes npm, npx and projen use this registry, as a user's npm config would. */
  public get env(): NodeJS.ProcessEnv {
    return { npm_config_registry: this.url };
  }

  /** `npm publish` of a packed tarball, as `version` when given (a checkout packs as 0.0.0 until a release bumps it). */
  public publish(tarball: string, version?: string): void {
    let target = tarball;
    if (version) {
      target = fs.mkdtempSync(path.join(this.dir, 'publish-'));
      execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
      for (const manifest of ['package.json', '.jsii']) {
        const file = path.join(target, manifest);
        fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf-8')), version }, undefined, 2));
      }
    }
    const host = this.url.replace(/^http:/, '');
    execFileSync('npm', ['publish', target, '--registry', this.url, `--${host}:_authToken=anonymous`], { stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** The versions of a package it holds; none for a package it has never been given. */
  public versions(name: string): string[] {
    try {
      return JSON.parse(execFileSync('npm', ['view', name, 'versions', '--json', '--registry', this.url], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] }));
    } catch (error: any) {
      if (String(error.stderr ?? '').includes('E404')) {
        return [];
      }
      throw error;
    }
  }

  /** Stops the server and deletes its storage. */
  public async stop(): Promise<void> {
    if (this.server.exitCode === null) {
      await new Promise((resolve) => {
        this.server.once('exit', resolve);
        this.server.kill('SIGTERM');
      });
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
