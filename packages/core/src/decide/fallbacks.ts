import type { ServiceState } from '../model/cluster-state.js';
import type { SetStrategyAction, Skip } from '../model/plan.js';
import type { AlarmSignal, PlacementFailureSignal, SpotCapacityShortageSignal } from '../model/signal.js';
import { fallbackTarget } from '../policy/schema.js';
import { fallbackStrategy } from '../strategy/fallback.js';
import { sameStrategy, strategyProblems } from '../strategy/validate.js';
import type { DecideContext, Decision, ManagedCluster } from './context.js';
import { clusterName, compareStrings, emptyDecision, isManagedService, ownValue, timeMs, uniqueSorted } from './context.js';
import { controllerProblem } from './service-checks.js';

/** The services one batch asks to fall back, with the reasons and events that ask it. */
export interface FallbackTrigger {
  cluster: ManagedCluster;
  service: ServiceState;
  reasons: string[];
  eventIds: string[];
  /** Set when the trigger asks only these Spot providers' weight to move (a Spot shortage of one group). */
  only?: string[];
}

/** A fallback decided for one service: the action (when anything moves), and the parts refused. */
interface FallbackOutcome {
  action?: SetStrategyAction;
  /** Why the whole fallback, or a part of it, is not made; each is a skip for the trigger's events. */
  refused: string[];
  /** Parts of a fallback that were made without a Spot provider's weight (architecture, no target). */
  warnings: string[];
}

/**
 * Decides which services fall back from Spot to the cluster's `fallback.to` provider(s).
 *
 * | condition | outcome |
 * |---|---|
 * | alarm signal about an alarm no managed cluster's `fallback.alarms` lists | skipped `alarm X drives no fallback` |
 * | ALARM on a fallback alarm, superseded by a later signal about it in the batch | skipped as superseded |
 * | ALARM whose alarm CloudWatch reports OK since after the event (`alarmsChangedAt` later, `alarms` OK) | skipped as stale |
 * | ALARM older than a service's `lastRestoredAt` | skipped as stale for that service |
 * | ALARM on a fallback alarm | every managed service of those clusters giving weight > 0 to Spot falls back |
 * | ALARM on a fallback alarm, and no managed service of a cluster gives weight to Spot | skipped `alarm X is ALARM: no managed service of prod gives weight to a Spot provider` |
 * | INSUFFICIENT_DATA on a fallback alarm | skipped: neither falls back nor restores |
 * | placement failure in a cluster that is not managed / for a service not managed or not loaded | skipped |
 * | placement failure in a cluster without `fallback` | skipped: that cluster never falls back |
 * | placement failure on no Spot provider (the event's providers, else the service's Spot providers) | skipped |
 * | placement failure on a Spot provider | the service it names falls back |
 * | spot-capacity-shortage for a group behind no provider of a managed cluster, or behind an on-demand provider | skipped with the message |
 * | spot-capacity-shortage for a managed Spot provider's group, cluster with `fallback` | every managed service giving that provider weight moves that provider's weight |
 *
 * Then, for each service to fall back: one whose recorded fallback did not land
 * (isFallbackPending) is left to decidePendingFallbacks, the one place that completes it; one
 * already holding a baseline is left alone (fallback is idempotent); CODE_DEPLOY and EXTERNAL
 * services, a strategy that would not change, and a result ECS would reject are skipped with
 * the reason. Each Spot provider's weight goes to its `fallback.to` target; a move is refused
 * (skipped with the reason, and a warning, while the rest of the fallback goes ahead) when
 * the map names no target for that Spot provider, the target is not attached or is Spot, or
 * both the target's `architecture` and the service's `cpuArchitectures` are known and the
 * service does not run on the target's architecture. Otherwise a `set-strategy` (change
 * `fallback`) carries fallbackStrategy's result, the current strategy as baseline,
 * `fallbackSince` = now and every triggering event.
 */
export function decideFallbacks(ctx: DecideContext): Decision {
  const decision = emptyDecision();
  const { triggers, skipped } = fallbackTriggers(ctx);
  decision.skipped.push(...skipped);
  for (const t of triggers) {
    if (isFallbackPending(t.service)) continue;
    const outcome = fallbackFor(ctx, t);
    for (const reason of outcome.refused) for (const eventId of uniqueSorted(t.eventIds)) decision.skipped.push({ eventId, reason });
    decision.warnings.push(...outcome.warnings);
    if (outcome.action) decision.actions.push(outcome.action);
  }
  return decision;
}

