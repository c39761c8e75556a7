import { decideBatch, parseEvent, planLoad } from '@ecs-rebalancer/core';
import type { Drift, Policy } from '@ecs-rebalancer/core';
import type { AlarmReader, Clock, ClusterReader, DecisionPublisher, InstanceIndexRefresher, KillSwitch } from '../ports.js';
import type { ApplyDeps } from './apply-plan.js';
import { applyPlan } from './apply-plan.js';
import { runOptions } from './run-options.js';
import { loadSnapshot } from './load-snapshot.js';
import { reportDecisions } from './report-decisions.js';

/**
 * The tick restores and reports; it never drains (the core plans no drain on a tick signal),
 * so its dependencies hold no drainer and its role may not drain.
 */
export interface TickDeps extends Omit<ApplyDeps, 'drainer'> {
  drainer?: never;
  policy: Policy;
  clusters: ClusterReader;
  alarms: AlarmReader;
  decisions: DecisionPublisher;
  clock: Clock;
  killSwitch?: KillSwitch;
  /** Keeps the shared instance index warm (absent: no index is configured). */
  instanceIndex?: InstanceIndexRefresher;
}

export interface TickResult {
  actions: number;
  /** Actions whose work failed; the next tick decides again on fresh state. */
  failed: number;
  skipped: number;
  drift: Drift[];
}

/**
 * Handles the schedule's tick:
 * 1. parse the scheduled event into a tick signal;
 * 2. load every managed cluster's managed services and fallback alarms (no container
 *    instance: restores and drift do not look at one);
 * 3. decide: restores that are due, and drift (a managed service whose strategy is no longer
 *    the one the rebalancer set);
 * 4. apply the restores (nothing is changed under `dryRun`);
 * 5. report: decision events, drift as warnings and a `Drift` count per cluster;
 * 6. list every managed cluster whole into the shared instance index, for the react
 *    function's next batches (read-only: done whatever the kill switch says).
 * A failure to load rejects (the invocation fails and is visible); a failed restore is
 * reported, and the next tick, deciding on fresh state, tries it again: nothing is lost.
 */
export async function handleTick(event: unknown, deps: TickDeps): Promise<TickResult> {
  const now = deps.clock();
  const time = now.toISOString();

  // 1. Parse.
  const signals = parseEvent(event);
  for (const signal of signals) deps.metrics.count('Signals', 1, { Kind: signal.kind });
  const eventIds = [...new Set(signals.map((s) => s.eventId))];

  // 2. Load.
  const snapshots = await loadSnapshot(planLoad(signals, deps.policy), deps);

  // 3. Decide. A tick is one signal: should its decision throw, the invocation fails with it.
  const { plan, failed: undecided } = decideBatch(signals, snapshots.map((s) => s.state), deps.policy, time);
  if (undecided.length > 0) throw undecided[0]!.error;

  // 4. Apply, unless the kill switch says otherwise.
  // No drainer, whatever the caller's deps hold: a drain would be reported, not carried out.
  const options = await runOptions(deps);
  const reports = await applyPlan(plan, snapshots, { strategies: deps.strategies, metrics: deps.metrics, log: deps.log }, options);

  // 5. Report.
  await reportDecisions(reports, deps, { time, dryRun: options.dryRun });
  for (const drift of plan.drift) {
    deps.log.warn('service drifted from the strategy the rebalancer set', { eventIds, decision: 'drift', ...drift });
    deps.metrics.count('Drift', 1, { Cluster: drift.cluster });
  }
  for (const warning of plan.warnings) deps.log.warn('plan warning', { eventIds, decision: 'warning', warning });
  if (plan.skipped.length > 0) deps.metrics.count('Skipped', plan.skipped.length);
  const failed = reports.filter((r) => r.outcome === 'failed' || r.outcome === 'partial');
  deps.log.info('tick decided', {
    eventIds,
    decision: {
      actions: reports.map((r) => ({ type: r.action.type, cluster: r.action.cluster, outcome: r.outcome, ...('service' in r.action ? { service: r.action.service } : {}), ...(r.problems.length > 0 ? { problems: r.problems } : {}) })),
      skipped: plan.skipped.map((s) => s.reason),
      drift: plan.drift.length,
      ...(options.paused === undefined ? {} : { paused: options.paused }),
    },
  });

  // 6. Keep the instance index warm. It only spares reads: a failure is logged, never fails the tick.
  if (deps.instanceIndex) {
    const refreshed = await deps.instanceIndex.refresh(Object.keys(deps.policy.clusters)).catch((error: unknown) => {
      deps.log.warn('instance index refresh failed', { error: error instanceof Error ? error.message : String(error) });
      return [];
    });
    deps.metrics.count('IndexedClusters', refreshed.filter((r) => r.published).length);
  }
  return { actions: reports.length, failed: failed.length, skipped: plan.skipped.length, drift: plan.drift };
}
