import type { DrainAction } from '@ecs-rebalancer/core';
import { aPolicy } from '@ecs-rebalancer/core/test-support';
import { describe, expect, it } from 'vitest';
import { createClients } from '../adapters/clients.js';
import type { EcsClusterReader } from '../adapters/ecs-cluster-reader.js';
import { EVENTBRIDGE_SERVICE } from '../adapters/signed-request.js';
import { FakeDynamoDb } from '../test-support/fakes.js';
import { RecordingSignedClient } from '../test-support/signed-clients.js';
import { composeTickDeps } from './compose.js';

describe('composeTickDeps (the ports react and tick share)', () => {
  it("gives the decision publisher the environment's sleep, so a virtual clock governs its back-off", async () => {
    // Prepare: the first PutEvents throttles its entry
    const eventBridge = new RecordingSignedClient(EVENTBRIDGE_SERVICE).on('PutEvents', { FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException' }] }, { FailedEntryCount: 0, Entries: [{ EventId: 'x' }] });
    const waits: number[] = [];
    const deps = composeTickDeps({
      config: { policy: aPolicy(), dlqUrl: undefined, eventBus: 'default', maxAttempts: 1, serviceName: 'ecs-rebalancer', metricsNamespace: 'EcsRebalancer' },
      clients: { ...createClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }), eventBridge },
      sleep: async (ms) => void waits.push(ms),
    });
    const action: DrainAction = { type: 'drain', cluster: 'prod', containerInstances: ['arn:ci/1'], ec2InstanceIds: ['i-1'], reason: 'spot-interruption', eventIds: ['e1'] };

    // Act
    const result = await deps.decisions.publish([{ action, outcome: 'done', dryRun: false, time: '2024-03-01T12:00:00.000Z' }]);

    // Assess: one wait, on the injected sleep (the wall clock would not record it)
    expect(result).toEqual({ published: 1, failed: [] });
    expect(waits).toHaveLength(1);
  });

  it('wires the shared instance index from REBALANCER_INDEX_TABLE and a DynamoDB client, and does without either', async () => {
    // Prepare
    const dynamodb = new FakeDynamoDb();
    const config = { policy: aPolicy(), dlqUrl: undefined, eventBus: 'default', maxAttempts: 1, serviceName: 'ecs-rebalancer', metricsNamespace: 'EcsRebalancer' };
    const clients = createClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

    // Act
    const wired = composeTickDeps({ config: { ...config, instanceIndexTable: 'rebalancer-index' }, clients: { ...clients, dynamodb } });
    const { dynamodb: _signed, ...withoutDynamoDb } = clients;
    const noClient = composeTickDeps({ config: { ...config, instanceIndexTable: 'rebalancer-index' }, clients: withoutDynamoDb });
    const noTable = composeTickDeps({ config, clients: { ...clients, dynamodb } });
    await (wired.clusters as EcsClusterReader).directory.prime(['prod']);

    // Assess: the reader asks the table; the tick refreshes it; without a table or a client, nothing of the index
    expect(dynamodb.calls.map((c) => [c.operation, Object.keys(c.input.RequestItems)])).toEqual([['BatchGetItem', ['rebalancer-index']]]);
    expect(wired.instanceIndex).toBeDefined();
    expect(noClient.instanceIndex).toBeUndefined();
    expect(noTable.instanceIndex).toBeUndefined();
  });
});
