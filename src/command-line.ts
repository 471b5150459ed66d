import * as fs from 'fs';
import * as path from 'path';

/**
 * What `projen new --from` does to the command line before the project type sees it, so errors can name what the user
 * typed. projen reads each option from the flag `--<snake case with hyphens>` (`memoryMiB` is `--memory-mi-b`),
 * `parseInt`s numbers (`abc` becomes NaN, written as `null`), renders an enum value `python` as `AppRuntime.PYTHON`
 * (undefined when it does not exist) and ignores flags it does not know.
 */

/** projen sets this while `projen new` creates a project (projen's src/projects.ts). */
const CREATING = 'PROJEN_CREATE_PROJECT';

/** Flags of `projen new` itself and of the CLI around it (projen's src/cli/index.ts and src/cli/cmds/new.ts). */
const PROJEN_NEW_FLAGS = ['from', 'f', 'synth', 'comments', 'git', 'post', 'projen-version', 'debug', 'help', 'h', 'version', 'watch', 'w'];

/** True while `projen new` creates the project in this process. */
export function creatingWithProjenNew(): boolean {
  return process.env[CREATING] === 'true';
}

/** The flag projen's inventory gives an option: `memoryMiB` is `memory-mi-b`, `containerPort` is `container-port`. */
export function flagOf(option: string): string {
  return option
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/_/g, '-');
}

/** The text typed after `--<flag of option>` in this `projen new`, or undefined outside `projen new` or when absent. */
export function typedOnCommandLine(option: string, argv: string[] = process.argv): string | undefined {
  if (!creatingWithProjenNew()) {
    return undefined;
  }
  const names = [`--${flagOf(option)}`, `--${option}`];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    const name = names.find((candidate) => arg === candidate || arg.startsWith(`${candidate}=`));
    if (name !== undefined) {
      return arg === name ? argv[index + 1] : arg.slice(name.length + 1);
    }
  }
  return undefined;
}

/**
 * A value as the user gave it, for an error message: during `projen new`, the text typed after the flag when projen
 * read it as something else (`"abc" (--container-port abc)`), otherwise the value as JSON.
 */
export function shownValue(option: string, value: unknown): string {
  const typed = typedOnCommandLine(option);
  if (typed !== undefined && typed !== String(value)) {
    return `${JSON.stringify(typed)} (typed as --${flagOf(option)} ${typed})`;
  }
  return JSON.stringify(value);
}

/** During `projen new`: true when projen read a number option as something other than what was typed (`8080abc`, `1.5`). */
export function misreadNumber(option: string, value: unknown): boolean {
  const typed = typedOnCommandLine(option);
  return typed !== undefined && (typed.trim() === '' || Number(typed) !== value);
}

/** An option of the project type as projen's inventory reads it from the jsii manifest. */
export interface ProjectTypeOption {
  readonly name: string;
  /** The `projen new` flag without `--`. */
  readonly switch: string;
  /** The options interface that declares it. */
  readonly parent: string;
  readonly deprecated?: boolean;
  /** For a deprecated option, the flag of the option its docs say to use instead. */
  readonly replacedBy?: string;
}

/** A flag `projen new` would drop, the closest current flag, and whether it names a deprecated option. */
export interface UnknownFlag {
  readonly flag: string;
  readonly closest?: string;
  readonly deprecated?: boolean;
}

/**
 * Flags on this `projen new` command line that name no option of the project type and no flag of projen's: projen
 * would silently drop them (`--memory-mb 8192`). Each comes with the closest current flag, if one is close.
 */
export function unknownFlags(options: ProjectTypeOption[], argv: string[] = process.argv): UnknownFlag[] {
  const known = new Set<string>(PROJEN_NEW_FLAGS);
  // projen new drops a deprecated option without a word (projen's src/javascript/render-options.ts): refuse its flag too.
  for (const option of options.filter((candidate) => !candidate.deprecated)) {
    known.add(option.name);
    known.add(option.switch);
  }
  const suggestions = options.filter((option) => !option.deprecated).map((option) => option.switch);
  const deprecated = new Map(options.filter((option) => option.deprecated)
    .flatMap((option) => [[option.name, option], [option.switch, option]] as const));
  const unknown: UnknownFlag[] = [];
  for (const arg of argv) {
    const name = /^--([^=]+)/.exec(arg)?.[1];
    if (name === undefined || known.has(name) || (name.startsWith('no-') && known.has(name.slice(3)))) {
      continue;
    }
    const replacedBy = deprecated.get(name)?.replacedBy;
    unknown.push({ flag: `--${name}`, closest: replacedBy ?? closestFlag(name, suggestions), deprecated: deprecated.has(name) || undefined });
  }
  return unknown;
}

