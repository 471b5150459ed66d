// Your code: projen-codestar-fargate wrote this file once and never overwrites it.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/config';
import { service } from '../src/service.generated';

describe('the config', () => {
  it('reads the variables the stage sets', () => {
    assert.deepEqual(loadConfig({ GREETING: 'Hello from dev', LOG_LEVEL: 'debug' }), { greeting: 'Hello from dev', logLevel: 'debug' });
  });

  it('falls back to defaults for a local run without them', () => {
    assert.deepEqual(loadConfig({}), { greeting: `Hello from ${service.serviceName}`, logLevel: 'info' });
  });
});
