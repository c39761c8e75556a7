import type { ClearRecordAction, DrainAction, MetricAction, Plan, PlanAction, ServiceState, SetStrategyAction } from '@ecs-rebalancer/core';
import { isRetryable } from '../errors.js';
import type { ClusterSnapshot, InstanceDrainer, Log, MetricsSink, Outcome, StrategyChangeRequest, StrategyRecord, StrategyWriter } from '../ports.js';
import { mapLimit } from '../chunks.js';

// Each strategy change costs up to three calls from ECS's service-write bucket (TagResource,
// UntagResource, UpdateService: 50 burst, 5 per second per account and region) and one
// service read. Four services at a time leave the bucket to other batches, the tick and the
// operators, instead of emptying it with one alarm over a cluster of many services.
export const STRATEGY_WRITE_CONCURRENCY = 4;

export interface ApplyDeps {
  /**
   * Only the react function drains. Without a drainer (the tick) a drain action is reported
   * failed with its reason and not retried: the core never plans a drain on a tick.
   */
  drainer?: InstanceDrainer;
  strategies: StrategyWriter;
  metrics: MetricsSink;
  log: Log;
}

/** What became of one action of the plan. */
export interface ActionReport {
  action: PlanAction;
  outcome: Outcome;
  /** Permanent problems (reported and acknowledged) and passing ones (retried). */
  problems: string[];
  /** True when some of the action's work failed for a passing reason: its records are retried. */
  retry: boolean;
  /** For a drain: the EC2 instances whose drain failed for a passing reason. */
  retryInstanceIds: string[];
}

/**
 * Carries out a plan: drains first (an interrupted instance has two minutes), then strategy
 * changes and record clearings, serialised per service and at most
 * STRATEGY_WRITE_CONCURRENCY services at a time, then the metrics the plan asks for. A
 * service the loader marked `blocked` is not changed: its action fails with that reason, not
 * retried. With `dryRun` nothing is changed and no metric is emitted (SpotInterruptions drives
 * the fallback alarm, which would then act for real): every action is reported as `dry-run`.
 * With `paused` (the kill switch) no action is carried out: each is reported `paused` with
 * the reason. Never rejects: each action's failure is in its report.
 */
export async function applyPlan(plan: Plan, snapshots: readonly ClusterSnapshot[], deps: ApplyDeps, options: { dryRun: boolean; paused?: string }): Promise<ActionReport[]> {
  if (options.paused !== undefined) {
    const why = options.paused;
    return plan.actions.map((a) => report(a, 'paused', [why]));
  }
  if (options.dryRun) return plan.actions.map((a) => report(a, 'dry-run'));
  const drains = plan.actions.filter((a): a is DrainAction => a.type === 'drain');
  const changes = plan.actions.filter((a): a is SetStrategyAction | ClearRecordAction => a.type === 'set-strategy' || a.type === 'clear-record');
  const metrics = plan.actions.filter((a): a is MetricAction => a.type === 'metric');

  const drained = await Promise.all(drains.map((a) => applyDrain(a, deps)));
  // decide() plans one change per service; should a plan hold more, they run in order.
  const perService = new Map<string, (SetStrategyAction | ClearRecordAction)[]>();
  for (const a of changes) {
    const key = `${a.cluster}\u0000${a.service}`;
    perService.set(key, [...(perService.get(key) ?? []), a]);
  }
  const changed = (
    await mapLimit([...perService.values()], STRATEGY_WRITE_CONCURRENCY, async (serviceChanges) => {
      const done: ActionReport[] = [];
      for (const a of serviceChanges) done.push(a.type === 'set-strategy' ? await applyStrategy(a, snapshots, deps) : await applyClearRecord(a, snapshots, deps));
      return done;
    })
  ).flat();
  const counted = metrics.map((a) => applyMetric(a, deps));
  const reports = new Map<PlanAction, ActionReport>([...drained, ...changed, ...counted].map((r) => [r.action, r]));
  return plan.actions.flatMap((a) => reports.get(a) ?? []);
}

/** Why a drain without a drainer is not carried out. */
export const NO_DRAINER = 'not drained: this function has no instance drainer (only the react function drains)';

function report(action: PlanAction, outcome: Outcome, problems: string[] = [], retry = false, retryInstanceIds: string[] = []): ActionReport {
  return { action, outcome, problems, retry, retryInstanceIds };
}

