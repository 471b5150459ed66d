// Your code: projen-codestar-fargate wrote this file once and never overwrites it.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/config';
import { service } from '../src/service.generated';

describe('the config', () => {
  it('reads the variables the stage sets', () => {
    assert.deepEqual(loadConfig({ GREETING: 'Hello from dev', LOG_LEVEL: 'debug', PORT: '9000' }), {
      greeting: 'Hello from dev',
      logLevel: 'debug',
      port: 9000,
    });
  });

  it('falls back to defaults for a local run without them', () => {
    assert.deepEqual(loadConfig({}), { greeting: `Hello from ${service.serviceName}`, logLevel: 'info', port: service.containerPort });
  });

  it('refuses a bad value at start, naming the variable', () => {
    assert.throws(
      () => loadConfig({ LOG_LEVEL: 'verbose' }),
      /^Error: LOG_LEVEL "verbose" is not a log level: use one of fatal, error, warn, info, debug, trace, silent$/,
    );
    assert.throws(() => loadConfig({ PORT: '80a' }), /^Error: PORT "80a" is not a port number/);
    assert.throws(() => loadConfig({ GREETING: ' ' }), /^Error: GREETING is empty/);
  });
});
