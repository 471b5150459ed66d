// Builds this package as it was at an earlier commit, stamped with a release version, for the upgrade test.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '..');

/**
 * The package at `commit`, with `version` in its package.json and .jsii, packed into a tarball; cached under the
 * temp folder by commit and version, because a build is an npm ci and a jsii compile (about two minutes).
 */
export function packReleaseFromGit(commit: string, version: string): string {
  const cache = path.join(os.tmpdir(), 'csf-releases-from-git');
  const tarball = path.join(cache, `projen-codestar-fargate-${commit}-${version}.tgz`);
  if (fs.existsSync(tarball)) {
    return tarball;
  }
  try {
    execFileSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: REPO_ROOT, stdio: 'ignore' });
  } catch {
    throw new Error(`commit ${commit} is not in this clone: the upgrade test builds earlier releases from main's history (git fetch --unshallow)`);
  }
  const checkout = fs.mkdtempSync(path.join(os.tmpdir(), `csf-release-${commit}-`));
  try {
    // git archive, not a worktree: nothing is added to this repository's list of worktrees.
    const archive = execFileSync('git', ['archive', commit], { cwd: REPO_ROOT, maxBuffer: 512 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', checkout], { input: archive });
    const run = (command: string, args: string[]) => {
      console.error(`$ ${command} ${args.join(' ')}   (in ${checkout})`);
      execFileSync(command, args, { cwd: checkout, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_prefer_offline: 'true' } });
    };
    run('npm', ['ci', '--no-audit', '--no-fund']);
    run('npm', ['pkg', 'set', `version=${version}`]);
    run('npx', ['projen', 'compile']);
    fs.mkdirSync(cache, { recursive: true });
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', cache], { cwd: checkout, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'] }))[0].filename;
    fs.renameSync(path.join(cache, packed), tarball);
    return tarball;
  } catch (error: any) {
    throw new Error(`building ${commit} as ${version} failed: ${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  } finally {
    fs.rmSync(checkout, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [commit, version] = process.argv.slice(2).filter((arg) => arg !== '--');
  if (!commit || !version) {
    console.error('usage: ts-node scripts/release-from-git.ts <commit> <version>');
    process.exit(2);
  }
  console.log(packReleaseFromGit(commit, version));
}
