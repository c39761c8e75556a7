import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DrainAction } from '@ecs-rebalancer/core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DecisionEvent } from '../ports.js';
import { capturingHandler, RecordingSignedClient, signedClientOn, TEST_CREDENTIALS, wireOf } from '../test-support/signed-clients.js';
import { EventBridgeDecisionPublisher } from './eventbridge-decision-publisher.js';
import { EVENTBRIDGE_SERVICE } from './signed-request.js';

const eventBridge = new RecordingSignedClient(EVENTBRIDGE_SERVICE);
const publisher = new EventBridgeDecisionPublisher(eventBridge, { eventBus: 'rebalancer', sleep: async () => {} });

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
    eventBridge.on('PutEvents', (input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'x' })) }));

    const result = await publisher.publish(decisions(25));

    expect(result).toEqual({ published: 25, failed: [] });
    const calls = eventBridge.inputsOf('PutEvents').map((c: { Entries: { Detail: string }[] }) => c.Entries);
    expect(calls.map((entries) => entries.length)).toEqual([10, 10, 5]);
    expect(calls[0]?.[0]).toMatchObject({ Source: 'ecs-rebalancer', DetailType: 'Rebalancer Decision', EventBusName: 'rebalancer' });
    expect(JSON.parse(calls[0]?.[0]?.Detail ?? '{}')).toEqual(aDecision(0));
  });

  it('sends again the entries rejected for a passing reason, and returns those rejected for good', async () => {
    // Prepare
    eventBridge.on(
      'PutEvents',
      { FailedEntryCount: 2, Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }, { ErrorCode: 'MalformedDetail', ErrorMessage: 'bad' }] },
      { FailedEntryCount: 0, Entries: [{ EventId: 'b' }] },
    );

    // Act
    const result = await publisher.publish(decisions(3));

    // Assess
    expect(result.published).toBe(2);
    expect(result.failed.map((f) => [f.event.action.eventIds, f.reason])).toEqual([[['e2'], 'MalformedDetail: bad']]);
    expect(eventBridge.inputsOf('PutEvents')[1]?.Entries).toHaveLength(1);
  });

  it('returns the events of a call that failed instead of throwing', async () => {
    eventBridge.on('PutEvents', Object.assign(new Error('down'), { name: 'InternalException', $fault: 'server', $metadata: { httpStatusCode: 500 } }));

    const result = await publisher.publish(decisions(2));

    expect(result.published).toBe(0);
    expect(result.failed.map((f) => f.reason)).toEqual(Array(2).fill('publishing 2 decision events to rebalancer: InternalException: down'));
  });

  it('sends what client-eventbridge sends for the same entries: target, content type, host, signing name and body', async () => {
    // Prepare
    const oracle = capturingHandler({ status: 200, body: { FailedEntryCount: 0, Entries: [{ EventId: 'a' }] } });
    const ours = capturingHandler({ status: 200, body: { FailedEntryCount: 0, Entries: [{ EventId: 'a' }] } });
    const sdk = new EventBridgeClient({ region: 'us-east-1', credentials: TEST_CREDENTIALS, requestHandler: oracle.handler as never });
    const event = aDecision(7);

    // Act
    await new EventBridgeDecisionPublisher(signedClientOn(EVENTBRIDGE_SERVICE, ours.handler), { eventBus: 'rebalancer' }).publish([event]);
    await sdk.send(new PutEventsCommand({ Entries: [{ Source: 'ecs-rebalancer', DetailType: 'Rebalancer Decision', EventBusName: 'rebalancer', Time: new Date(event.time), Detail: JSON.stringify(event) }] }));

    // Assess
    expect(wireOf(ours.requests[0])).toEqual(wireOf(oracle.requests[0]));
    expect(wireOf(ours.requests[0])).toMatchObject({ host: 'events.us-east-1.amazonaws.com', target: 'AWSEvents.PutEvents', scope: 'us-east-1/events/aws4_request' });
  });
});
