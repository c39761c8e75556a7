import type { Policy, ServiceState } from '@ecs-rebalancer/core';
import { FALLBACK_ALARM, aCluster, aPolicy, aScheduledEvent, aService, aStrategy } from '@ecs-rebalancer/core/test-support';
import { MalformedEventError } from '@ecs-rebalancer/core';
import { describe, expect, it } from 'vitest';
import { RetryableError } from '../errors.js';
import { FakeAlarms, FakeEcs, RecordingLog, RecordingMetrics, RecordingPublisher } from '../test-support/fakes.js';
import { handleTick } from './handle-tick.js';
import type { TickDeps } from './handle-tick.js';

const NOW = new Date('2024-03-01T12:05:00Z');
const FALLEN_BACK = aStrategy(0, 4, 2);

function setup(options: { service?: Partial<ServiceState>; alarm?: 'OK' | 'ALARM'; policy?: Policy } = {}) {
  const ecs = new FakeEcs([aCluster({ services: [aService(options.service)] })]);
  const deps = {
    policy: options.policy ?? aPolicy(),
    clusters: ecs,
    alarms: new FakeAlarms({ [FALLBACK_ALARM]: options.alarm ?? 'OK' }),
    strategies: ecs,
    decisions: new RecordingPublisher(),
    metrics: new RecordingMetrics(),
    log: new RecordingLog(),
    clock: () => NOW,
  } satisfies TickDeps;
  return { ecs, deps };
}

const fallenBackAt = (since: string): Partial<ServiceState> => ({ strategy: FALLEN_BACK, baseline: aStrategy(), fallbackSince: since, applied: FALLEN_BACK });

describe('handleTick', () => {
  it('restores exactly the baseline when the fallback is due and its alarm is OK, clearing the record', async () => {
    // Prepare
    const { ecs, deps } = setup({ service: fallenBackAt('2024-03-01T11:00:00Z') });

    // Act
    const result = await handleTick(aScheduledEvent({ time: NOW.toISOString() }), deps);

    // Assess
    expect(result).toMatchObject({ actions: 1, failed: 0, drift: [] });
    expect(ecs.loads[0]?.[0]).toMatchObject({ cluster: 'prod', alarms: [FALLBACK_ALARM] });
    expect(ecs.writes.map((w) => [w.strategy, w.record])).toEqual([[aStrategy(), { baseline: null, fallbackSince: null, applied: aStrategy() }]]);
    expect(deps.decisions.events.map((e) => [e.action.type, e.outcome, e.dryRun])).toEqual([['set-strategy', 'done', false]]);
  });

  it('only clears the record of a service that already runs its baseline, without redeploying it', async () => {
    // Prepare
    const { ecs, deps } = setup({ service: { strategy: aStrategy(), baseline: aStrategy(), fallbackSince: '2024-03-01T11:00:00Z', applied: FALLEN_BACK } });

    // Act
    const result = await handleTick(aScheduledEvent({ time: NOW.toISOString() }), deps);

    // Assess
    expect(result.failed).toBe(0);
    expect(ecs.writes).toEqual([]);
    expect(ecs.clears.map((c) => [c.service, c.strategy])).toEqual([['web', aStrategy()]]);
    expect(ecs.clusters[0]?.services[0]).toMatchObject({ baseline: null, fallbackSince: null, applied: aStrategy() });
    expect(deps.decisions.events.map((e) => [e.action.type, e.outcome])).toEqual([['clear-record', 'done']]);
  });

  it.each([
    { name: 'the alarm is still ALARM', since: '2024-03-01T11:00:00Z', alarm: 'ALARM' as const },
    { name: 'minSeconds have not passed', since: '2024-03-01T12:00:00Z', alarm: 'OK' as const },
  ])('restores nothing while $name', async ({ since, alarm }) => {
    const { ecs, deps } = setup({ service: fallenBackAt(since), alarm });

    const result = await handleTick(aScheduledEvent({ time: NOW.toISOString() }), deps);

    expect(result.actions).toBe(0);
    expect(ecs.writes).toEqual([]);
  });

  it('reports a service whose strategy someone changed by hand as drift, and changes nothing', async () => {
    // Prepare
    const { ecs, deps } = setup({ service: { strategy: aStrategy(1, 1, 2), applied: aStrategy() } });

    // Act
    const result = await handleTick(aScheduledEvent({ time: NOW.toISOString() }), deps);

    // Assess
    expect(result.drift).toEqual([{ cluster: 'prod', service: 'web', expected: aStrategy(), actual: aStrategy(1, 1, 2) }]);
    expect(ecs.writes).toEqual([]);
    expect(deps.metrics.total('Drift', { Cluster: 'prod' })).toBe(1);
    expect(deps.log.lines.find((l) => l.attributes['decision'] === 'drift')?.attributes).toMatchObject({ service: 'web' });
  });

  it('changes nothing under dryRun but publishes the restore with dryRun true', async () => {
    const { ecs, deps } = setup({ service: fallenBackAt('2024-03-01T11:00:00Z'), policy: aPolicy({ dryRun: true }) });

    await handleTick(aScheduledEvent({ time: NOW.toISOString() }), deps);

    expect(ecs.writes).toEqual([]);
    expect(deps.decisions.events.map((e) => [e.action.type, e.outcome, e.dryRun])).toEqual([['set-strategy', 'dry-run', true]]);
  });

  it('reports a restore that failed for a passing reason; the next tick decides again', async () => {
    const { ecs, deps } = setup({ service: fallenBackAt('2024-03-01T11:00:00Z') });
    ecs.writeError = new RetryableError('changing the capacity provider strategy of web in prod: ThrottlingException');

    const first = await handleTick(aScheduledEvent({ time: NOW.toISOString() }), deps);
    ecs.writeError = undefined;
    const second = await handleTick(aScheduledEvent({ id: 'tick-2', time: NOW.toISOString() }), deps);

    expect([first.failed, second.failed]).toEqual([1, 0]);
    expect(ecs.clusters[0]?.services[0]?.strategy).toEqual(aStrategy());
  });

  it('rejects a scheduled event that does not parse', async () => {
    const { deps } = setup();
    const event = aScheduledEvent();
    delete event['time'];

    await expect(handleTick(event, deps)).rejects.toBeInstanceOf(MalformedEventError);
  });

  it('lists every managed cluster into the instance index after deciding, and a failed refresh does not fail the tick', async () => {
    // Prepare
    const { deps } = setup();
    const refreshed: string[][] = [];
    const instanceIndex = {
      refresh: async (clusters: readonly string[]) => {
        refreshed.push([...clusters]);
        if (refreshed.length > 1) throw new RetryableError('throttled');
        return clusters.map((cluster) => ({ cluster, instances: 3, described: 0, published: true }));
      },
    };

    // Act
    const first = await handleTick(aScheduledEvent({ time: NOW.toISOString() }), { ...deps, instanceIndex });
    const second = await handleTick(aScheduledEvent({ time: NOW.toISOString() }), { ...deps, instanceIndex });

    // Assess
    expect(refreshed).toEqual([['prod'], ['prod']]);
    expect([first.failed, second.failed]).toEqual([0, 0]);
    expect(deps.log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toContain('instance index refresh failed');
  });
});
