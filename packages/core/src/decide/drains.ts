import type { ContainerInstanceState } from '../model/cluster-state.js';
import type { DeferredDrain, DrainAction } from '../model/plan.js';
import type { InstanceSignal, InstanceSignalKind, ScheduledChangeSignal } from '../model/signal.js';
import { DRAIN_URGENCY } from '../model/signal.js';
import type { DecideContext, Decision, ManagedCluster } from './context.js';
import { compareStrings, emptyDecision, isInstanceSignal, timeMs, uniqueSorted } from './context.js';

/** Drains that only the rebalancer wants (the instance is not going away by itself): the guardrail holds them. */
const DISCRETIONARY: ReadonlySet<InstanceSignalKind> = new Set(['scheduled-change', 'rebalance-recommendation']);

interface Candidate {
  cluster: ManagedCluster;
  instance: ContainerInstanceState;
  kinds: Set<InstanceSignalKind>;
  eventIds: Set<string>;
}

/**
 * Decides which container instances to drain for the instance signals of a batch.
 *
 * | condition | outcome |
 * |---|---|
 * | policy action for the signal kind is `none` | skipped, naming the policy action |
 * | EC2 instance in no managed cluster's state | skipped `instance i-… is in no managed cluster` |
 * | container instance already DRAINING | skipped (acknowledged, not retried) |
 * | container instance neither ACTIVE nor DRAINING | skipped: ECS drains only ACTIVE instances |
 * | scheduled-change whose `startTime` is more than `scheduledChange.drainBeforeSeconds` away | skipped, saying when it will be drained; `deferred` with `until` that time |
 * | ACTIVE, an interruption (spot, capacity reservation, instance-state) | drained, never blocked, counted toward the share |
 * | ACTIVE, only discretionary signals (scheduled-change due, rebalance-recommendation), share stays ≤ maxDrainingFraction | drained |
 * | ACTIVE, only discretionary signals, share would pass maxDrainingFraction | skipped as deferred; `deferred` with `until` null |
 * | a drain planned in a cluster with a managed service at minimumHealthyPercent ≥ 100 | warning naming the service (only those with tasks on the drained instances when `containerInstances[].services` is known for all of them) |
 *
 * An instance hit by several signals is drained once, for the most urgent reason
 * (DRAIN_URGENCY), with every event id that asked for it. The share is counted per capacity
 * provider, the candidate included: (DRAINING with running tasks + planned in this batch + 1) /
 * (ACTIVE or DRAINING). A DRAINING instance that runs no task any more has finished: ECS
 * stops a drained task only once its replacement runs elsewhere, so it no longer holds the
 * share back (otherwise the retirement of 3 of 5 instances could never go past the first
 * one before AWS stops them). Interruption drains are counted first; discretionary drains then go by urgency
 * (scheduled changes before rebalance recommendations), cluster, provider and instance id.
 * A deferred drain's event is meant to come back (`deferred`): decided again it is drained,
 * or skipped as moot once the instance is DRAINING or gone. One drain action per (cluster,
 * reason), its instances sorted by ARN.
 */
export function decideDrains(ctx: DecideContext): Decision {
  const decision = emptyDecision();
  const candidates = new Map<string, Candidate>();

  for (const signal of ctx.signals) {
    if (!isInstanceSignal(signal)) continue;
    const skip = (reason: string): void => void decision.skipped.push({ eventId: signal.eventId, reason });
    // The action comes first: planLoad does not look up an instance whose drain the policy turned off.
    if (ctx.policy.actions[signal.kind] === 'none') {
      skip(`policy action for ${signal.kind} is "none": instance ${signal.ec2InstanceId} is not drained`);
      continue;
    }
    const matches = ctx.findInstances(signal.ec2InstanceId);
    if (matches.length === 0) {
      skip(`instance ${signal.ec2InstanceId} is in no managed cluster`);
      continue;
    }
    for (const { cluster, instance } of matches) {
      if (instance.status === 'DRAINING') {
        skip(`instance ${signal.ec2InstanceId} in ${cluster.name} is already DRAINING`);
      } else if (instance.status !== 'ACTIVE') {
        // UpdateContainerInstancesState moves only ACTIVE instances to DRAINING.
        skip(`instance ${signal.ec2InstanceId} in ${cluster.name} is ${instance.status}: only ACTIVE instances can be drained`);
      } else if (signal.kind !== 'scheduled-change' || !deferredUntilDue(ctx, cluster.name, signal, decision)) {
        addCandidate(candidates, cluster, instance, signal);
      }
    }
  }

  const accepted = applyGuardrail(ctx, [...candidates.values()], decision);
  decision.actions.push(...drainActions(accepted));
  decision.warnings.push(...minimumHealthyWarnings(accepted));
  return decision;
}

