import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ATTEMPTS } from '../config.js';
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
    expect(await clients.cloudWatch.config.maxAttempts()).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(await clients.ecsSingleAttempt.config.maxAttempts()).toBe(1);
  });
});