/**
 * The services a batch's ALARM, placement-failure and spot-capacity-shortage signals ask to
 * fall back, one trigger per (cluster, service) sorted by cluster and service, and the skips
 * for the signals that ask no service to (see decideFallbacks' table). Pure; decideFallbacks
 * and decidePendingFallbacks share it.
 */
export function fallbackTriggers(ctx: DecideContext): { triggers: FallbackTrigger[]; skipped: Skip[] } {
  const skipped: Skip[] = [];
  const triggers = new Map<string, FallbackTrigger>();
  const trigger: AddTrigger = (cluster, service, reason, eventId, only) => {
    const key = `${cluster.name}\u0000${service.name}`;
    const entry: FallbackTrigger = triggers.get(key) ?? { cluster, service, reasons: [], eventIds: [], ...(only && { only: [] }) };
    if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
    entry.eventIds.push(eventId);
    // A trigger for the whole service wins over one for a single provider's weight.
    if (!only) delete entry.only;
    else if (entry.only) entry.only = uniqueSorted([...entry.only, ...only]);
    triggers.set(key, entry);
  };
  const skip = (eventId: string, reason: string): void => void skipped.push({ eventId, reason });

  for (const signal of ctx.signals) {
    if (signal.kind === 'alarm') alarmTriggers(ctx, signal, trigger, skip);
    else if (signal.kind === 'placement-failure') placementTriggers(ctx, signal, trigger, skip);
    else if (signal.kind === 'spot-capacity-shortage') shortageTriggers(ctx, signal, trigger, skip);
  }
  const ordered = [...triggers.values()].sort((a, b) => compareStrings(a.cluster.name, b.cluster.name) || compareStrings(a.service.name, b.service.name));
  return { triggers: ordered, skipped };
}

type AddTrigger = (cluster: ManagedCluster, service: ServiceState, reason: string, eventId: string, only?: string[]) => void;
type AddSkip = (eventId: string, reason: string) => void;

const givesSpotWeight = (cluster: ManagedCluster, service: ServiceState): boolean =>
  service.strategy.some((item) => item.weight > 0 && cluster.isSpot(item.capacityProvider));

function alarmTriggers(ctx: DecideContext, signal: AlarmSignal, trigger: AddTrigger, skip: AddSkip): void {
  const clusters = ctx.clusters.filter((c) => c.policy.fallback?.alarms.includes(signal.alarmName));
  if (clusters.length === 0) return skip(signal.eventId, `alarm ${signal.alarmName} drives no fallback`);
  if (signal.state === 'INSUFFICIENT_DATA') return skip(signal.eventId, `alarm ${signal.alarmName} is INSUFFICIENT_DATA: no fallback and no restore`);
  if (signal.state !== 'ALARM') return;
  const latest = ctx.latestAlarms.get(signal.alarmName);
  if (latest && latest !== signal) {
    return skip(signal.eventId, `alarm ${signal.alarmName} ALARM at ${signal.stateTimestamp} is superseded by ${latest.state} at ${latest.stateTimestamp}`);
  }
  const at = timeMs(signal.stateTimestamp);
  for (const cluster of clusters) {
    // CloudWatch's own word beats a delayed event: OK now, and since after the event's state.
    const changedAt = ownValue(cluster.state.alarmsChangedAt ?? {}, signal.alarmName);
    if (ownValue(cluster.state.alarms, signal.alarmName) === 'OK' && timeMs(changedAt) > at) {
      skip(signal.eventId, `alarm ${signal.alarmName} ALARM at ${signal.stateTimestamp} is stale: CloudWatch reports it OK since ${changedAt}`);
      continue;
    }
    const onSpot = cluster.services.filter((service) => givesSpotWeight(cluster, service));
    // Services already in fallback give Spot no weight: an ALARM that finds none is still reported.
    if (onSpot.length === 0) skip(signal.eventId, `alarm ${signal.alarmName} is ALARM: no managed service of ${cluster.name} gives weight to a Spot provider`);
    for (const service of onSpot) {
      if (at < timeMs(service.lastRestoredAt)) {
        skip(signal.eventId, `alarm ${signal.alarmName} ALARM at ${signal.stateTimestamp} is stale for ${service.name} in ${cluster.name}: it was restored at ${service.lastRestoredAt}`);
        continue;
      }
      trigger(cluster, service, `fallback: alarm ${signal.alarmName} is ALARM`, signal.eventId);
    }
  }
}

