import { describe, expect, it } from 'vitest';
import { createClients } from './clients.js';
import { createRolloutClients } from './rollout-clients.js';

// One rule for both factories: the single-attempt ECS client never takes the retry strategy
// of the others (it would override maxAttempts 1), only its own singleAttemptRetryStrategy.
describe.each([
  { name: 'createClients', build: (o: Parameters<typeof createClients>[0]) => createClients(o) },
  { name: 'createRolloutClients', build: (o: Parameters<typeof createRolloutClients>[0]) => createRolloutClients(o) },
])('$name: the single-attempt ECS client', ({ build }) => {
  const retryStrategy = { mode: 'virtual', acquireInitialRetryToken: async () => ({}) } as never;
  const singleAttemptRetryStrategy = { mode: 'virtual-once', acquireInitialRetryToken: async () => ({}) } as never;

  it('does not take the retry strategy of the other clients', async () => {
    const clients = build({ region: 'us-east-1', retryStrategy });

    expect(await clients.ecs.config.retryStrategy()).toBe(retryStrategy);
    expect(await clients.ecsSingleAttempt.config.retryStrategy()).not.toBe(retryStrategy);
    expect(await clients.ecsSingleAttempt.config.maxAttempts()).toBe(1);
  });

  it('takes singleAttemptRetryStrategy when one is given', async () => {
    const clients = build({ region: 'us-east-1', retryStrategy, singleAttemptRetryStrategy });

    expect(await clients.ecs.config.retryStrategy()).toBe(retryStrategy);
    expect(await clients.ecsSingleAttempt.config.retryStrategy()).toBe(singleAttemptRetryStrategy);
  });
});
