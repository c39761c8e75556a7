import type { ClusterState, Policy } from '@ecs-rebalancer/core';
import {
  FALLBACK_ALARM,
  aCluster,
  aHealthScheduledChange,
  aPolicy,
  aRebalanceRecommendation,
  aSpotWarning,
  anAlarmAction,
  anAlarmStateChange,
  loadEvent,
  someInstances,
} from '@ecs-rebalancer/core/test-support';
import { describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../errors.js';
import {
  FakeAlarms,
  FakeEcs,
  RecordingLog,
  RecordingMetrics,
  RecordingPublisher,
  RecordingQuarantine,
  aQueueRecord,
  serviceArn,
} from '../test-support/fakes.js';
import { handleDirectEvent, handleReactBatch } from './handle-react.js';
import type { ReactDeps } from './handle-react.js';

const NOW = new Date('2024-03-01T12:00:30Z');
// EC2 ids are i- and 8 or 17 hex digits: i-abcd0000 … i-abcd0003.
const instances = someInstances(4, {}, 'abcd');
const arnOf = (ec2InstanceId: string): string => instances.find((i) => i.ec2InstanceId === ec2InstanceId)?.arn as string;

function setup(options: { policy?: Policy; cluster?: ClusterState } = {}) {
  const ecs = new FakeEcs([options.cluster ?? aCluster({ containerInstances: structuredClone(instances) })]);
  const deps = {
    policy: options.policy ?? aPolicy(),
    clusters: ecs,
    alarms: new FakeAlarms({ [FALLBACK_ALARM]: 'OK' }),
    drainer: ecs,
    strategies: ecs,
    decisions: new RecordingPublisher(),
    quarantine: new RecordingQuarantine(),
    metrics: new RecordingMetrics(),
    log: new RecordingLog(),
    clock: () => NOW,
  } satisfies ReactDeps;
  return { ecs, deps };
}

const spot = (instanceId: string, id: string) => aSpotWarning({ instanceId, id });
const failures = (response: { batchItemFailures: { itemIdentifier: string }[] }): string[] =>
  response.batchItemFailures.map((f) => f.itemIdentifier).sort();

describe('handleReactBatch', () => {
  it('drains the instance a Spot warning names, counts the interruption and publishes the decision', async () => {
    // Prepare
    const { ecs, deps } = setup();

    // Act
    const response = await handleReactBatch([aQueueRecord(spot('i-abcd0000', 'e1'), 'm1')], deps);

    // Assess
    expect(failures(response)).toEqual([]);
    expect(ecs.drains).toEqual([{ cluster: 'prod', arns: [arnOf('i-abcd0000')] }]);
    expect(deps.metrics.total('SpotInterruptions', { Cluster: 'prod' })).toBe(1);
    expect(deps.metrics.total('Signals', { Kind: 'spot-interruption' })).toBe(1);
    expect(deps.metrics.total('Actions', { Type: 'drain', Outcome: 'done' })).toBe(1);
    expect(deps.decisions.events.map((e) => [e.action.type, e.outcome, e.dryRun])).toEqual([
      ['drain', 'done', false],
      ['metric', 'done', false],
    ]);
    const line = deps.log.lines.find((l) => l.message === 'record decided');
    expect(line?.attributes).toMatchObject({ messageId: 'm1', eventIds: ['e1'], decision: { actions: [{ type: 'drain', outcome: 'done' }, { type: 'metric' }], retried: false } });
  });

  it('quarantines poison records with their error and acknowledges them while the rest of the batch is drained', async () => {
    // Prepare
    const { ecs, deps } = setup();
    const missingInstance = spot('i-abcd0001', 'e2');
    delete missingInstance['detail']['instance-id'];
    const records = [aQueueRecord(spot('i-abcd0000', 'e1'), 'm1'), aQueueRecord('{not json', 'm2'), aQueueRecord(missingInstance, 'm3')];

    // Act
    const response = await handleReactBatch(records, deps);

    // Assess
    expect(failures(response)).toEqual([]);
    expect(ecs.drains).toEqual([{ cluster: 'prod', arns: [arnOf('i-abcd0000')] }]);
    expect(deps.quarantine.sent.map((q) => [q.record.messageId, q.error.name, q.error.path])).toEqual([
      ['m2', 'MalformedEventError', ''],
      ['m3', 'MalformedEventError', 'detail.instance-id'],
    ]);
    expect(deps.quarantine.sent[0]?.record.body).toBe('{not json');
    expect(deps.metrics.total('Quarantined')).toBe(2);
  });

  it('delivers a poison record again when the quarantine itself fails, so it is never lost', async () => {
    const { deps } = setup();
    deps.quarantine.error = new RetryableError('quarantining message m2: ThrottlingException');

    const response = await handleReactBatch([aQueueRecord(spot('i-abcd0000', 'e1'), 'm1'), aQueueRecord('[', 'm2')], deps);

    expect(failures(response)).toEqual(['m2']);
  });

  it('reports only the record whose drain failed for a passing reason', async () => {
    // Prepare
    const { ecs, deps } = setup();
    ecs.drainError = (arn) => (arn === arnOf('i-abcd0001') ? new RetryableError('draining 2 container instances in prod: ThrottlingException: Rate exceeded', { code: 'ThrottlingException' }) : undefined);

    // Act
    const response = await handleReactBatch([aQueueRecord(spot('i-abcd0000', 'e1'), 'm1'), aQueueRecord(spot('i-abcd0001', 'e2'), 'm2')], deps);

    // Assess
    expect(failures(response)).toEqual(['m2']);
    expect(deps.decisions.events.find((e) => e.action.type === 'drain')?.outcome).toBe('partial');
    expect(ecs.clusters[0]?.containerInstances.find((i) => i.ec2InstanceId === 'i-abcd0000')?.status).toBe('DRAINING');
  });

  it('retries a record of several instances when one of them failed for a passing reason', async () => {
    // Scheduled-change drains are discretionary: a guardrail of 1 lets both instances of the event drain.
    const { ecs, deps } = setup({ policy: aPolicy({ guardrails: { maxDrainingFraction: 1 } }) });
    ecs.drainError = (arn) => (arn === arnOf('i-abcd0002') ? new RetryableError('timeout') : undefined);
    const health = aHealthScheduledChange({ id: 'h1', instanceIds: ['i-abcd0002', 'i-abcd0003'] });

    const response = await handleReactBatch([aQueueRecord(health, 'm1'), aQueueRecord(spot('i-abcd0000', 'e1'), 'm2')], deps);

    expect(failures(response)).toEqual(['m1']);
  });

  it('acknowledges a permanent failure and logs it with the reason', async () => {
    const { ecs, deps } = setup();
    ecs.drainError = () => new PermanentError('draining 1 container instances in prod: AccessDeniedException: not authorized');

    const response = await handleReactBatch([aQueueRecord(spot('i-abcd0000', 'e1'), 'm1')], deps);

    expect(failures(response)).toEqual([]);
    const line = deps.log.lines.find((l) => l.message === 'record decided');
    expect(JSON.stringify(line?.attributes)).toContain('AccessDeniedException');
    expect(deps.metrics.total('Actions', { Type: 'drain', Outcome: 'failed' })).toBe(1);
  });

  it('delivers every parsable record again when the state cannot be loaded for a passing reason', async () => {
    const { ecs, deps } = setup();
    ecs.loadError = new RetryableError('describing 1 services in prod: ThrottlingException');

    const response = await handleReactBatch([aQueueRecord(spot('i-abcd0000', 'e1'), 'm1'), aQueueRecord(spot('i-abcd0001', 'e2'), 'm2'), aQueueRecord('x', 'm3')], deps);

    expect(failures(response)).toEqual(['m1', 'm2']);
    expect(deps.quarantine.sent.map((q) => q.record.messageId)).toEqual(['m3']);
    expect(ecs.drains).toEqual([]);
  });

  it('quarantines the parsable records with the error when the state cannot be loaded for good', async () => {
    const { ecs, deps } = setup();
    ecs.loadError = new PermanentError('listing services in prod: AccessDeniedException');

    const response = await handleReactBatch([aQueueRecord(spot('i-abcd0000', 'e1'), 'm1')], deps);

    expect(failures(response)).toEqual([]);
    expect(deps.quarantine.sent.map((q) => [q.record.messageId, q.error.message])).toEqual([['m1', 'listing services in prod: AccessDeniedException']]);
  });

  it('falls back every Spot-weighted service when the fallback alarm goes to ALARM, keeping the baseline', async () => {
    // Prepare
    const { ecs, deps } = setup();
    const alarm = anAlarmStateChange({ id: 'a1', alarmName: FALLBACK_ALARM, state: 'ALARM', previousState: 'OK' });

    // Act
    const response = await handleReactBatch([aQueueRecord(alarm, 'm1')], deps);

    // Assess
    expect(failures(response)).toEqual([]);
    expect(ecs.writes).toHaveLength(1);
    const write = ecs.writes[0];
    expect(write?.serviceArn).toBe(serviceArn('prod', 'web'));
    expect(write?.strategy.find((i) => i.capacityProvider === 'spot-arm64')?.weight).toBe(0);
    expect(write?.record.baseline).toEqual(write?.previous.strategy);
    expect(write?.record.applied).toEqual(write?.strategy);
    expect(write?.previous.record).toEqual({ baseline: null, fallbackSince: null, applied: null });
    expect(deps.decisions.events.map((e) => [e.action.type, e.outcome])).toEqual([['set-strategy', 'done']]);
  });

  it('delivers again the record of a strategy change that failed for a passing reason', async () => {
    const { ecs, deps } = setup();
    ecs.writeError = new RetryableError('changing the capacity provider strategy of web in prod: ThrottlingException');

    const response = await handleReactBatch([aQueueRecord(anAlarmStateChange({ id: 'a1', alarmName: FALLBACK_ALARM, state: 'ALARM' }), 'm1')], deps);

    expect(failures(response)).toEqual(['m1']);
  });

  it('changes nothing under dryRun but decides and publishes everything with dryRun true', async () => {
    // Prepare
    const { ecs, deps } = setup({ policy: aPolicy({ dryRun: true }) });
    const records = [aQueueRecord(spot('i-abcd0000', 'e1'), 'm1'), aQueueRecord(anAlarmStateChange({ id: 'a1', alarmName: FALLBACK_ALARM, state: 'ALARM' }), 'm2')];

    // Act
    const response = await handleReactBatch(records, deps);

    // Assess
    expect(failures(response)).toEqual([]);
    expect(ecs.drains).toEqual([]);
    expect(ecs.writes).toEqual([]);
    expect(deps.decisions.events.map((e) => [e.action.type, e.outcome, e.dryRun])).toEqual([
      ['drain', 'dry-run', true],
      ['set-strategy', 'dry-run', true],
      ['metric', 'dry-run', true],
    ]);
  });

  it('changes nothing twice for a duplicate message, in the same batch or a later one', async () => {
    // Prepare
    const { ecs, deps } = setup();
    const warning = spot('i-abcd0000', 'e1');
    const alarm = anAlarmStateChange({ id: 'a1', alarmName: FALLBACK_ALARM, state: 'ALARM' });

    // Act
    const first = await handleReactBatch([aQueueRecord(warning, 'm1'), aQueueRecord(warning, 'm1-dup'), aQueueRecord(alarm, 'm2')], deps);
    const second = await handleReactBatch([aQueueRecord(warning, 'm3'), aQueueRecord(alarm, 'm4')], deps);

    // Assess
    expect(failures(first)).toEqual([]);
    expect(failures(second)).toEqual([]);
    expect(ecs.drains).toEqual([{ cluster: 'prod', arns: [arnOf('i-abcd0000')] }]);
    expect(ecs.writes).toHaveLength(1);
    const again = deps.log.lines.filter((l) => l.message === 'record decided' && l.attributes['messageId'] === 'm3');
    expect(JSON.stringify(again[0]?.attributes)).toContain('already DRAINING');
  });

  it('acknowledges and counts a well-formed event it does not act on', async () => {
    const { ecs, deps } = setup();
    const unknown = { ...loadEvent('ec2-spot-instance-interruption-warning'), source: 'aws.example', 'detail-type': 'Something Else', id: 'u1' };

    const response = await handleReactBatch([aQueueRecord(unknown, 'm1')], deps);

    expect(failures(response)).toEqual([]);
    expect(deps.metrics.total('Signals', { Kind: 'ignored' })).toBe(1);
    expect(ecs.loads).toEqual([]);
    const line = deps.log.lines.find((l) => l.message === 'record decided');
    expect(line?.attributes).toMatchObject({ eventIds: ['u1'], decision: { actions: [], skipped: [expect.stringContaining('aws.example')] } });
  });

  it('asks for the whole-provider counts only when a rebalance recommendation needs the draining guardrail', async () => {
    const { ecs, deps } = setup();

    await handleReactBatch([aQueueRecord(spot('i-abcd0000', 'e1'), 'm1')], deps);
    await handleReactBatch([aQueueRecord(aRebalanceRecommendation({ instanceId: 'i-abcd0001', id: 'r1' }), 'm2')], deps);

    expect(ecs.loads.map((requests) => requests[0]?.guardrail)).toEqual([false, true]);
  });

  it('measures how long the oldest record waited in the queue', async () => {
    const { deps } = setup();

    await handleReactBatch([aQueueRecord(spot('i-abcd0000', 'e1'), 'm1', NOW.getTime() - 5_000)], deps);

    expect(deps.metrics.values.find((v) => v.name === 'QueueAge')?.value).toBe(5_000);
  });
});

describe('handleDirectEvent (an alarm action invokes the function, no queue)', () => {
  const alarmAction = () => anAlarmAction({ alarmName: FALLBACK_ALARM, state: 'ALARM', previousState: 'OK', account: '123456789012' });

  it('falls back on the fallback alarm going to ALARM, as the queued event would', async () => {
    // Prepare
    const { ecs, deps } = setup();

    // Act
    await handleDirectEvent(alarmAction(), deps);

    // Assess
    expect(ecs.writes.map((w) => [w.service, w.strategy.find((i) => i.capacityProvider === 'spot-arm64')?.weight])).toEqual([['web', 0]]);
    expect(deps.decisions.events.map((e) => [e.action.type, e.outcome])).toEqual([['set-strategy', 'done']]);
    expect(deps.metrics.total('Signals', { Kind: 'alarm' })).toBe(1);
    const line = deps.log.lines.find((l) => l.message === 'record decided');
    expect(line?.attributes).toMatchObject({ eventIds: [expect.stringContaining(`alarm:${FALLBACK_ALARM}@`)], decision: { retried: false } });
  });

  it('rejects a malformed payload, for Lambda to retry and keep, without touching ECS', async () => {
    const { ecs, deps } = setup();
    const broken = alarmAction();
    delete broken['alarmData']['state'];

    await expect(handleDirectEvent(broken, deps)).rejects.toMatchObject({ name: 'MalformedEventError', path: expect.stringContaining('alarmData.state') });
    expect(ecs.loads).toEqual([]);
    expect(deps.quarantine.sent).toEqual([]);
  });

  it.each([
    { name: 'the state cannot be loaded for a passing reason', fail: (ecs: FakeEcs) => (ecs.loadError = new RetryableError('describing 1 services in prod: ThrottlingException')), error: RetryableError },
    { name: 'the state cannot be loaded for good', fail: (ecs: FakeEcs) => (ecs.loadError = new PermanentError('listing services in prod: AccessDeniedException')), error: PermanentError },
    { name: 'the change failed for a passing reason', fail: (ecs: FakeEcs) => (ecs.writeError = new RetryableError('changing the capacity provider strategy of web in prod: ThrottlingException')), error: RetryableError },
  ])('rejects when $name, for Lambda to invoke it again', async ({ fail, error }) => {
    const { ecs, deps } = setup();
    fail(ecs);

    await expect(handleDirectEvent(alarmAction(), deps)).rejects.toBeInstanceOf(error);
  });

  it('resolves when the change failed for good: it is logged with its reason, as for a queued record', async () => {
    const { ecs, deps } = setup();
    ecs.writeError = new PermanentError('changing the capacity provider strategy of web in prod: AccessDeniedException');

    await handleDirectEvent(alarmAction(), deps);

    expect(deps.decisions.events.map((e) => [e.action.type, e.outcome])).toEqual([['set-strategy', 'failed']]);
  });
});
