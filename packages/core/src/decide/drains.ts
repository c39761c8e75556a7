import type { ContainerInstanceState } from '../model/cluster-state.js';
import type { DrainAction } from '../model/plan.js';
import type { InstanceSignal, InstanceSignalKind } from '../model/signal.js';
import { DRAIN_URGENCY } from '../model/signal.js';
import type { DecideContext, Decision, ManagedCluster } from './context.js';
import { compareStrings, emptyDecision, isInstanceSignal, uniqueSorted } from './context.js';

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
 * | EC2 instance in no managed cluster's state | skipped `instance i-… is in no managed cluster` |
 * | policy action for the signal kind is `none` | skipped, naming the policy action |
 * | container instance already DRAINING | skipped (acknowledged, not retried) |
 * | container instance neither ACTIVE nor DRAINING | skipped: ECS drains only ACTIVE instances |
 * | ACTIVE, not rebalance-recommendation | drained, never blocked, counted toward the share |
 * | ACTIVE, rebalance-recommendation only, share stays ≤ maxDrainingFraction | drained |
 * | ACTIVE, rebalance-recommendation only, share would pass maxDrainingFraction | skipped as deferred |
 * | a drain planned in a cluster with a managed service at minimumHealthyPercent ≥ 100 | warning per service |
 *
 * An instance hit by several signals is drained once, for the most urgent reason
 * (DRAIN_URGENCY), with every event id that asked for it. The share is counted per capacity
 * provider: (DRAINING + planned in this batch) / (ACTIVE or DRAINING). Urgent drains are
 * counted first; rebalance drains then go in order of cluster, provider and instance id. One
 * drain action per (cluster, reason), its instances sorted by ARN.
 */
export function decideDrains(ctx: DecideContext): Decision {
  const decision = emptyDecision();
  const candidates = new Map<string, Candidate>();

  for (const signal of ctx.signals) {
    if (!isInstanceSignal(signal)) continue;
    const skip = (reason: string): void => void decision.skipped.push({ eventId: signal.eventId, reason });
    const matches = ctx.findInstances(signal.ec2InstanceId);
    if (matches.length === 0) {
      skip(`instance ${signal.ec2InstanceId} is in no managed cluster`);
      continue;
    }
    if (ctx.policy.actions[signal.kind] === 'none') {
      skip(`policy action for ${signal.kind} is "none": instance ${signal.ec2InstanceId} is not drained`);
      continue;
    }
    for (const { cluster, instance } of matches) {
      if (instance.status === 'DRAINING') {
        skip(`instance ${signal.ec2InstanceId} in ${cluster.name} is already DRAINING`);
      } else if (instance.status !== 'ACTIVE') {
        // UpdateContainerInstancesState moves only ACTIVE instances to DRAINING.
        skip(`instance ${signal.ec2InstanceId} in ${cluster.name} is ${instance.status}: only ACTIVE instances can be drained`);
      } else {
        addCandidate(candidates, cluster, instance, signal);
      }
    }
  }

  const accepted = applyGuardrail(ctx, [...candidates.values()], decision);
  decision.actions.push(...drainActions(accepted));
  decision.warnings.push(...minimumHealthyWarnings(accepted));
  return decision;
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
  const order = (a: Candidate, b: Candidate): number =>
    compareStrings(providerKey(a), providerKey(b)) ||
    compareStrings(a.instance.ec2InstanceId, b.instance.ec2InstanceId) ||
    compareStrings(a.instance.arn, b.instance.arn);
  const withReason = candidates.map((candidate) => ({ candidate, reason: reasonOf(candidate) })).sort((a, b) => order(a.candidate, b.candidate));

  const accepted: Accepted[] = [];
  for (const item of withReason) {
    if (item.reason === 'rebalance-recommendation') continue;
    planned.set(providerKey(item.candidate), (planned.get(providerKey(item.candidate)) ?? 0) + 1);
    accepted.push(item);
  }
  for (const item of withReason) {
    if (item.reason !== 'rebalance-recommendation') continue;
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
          reason: `rebalance-recommendation drain of ${instance.ec2InstanceId} in ${cluster.name} deferred: ${draining} of ${total} instances of ${provider} would be DRAINING, above maxDrainingFraction ${max}`,
        });
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
    if (i.status === 'DRAINING') alreadyDraining += 1;
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
// replacement before stopping a task, which rarely fits in a two-minute Spot warning.
function minimumHealthyWarnings(accepted: Accepted[]): string[] {
  const clusters = new Map(accepted.map(({ candidate }) => [candidate.cluster.name, candidate.cluster]));
  return [...clusters.values()]
    .sort((a, b) => compareStrings(a.name, b.name))
    .flatMap((cluster) => cluster.services.filter((s) => s.minimumHealthyPercent >= 100))
    .map((s) => `service ${s.name} has minimumHealthyPercent ${s.minimumHealthyPercent}: draining cannot replace its tasks in time`);
}
