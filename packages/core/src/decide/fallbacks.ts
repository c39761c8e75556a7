import type { ServiceState } from '../model/cluster-state.js';
import type { SetStrategyAction, Skip } from '../model/plan.js';
import type { AlarmSignal, PlacementFailureSignal } from '../model/signal.js';
import { fallbackStrategy } from '../strategy/fallback.js';
import { sameStrategy, strategyProblems } from '../strategy/validate.js';
import type { DecideContext, Decision, ManagedCluster } from './context.js';
import { clusterName, compareStrings, emptyDecision, isManagedService, uniqueSorted } from './context.js';
import { controllerProblem } from './service-checks.js';

/** The services one batch asks to fall back, with the reasons and events that ask it. */
export interface FallbackTrigger {
  cluster: ManagedCluster;
  service: ServiceState;
  reasons: string[];
  eventIds: string[];
}

/**
 * Decides which services fall back from Spot to the cluster's `fallback.to` provider.
 *
 * | condition | outcome |
 * |---|---|
 * | alarm signal about an alarm no managed cluster's `fallback.alarms` lists | skipped `alarm X drives no fallback` |
 * | ALARM on a fallback alarm, superseded by a later signal about it in the batch | skipped as superseded |
 * | ALARM on a fallback alarm | every managed service of those clusters giving weight > 0 to Spot falls back |
 * | ALARM on a fallback alarm, and no managed service of a cluster gives weight to Spot | skipped `alarm X is ALARM: no managed service of prod gives weight to a Spot provider` |
 * | INSUFFICIENT_DATA on a fallback alarm | skipped: neither falls back nor restores |
 * | placement failure in a cluster that is not managed / for a service not managed or not loaded | skipped |
 * | placement failure in a cluster without `fallback` | skipped: that cluster never falls back |
 * | placement failure on no Spot provider (the event's providers, else the service's Spot providers) | skipped |
 * | placement failure on a Spot provider | the service it names falls back |
 *
 * Then, for each service to fall back: one whose recorded fallback did not land
 * (isFallbackPending) is left to decidePendingFallbacks, the one place that completes it; one
 * already holding a baseline is left alone (fallback is idempotent); CODE_DEPLOY and EXTERNAL
 * services, a target not attached to the cluster or itself Spot, a strategy that would not
 * change, and a result ECS would reject are skipped with the reason. Otherwise a
 * `set-strategy` (change `fallback`) carries fallbackStrategy's result, the current strategy
 * as baseline, `fallbackSince` = now and every triggering event.
 */
export function decideFallbacks(ctx: DecideContext): Decision {
  const decision = emptyDecision();
  const { triggers, skipped } = fallbackTriggers(ctx);
  decision.skipped.push(...skipped);
  for (const t of triggers) {
    if (isFallbackPending(t.service)) continue;
    const result = fallbackFor(ctx, t);
    if (typeof result === 'string') for (const eventId of uniqueSorted(t.eventIds)) decision.skipped.push({ eventId, reason: result });
    else decision.actions.push(result);
  }
  return decision;
}

/**
 * The services a batch's ALARM and placement-failure signals ask to fall back, one trigger
 * per (cluster, service) sorted by cluster and service, and the skips for the signals that
 * ask no service to (see decideFallbacks' table). Pure; decideFallbacks and
 * decidePendingFallbacks share it.
 */
export function fallbackTriggers(ctx: DecideContext): { triggers: FallbackTrigger[]; skipped: Skip[] } {
  const skipped: Skip[] = [];
  const triggers = new Map<string, FallbackTrigger>();
  const trigger = (cluster: ManagedCluster, service: ServiceState, reason: string, eventId: string): void => {
    const key = `${cluster.name}\u0000${service.name}`;
    const entry = triggers.get(key) ?? { cluster, service, reasons: [], eventIds: [] };
    if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
    entry.eventIds.push(eventId);
    triggers.set(key, entry);
  };
  const skip = (eventId: string, reason: string): void => void skipped.push({ eventId, reason });

  for (const signal of ctx.signals) {
    if (signal.kind === 'alarm') alarmTriggers(ctx, signal, trigger, skip);
    else if (signal.kind === 'placement-failure') placementTriggers(ctx, signal, trigger, skip);
  }
  const ordered = [...triggers.values()].sort((a, b) => compareStrings(a.cluster.name, b.cluster.name) || compareStrings(a.service.name, b.service.name));
  return { triggers: ordered, skipped };
}

type AddTrigger = (cluster: ManagedCluster, service: ServiceState, reason: string, eventId: string) => void;
type AddSkip = (eventId: string, reason: string) => void;

