import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DrainAction } from '@ecs-rebalancer/core';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DecisionEvent } from '../ports.js';
import { EventBridgeDecisionPublisher } from './eventbridge-decision-publisher.js';

const eventBridge = mockClient(EventBridgeClient);
const publisher = new EventBridgeDecisionPublisher(new EventBridgeClient({ region: 'us-east-1' }), { eventBus: 'rebalancer', sleep: async () => {} });

const aDecision = (n: number): DecisionEvent => ({
  action: { type: 'drain', cluster: 'prod', containerInstances: [`arn:ci/${n}`], ec2InstanceIds: [`i-${n}`], reason: 'spot-interruption', eventIds: [`e${n}`] } satisfies DrainAction,
  outcome: 'done',
  dryRun: false,
  time: '2024-03-01T12:00:00.000Z',
});
const decisions = (count: number): DecisionEvent[] => Array.from({ length: count }, (_, i) => aDecision(i));

beforeEach(() => eventBridge.reset());

describe('EventBridgeDecisionPublisher', () => {
  it('publishes one Rebalancer Decision per action, 10 entries per call', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'x' })) }));

    const result = await publisher.publish(decisions(25));

    expect(result).toEqual({ published: 25, failed: [] });
    const calls = eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
    expect(calls.map((entries) => entries.length)).toEqual([10, 10, 5]);
    expect(calls[0]?.[0]).toMatchObject({ Source: 'ecs-rebalancer', DetailType: 'Rebalancer Decision', EventBusName: 'rebalancer' });
    expect(JSON.parse(calls[0]?.[0]?.Detail ?? '{}')).toEqual(aDecision(0));
  });

  it('sends again the entries rejected for a passing reason, and returns those rejected for good', async () => {
    // Prepare
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }, { ErrorCode: 'MalformedDetail', ErrorMessage: 'bad' }],
      })
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }] });

    // Act
    const result = await publisher.publish(decisions(3));

    // Assess
    expect(result.published).toBe(2);
    expect(result.failed.map((f) => [f.event.action.eventIds, f.reason])).toEqual([[['e2'], 'MalformedDetail: bad']]);
    expect(eventBridge.commandCalls(PutEventsCommand)[1]?.args[0].input.Entries).toHaveLength(1);
  });

  it('returns the events of a call that failed instead of throwing', async () => {
    eventBridge.on(PutEventsCommand).rejects(Object.assign(new Error('down'), { name: 'InternalException', $fault: 'server', $metadata: { httpStatusCode: 500 } }));

    const result = await publisher.publish(decisions(2));

    expect(result.published).toBe(0);
    expect(result.failed.map((f) => f.reason)).toEqual(Array(2).fill('publishing 2 decision events to rebalancer: InternalException: down'));
  });
});
