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
    const response = await fetch(`${baseUrl}/hello`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { message: `Hello from ${service.serviceName}` });
  });

  it('answers the sample route with the greeting its config holds', async () => {
    const greeter = buildServer({ greeting: 'Hello from dev', logLevel: 'info' });
    try {
      const response = await fetch(`${await listen(greeter)}/hello`);
      assert.deepEqual(await response.json(), { message: 'Hello from dev' });
    } finally {
      await greeter.close();
    }
  });

  it('answers 404 on a path it does not serve', async () => {
    const response = await fetch(`${baseUrl}/no-such-path`);
    assert.equal(response.status, 404);
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
