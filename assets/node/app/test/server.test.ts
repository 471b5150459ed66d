// Your code: projen-codestar-fargate wrote this file once and never overwrites it.
import { strict as assert } from 'node:assert';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../src/server';
import { service } from '../src/service.generated';

async function listen(server: FastifyInstance): Promise<string> {
  await server.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

describe('the service', () => {
  let server: FastifyInstance;
  let baseUrl: string;
  // A route that tells when a request reached it and answers only when released: the shutdown test waits on events, not the clock.
  let slowRequestArrived: Promise<void>;
  let releaseSlowRequest: () => void;

  beforeEach(async () => {
    server = buildServer();
    let arrive: () => void;
    slowRequestArrived = new Promise((resolve) => {
      arrive = resolve;
    });
    const released = new Promise<void>((resolve) => {
      releaseSlowRequest = resolve;
    });
    server.get('/fails', async () => {
      throw new Error('the database password is hunter2');
    });
    server.get('/client', async (request) => ({ ip: request.ip, protocol: request.protocol }));
    server.get('/slow', async () => {
      arrive();
      await released;
      return { done: true };
    });
    baseUrl = await listen(server);
  });

  afterEach(async () => {
    releaseSlowRequest();
    await server.close();
  });

  it('answers the health check path with 200 and a small JSON body', async () => {
    const response = await fetch(`${baseUrl}${service.healthCheckPath}`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  it('answers the sample route', async () => {
    const response = await fetch(`${baseUrl}{{helloRoute}}`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { message: `Hello from ${service.serviceName}` });
  });

  it('answers the sample route with the greeting its config holds', async () => {
    const greeter = buildServer({ greeting: 'Hello from dev', logLevel: 'info', port: 0 });
    try {
      const response = await fetch(`${await listen(greeter)}{{helloRoute}}`);
      assert.deepEqual(await response.json(), { message: 'Hello from dev' });
    } finally {
      await greeter.close();
    }
  });

  it("names each request by the load balancer's trace id and returns it as X-Request-Id", async () => {
    const traceId = 'Root=1-67891233-abcdef012345678912345678';
    const response = await fetch(`${baseUrl}{{helloRoute}}`, { headers: { 'x-amzn-trace-id': traceId } });
    assert.equal(response.headers.get('x-request-id'), traceId);
  });

  it('gives a request without a trace id an id of its own', async () => {
    const [first, second] = await Promise.all([fetch(`${baseUrl}{{helloRoute}}`), fetch(`${baseUrl}{{helloRoute}}`)]);
    assert.match(first.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.notEqual(first.headers.get('x-request-id'), second.headers.get('x-request-id'));
  });

  it('answers 404 on a path it does not serve, with a problem-details body', async () => {
    const response = await fetch(`${baseUrl}/no-such-path`, { headers: { 'x-amzn-trace-id': 'Root=1-a' } });
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.deepEqual(await response.json(), {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'GET /no-such-path is not served here',
      instance: '/no-such-path',
      requestId: 'Root=1-a',
    });
  });

  it("answers 500 with the same body shape when a route fails, without the error's message", async () => {
    const response = await fetch(`${baseUrl}/fails`, { headers: { 'x-amzn-trace-id': 'Root=1-b' } });
    assert.equal(response.status, 500);
    const body = await response.json();
    assert.deepEqual(body, {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'The request failed; the log has the cause under this requestId.',
      instance: '/fails',
      requestId: 'Root=1-b',
    });
  });

  it("takes the client's address and protocol from the load balancer's X-Forwarded-* headers", async () => {
    const response = await fetch(`${baseUrl}/client`, { headers: { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' } });
    assert.deepEqual(await response.json(), { ip: '203.0.113.7', protocol: 'https' });
  });

  it("keeps idle connections open longer than the load balancer's 60 s idle timeout, and bounds slow requests", () => {
    assert.ok(server.server.keepAliveTimeout > 60_000);
    assert.equal(server.server.requestTimeout, 10_000);
    assert.equal((server.initialConfig as { handlerTimeout?: number }).handlerTimeout, 30_000);
  });

  it('finishes in-flight requests when it shuts down', async () => {
    const inFlight = fetch(`${baseUrl}/slow`);
    await slowRequestArrived;
    const closed = server.close();
    releaseSlowRequest();
    const response = await inFlight;
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { done: true });
    await closed;
  });
});
