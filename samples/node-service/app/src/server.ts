// Your code: projen-codestar-fargate wrote this file once and never overwrites it.
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { type Config, loadConfig } from './config';
import { service } from './service.generated';

/** ECS stops a task 30 s after SIGTERM; give up well before that. */
const SHUTDOWN_TIMEOUT_MS = 20_000;

/** Builds the HTTP server and its routes from `config`; `start()` makes it listen. */
export function buildServer(config: Config = loadConfig()): FastifyInstance {
  const server = Fastify({
    logger: process.env.NODE_ENV === 'test' ? false : { level: config.logLevel },
    // The load balancer and the container check the health path every few seconds: logging those requests would bury the
    // real ones and cost a third of its throughput. Every other request, and every error, is logged.
    logController: new LogController({ disableRequestLogging: (request) => request.url === service.healthCheckPath }),
  });

  // Responses sent while shutting down close their connection, so an in-flight request does not hold the shutdown for a keep-alive timeout.
  let closing = false;
  server.addHook('preClose', async () => {
    closing = true;
  });
  // A callback hook, not an async one: it runs on every response, and a promise per response costs throughput.
  server.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) {
      reply.header('connection', 'close');
    }
    done(null, payload);
  });

  // The load balancer and the container health check call this path.
  server.get(service.healthCheckPath, async () => ({ status: 'ok' }));

  server.get('/hello', async () => ({ message: config.greeting }));

  return server;
}

/** Listens on PORT (default: the container port) and shuts down gracefully on SIGTERM or SIGINT. */
export async function start(port = portFromEnvironment()): Promise<FastifyInstance> {
  const server = buildServer();
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
  await server.listen({ host: '0.0.0.0', port });
  return server;
}

function portFromEnvironment(): number {
  const port = Number(process.env.PORT ?? service.containerPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT ${JSON.stringify(process.env.PORT)} is not a port number (0-65535)`);
  }
  return port;
}

if (require.main === module) {
  start().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
