// The react path under the findings of issue 9, with fakes of the ports: drains retried
// against their deadline, records isolated from each other, the kill switch, deferred drains
// re-presented, quarantine failures classified.
import { parseEvent } from '@ecs-rebalancer/core';
import type { LoadRequest, Policy, Signal } from '@ecs-rebalancer/core';
import { FALLBACK_ALARM, aCluster, aHealthScheduledChange, aPlacementFailure, aPolicy, aRebalanceRecommendation, aSpotWarning, someInstances } from '@ecs-rebalancer/core/test-support';
import { describe, expect, it } from 'vitest';
import { fixedKillSwitch } from '../adapters/ssm-kill-switch.js';
import { PermanentError, RetryableError } from '../errors.js';
import type { ClusterSnapshot, SwitchMode } from '../ports.js';
import {
  FakeAlarms,
  FakeEcs,
  RecordingLog,
  RecordingMetrics,
  RecordingPublisher,
  RecordingQuarantine,
  RecordingRedelivery,
  aQueueRecord,
  virtualTime,
} from '../test-support/fakes.js';
import { URGENT_RETRY_SECONDS } from './redeliver.js';
import { decideInIsolation } from './decide-in-isolation.js';
import { handleReactBatch } from './handle-react.js';
import type { ReactDeps } from './handle-react.js';

const WARNED_AT = '2024-03-01T12:00:00Z';
const instances = someInstances(6, {}, 'abcd');
const arnOf = (id: string): string => instances.find((i) => i.ec2InstanceId === id)!.arn;
const throttled = (): RetryableError => new RetryableError('Rate exceeded', { code: 'ThrottlingException' });

function setup(options: { policy?: Policy; mode?: SwitchMode } = {}) {
  const ecs = new FakeEcs([aCluster({ containerInstances: structuredClone(instances) })]);
  const time = virtualTime(new Date('2024-03-01T12:00:05Z'));
  const redelivery = new RecordingRedelivery();
  const deps = {
    policy: options.policy ?? aPolicy(),
    clusters: ecs as FakeEcs & { load: (r: readonly LoadRequest[]) => Promise<ClusterSnapshot[]> },
    alarms: new FakeAlarms({ [FALLBACK_ALARM]: 'OK' }),
    drainer: ecs,
    strategies: ecs,
    decisions: new RecordingPublisher(),
    quarantine: new RecordingQuarantine(),
    metrics: new RecordingMetrics(),
    log: new RecordingLog(),
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
    redelivery,
    maxReceiveCount: 5,
    ...(options.mode ? { killSwitch: fixedKillSwitch(options.mode, 'ssm:/test/kill-switch') } : {}),
  } satisfies ReactDeps;
  return { ecs, deps, time, redelivery };
}

const spot = (n: number, id = `e${n}`) => aQueueRecord(aSpotWarning({ instanceId: instances[n]!.ec2InstanceId, id, time: WARNED_AT }), `m${n}`);
const failures = (r: { batchItemFailures: { itemIdentifier: string }[] }): string[] => r.batchItemFailures.map((f) => f.itemIdentifier).sort();

describe('interruption drains against their deadline (finding 1)', () => {
  it('a drain throttled on its first three attempts is retried inside the invocation and done: nothing waits for the visibility timeout', async () => {
    const { ecs, deps, time } = setup();
    let calls = 0;
    ecs.drainError = () => (++calls <= 3 ? throttled() : undefined);

    const response = await handleReactBatch([spot(0)], deps);

    expect(failures(response)).toEqual([]);
    expect(ecs.clusters[0]!.containerInstances[0]!.status).toBe('DRAINING');
    expect(time.slept).toHaveLength(3);
    expect(time.clock().getTime()).toBeLessThan(Date.parse(WARNED_AT) + 120_000);
  });

  it('a load that answers 500 is retried inside the invocation too', async () => {
    const { ecs, deps } = setup();
    let loads = 0;
    const load = ecs.load.bind(ecs);
    ecs.load = async (r) => (++loads <= 2 ? Promise.reject(new RetryableError('describing container instances: 500')) : load(r));

    const response = await handleReactBatch([spot(0)], deps);

    expect(failures(response)).toEqual([]);
    expect(ecs.clusters[0]!.containerInstances[0]!.status).toBe('DRAINING');
  });

  it('a drain that keeps failing stops at the deadline, comes back in seconds, and is counted as missed', async () => {
    const { ecs, deps, redelivery, time } = setup();
    ecs.drainError = () => throttled();
    time.advance(110_000);

    const response = await handleReactBatch([spot(0)], deps);

    expect(failures(response)).toEqual(['m0']);
    expect(redelivery.secondsFor('m0')).toBe(URGENT_RETRY_SECONDS);
    expect(deps.metrics.total('DrainDeadlineMissed', { Function: 'react' })).toBe(1);
    expect(time.clock().getTime()).toBeGreaterThanOrEqual(Date.parse(WARNED_AT) + 120_000 - 5_000);
  });

  it('only the failing record is retried; the others of the batch are not drained again', async () => {
    const { ecs, deps } = setup();
    ecs.drainError = (arn) => (arn === arnOf(instances[1]!.ec2InstanceId) ? throttled() : undefined);
    const response = await handleReactBatch([spot(0), spot(1), spot(2)], deps);
    expect(failures(response)).toEqual(['m1']);
    const drainedAgain = ecs.drains.slice(1).flatMap((d) => d.arns);
    expect(drainedAgain.every((a) => a === arnOf(instances[1]!.ec2InstanceId))).toBe(true);
  });
});

