// Creates a service from this checkout exactly as a user would: pack, `projen new --from`, build.
import { execFileSync, ExecFileSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '..');
const PROJEN_BIN = path.join(REPO_ROOT, 'node_modules', 'projen', 'bin', 'projen');

function run(command: string, args: string[], options: ExecFileSyncOptions & { quiet?: boolean } = {}): void {
  const { quiet, ...execOptions } = options;
  console.error(`$ ${command} ${args.join(' ')}${execOptions.cwd ? `   (in ${execOptions.cwd})` : ''}`);
  try {
    // Progress goes to stderr, so a caller's stdout (the benchmark's report) carries only its own output.
    execFileSync(command, args, { stdio: quiet ? 'pipe' : ['inherit', process.stderr, process.stderr], ...execOptions });
  } catch (error: any) {
    // A quiet command shows its output only when it fails.
    throw new Error(`${command} ${args.join(' ')} failed (exit ${error.status}):\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }
}

/**
 * The environment a developer's shell has: without CI, which makes projen
 * install with `npm ci` and so fail in a new project that has no lock file yet.
 */
export function developerEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { CI: _ci, ...environment } = { ...process.env, ...extra };
  return environment;
}

/** Compiles this package with jsii and packs it; returns the tarball's absolute path. */
export function packThisCheckout(destination: string): string {
  fs.mkdirSync(destination, { recursive: true });
  run('npx', ['projen', 'compile'], { cwd: REPO_ROOT, quiet: true });
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: REPO_ROOT, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'] });
  return path.join(destination, JSON.parse(output)[0].filename);
}

/** The service's project type (`@pjid`), which projen new needs since the package also holds the platform's. */
export const SERVICE_PROJECT_TYPE = 'codestar-fargate';

/** `projen new --from <tarball>` in an empty folder, as the README tells users to. */
export function createService(tarball: string, directory: string, newArgs: string[]): void {
  if (fs.existsSync(directory) && fs.readdirSync(directory).length > 0) {
    throw new Error(`${directory} is not empty: projen new needs an empty folder`);
  }
  fs.mkdirSync(directory, { recursive: true });
  // The package holds two project types (a service, a platform), so projen new needs the type's name.
  run(process.execPath, [PROJEN_BIN, 'new', '--from', `projen-codestar-fargate@file:${tarball}`, SERVICE_PROJECT_TYPE, '--no-git', ...newArgs], {
    cwd: directory,
    // Measured: about 40% faster, and it still fetches what the cache lacks.
    env: developerEnvironment({ npm_config_prefer_offline: 'true' }),
  });
}

/** `npx projen build` in a generated service. */
export function buildService(directory: string, env: NodeJS.ProcessEnv = {}): void {
  run('npx', ['projen', 'build'], { cwd: directory, env: developerEnvironment(env) });
}

if (require.main === module) {
  // `npx projen sample-service -- node dir` passes the `--` through.
  const [runtime, directory, ...newArgs] = process.argv.slice(2).filter((arg) => arg !== '--');
  if (!runtime || !directory) {
    console.error('usage: npx projen sample-service -- <node|spring-boot> <empty folder> [more projen new flags]');
    process.exit(2);
  }
  const target = path.resolve(directory);
  const tarball = packThisCheckout(path.join(REPO_ROOT, 'dist', 'sample-service'));
  createService(tarball, target, ['--app-runtime', runtime, ...newArgs]);
  buildService(target);
  console.error(`\nA ${runtime} service is ready in ${target}. Start it with: cd ${directory} && npx projen app:start`);
}
