import { describe, expect, it } from 'vitest';
import { createClients } from './clients.js';
import { createRolloutClients } from './rollout-clients.js';

describe('the one client factory', () => {
  it('builds each client once, on first use, at its own endpoint', async () => {
    // Prepare
    const clients = createClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', endpoints: { sqs: 'http://127.0.0.1:2' } });
    // Act
    const ecs = clients.ecs;
    // Assess
    expect(clients.ecs).toBe(ecs);
    expect((await clients.ecs.config.endpoint!()).port).toBe(1);
    expect((await clients.sqs.config.endpoint!()).port).toBe(2);
    expect(clients.sqs.config.useQueueUrlAsEndpoint).toBe(false);
    expect(Object.keys(clients).sort()).toEqual(['cloudWatch', 'ecs', 'ecsSingleAttempt', 'eventBridge', 'sqs', 'ssm']);
  });

  it('gives the rollout Step Functions and no SQS or EventBridge client', async () => {
    const clients = createRolloutClients({ region: 'us-east-1', endpoints: { sfn: 'http://127.0.0.1:3' } });

    expect((await clients.sfn.config.endpoint!()).port).toBe(3);
    expect(Object.keys(clients).sort()).toEqual(['cloudWatch', 'ecs', 'ecsSingleAttempt', 'sfn', 'ssm']);
  });
});
