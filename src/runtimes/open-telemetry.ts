import { OptionError } from '../errors';

/** The Node.js SDK with every instrumentation and the hook that starts it before the app (`--require .../register`). */
export const OPEN_TELEMETRY_NODE_PACKAGES = ['@opentelemetry/auto-instrumentations-node@^0.82.0', '@opentelemetry/api@^1.10.0', '@opentelemetry/core@^3.0.0'];
export const OPEN_TELEMETRY_NODE_OPTIONS = '--require @opentelemetry/auto-instrumentations-node/register';

/** OpenTelemetry's Java agent, pinned; the Maven build copies it to target/otel/ and the image starts the JVM with it. */
export const OPEN_TELEMETRY_JAVA_AGENT = { groupId: 'io.opentelemetry.javaagent', artifactId: 'opentelemetry-javaagent', version: '2.33.1' };
export const OPEN_TELEMETRY_JAVA_AGENT_FILE = 'target/otel/opentelemetry-javaagent.jar';

/** `openTelemetry` as given, checked: off unless asked for, since it needs a collector to send to. */
export function openTelemetryOf(options: { readonly openTelemetry?: boolean }): boolean {
  const openTelemetry = options.openTelemetry ?? false;
  if (typeof openTelemetry !== 'boolean') {
    throw new OptionError(`openTelemetry ${JSON.stringify(openTelemetry)} is not allowed: use true or false.`);
  }
  return openTelemetry;
}

/**
 * The Dockerfile lines that turn the agent on through the runtime's own variable (NODE_OPTIONS, JAVA_TOOL_OPTIONS);
 * nothing when it is off. OTLP goes to OTEL_EXPORTER_OTLP_ENDPOINT, http://localhost:4318 (a collector sidecar) by default.
 */
export function openTelemetryDockerLines(serviceName: string, variable: string, value: string, before: string[] = []): string {
  return [
    '# OpenTelemetry (openTelemetry in .projenrc.ts): traces and metrics over OTLP to OTEL_EXPORTER_OTLP_ENDPOINT',
    '# (http://localhost:4318 by default, a collector sidecar); set it per stage with environment in .projenrc.ts.',
    ...before,
    `ENV ${variable}="${value}" OTEL_SERVICE_NAME=${serviceName} OTEL_METRICS_EXPORTER=otlp`,
    '',
  ].join('\n');
}
