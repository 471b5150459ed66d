// Your code: projen-codestar-fargate wrote this file once and never overwrites it.
import { service } from './service.generated';

/** Fastify's (pino's) log levels. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * The app's settings, read from the environment in this one place: the task definition sets the variables and
 * secrets of `environment` and `secrets` in .projenrc.ts (per stage), and a local run takes them from the shell.
 */
export interface Config {
  /** What the sample route answers; `GREETING`. */
  readonly greeting: string;
  /** The logger's level; `LOG_LEVEL`. */
  readonly logLevel: string;
  /** The port the server listens on; `PORT`, the container port by default. */
  readonly port: number;
}

/**
 * Reads and checks the settings from `environment`, with a default for each one a local run may leave out. A bad value
 * stops the start with the variable's name, so a task with a typo fails its deploy instead of serving wrong answers.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const greeting = environment.GREETING ?? `Hello from ${service.serviceName}`;
  if (greeting.trim() === '') {
    throw new Error('GREETING is empty: set it to the text the sample route answers, or leave it unset');
  }
  const logLevel = environment.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(`LOG_LEVEL ${JSON.stringify(logLevel)} is not a log level: use one of ${LOG_LEVELS.join(', ')}`);
  }
  const port = Number(environment.PORT ?? service.containerPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT ${JSON.stringify(environment.PORT)} is not a port number (0-65535)`);
  }
  return { greeting, logLevel, port };
}
