import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ATTEMPTS } from '../config.js';
import { capturingHandler, TEST_CREDENTIALS } from '../test-support/signed-clients.js';
import { createRolloutClients } from './rollout-clients.js';

describe('createRolloutClients', () => {
  it('a scenario run\'s retry strategy does not reach the single-attempt client', async () => {
    const retryStrategy = { mode: 'virtual', acquireInitialRetryToken: async () => ({}) } as never;

    const clients = createRolloutClients({ region: 'us-east-1', retryStrategy });

    expect(await clients.ecs.config.retryStrategy()).toBe(retryStrategy);
    expect(await clients.ecsSingleAttempt.config.retryStrategy()).not.toBe(retryStrategy);
  });

  it('retries as the other functions do, except the client UpdateService goes through, which never retries', async () => {
    const clients = createRolloutClients({ region: 'us-east-1' });

    expect(await clients.ecs.config.maxAttempts()).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(await clients.ecsSingleAttempt.config.maxAttempts()).toBe(1);
  });

  it('calls CloudWatch (signed-request.ts) with the same attempts', async () => {
    const wire = capturingHandler({ status: 200, body: {} });
    const clients = createRolloutClients({ region: 'us-east-1', credentials: TEST_CREDENTIALS, requestHandler: wire.handler as never });

    await clients.cloudWatch.call('DescribeAlarms', { AlarmNames: ['a'] });

    expect(wire.requests[0]?.headers['amz-sdk-request']).toBe(`attempt=1; max=${DEFAULT_MAX_ATTEMPTS}`);
  });
});
