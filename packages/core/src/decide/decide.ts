import type { ClusterState } from '../model/cluster-state.js';
import type { Plan, PlanAction, Skip } from '../model/plan.js';
import type { Signal } from '../model/signal.js';
import type { Policy } from '../policy/schema.js';
import type { DecideContext, Decision } from './context.js';
import { buildContext, compareStrings, emptyDecision } from './context.js';
import { decideDrains } from './drains.js';
import { decideDrift } from './drift.js';
import { decideFallbacks } from './fallbacks.js';
import { planMetrics } from './metrics.js';
import { decidePendingFallbacks } from './pending-fallbacks.js';
import { decideRestores } from './restores.js';

/**
 * Turns a batch of signals, the state of the clusters they touch and the policy into a Plan;
 * pure and deterministic (input order of signals and states never shapes the output, which
 * is byte-identical JSON for the same input). Managed clusters are the policy's clusters that
 * have a state; managed services are the cluster policy's `services` (`["*"]` for all).
 * Duplicate signals (same kind, event id and instance) count once. `now` (ISO) is the only
 * clock; dryRun is the executor's business, not decide's.
 *
 * | signal | condition | action |
 * |---|---|---|
 * | spot-interruption | instance ACTIVE in a managed cluster, action `drain` | drain (never blocked) + `SpotInterruptions` metric |
 * | capacity-reservation-interruption | same | drain (never blocked) + `CapacityReservationInterruptions` metric |
 * | instance-state | instance still ACTIVE, action `drain` | drain |
 * | scheduled-change | per instance: ACTIVE, action `drain` | drain |
 * | scheduled-change | startTime more than drainBeforeSeconds away | skipped saying when; in `deferred` with `until` |
 * | rebalance-recommendation, scheduled-change | ACTIVE, action `drain`, provider's draining share (candidate included) stays ≤ maxDrainingFraction | drain; else skipped as deferred, in `deferred` |
 * | any instance signal | instance in no managed cluster / already DRAINING / not ACTIVE / action `none` | skipped with the reason |
 * | fargate-spot-interruption | cluster managed | `FargateSpotInterruptions` metric; else skipped |
 * | placement-failure | managed service, cluster has `fallback`, failure on a Spot provider | fallback of that service |
 * | spot-capacity-shortage | the group is behind a managed Spot provider, cluster has `fallback` | fallback of that provider's weight in each managed service |
 * | any | from an account or region the policy does not name (when it names any) | skipped with the reason |
 * | alarm ALARM | alarm in a cluster's `fallback.alarms`, not stale | fallback of every managed service giving Spot weight; skipped when there is none |
 * | alarm OK | alarm in a cluster's `fallback.alarms` | restore of that cluster's services that are due (at most restoreAtOnce); skipped when none is in fallback |
 * | alarm | alarm in no managed cluster's `fallback.alarms` | skipped `alarm X drives no fallback` |
 * | tick | always | restores that are due in every managed cluster; fallbacks recorded but not landed completed; drift report |
 * | ignored | always | skipped with the parser's reason |
 *
 * The rules behind each row are in decideDrains, planMetrics, decideFallbacks,
 * decidePendingFallbacks, decideRestores and decideDrift. Every signal but a tick shows up in
 * the plan: its event id is in an action's `eventIds` or in `skipped`. Actions come out as
 * drains, then strategy changes by cluster and service (at most one per service), then
 * metrics; skips sorted by event id.
 */
export function decide(signals: readonly Signal[], states: readonly ClusterState[], policy: Policy, now: string): Plan {
  const ctx = buildContext(signals, states, policy, now);
  return assemble([decideIgnored(ctx), decideDrains(ctx), decideFallbacks(ctx), decidePendingFallbacks(ctx), decideRestores(ctx), decideDrift(ctx), planMetrics(ctx)]);
}

/** A signal whose decision failed: its event id and the error, for the caller to report as that record's failure. */
export interface SignalFailure {
  eventId: string;
  error: unknown;
}

/**
 * `decide`, with a failure confined to the signals that cause it: when deciding the whole
 * batch throws, each signal is decided alone to find the ones that throw, and the batch is
 * decided again without them. The plan covers every other signal exactly as `decide` would
 * without the failing ones; `failed` lists each failing signal's event id with its error (the
 * Lambda reports those records, and only those, as failed). An invalid `now` fails every
 * signal. Pure, like decide: the same input gives the same result.
 */
