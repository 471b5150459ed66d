import { typedOnCommandLine } from '../command-line';
import { OptionError } from '../errors';
import { AppRuntime, CodeStarFargateProjectOptions } from '../options';
import { containerRuntimeFor } from './container';
import { nodeRuntimeFor } from './node';
import { AppRuntimeDefinition } from './runtime';
import { springBootRuntimeFor } from './spring-boot';

/** Each runtime, made for a project's options (Spring Boot reads its Java release and package from them) and the toolchain's Node.js. */
const RUNTIMES: Record<AppRuntime, (options: CodeStarFargateProjectOptions, nodeVersion: number) => AppRuntimeDefinition> = {
  [AppRuntime.NODE]: nodeRuntimeFor,
  [AppRuntime.SPRING_BOOT]: springBootRuntimeFor,
  [AppRuntime.CONTAINER]: containerRuntimeFor,
};

/** The runtime the options ask for, or an error that names the allowed values. */
export function runtimeFor(options: CodeStarFargateProjectOptions, nodeVersion: number): AppRuntimeDefinition {
  const runtimes = Object.entries(RUNTIMES);
  const found = runtimes.find(([name]) => name === options.appRuntime);
  if (!found) {
    const allowed = runtimes.map(([name]) => JSON.stringify(name)).join(', ');
    const enumNames = runtimes.map(([name]) => `AppRuntime.${name.toUpperCase().replace(/-/g, '_')}`).join(', ');
    // `projen new --app-runtime foo` renders AppRuntime.FOO, which arrives here as undefined: the typed text is on the command line.
    const typed = typedOnCommandLine('appRuntime');
    const value = typed !== undefined ? JSON.stringify(typed) : JSON.stringify(options.appRuntime);
    const flags = `--app-runtime ${runtimes.map(([name]) => name).join(' or --app-runtime ')}`;
    throw new OptionError(`appRuntime ${value} is not allowed: use one of ${allowed} (${enumNames}; with projen new: ${flags}).`);
  }
  return found[1](options, nodeVersion);
}