// A scheduled change is drained drainBeforeSeconds before its startTime; one without a
// startTime (or already started) is due now. One not due yet is skipped, saying when it will
// be drained, and deferred until then (true).
function deferredUntilDue(ctx: DecideContext, cluster: string, signal: ScheduledChangeSignal, decision: Decision): boolean {
  const start = timeMs(signal.startTime);
  const due = start - ctx.policy.scheduledChange.drainBeforeSeconds * 1000;
  if (Number.isNaN(start) || ctx.nowMs >= due) return false;
  const until = new Date(due).toISOString();
  decision.skipped.push({
    eventId: signal.eventId,
    reason: `scheduled change${signal.eventTypeCode ? ` ${signal.eventTypeCode}` : ''} of ${signal.ec2InstanceId} in ${cluster} starts at ${signal.startTime}: drained from ${until} (scheduledChange.drainBeforeSeconds ${ctx.policy.scheduledChange.drainBeforeSeconds})`,
  });
  decision.deferred.push({ eventId: signal.eventId, cluster, ec2InstanceId: signal.ec2InstanceId, kind: signal.kind, until });
  return true;
}

function addCandidate(candidates: Map<string, Candidate>, cluster: ManagedCluster, instance: ContainerInstanceState, signal: InstanceSignal): void {
  const key = `${cluster.name}\u0000${instance.arn}`;
  const candidate = candidates.get(key) ?? { cluster, instance, kinds: new Set(), eventIds: new Set() };
  candidate.kinds.add(signal.kind);
  candidate.eventIds.add(signal.eventId);
  candidates.set(key, candidate);
}

function reasonOf(candidate: Candidate): InstanceSignalKind {
  return DRAIN_URGENCY.find((kind) => candidate.kinds.has(kind)) ?? 'rebalance-recommendation';
}

interface Accepted {
  candidate: Candidate;
  reason: InstanceSignalKind;
}

function applyGuardrail(ctx: DecideContext, candidates: Candidate[], decision: Decision): Accepted[] {
  const max = ctx.policy.guardrails.maxDrainingFraction;
  const planned = new Map<string, number>();
  const shares = new Map<string, { total: number; alreadyDraining: number }>();
  const providerKey = (c: Candidate): string => `${c.cluster.name}\u0000${c.instance.capacityProvider ?? ''}`;
  // Sort keys computed once per candidate, not once per comparison.
  type Keyed = Accepted & { urgency: number; key: string };
  const order = (a: Keyed, b: Keyed): number =>
    a.urgency - b.urgency ||
    compareStrings(a.key, b.key) ||
    compareStrings(a.candidate.instance.ec2InstanceId, b.candidate.instance.ec2InstanceId) ||
    compareStrings(a.candidate.instance.arn, b.candidate.instance.arn);
  const withReason = candidates
    .map((candidate): Keyed => {
      const reason = reasonOf(candidate);
      return { candidate, reason, urgency: DRAIN_URGENCY.indexOf(reason), key: providerKey(candidate) };
    })
    .sort(order)
    .map(({ candidate, reason }): Accepted => ({ candidate, reason }));

  const accepted: Accepted[] = [];
  for (const item of withReason) {
    if (DISCRETIONARY.has(item.reason)) continue;
    planned.set(providerKey(item.candidate), (planned.get(providerKey(item.candidate)) ?? 0) + 1);
    accepted.push(item);
  }
  for (const item of withReason) {
    if (!DISCRETIONARY.has(item.reason)) continue;
    const { cluster, instance } = item.candidate;
    const key = providerKey(item.candidate);
    const share = shares.get(key) ?? shareOf(cluster, instance.capacityProvider);
    shares.set(key, share);
    const { total, alreadyDraining } = share;
    const draining = alreadyDraining + (planned.get(key) ?? 0) + 1;
    if (draining / total > max) {
      const provider = instance.capacityProvider ?? 'no capacity provider';
      for (const eventId of uniqueSorted(item.candidate.eventIds)) {
        decision.skipped.push({
          eventId,
          reason: `${item.reason} drain of ${instance.ec2InstanceId} in ${cluster.name} deferred: ${draining} of ${total} instances of ${provider} would be DRAINING, above maxDrainingFraction ${max}; tried again until done or moot`,
        });
        const deferred: DeferredDrain = { eventId, cluster: cluster.name, ec2InstanceId: instance.ec2InstanceId, kind: item.reason, until: null };
        decision.deferred.push(deferred);
      }
      continue;
    }
    planned.set(key, (planned.get(key) ?? 0) + 1);
    accepted.push(item);
  }
  return accepted;
}

