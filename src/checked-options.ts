import { inspect } from 'util';
import { creatingWithProjenNew, projectTypeOptions, removeWhatProjenNewInstalled, unknownFlags } from './command-line';
import { PACKAGE_NAME } from './components/release-dependency';
import { OptionError } from './errors';
import { CodeStarFargateProjectOptions, ServiceSettings } from './options';
import { runtimeFor } from './runtimes';
import { nodeVersionOf } from './runtimes/node';
import { AppRuntimeDefinition } from './runtimes/runtime';
import { secretWarnings } from './shared-settings';
import { resolveServiceSettings } from './validation';

/** A project's options after one pass of checks and defaults: what the project type and its components read. */
export interface ResolvedProject {
  readonly runtime: AppRuntimeDefinition;
  readonly settings: ServiceSettings;
  /** The Node.js the toolchain (and a Node.js app) runs. */
  readonly nodeVersion: number;
  /** What synth should warn about: options that work but that a team should change. */
  readonly warnings: string[];
}

/**
 * Checks and resolves the options once, before projen sees them: each option where its concern lives (the runtime's
 * in its runtime, the service's and stages' in resolveServiceSettings). A refused value stops `projen new` and
 * `npx projen` with its message alone, and `projen new` leaves the folder as it found it.
 */
export function resolveProjectOptions(options: CodeStarFargateProjectOptions): ResolvedProject {
  return refuseBeforeProjen(options.outdir, () => {
    if (creatingWithProjenNew()) {
      refuseUnknownFlags();
    }
    // The toolchain's Node.js too, so a Spring Boot service's nodeVersion is checked as a Node one's is.
    const nodeVersion = nodeVersionOf(options);
    const runtime = runtimeFor(options, nodeVersion);
    const settings = resolveServiceSettings(options, runtime.taskSizeDefaults);
    runtime.validate(settings);
    const warnings = [
      ...(options.memoryMiB !== undefined ? ['memoryMiB is deprecated: rename it to memory in .projenrc.ts (the same value).'] : []),
      ...secretWarnings(options.secrets, settings.stageSettings),
    ];
    return { runtime, settings, nodeVersion, warnings };
  });
}

/**
 * Runs a project type's checks before projen sees its options: an OptionError stops `projen new` and `npx projen`
 * with its message alone, and `projen new` leaves the folder as it found it.
 */
export function refuseBeforeProjen<T>(outdir: string | undefined, validate: () => T): T {
  try {
    return validate();
  } catch (error) {
    if (!(error instanceof OptionError)) {
      throw error;
    }
    return refuseBeforeWriting(error, outdir ?? process.cwd());
  }
}

/**
 * Stops on a refused value before anything is written: `projen new` leaves the folder as it found it (what its npm
 * install added is removed), and projen's processes print the message alone.
 */
export function refuseBeforeWriting(error: OptionError, outdir: string): never {
  const removed = creatingWithProjenNew() ? removeWhatProjenNewInstalled(outdir, PACKAGE_NAME) : [];
  const refusal = removed.length === 0 ? error : new OptionError(`${error.message}\nNothing was created; ${removed.join(' and ')}, which projen new installed first, ${removed.length === 1 ? 'was' : 'were'} removed.`);
  // In `projen new` (projen's CLI) and `npx projen` (.projenrc.ts in a process of its own) the error reaches Node
  // uncaught, which prints a source line and the frames around the message: the message alone says all there is.
  if (runByProjen()) {
    console.error(refusal.message);
    process.exit(1);
  }
  throw refusal;
}


/** `projen new --from` drops a flag that names no option (`--memory-mb 8192`): refuse it instead. */
function refuseUnknownFlags(): void {
  const options = projectTypeOptions();
  const unknown = unknownFlags(options);
  if (unknown.length === 0) {
    return;
  }
  if (unknown[0].deprecated) {
    throw new OptionError(`${unknown[0].flag} is the flag of a deprecated option, which projen new would ignore: use ${unknown[0].closest ?? 'its new name'}.`);
  }
  const own = options.filter((option) => option.parent === 'CodeStarFargateProjectOptions' && !option.deprecated);
  const hint = unknown[0].closest
    ? `did you mean ${unknown[0].closest}?`
    : `this package's own are ${own.map((option) => `--${option.switch}`).join(', ')} (projen new --help cannot list them: projen/projen#4036).`;
  const flags = unknown.map((entry) => entry.flag).join(', ');
  throw new OptionError(`${flags} ${unknown.length === 1 ? 'is not an option' : 'are not options'} of ${PACKAGE_NAME}, and projen new would ignore ${unknown.length === 1 ? 'it' : 'them'}: ${hint}`);
}

/** Whether this process is `npx projen` running .projenrc.ts or `projen new` running projen's CLI, not a test or a library user. */
function runByProjen(): boolean {
  return /[\\/](\.projenrc\.[cm]?[jt]s|projen[\\/]bin[\\/]projen)$/.test(require.main?.filename ?? '');
}

let optionErrorsPrintedAlone = false;

/**
 * Makes an OptionError that reaches the top of `.projenrc.ts` (refused in the constructor after validation, by a
 * method such as addAppDeps, or during synth) print its message alone and exit 1, as `projen new` does, instead of
 * Node's source line and ts-node's frames. It lives in the package, so services whose .projenrc.ts is already
 * written get it too. Any other error is printed as Node prints it, frames included, with Node's exit code 1.
 */
export function printOptionErrorsAlone(): void {
  if (optionErrorsPrintedAlone || !runByProjen()) {
    return;
  }
  optionErrorsPrintedAlone = true;
  process.on('uncaughtException', (error) => {
    console.error(error instanceof OptionError ? error.message : inspect(error));
    process.exit(1);
  });
}
