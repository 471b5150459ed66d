import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Component, Project } from 'projen';
import * as semver from 'semver';

/** This package's name on npm, as a generated service's .projenrc.ts names it. */
export const PACKAGE_NAME = 'projen-codestar-fargate';
/** Set on the second synth of an upgrade, so it cannot start a third. */
const SYNTHESIZING_AGAIN = 'PROJEN_CODESTAR_FARGATE_SYNTHESIZING_AGAIN';

/** The release this code belongs to (0.0.0 in a checkout; the release sets it). */
export function runningVersion(): string {
  // lib/components/ in the package, src/components/ in a checkout: the package root is two levels up either way.
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version;
}

/**
 * `projen new --from projen-codestar-fargate` records the spec it was given, a bare name when the user typed one:
 * the new service depends on the release that created it by a caret range instead, `projen-codestar-fargate@^1.2.3`,
 * so .projenrc.ts says which releases it takes. A `file:` or other explicit spec is kept as given.
 */
export function dependOnThisReleaseByRange<T extends { devDeps?: string[] }>(options: T): T {
  const version = runningVersion();
  const byRange = (deps: string[] | undefined) => deps?.map((dep) => (dep === PACKAGE_NAME ? `${PACKAGE_NAME}@^${version}` : dep));
  // projen writes .projenrc.ts from the arguments of `projen new`, which it passes in as `__new__`.
  const creation = (options as any).__new__?.args;
  if (creation) {
    creation.devDeps = byRange(creation.devDeps);
    creation['dev-deps'] = byRange(creation['dev-deps']);
  }
  return { ...options, devDeps: byRange(options.devDeps) };
}

/**
 * Keeps the installed release and .projenrc.ts in step, so that one `npx projen` (or `npx projen upgrade`) ends
 * with the service on the release .projenrc.ts asks for and every managed file written by it.
 *
 * projen runs .projenrc.ts with the release that is installed, then installs what .projenrc.ts asks for: when
 * that is another release, the files of this run came from the old one. This synthesizes once more with the new one,
 * and says loudly when .projenrc.ts and the installed release disagree.
 */
export class ReleaseDependency extends Component {
  /** The spec .projenrc.ts gives for this package, e.g. `^1.2.0`; undefined when it names no version. */
  public readonly requestedRange?: string;
  /** The release running this synth. */
  public readonly version: string;

  constructor(project: Project, devDeps: readonly string[]) {
    super(project);
    this.version = runningVersion();
    const spec = devDeps.find((dep) => dep === PACKAGE_NAME || dep.startsWith(`${PACKAGE_NAME}@`));
    this.requestedRange = spec?.slice(PACKAGE_NAME.length + 1) || undefined;
    const range = this.requestedRange && semver.validRange(this.requestedRange);
    if (range && !semver.satisfies(this.version, range) && !process.env[SYNTHESIZING_AGAIN]) {
      shout([
        `.projenrc.ts asks for ${PACKAGE_NAME}@${this.requestedRange}, but ${this.version} is installed and runs this synth.`,
        `.projenrc.ts wins: npm installs a release in ${this.requestedRange} next, and ${PACKAGE_NAME} synthesizes again with it.`,
        'To move to another release, change the range in devDeps in .projenrc.ts (not with npm install) and run npx projen.',
      ]);
    }
  }

  /** Called by the project after npm installed what .projenrc.ts asks for. */
  public synthesizeAgainIfAnotherReleaseIsInstalled(): void {
    const installed = installedVersion(this.project.outdir);
    if (!installed || installed === this.version || process.env[SYNTHESIZING_AGAIN]) {
      return;
    }
    shout([
      `${PACKAGE_NAME} ${this.version} wrote this synth's files, and npm has just installed ${installed}.`,
      `Synthesizing again with ${installed}, so every managed file comes from the release .projenrc.ts asks for.`,
    ]);
    execFileSync('npx', ['projen', 'default'], {
      cwd: this.project.outdir,
      stdio: 'inherit',
      env: { ...process.env, [SYNTHESIZING_AGAIN]: installed },
    });
  }
}

/** The release in the service's node_modules, if any. */
function installedVersion(outdir: string): string | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(outdir, 'node_modules', PACKAGE_NAME, 'package.json'), 'utf-8')).version;
  } catch {
    return undefined;
  }
}

/** A message that stands out in projen's output. */
function shout(lines: string[]): void {
  const rule = '='.repeat(100);
  console.error(['', rule, ...lines.map((line) => `${PACKAGE_NAME}: ${line}`), rule, ''].join('\n'));
}
