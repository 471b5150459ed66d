import { creatingWithProjenNew, flagOf } from '../command-line';
import { OptionError } from '../errors';
import { CodeStarFargateProjectOptions } from '../options';
import { CopilotImport, importCopilotManifest } from './copilot';

/** projen's key for what `projen new` renders into .projenrc.ts (projen's src/javascript/render-options.ts). */
const PROJEN_NEW = '__new__';

/** The options with a Copilot manifest's values in place of `copilotManifest`, and what to tell the user. */
export interface AppliedManifest {
  readonly options: CodeStarFargateProjectOptions;
  /** Lines for `projen new` to print: what was not carried over and what to check; empty without a manifest. */
  readonly report: string[];
}

/**
 * At `projen new`, replaces `copilotManifest` with the options its manifest maps to, in the options and in what
 * projen renders into .projenrc.ts, so the file holds the values and the manifest can be deleted. An option also given
 * on the command line must agree with the manifest. Outside `projen new` the option is refused: .projenrc.ts holds the
 * values already, and a manifest read on every synth would be a second source of truth.
 */
export function applyCopilotManifest(options: CodeStarFargateProjectOptions): AppliedManifest {
  const manifest = options.copilotManifest;
  if (manifest === undefined) {
    return { options, report: [] };
  }
  if (!creatingWithProjenNew()) {
    throw new OptionError(`copilotManifest ${JSON.stringify(manifest)} is not allowed in .projenrc.ts: it is read once, by projen new, which writes the manifest's values into .projenrc.ts. Remove copilotManifest and change the options themselves (docs/copilot.md).`);
  }
  const imported = importCopilotManifest(manifest, options.outdir ?? process.cwd(), { platformName: options.platformName });
  refuseConflicts(options, imported);
  const { copilotManifest: _read, ...rest } = options;
  const applied: any = { ...rest, ...imported.options };
  const init = (options as any)[PROJEN_NEW];
  if (init?.args) {
    const { copilotManifest: _rendered, ...args } = init.args;
    applied[PROJEN_NEW] = { ...init, args: { ...args, ...imported.options } };
  }
  return { options: applied, report: reportOf(manifest, imported) };
}

/** An option given on the command line (or in the options) that the manifest sets to another value is refused, naming both. */
function refuseConflicts(options: CodeStarFargateProjectOptions, imported: CopilotImport): void {
  for (const [option, value] of Object.entries(imported.options)) {
    const given = (options as any)[option];
    if (given !== undefined && JSON.stringify(given) !== JSON.stringify(value)) {
      throw new OptionError(`${option} ${JSON.stringify(given)} (--${flagOf(option)}) and ${JSON.stringify(value)} from ${imported.sources[option]} disagree: give the value once, in the manifest or on the command line.`);
    }
  }
}

function reportOf(manifest: string, imported: CopilotImport): string[] {
  if (imported.notApplied.length === 0 && imported.notes.length === 0) {
    return [`${manifest}: every field was carried over into .projenrc.ts.`];
  }
  return [
    ...(imported.notApplied.length > 0 ? [`${manifest}: ${imported.notApplied.length} field${imported.notApplied.length === 1 ? ' is' : 's are'} not carried over (docs/copilot.md):`] : []),
    ...imported.notApplied.map((entry) => `  - ${entry.field} (${entry.where}): ${entry.advice}`),
    ...imported.notes.map((note) => `Check: ${note}`),
  ];
}