describe('isolation (finding 5)', () => {
  it.each(['constructor', '__proto__', 'toString'])('an event about a cluster named %s does not quarantine the Spot warning beside it', async (name) => {
    const { ecs, deps } = setup();
    const odd = aQueueRecord(aPlacementFailure({ cluster: name, service: 'web', capacityProviders: ['spot-arm64'] }), 'odd');

    const response = await handleReactBatch([odd, spot(0)], deps);

    expect(ecs.clusters[0]!.containerInstances[0]!.status).toBe('DRAINING');
    expect(deps.quarantine.sent.map((s) => s.record.messageId)).not.toContain('m0');
    expect(failures(response)).not.toContain('m0');
  });

  it('a load that fails for good is confined to the record that caused it', async () => {
    const { ecs, deps } = setup();
    const load = ecs.load.bind(ecs);
    ecs.load = async (r) => (r.some((q) => q.ec2InstanceIds.includes(instances[3]!.ec2InstanceId)) ? Promise.reject(new PermanentError('AccessDenied')) : load(r));

    const response = await handleReactBatch([spot(0), spot(1), spot(3), spot(4)], deps);

    expect(failures(response)).toEqual([]);
    expect(deps.quarantine.sent.map((s) => s.record.messageId)).toEqual(['m3']);
    expect(ecs.clusters[0]!.containerInstances.filter((i) => i.status === 'DRAINING').map((i) => i.ec2InstanceId)).toEqual([0, 1, 4].map((n) => instances[n]!.ec2InstanceId));
  });
});

describe('a decision that throws is confined by the core (decideBatch)', () => {
  it('fails only the record whose signal throws, without loading the batch again', async () => {
    // Prepare: a signal the parsers never produce (no capacityProviders list), beside a Spot warning
    const { ecs, deps } = setup();
    const loads: LoadRequest[][] = [];
    const load = ecs.load.bind(ecs);
    ecs.load = async (r) => (loads.push([...r]), load(r));
    const poisoned = { kind: 'placement-failure', eventId: 'poison', time: WARNED_AT, cluster: 'prod', service: 'web' } as unknown as Signal;
    const warning = parseEvent(aSpotWarning({ instanceId: instances[0]!.ec2InstanceId, id: 'e0', time: WARNED_AT }));

    // Act
    const outcome = await decideInIsolation([{ id: 'm0', signals: warning }, { id: 'odd', signals: [poisoned] }], deps, { now: deps.clock(), dryRun: false });

    // Assess: one load (no halves), the warning drained, only the odd record failed at decide
    expect(loads).toHaveLength(1);
    expect([...outcome.failed].map(([id, f]) => [id, f.stage])).toEqual([['odd', 'decide']]);
    expect(outcome.retry.size).toBe(0);
    expect(ecs.clusters[0]!.containerInstances[0]!.status).toBe('DRAINING');
  });
});

describe('quarantine failures are classified (finding 10)', () => {
  it.each([
    ['permanent', new PermanentError('AccessDenied')],
    ['retryable', new RetryableError('ThrottlingException')],
  ] as const)('a %s quarantine failure leaves the record to the redrive policy and says which', async (kind, error) => {
    const { deps } = setup();
    deps.quarantine.send = async () => Promise.reject(error);

    const response = await handleReactBatch([aQueueRecord('not json', 'poison')], deps);

    expect(failures(response)).toEqual(['poison']);
    expect(deps.metrics.total('QuarantineFailed', { Class: kind })).toBe(1);
    expect(deps.log.lines.find((l) => l.attributes['quarantineFailure'])?.attributes['quarantineFailure']).toBe(kind);
  });
});