export function decideBatch(signals: readonly Signal[], states: readonly ClusterState[], policy: Policy, now: string): { plan: Plan; failed: SignalFailure[] } {
  try {
    return { plan: decide(signals, states, policy, now), failed: [] };
  } catch (batchError) {
    const failed: SignalFailure[] = [];
    const bad = new Set<Signal>();
    for (const signal of signals) {
      try {
        decide([signal], states, policy, now);
      } catch (error) {
        bad.add(signal);
        failed.push({ eventId: signal.eventId, error });
      }
    }
    // Only a combination fails (no signal alone): the batch's error goes to every signal.
    if (bad.size === 0) return { plan: emptyPlan(), failed: signals.map((s) => ({ eventId: s.eventId, error: batchError })) };
    const rest = signals.filter((s) => !bad.has(s));
    const again = decideBatch(rest, states, policy, now);
    return { plan: again.plan, failed: [...failed, ...again.failed] };
  }
}

function emptyPlan(): Plan {
  return { actions: [], skipped: [], warnings: [], drift: [] };
}

/**
 * Ignored signals are well-formed events we do not act on: acknowledged with the parser's
 * reason; signals from an account or region the policy does not name likewise.
 */
function decideIgnored(ctx: DecideContext): Decision {
  const decision = emptyDecision();
  decision.skipped.push(...ctx.foreign);
  for (const signal of ctx.signals) if (signal.kind === 'ignored') decision.skipped.push({ eventId: signal.eventId, reason: signal.reason });
  return decision;
}

const ACTION_ORDER = { drain: 0, 'set-strategy': 1, 'clear-record': 1, metric: 2 } as const;

/**
 * Joins the decide functions' parts into one Plan: actions ordered by type (drains, strategy
 * changes by cluster and service, metrics), skips without duplicates sorted by event id,
 * warnings once each. It guarantees at most one `set-strategy` or `clear-record` per
 * (cluster, service), since every accepted change redeploys the whole service and two in one
 * plan would race: the first in part order wins (decide lists fallbacks before restores, so
 * availability wins over cost), and each later one's events are skipped with the reason.
 */
export function assemble(parts: readonly Decision[]): Plan {
  const all = parts.reduce<Decision>(
    (acc, p) => ({
      actions: [...acc.actions, ...p.actions],
      skipped: [...acc.skipped, ...p.skipped],
      warnings: [...acc.warnings, ...p.warnings],
      drift: [...acc.drift, ...p.drift],
      deferred: [...acc.deferred, ...p.deferred],
    }),
    emptyDecision(),
  );
  // Each part is already ordered; a stable sort on type, then cluster and service for strategy changes.
  const actions = all.actions
    .map((action, index) => ({ action, index }))
    .sort((a, b) => {
      const byType = ACTION_ORDER[a.action.type] - ACTION_ORDER[b.action.type];
      if (byType !== 0) return byType;
      if ((a.action.type === 'set-strategy' || a.action.type === 'clear-record') && (b.action.type === 'set-strategy' || b.action.type === 'clear-record')) {
        return compareStrings(a.action.cluster, b.action.cluster) || compareStrings(a.action.service, b.action.service) || a.index - b.index;
      }
      return a.index - b.index;
    })
    .map(({ action }) => action);
  const { kept, dropped } = oneChangePerService(actions);
  const plan: Plan = { actions: kept, skipped: uniqueSkips([...all.skipped, ...dropped]), warnings: [...new Set(all.warnings)], drift: all.drift };
  if (all.deferred.length > 0) {
    plan.deferred = [...all.deferred].sort(
      (a, b) => compareStrings(a.eventId, b.eventId) || compareStrings(a.cluster, b.cluster) || compareStrings(a.ec2InstanceId, b.ec2InstanceId),
    );
  }
  return plan;
}

function oneChangePerService(actions: readonly PlanAction[]): { kept: PlanAction[]; dropped: Skip[] } {
  const changed = new Map<string, PlanAction>();
  const kept: PlanAction[] = [];
  const dropped: Skip[] = [];
  for (const action of actions) {
    if (action.type !== 'set-strategy' && action.type !== 'clear-record') {
      kept.push(action);
      continue;
    }
    const key = `${action.cluster}\u0000${action.service}`;
    const first = changed.get(key);
    if (!first) {
      changed.set(key, action);
      kept.push(action);
      continue;
    }
    const what = action.type === 'set-strategy' ? `${action.change} of` : 'clearing the record of';
    const reason = `${what} ${action.service} in ${action.cluster} dropped: the plan already changes it (${first.type === 'set-strategy' ? first.change : first.type})`;
    for (const eventId of action.eventIds) if (!first.eventIds.includes(eventId)) dropped.push({ eventId, reason });
  }
  return { kept, dropped };
}

function uniqueSkips(skips: readonly Skip[]): Skip[] {
  const seen = new Set<string>();
  return skips
    .filter((s) => {
      const key = `${s.eventId}\u0000${s.reason}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((s, index) => ({ s, index }))
    .sort((a, b) => compareStrings(a.s.eventId, b.s.eventId) || a.index - b.index)
    .map(({ s }) => s);
}