async function applyDrain(action: DrainAction, deps: ApplyDeps): Promise<ActionReport> {
  if (!deps.drainer) return report(action, 'failed', [NO_DRAINER]);
  const ec2Ids = new Map(action.containerInstances.map((arn, i) => [arn, action.ec2InstanceIds[i] ?? arn]));
  const results = await deps.drainer.drain(action.cluster, action.containerInstances);
  const problems: string[] = [];
  const retryInstanceIds: string[] = [];
  let done = 0;
  for (const r of results) {
    const instance = ec2Ids.get(r.containerInstanceArn) ?? r.containerInstanceArn;
    if (r.status === 'draining' || r.status === 'already-draining') {
      done += 1;
    } else if (r.status === 'failed' && isRetryable(r.error)) {
      retryInstanceIds.push(instance);
      problems.push(`${instance}: ${r.reason ?? 'failed'} (retried)`);
    } else {
      problems.push(`${instance}: ${r.status}${r.reason ? `: ${r.reason}` : ''}`);
    }
  }
  const outcome: Outcome = done === results.length ? 'done' : done === 0 ? 'failed' : 'partial';
  return report(action, outcome, problems, retryInstanceIds.length > 0, retryInstanceIds);
}

/** The loaded service an action changes, or the report of why it is not changed. */
function target(action: SetStrategyAction | ClearRecordAction, snapshots: readonly ClusterSnapshot[]): { service: ServiceState; serviceArn: string } | ActionReport {
  const snapshot = snapshots.find((s) => s.state.cluster === action.cluster);
  const service = snapshot?.state.services.find((s) => s.name === action.service);
  const serviceArn = snapshot && Object.hasOwn(snapshot.serviceArns, action.service) ? snapshot.serviceArns[action.service] : undefined;
  if (!service || !serviceArn) return report(action, 'failed', [`service ${action.service} in ${action.cluster} was not loaded`]);
  const blocked = snapshot?.blocked && Object.hasOwn(snapshot.blocked, action.service) ? snapshot.blocked[action.service] : undefined;
  if (blocked !== undefined) return report(action, 'failed', [blocked]);
  return { service, serviceArn };
}

/**
 * The record as loaded, with the parts the writer carries forward: the phase (compared before
 * the change), when the service was last restored and its fallbacks of the last hour (which
 * double the next fallback's minSeconds). Parts the reader did not fill stay absent.
 */
function recordOf(service: ServiceState): StrategyRecord {
  return {
    baseline: service.baseline,
    fallbackSince: service.fallbackSince,
    applied: service.applied ?? null,
    ...(service.fallbackPhase !== undefined && { phase: service.fallbackPhase }),
    ...(service.lastRestoredAt !== undefined && { lastRestoredAt: service.lastRestoredAt }),
    ...(service.recentFallbacks !== undefined && { recentFallbacks: [...service.recentFallbacks] }),
  };
}

async function applyStrategy(action: SetStrategyAction, snapshots: readonly ClusterSnapshot[], deps: ApplyDeps): Promise<ActionReport> {
  const found = target(action, snapshots);
  if ('outcome' in found) return found;
  const { service, serviceArn } = found;
  const change: StrategyChangeRequest = {
    cluster: action.cluster,
    service: action.service,
    serviceArn,
    strategy: action.strategy,
    record: { baseline: action.baseline, fallbackSince: action.fallbackSince, applied: action.strategy },
    previous: {
      strategy: service.strategy,
      record: recordOf(service),
    },
  };
  try {
    const result = await deps.strategies.write(change);
    return report(action, result === 'updated' ? 'done' : 'unchanged');
  } catch (error) {
    const retry = isRetryable(error);
    return report(action, 'failed', [`${(error as Error).message}${retry ? ' (retried)' : ''}`], retry);
  }
}

async function applyClearRecord(action: ClearRecordAction, snapshots: readonly ClusterSnapshot[], deps: ApplyDeps): Promise<ActionReport> {
  const found = target(action, snapshots);
  if ('outcome' in found) return found;
  const { service, serviceArn } = found;
  try {
    await deps.strategies.clearRecord({
      cluster: action.cluster,
      service: action.service,
      serviceArn,
      strategy: service.strategy,
      previousRecord: recordOf(service),
    });
    return report(action, 'done');
  } catch (error) {
    const retry = isRetryable(error);
    return report(action, 'failed', [`${(error as Error).message}${retry ? ' (retried)' : ''}`], retry);
  }
}

function applyMetric(action: MetricAction, deps: ApplyDeps): ActionReport {
  // The infra fallback alarm reads exactly this name with the single dimension Cluster.
  deps.metrics.count(action.name, action.value, { Cluster: action.cluster });
  return report(action, 'done');
}
