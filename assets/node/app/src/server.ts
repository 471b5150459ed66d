// Your code: projen-codestar-fargate wrote this file once and never overwrites it.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { type Config, loadConfig } from './config';
import { service } from './service.generated';

/** ECS stops a task {{stopTimeoutSeconds}} s after SIGTERM (StopTimeout in template.yml); give up well before that. */
const SHUTDOWN_TIMEOUT_MS = {{appShutdownSeconds}}_000;

/** Answers with an error, the same shape for every status (RFC 9457 problem details, as the Spring Boot runtime answers). */
function sendProblem(request: FastifyRequest, reply: FastifyReply, status: number, detail: string) {
  const problem = { type: 'about:blank', title: STATUS_CODES[status], status, detail, instance: request.url, requestId: request.id };
  return reply.code(status).type('application/problem+json').send(problem);
}

/** Builds the HTTP server and its routes from `config`; `start()` makes it listen. */
export function buildServer(config: Config = loadConfig()): FastifyInstance {
  const server = Fastify({
    // JSON lines on stdout, one per request and error, which CloudWatch Logs Insights queries by field.
    logger: process.env.NODE_ENV === 'test' ? false : { level: config.logLevel },
    // The load balancer's trace id names each request in the log and in the answer, so one report finds its log lines.
    requestIdHeader: 'x-amzn-trace-id',
    genReqId: () => randomUUID(),
    // The load balancer and the container check the health path every few seconds: logging those requests would bury the
    // real ones and cost a third of its throughput. Every other request, and every error, is logged.
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      disableRequestLogging: (request) => request.url === service.healthCheckPath,
    }),
    // Only the load balancer reaches a task (its security group), so request.ip and request.protocol come from its X-Forwarded-* headers.
    trustProxy: true,
    // Idle connections outlive the load balancer's 60 s idle timeout, so it never sends a request on one the app just closed (a 502).
    keepAliveTimeout: 65_000,
    // A client gets 10 s to send its request and a route 30 s to answer (a 503), so stuck calls cannot pile up.
    requestTimeout: 10_000,
    handlerTimeout: 30_000,
  });

  server.setNotFoundHandler((request, reply) => {
    sendProblem(request, reply, 404, `${request.method} ${request.url} is not served here`);
  });
  server.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
    }
    // A server error's message may hold internals: the caller gets the request id, the log has the rest.
    const detail = status >= 500 ? 'The request failed; the log has the cause under this requestId.' : error.message;
    sendProblem(request, reply, status, detail);
  });

  // Responses sent while shutting down close their connection, so an in-flight request does not hold the shutdown for a keep-alive timeout.
  let closing = false;
  server.addHook('preClose', async () => {
    closing = true;
  });
  // A callback hook, not an async one: it runs on every response, and a promise per response costs throughput.
  server.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    if (closing) {
      reply.header('connection', 'close');
    }
    done(null, payload);
  });

  // The load balancer and the container health check call this path.
  server.get(service.healthCheckPath, async () => ({ status: 'ok' }));

  server.get('{{helloRoute}}', async () => ({ message: config.greeting }));

  return server;
}

/** Listens on the configured port and shuts down gracefully on SIGTERM or SIGINT. */
export async function start(config: Config = loadConfig()): Promise<FastifyInstance> {
  const server = buildServer(config);
  const shutdown = (signal: NodeJS.Signals) => {
    server.log.info({ signal }, 'shutting down: finishing in-flight requests');
    setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  await server.listen({ host: '0.0.0.0', port: config.port });
  return server;
}

if (require.main === module) {
  start().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