function alarmTriggers(ctx: DecideContext, signal: AlarmSignal, trigger: AddTrigger, skip: AddSkip): void {
  const clusters = ctx.clusters.filter((c) => c.policy.fallback?.alarms.includes(signal.alarmName));
  if (clusters.length === 0) return skip(signal.eventId, `alarm ${signal.alarmName} drives no fallback`);
  if (signal.state === 'INSUFFICIENT_DATA') return skip(signal.eventId, `alarm ${signal.alarmName} is INSUFFICIENT_DATA: no fallback and no restore`);
  if (signal.state !== 'ALARM') return;
  const latest = ctx.latestAlarms.get(signal.alarmName);
  if (latest && latest !== signal) {
    return skip(signal.eventId, `alarm ${signal.alarmName} ALARM at ${signal.stateTimestamp} is superseded by ${latest.state} at ${latest.stateTimestamp}`);
  }
  for (const cluster of clusters) {
    const onSpot = cluster.services.filter((service) => service.strategy.some((item) => item.weight > 0 && cluster.isSpot(item.capacityProvider)));
    // Services already in fallback give Spot no weight: an ALARM that finds none is still reported.
    if (onSpot.length === 0) skip(signal.eventId, `alarm ${signal.alarmName} is ALARM: no managed service of ${cluster.name} gives weight to a Spot provider`);
    for (const service of onSpot) trigger(cluster, service, `fallback: alarm ${signal.alarmName} is ALARM`, signal.eventId);
  }
}

function placementTriggers(ctx: DecideContext, signal: PlacementFailureSignal, trigger: AddTrigger, skip: AddSkip): void {
  const cluster = ctx.cluster(signal.cluster);
  if (!cluster) return skip(signal.eventId, `cluster ${clusterName(signal.cluster)} is not managed`);
  if (!isManagedService(cluster.policy, signal.service)) return skip(signal.eventId, `service ${signal.service} is not managed in ${cluster.name}`);
  const service = cluster.services.find((s) => s.name === signal.service);
  if (!service) return skip(signal.eventId, `service ${signal.service} was not found in cluster ${cluster.name}`);
  if (!cluster.policy.fallback) return skip(signal.eventId, `cluster ${cluster.name} has no fallback in the policy: ${service.name} never falls back`);
  const named = signal.capacityProviders.length > 0;
  const onSpot = (named ? signal.capacityProviders : service.strategy.filter((i) => i.weight > 0 || i.base > 0).map((i) => i.capacityProvider)).filter(
    (p) => cluster.isSpot(p),
  );
  if (onSpot.length === 0) {
    return skip(signal.eventId, `placement failure of ${service.name} in ${cluster.name} is on no Spot provider`);
  }
  trigger(cluster, service, `fallback: task placement failed on ${uniqueSorted(onSpot).join(', ')}`, signal.eventId);
}

/**
 * True when the service's record says it is in fallback but its strategy is still the
 * baseline: the adapters keep the record first and change the strategy second (write-ahead),
 * so a change that failed or was cut short between the two leaves exactly this.
 */
export function isFallbackPending(service: ServiceState): boolean {
  return (
    service.baseline !== null &&
    service.applied !== undefined &&
    service.applied !== null &&
    sameStrategy(service.strategy, service.baseline) &&
    !sameStrategy(service.applied, service.baseline)
  );
}

/**
 * Completes a fallback whose record was kept but whose strategy change did not land: the
 * fallback strategy is computed again from the recorded baseline, and the record's
 * `fallbackSince` is kept so that `minSeconds` still counts from the first attempt.
 */
export function completeFallback(ctx: DecideContext, cluster: ManagedCluster, service: ServiceState, reason: string, eventIds: readonly string[]): SetStrategyAction | string {
  const baseline = service.baseline ?? service.strategy;
  const result = fallbackFor(ctx, { cluster, service: { ...service, strategy: baseline, baseline: null }, reasons: [reason], eventIds: [...eventIds] });
  if (typeof result === 'string') return result;
  return { ...result, fallbackSince: service.fallbackSince ?? ctx.now };
}

function fallbackFor(ctx: DecideContext, t: FallbackTrigger): SetStrategyAction | string {
  const { cluster, service } = t;
  const where = `${service.name} in ${cluster.name}`;
  if (service.baseline !== null) return `service ${where} is already in fallback${service.fallbackSince ? ` since ${service.fallbackSince}` : ''}`;
  const refused = controllerProblem(service);
  if (refused) return refused;
  const to = cluster.policy.fallback?.to;
  if (to === undefined) return `cluster ${cluster.name} has no fallback in the policy: ${service.name} never falls back`;
  if (!cluster.state.capacityProviders.some((p) => p.name === to)) return `fallback target ${to} is not attached to cluster ${cluster.name}`;
  if (cluster.isSpot(to)) return `fallback target ${to} is a Spot provider`;
  const strategy = fallbackStrategy(service.strategy, cluster.isSpot, to);
  if (sameStrategy(strategy, service.strategy)) return `fallback of ${where} would not change its strategy`;
  const problems = strategyProblems(strategy, cluster.state.capacityProviders);
  if (problems.length > 0) return `fallback of ${where} is not valid for ECS: ${problems.join('; ')}`;
  return {
    type: 'set-strategy',
    cluster: cluster.name,
    service: service.name,
    strategy,
    baseline: service.strategy.map((item) => ({ ...item })),
    fallbackSince: ctx.now,
    change: 'fallback',
    reason: t.reasons.join('; '),
    eventIds: uniqueSorted(t.eventIds),
  };
}
