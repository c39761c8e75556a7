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
 * | rebalance-recommendation | ACTIVE, action `drain`, provider's draining share stays ≤ maxDrainingFraction | drain; else skipped as deferred |
 * | any instance signal | instance in no managed cluster / already DRAINING / not ACTIVE / action `none` | skipped with the reason |
 * | fargate-spot-interruption | cluster managed | `FargateSpotInterruptions` metric; else skipped |
 * | placement-failure | managed service, cluster has `fallback`, failure on a Spot provider | fallback of that service |
 * | alarm ALARM | alarm in a cluster's `fallback.alarms` | fallback of every managed service giving Spot weight; skipped when there is none |
 * | alarm OK | alarm in a cluster's `fallback.alarms` | restore of that cluster's services that are due; skipped when none is in fallback |
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

/** Ignored signals are well-formed events we do not act on: acknowledged with the parser's reason. */
function decideIgnored(ctx: DecideContext): Decision {
  const decision = emptyDecision();
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
  return { actions: kept, skipped: uniqueSkips([...all.skipped, ...dropped]), warnings: [...new Set(all.warnings)], drift: all.drift };
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
