import { SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { createClients } from './clients.js';

describe('createClients', () => {
  it('builds each client once, on first use, at its own endpoint', async () => {
    // Prepare
    const clients = createClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', endpoints: { sqs: 'http://127.0.0.1:2' } });
    // Act
    const ecs = clients.ecs;
    // Assess
    expect(clients.ecs).toBe(ecs);
    expect((await clients.ecs.config.endpoint!()).port).toBe(1);
    expect((await clients.sqs.config.endpoint!()).port).toBe(2);
    expect(await clients.sqs.config.useQueueUrlAsEndpoint).toBe(false);
    expect('sfn' in clients).toBe(false);
  });

  it('has a Step Functions client only when given its class (the rollout entry)', async () => {
    const clients = createClients({ region: 'us-east-1', endpoints: { sfn: 'http://127.0.0.1:3' } }, SFNClient);

    expect(clients.sfn).toBeInstanceOf(SFNClient);
    expect((await clients.sfn.config.endpoint!()).port).toBe(3);
    expect(Object.keys(clients).sort()).toEqual(['cloudWatch', 'ecs', 'ecsSingleAttempt', 'eventBridge', 'sfn', 'sqs', 'ssm']);
  });
});