describe('the kill switch (finding 12)', () => {
  it('paused: nothing is drained or changed, no metric drives an alarm, every record is acknowledged and says paused', async () => {
    const { ecs, deps } = setup({ mode: 'paused' });

    const response = await handleReactBatch([spot(0), spot(1)], deps);

    expect(failures(response)).toEqual([]);
    expect(ecs.drains).toEqual([]);
    expect(deps.metrics.total('SpotInterruptions')).toBe(0);
    const decided = deps.log.lines.filter((l) => l.message === 'record decided');
    expect(decided).toHaveLength(2);
    for (const line of decided) expect(JSON.stringify(line.attributes['decision'])).toContain('paused by the kill switch (ssm:/test/kill-switch)');
    expect(deps.decisions.events.every((e) => e.outcome === 'paused')).toBe(true);
  });

  it('dry-run: nothing is drained and the SpotInterruptions metric is not emitted', async () => {
    const { ecs, deps } = setup({ mode: 'dry-run' });
    await handleReactBatch([spot(0)], deps);
    expect(ecs.drains).toEqual([]);
    expect(deps.metrics.total('SpotInterruptions')).toBe(0);
    expect(deps.decisions.events.map((e) => [e.action.type, e.outcome])).toEqual([
      ['drain', 'dry-run'],
      ['metric', 'dry-run'],
    ]);
  });

  it('the policy dryRun does not emit SpotInterruptions either', async () => {
    const { deps } = setup({ policy: aPolicy({ dryRun: true }) });
    await handleReactBatch([spot(0)], deps);
    expect(deps.metrics.total('SpotInterruptions')).toBe(0);
  });
});

describe('deferred drains come back without another event', () => {
  it('a rebalance recommendation deferred by the guardrail is re-presented by its visibility', async () => {
    // Prepare: 1 of 6 already DRAINING, maxDrainingFraction 0.4: one more is 2/6, a second 3/6.
    const { ecs, deps, redelivery } = setup({ policy: aPolicy({ guardrails: { maxDrainingFraction: 0.4 } }) });
    ecs.clusters[0]!.containerInstances[5]!.status = 'DRAINING';
    const records = [1, 2].map((n) => aQueueRecord(aRebalanceRecommendation({ instanceId: instances[n]!.ec2InstanceId, id: `r${n}`, time: WARNED_AT }), `r${n}`));

    const response = await handleReactBatch(records, deps);

    expect(failures(response)).toEqual(['r2']);
    expect(redelivery.secondsFor('r2')).toBe(60);
  });

  it('a scheduled change not yet within drainBeforeSeconds comes back when the core says it is due (plan.deferred)', async () => {
    // Prepare: the sample's start is 2016-06-05T15:10:09Z; drained from an hour before it
    const { deps, redelivery } = setup({ policy: aPolicy({ guardrails: { maxDrainingFraction: 1 } }) });
    const time = virtualTime(new Date('2016-06-05T06:28:00Z'));
    const health = aQueueRecord(aHealthScheduledChange({ id: 'h1', instanceIds: [instances[2]!.ec2InstanceId] }), 'h1');

    // Act
    const response = await handleReactBatch([health], { ...deps, clock: time.clock, sleep: time.sleep });

    // Assess: 14:10:09 − 06:28:00 = 27,729 s
    expect(failures(response)).toEqual(['h1']);
    expect(redelivery.secondsFor('h1')).toBe(27_729);
  });

  it.each([
    // Two days ahead: held 12 h at a time (4 re-decisions), not sent afresh every 15 min (192).
    ['first receive, 2 days ahead', '1', { visibility: 12 * 3600 - 60, requeued: [] as number[] }],
    // The 4th of 5 receives: the next would go to the DLQ, so a fresh copy (receive count 1) is sent.
    ['4th of 5 receives', '4', { visibility: undefined, requeued: [900] }],
  ] as const)('a scheduled change 2 days ahead, %s', async (_name, receives, expected) => {
    // Prepare: the sample's start is 2016-06-05T15:10:09Z; the clock 2 days before it
    const { deps, redelivery } = setup({ policy: aPolicy({ guardrails: { maxDrainingFraction: 1 } }) });
    const time = virtualTime(new Date('2016-06-03T14:10:09Z'));
    const record = aQueueRecord(aHealthScheduledChange({ id: 'h1', instanceIds: [instances[2]!.ec2InstanceId] }), 'h1');
    record.attributes = { ...record.attributes, ApproximateReceiveCount: receives };

    // Act
    const response = await handleReactBatch([record], { ...deps, clock: time.clock, sleep: time.sleep });

    // Assess
    expect(failures(response)).toEqual(expected.requeued.length > 0 ? [] : ['h1']);
    expect(redelivery.secondsFor('h1')).toBe(expected.visibility);
    expect(redelivery.requeued.map((r) => r.delaySeconds)).toEqual(expected.requeued);
  });
});
