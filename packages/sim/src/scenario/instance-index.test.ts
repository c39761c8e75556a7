// The instance index's table in a scenario run: created as infra creates it, shared by every
// execution environment (each has its own module scope), reached over the simulator's wire
// with the environment's request handler, so each call costs its modelled round trip.
import { BatchGetItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { aCluster } from '../test-support/builders.js';
import { INSTANCE_INDEX_TABLE_NAME } from './instance-index.js';
import { runScenario, type HandlerEnvironment, type HandlersFactory } from './runner.js';
import { parseScenario } from './schema.js';

function dynamoOf(env: HandlerEnvironment): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: env.endpoint,
    region: env.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: env.sdk.requestHandler as never,
    retryStrategy: env.sdk.retryStrategy(3),
  });
}

describe('the instance index table in a scenario run', () => {
  it('is written by the tick environment and read by a react environment, each call a round trip on the virtual clock', async () => {
    // Prepare: the tick fires at t+0 and publishes; the warning at t+60 reaches a react environment.
    const environments: string[] = [];
    const reads: { listedAt: string | undefined; ms: number }[] = [];
    const factory: HandlersFactory = (env) => {
      const ddb = dynamoOf(env);
      environments.push(env.instanceIndexTable);
      return {
        tick: async () => {
          await ddb.send(new PutItemCommand({ TableName: env.instanceIndexTable, Item: { cluster: { S: 'prod' }, listedAt: { N: String(env.now().getTime()) } } }));
          return {};
        },
        react: async () => {
          const before = env.now().getTime();
          const out = await ddb.send(new BatchGetItemCommand({ RequestItems: { [env.instanceIndexTable]: { Keys: [{ cluster: { S: 'prod' } }] } } }));
          reads.push({ listedAt: out.Responses?.[env.instanceIndexTable]?.[0]?.listedAt?.N, ms: env.now().getTime() - before });
          return { batchItemFailures: [] };
        },
      };
    };
    const scenario = parseScenario({
      name: 'index',
      seed: 3,
      policy: { clusters: { prod: { providers: { spot: 'spot', od: 'on-demand' } } } },
      clusters: [aCluster()],
      durationSeconds: 120,
      tickSeconds: 3600,
      firstTickSeconds: 0,
      latency: { calls: { BatchGetItem: { minMs: 100, maxMs: 100 } } },
      timeline: [{ at: 60, interrupt: { cluster: 'prod', capacityProvider: 'spot', count: 1 } }],
    });

    // Act
    const result = await runScenario({ scenario, handlers: factory });

    // Assess
    const tick = result.invocations.find((i) => i.kind === 'tick');
    expect(tick?.t).toBeLessThanOrEqual(1);
    expect(environments.length).toBeGreaterThanOrEqual(2);
    expect(new Set(environments)).toEqual(new Set([INSTANCE_INDEX_TABLE_NAME]));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads[0]!.listedAt).toMatch(/^\d+$/);
    expect(reads[0]!.ms).toBe(100);
    expect(result.dynamodb.calls).toMatchObject({ PutItem: 1 });
    expect(result.dynamodb.calls.BatchGetItem).toBe(reads.length);
    expect(result.report.apiCalls.PutItem).toBe(1);
  });
});
