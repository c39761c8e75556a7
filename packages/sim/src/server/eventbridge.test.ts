import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../model/simulation.js';
import { aCluster } from '../test-support/builders.js';
import { startSimServer, type SimServer } from './server.js';

let server: SimServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(): Promise<{ sim: Simulation; eb: EventBridgeClient; endpoint: string }> {
  const sim = createSimulation({ clusters: [aCluster()] });
  server = await startSimServer(sim);
  const eb = new EventBridgeClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  return { sim, eb, endpoint: server.endpoint };
}

describe('EventBridge PutEvents over the wire', () => {
  it('collects decision events and fails bad entries one by one', async () => {
    // Prepare
    const { sim, eb } = await start();
    const seen: string[] = [];
    sim.decisionEvents.subscribe((e) => seen.push(e.detailType));

    // Act
    const out = await eb.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'ecs-rebalancer', DetailType: 'Drain Planned', Detail: JSON.stringify({ cluster: 'prod' }), Resources: ['arn:aws:ecs:us-east-1:123456789012:cluster/prod'] },
          { Source: 'ecs-rebalancer', DetailType: 'Broken', Detail: '{not json' },
          { Source: 'ecs-rebalancer', Detail: '{}' },
        ],
      }),
    );

    // Assess
    expect(out.FailedEntryCount).toBe(2);
    expect(out.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual(['ok', 'MalformedDetail', 'InvalidArgument']);
    expect(sim.decisionEvents.items).toEqual([
      {
        eventId: out.Entries?.[0]?.EventId,
        time: '2025-01-01T00:00:00.000Z',
        source: 'ecs-rebalancer',
        detailType: 'Drain Planned',
        detail: { cluster: 'prod' },
        resources: ['arn:aws:ecs:us-east-1:123456789012:cluster/prod'],
        eventBusName: 'default',
      },
    ]);
    expect(seen).toEqual(['Drain Planned']);
  });

  it('rejects more than 10 entries with ValidationException', async () => {
    const { eb } = await start();
    const entries = Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' }));
    const error = await eb.send(new PutEventsCommand({ Entries: entries })).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'ValidationException' });
  });

  it('answers requests without a known X-Amz-Target with an error, not a crash', async () => {
    const { endpoint } = await start();
    const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=DescribeAlarms' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});
