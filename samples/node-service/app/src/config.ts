// Your code: projen-codestar-fargate wrote this file once and never overwrites it.
import { service } from './service.generated';

/**
 * The app's settings, read from the environment in this one place: the task definition sets the variables and
 * secrets of `environment` and `secrets` in .projenrc.ts (per stage), and a local run takes them from the shell.
 */
export interface Config {
  /** What the sample route answers; `GREETING`. */
  readonly greeting: string;
  /** The logger's level; `LOG_LEVEL`. */
  readonly logLevel: string;
}

/** Reads the settings from `environment`, with a default for each one a local run may leave out. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  return {
    greeting: environment.GREETING ?? `Hello from ${service.serviceName}`,
    logLevel: environment.LOG_LEVEL ?? 'info',
  };
}