/** The known flag at most two edits away, comparing without hyphens and case (`memory-mb` finds `memory`). */
function closestFlag(flag: string, candidates: string[]): string | undefined {
  const plain = (text: string) => text.replace(/-/g, '').toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(plain(flag), plain(candidate));
    if (distance <= 2 && (!best || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best ? `--${best.candidate}` : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

let optionsOfThisType: ProjectTypeOption[] | undefined;

/**
 * The options of `CodeStarFargateProject`, inherited ones included, read from this package's and projen's jsii
 * manifests the way projen's inventory reads them (src/inventory.ts). Its own reader also loads aws-cdk-lib's
 * manifest, 3 s of every `projen new`; the options only come from these two.
 */
export function projectTypeOptions(): ProjectTypeOption[] {
  if (optionsOfThisType) {
    return optionsOfThisType;
  }
  const manifests = [path.join(__dirname, '..'), path.dirname(require.resolve('projen/package.json'))]
    .map((dir) => JSON.parse(fs.readFileSync(path.join(dir, '.jsii'), 'utf-8')));
  const types: Record<string, any> = Object.assign({}, ...manifests.map((manifest) => manifest.types));
  const options: ProjectTypeOption[] = [];
  const addOptions = (fqn: string) => {
    const struct = types[fqn];
    for (const property of struct.properties ?? []) {
      if (!options.some((option) => option.name === property.name)) {
        const deprecated = property.docs?.stability === 'deprecated' || undefined;
        // "@deprecated use `memory`: …" names the replacement.
        const replacement = deprecated && /use `(\w+)`/.exec(property.docs?.deprecated ?? '')?.[1];
        options.push({ name: property.name, switch: flagOf(property.name), parent: struct.name, deprecated, replacedBy: replacement ? `--${flagOf(replacement)}` : undefined });
      }
    }
    (struct.interfaces ?? []).forEach(addOptions);
  };
  addOptions(`${manifests[0].name}.CodeStarFargateProjectOptions`);
  optionsOfThisType = options.sort((a, b) => a.name.localeCompare(b.name));
  return optionsOfThisType;
}

/** A package.json that holds only what `projen new --from` installed before the project type ran: projen and this package. */
export function onlyInstalledByProjenNew(manifest: any, packageName: string): boolean {
  return typeof manifest === 'object' && manifest !== null && Object.keys(manifest).every((key) => key === 'devDependencies')
    && Object.keys(manifest.devDependencies ?? {}).every((name) => name === 'projen' || name === packageName);
}

/**
 * After `projen new` refused a value: what it installed before asking the project type (a package.json with only
 * projen and this package as devDependencies, and node_modules) is removed, so the next try starts as the first did.
 * A folder that had anything else in its package.json is left as it is. Returns what was removed.
 */
export function removeWhatProjenNewInstalled(outdir: string, packageName: string): string[] {
  const packageJson = path.join(outdir, 'package.json');
  if (!fs.existsSync(packageJson)) {
    return [];
  }
  let manifest: any;
  try {
    manifest = JSON.parse(fs.readFileSync(packageJson, 'utf-8'));
  } catch {
    return [];
  }
  if (!onlyInstalledByProjenNew(manifest, packageName)) {
    return [];
  }
  const removed = ['package.json'];
  fs.rmSync(packageJson);
  for (const leftover of ['package-lock.json', 'node_modules']) {
    if (fs.existsSync(path.join(outdir, leftover))) {
      fs.rmSync(path.join(outdir, leftover), { recursive: true, force: true });
      removed.push(leftover);
    }
  }
  return removed;
}
