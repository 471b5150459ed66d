import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/*
 * The version comes from the commit history, as `npx projen release` computes it: projen's bump task (git tags and
 * conventional commits through commit-and-tag-version), in a clone of this checkout so no tag lands here.
 */

const REPO_ROOT = path.resolve(__dirname, '..');
const RELEASE_ENV: Record<string, string> = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, '.projen', 'tasks.json'), 'utf-8')).tasks.release.env;

describe('a release', () => {
  const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'csf-release-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: clone, encoding: 'utf-8' });
  /** `npx projen bump` as the release task runs it (with the release task's environment), then the version it chose. */
  const bump = () => {
    execFileSync('npx', ['projen', 'bump'], { cwd: clone, stdio: 'pipe', env: { ...process.env, ...RELEASE_ENV } });
    return {
      version: fs.readFileSync(path.join(clone, 'dist', 'version.txt'), 'utf-8'),
      changelog: fs.readFileSync(path.join(clone, 'dist', 'changelog.md'), 'utf-8'),
      packageVersion: JSON.parse(fs.readFileSync(path.join(clone, 'package.json'), 'utf-8')).version,
    };
  };
  /** What a maintainer does after publishing: tag the release, go back to 0.0.0 in package.json. */
  const tagAndUnbump = () => {
    git('tag', fs.readFileSync(path.join(clone, 'dist', 'releasetag.txt'), 'utf-8'));
    execFileSync('npx', ['projen', 'unbump'], { cwd: clone, stdio: 'pipe', env: { ...process.env, ...RELEASE_ENV } });
  };
  const commit = (message: string) => git('commit', '--quiet', '--allow-empty', '-m', message);

  beforeAll(() => {
    git('clone', '--quiet', REPO_ROOT, clone);
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(clone, 'node_modules'));
  });

  afterAll(() => {
    fs.rmSync(clone, { recursive: true, force: true });
  });

  it('is 1.0.0 the first time, in package.json, dist/version.txt and the tag', () => {
    const first = bump();
    expect(first.version).toBe('1.0.0');
    expect(first.packageVersion).toBe('1.0.0');
    expect(fs.readFileSync(path.join(clone, 'dist', 'releasetag.txt'), 'utf-8')).toBe('v1.0.0');
    tagAndUnbump();
  });

  it('takes a minor version for a feature, with the commit in the changelog', () => {
    commit('feat: orders can be listed');
    const next = bump();
    expect(next.version).toBe('1.1.0');
    expect(next.changelog).toContain('orders can be listed');
    tagAndUnbump();
  });

  it('takes a patch version for a fix', () => {
    commit('fix: the health check answers faster');
    expect(bump().version).toBe('1.1.1');
    tagAndUnbump();
  });

  it('takes a major version for a breaking change of the generated output', () => {
    commit('feat!: the app\'s tests run on node:test\n\nBREAKING CHANGE: app/test files written for jest must move to node:test');
    const major = bump();
    expect(major.version).toBe('2.0.0');
    expect(major.changelog).toContain('BREAKING CHANGES');
  });
});