function placementTriggers(ctx: DecideContext, signal: PlacementFailureSignal, trigger: AddTrigger, skip: AddSkip): void {
  const cluster = ctx.cluster(signal.cluster);
  if (!cluster) return skip(signal.eventId, `cluster ${clusterName(signal.cluster)} is not managed`);
  if (!isManagedService(cluster.policy, signal.service)) return skip(signal.eventId, `service ${signal.service} is not managed in ${cluster.name}`);
  const service = cluster.services.find((s) => s.name === signal.service);
  if (!service) return skip(signal.eventId, `service ${signal.service} was not found in cluster ${cluster.name}`);
  if (!cluster.policy.fallback) return skip(signal.eventId, `cluster ${cluster.name} has no fallback in the policy: ${service.name} never falls back`);
  if (signal.capacityProviders.length > 0) {
    const onSpot = signal.capacityProviders.filter((p) => cluster.isSpot(p));
    if (onSpot.length === 0) return skip(signal.eventId, `placement failure of ${service.name} in ${cluster.name} is on no Spot provider (${uniqueSorted(signal.capacityProviders).join(', ')})`);
    return trigger(cluster, service, `fallback: task placement failed on ${uniqueSorted(onSpot).join(', ')}`, signal.eventId);
  }
  // The event names no provider: say so, rather than name one it did not.
  const spotInStrategy = service.strategy.filter((i) => (i.weight > 0 || i.base > 0) && cluster.isSpot(i.capacityProvider)).map((i) => i.capacityProvider);
  if (spotInStrategy.length === 0) {
    return skip(signal.eventId, `placement failure of ${service.name} in ${cluster.name} names no capacity provider, and ${service.name} gives no Spot provider weight`);
  }
  trigger(cluster, service, `fallback: task placement of ${service.name} failed (the event names no capacity provider; ${service.name} gives weight to Spot ${uniqueSorted(spotInStrategy).join(', ')})`, signal.eventId);
}

function shortageTriggers(ctx: DecideContext, signal: SpotCapacityShortageSignal, trigger: AddTrigger, skip: AddSkip): void {
  const what = `launch failure in Auto Scaling group ${signal.autoScalingGroup}: ${signal.statusMessage}`;
  const behind = ctx.clusters.flatMap((cluster) =>
    cluster.state.capacityProviders.filter((p) => p.autoScalingGroup === signal.autoScalingGroup).map((provider) => ({ cluster, provider })),
  );
  if (behind.length === 0) return skip(signal.eventId, `${what} (the group is behind no capacity provider of a managed cluster)`);
  for (const { cluster, provider } of behind) {
    if (!cluster.isSpot(provider.name)) {
      skip(signal.eventId, `${what} (provider ${provider.name} of ${cluster.name} is not Spot: only a Spot shortage falls back)`);
      continue;
    }
    if (!cluster.policy.fallback) {
      skip(signal.eventId, `${what} (cluster ${cluster.name} has no fallback in the policy)`);
      continue;
    }
    const services = cluster.services.filter((s) => s.strategy.some((i) => i.capacityProvider === provider.name && (i.weight > 0 || i.base > 0)));
    if (services.length === 0) {
      skip(signal.eventId, `${what} (no managed service of ${cluster.name} gives weight to ${provider.name})`);
      continue;
    }
    for (const service of services) {
      trigger(cluster, service, `fallback: Spot capacity shortage on ${provider.name} (${signal.statusMessage})`, signal.eventId, [provider.name]);
    }
  }
}

/**
 * True when the service's record says a fallback is being made but its strategy is still
 * the baseline: the adapters keep the record first and change the strategy second
 * (write-ahead), so a change that failed or was cut short between the two leaves exactly
 * this. With `fallbackPhase` the record says so itself (`falling-back`); a record in phase
 * `active` or `restoring` whose strategy is the baseline is a restore that landed (or a hand
 * restore), never a pending fallback. Without a phase (older records) it is read from
 * `applied` differing from the baseline.
 */