function shareOf(cluster: ManagedCluster, provider: string | null): { total: number; alreadyDraining: number } {
  let total = 0;
  let alreadyDraining = 0;
  for (const i of cluster.state.containerInstances) {
    if ((i.capacityProvider ?? null) !== provider) continue;
    if (i.status === 'ACTIVE' || i.status === 'DRAINING') total += 1;
    if (i.status === 'DRAINING' && i.runningTasks > 0) alreadyDraining += 1;
  }
  return { total, alreadyDraining };
}

function drainActions(accepted: Accepted[]): DrainAction[] {
  const groups = new Map<string, { cluster: string; reason: InstanceSignalKind; items: Candidate[] }>();
  for (const { candidate, reason } of accepted) {
    const key = `${candidate.cluster.name}\u0000${reason}`;
    const group = groups.get(key) ?? { cluster: candidate.cluster.name, reason, items: [] };
    group.items.push(candidate);
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => compareStrings(a.cluster, b.cluster) || DRAIN_URGENCY.indexOf(a.reason) - DRAIN_URGENCY.indexOf(b.reason))
    .map(({ cluster, reason, items }) => {
      const sorted = [...items].sort((a, b) => compareStrings(a.instance.arn, b.instance.arn));
      return {
        type: 'drain',
        cluster,
        containerInstances: sorted.map((c) => c.instance.arn),
        ec2InstanceIds: sorted.map((c) => c.instance.ec2InstanceId),
        reason,
        eventIds: uniqueSorted(sorted.flatMap((c) => [...c.eventIds])),
      };
    });
}

// DRAINING replaces service tasks only within minimumHealthyPercent: at 100 % ECS must start a
// replacement before stopping a task, which rarely fits in a two-minute Spot warning. When
// every drained instance of a cluster says which services run on it, only those are named.
function minimumHealthyWarnings(accepted: Accepted[]): string[] {
  const byCluster = new Map<string, { cluster: ManagedCluster; instances: ContainerInstanceState[] }>();
  for (const { candidate } of accepted) {
    const entry = byCluster.get(candidate.cluster.name) ?? { cluster: candidate.cluster, instances: [] };
    entry.instances.push(candidate.instance);
    byCluster.set(candidate.cluster.name, entry);
  }
  return [...byCluster.values()]
    .sort((a, b) => compareStrings(a.cluster.name, b.cluster.name))
    .flatMap(({ cluster, instances }) => {
      const known = instances.every((i) => i.services !== undefined);
      const onDrained = new Set(instances.flatMap((i) => i.services ?? []));
      return cluster.services.filter((s) => s.minimumHealthyPercent >= 100 && (!known || onDrained.has(s.name)));
    })
    .map((s) => `service ${s.name} has minimumHealthyPercent ${s.minimumHealthyPercent}: it may lose tasks, since draining cannot replace them in time`);
}