export function isFallbackPending(service: ServiceState): boolean {
  if (service.baseline === null || !sameStrategy(service.strategy, service.baseline)) return false;
  if (service.fallbackPhase !== undefined && service.fallbackPhase !== null) return service.fallbackPhase === 'falling-back';
  return service.applied !== undefined && service.applied !== null && !sameStrategy(service.applied, service.baseline);
}

/**
 * Completes a fallback whose record was kept but whose strategy change did not land: the
 * fallback strategy is computed again from the recorded baseline, and the record's
 * `fallbackSince` is kept so that `minSeconds` still counts from the first attempt.
 */
export function completeFallback(ctx: DecideContext, cluster: ManagedCluster, service: ServiceState, reason: string, eventIds: readonly string[]): { action?: SetStrategyAction; refused: string[]; warnings: string[] } {
  const baseline = service.baseline ?? service.strategy;
  const outcome = fallbackFor(ctx, { cluster, service: { ...service, strategy: baseline, baseline: null }, reasons: [reason], eventIds: [...eventIds] });
  if (!outcome.action) return outcome;
  return { ...outcome, action: { ...outcome.action, fallbackSince: service.fallbackSince ?? ctx.now } };
}

function fallbackFor(ctx: DecideContext, t: FallbackTrigger): FallbackOutcome {
  const { cluster, service } = t;
  const where = `${service.name} in ${cluster.name}`;
  const no = (reason: string): FallbackOutcome => ({ refused: [reason], warnings: [] });
  if (service.baseline !== null) return no(`service ${where} is already in fallback${service.fallbackSince ? ` since ${service.fallbackSince}` : ''}`);
  const refusedByController = controllerProblem(service);
  if (refusedByController) return no(refusedByController);
  const fallback = cluster.policy.fallback;
  if (fallback === undefined) return no(`cluster ${cluster.name} has no fallback in the policy: ${service.name} never falls back`);

  const refused: string[] = [];
  const targets = new Map<string, string>();
  for (const item of service.strategy) {
    const from = item.capacityProvider;
    if (!cluster.isSpot(from) || (item.weight === 0 && item.base === 0) || (t.only && !t.only.includes(from))) continue;
    const to = fallbackTarget(fallback, from);
    const why = moveProblem(cluster, service, from, to);
    if (why === undefined && to !== undefined) targets.set(from, to);
    else refused.push(`fallback of ${where}: ${from}'s weight is not moved: ${why}`);
  }
  const strategy = fallbackStrategy(service.strategy, cluster.isSpot, (from) => targets.get(from));
  if (targets.size === 0) return refused.length > 0 ? { refused, warnings: refused } : no(`fallback of ${where} would not change its strategy`);
  if (sameStrategy(strategy, service.strategy)) return no(`fallback of ${where} would not change its strategy`);
  const problems = strategyProblems(strategy, cluster.state.capacityProviders);
  if (problems.length > 0) return no(`fallback of ${where} is not valid for ECS: ${problems.join('; ')}`);
  return {
    action: {
      type: 'set-strategy',
      cluster: cluster.name,
      service: service.name,
      strategy,
      baseline: service.strategy.map((item) => ({ ...item })),
      fallbackSince: ctx.now,
      change: 'fallback',
      reason: t.reasons.join('; '),
      eventIds: uniqueSorted(t.eventIds),
    },
    refused,
    warnings: refused,
  };
}

// Why one Spot provider's weight may not move to its target, or undefined when it may. A move
// is refused on architecture only when both sides are known: hand-written files often say
// neither, and the seed recipe's multi-arch images run anywhere.
function moveProblem(cluster: ManagedCluster, service: ServiceState, from: string, to: string | undefined): string | undefined {
  if (to === undefined) return `fallback.to names no target for Spot provider ${from}`;
  const target = cluster.state.capacityProviders.find((p) => p.name === to);
  if (!target) return `fallback target ${to} is not attached to cluster ${cluster.name}`;
  if (cluster.isSpot(to)) return `fallback target ${to} is a Spot provider`;
  const archs = service.cpuArchitectures;
  if (target.architecture !== undefined && archs !== undefined && !archs.includes(target.architecture)) {
    return `target ${to} is ${target.architecture} and ${service.name} is known to run on ${archs.length > 0 ? archs.join(', ') : 'no architecture'} only`;
  }
  return undefined;
}
