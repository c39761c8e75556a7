import { decideBatch, planLoad } from '@ecs-rebalancer/core';
import type { DeferredDrain, Plan, Signal } from '@ecs-rebalancer/core';
import { isRetryable } from '../errors.js';
import type { ClusterSnapshot } from '../ports.js';
import type { ActionReport } from './apply-plan.js';
import { applyPlan } from './apply-plan.js';
import type { ReactDeps } from './handle-react.js';
import { loadSnapshot } from './load-snapshot.js';
import { reportDecisions } from './report-decisions.js';

/** Records (or a direct invocation) to decide on together. */
export interface Decidable {
  /** The SQS message id, or a made-up one for a direct invocation. */
  id: string;
  signals: Signal[];
}

export interface RunOptions {
  now: Date;
  dryRun: boolean;
  /** Set by the kill switch: why nothing is carried out. */
  paused?: string;
}

/** What became of the records of one run. */
export interface RunOutcome {
  /** Records whose work failed for a passing reason: delivered again. */
  retry: Set<string>;
  /** Records that could not be loaded or decided for good, with the failure. */
  failed: Map<string, { error: Error; stage: Stage }>;
  /** Records whose drain was deferred, with when they are due again (ms since the epoch). */
  deferred: Map<string, number>;
  /**
   * Records retried only because some of their instances' drains failed for a passing reason,
   * with those instances: a retry inside the invocation drains just them, without loading again.
   */
  drains: Map<string, PendingDrain[]>;
}

/** An instance whose drain failed for a passing reason. */
export interface PendingDrain {
  cluster: string;
  containerInstanceArn: string;
  ec2InstanceId: string;
}

type Stage = 'load' | 'decide';
type Attempt = RunOutcome | { failure: Error; stage: Stage };

// A guardrail deferral carries no time of its own: the share of DRAINING instances is looked
// at again after a minute.
export const GUARDRAIL_RETRY_MS = 60_000;

/**
 * Loads, decides, applies and reports for the records together. A signal whose decision
 * throws is set apart by the core (decideBatch): its record fails, the others' plan goes on
 * without reloading. When the load fails for good, or only the records together fail to be
 * decided, the records are split in halves and each half is tried alone, down to the single
 * record that caused it, so one bad record (a cluster named `constructor`, a service the load
 * cannot read) never takes its batch with it. Nothing is applied before a half has
 * loaded and decided, so a retried half changes nothing twice. A load that failed for a
 * passing reason (throttling) is not split: every record is delivered again.
 */
export async function decideInIsolation(items: readonly Decidable[], deps: ReactDeps, options: RunOptions): Promise<RunOutcome> {
  const outcome: RunOutcome = { retry: new Set(), failed: new Map(), deferred: new Map(), drains: new Map() };
  if (items.length === 0) return outcome;
  const result = await decideAndApply(items, deps, options);
  if (!('failure' in result)) return merge(outcome, result);
  if (result.stage === 'load' && isRetryable(result.failure)) {
    deps.log.warn('cluster state not loaded: the records are delivered again', { messageIds: items.map((i) => i.id), decision: 'retry', error: result.failure.message });
    for (const item of items) outcome.retry.add(item.id);
    return outcome;
  }
  if (items.length === 1) {
    outcome.failed.set(items[0]!.id, { error: result.failure, stage: result.stage });
    return outcome;
  }
  deps.log.warn(`${result.stage} failed for ${items.length} records: trying them in halves`, { error: result.failure.message, errorName: result.failure.name });
  deps.metrics.count('IsolationSplits', 1);
  const middle = Math.ceil(items.length / 2);
  for (const half of [items.slice(0, middle), items.slice(middle)]) merge(outcome, await decideInIsolation(half, deps, options));
  return outcome;
}

/** Adds what became of some records to `into`. */
function merge(into: RunOutcome, from: RunOutcome): RunOutcome {
  for (const id of from.retry) into.retry.add(id);
  for (const [id, f] of from.failed) into.failed.set(id, f);
  for (const [id, at] of from.deferred) into.deferred.set(id, at);
  for (const [id, d] of from.drains) into.drains.set(id, d);
  return into;
}

async function decideAndApply(items: readonly Decidable[], deps: ReactDeps, options: RunOptions): Promise<Attempt> {
  const signals = items.flatMap((p) => p.signals);
  const allIds = [...new Set(signals.map((s) => s.eventId))];

  // 1. Load.
  let snapshots: ClusterSnapshot[];
  try {
    snapshots = await loadSnapshot(planLoad(signals, deps.policy), deps);
  } catch (error) {
    return { failure: asError(error), stage: 'load' };
  }

  // 2. Decide; the core sets apart the signals whose decision throws.
  const time = options.now.toISOString();
  let plan: Plan;
  const failed = new Map<string, { error: Error; stage: Stage }>();
  try {
    const decided = decideBatch(signals, snapshots.map((s) => s.state), deps.policy, time);
    const errors = new Map(decided.failed.map((f) => [f.eventId, asError(f.error)]));
    for (const { id, signals: own } of items) {
      const error = own.map((s) => errors.get(s.eventId)).find((e) => e !== undefined);
      if (error) failed.set(id, { error, stage: 'decide' });
    }
    // Every record failed together: halves may decide alone (the failure needs them all).
    if (items.length > 1 && failed.size === items.length) return { failure: failed.values().next().value!.error, stage: 'decide' };
    plan = decided.plan;
  } catch (error) {
    return { failure: asError(error), stage: 'decide' };
  }
  // 3. Apply.
  const reports = await applyPlan(plan, snapshots, deps, { dryRun: options.dryRun, ...(options.paused === undefined ? {} : { paused: options.paused }) });

  // 4. Report.
  await reportDecisions(reports, deps, { time, dryRun: options.dryRun });
  for (const warning of plan.warnings) deps.log.warn('plan warning', { eventIds: allIds, decision: 'warning', warning });
  if (plan.skipped.length > 0) deps.metrics.count('Skipped', plan.skipped.length);

  const pending = pendingDrains(reports, signals);
  const otherRetries = new Set(reports.filter((r) => r.retry && r.action.type !== 'drain').flatMap((r) => r.action.eventIds));
  const again = new Set([...otherRetries, ...pending.keys()]);
  const dueAt = options.paused === undefined ? deferrals(plan.deferred ?? [], options.now.getTime()) : new Map<string, number>();
  const retry = new Set<string>();
  const deferred = new Map<string, number>();
  const drains = new Map<string, PendingDrain[]>();
  for (const { id, signals: own } of items) {
    if (failed.has(id)) continue;
    const eventIds = [...new Set(own.map((s) => s.eventId))];
    const retried = eventIds.some((e) => again.has(e));
    if (retried) retry.add(id);
    if (retried && !eventIds.some((e) => otherRetries.has(e))) drains.set(id, eventIds.flatMap((e) => pending.get(e) ?? []));
    const due = eventIds.flatMap((e) => (dueAt.has(e) ? [dueAt.get(e) as number] : []));
    if (!retried && due.length > 0) deferred.set(id, Math.min(...due));
    deps.log.info('record decided', { messageId: id, eventIds, decision: decisionOf(eventIds, plan, reports, retried, options.paused) });
  }
  return { retry, deferred, drains, failed };
}

/**
 * Event id → the instances of its drains that failed for a passing reason: every event with
 * such an instance is a key (the events whose drains are retried), its list the instances to
 * drain again.
 */
function pendingDrains(reports: readonly ActionReport[], signals: readonly Signal[]): Map<string, PendingDrain[]> {
  const byEvent = new Map<string, PendingDrain[]>();
  for (const r of reports) {
    if (!r.retry || r.action.type !== 'drain') continue;
    const action = r.action;
    for (const ec2InstanceId of r.retryInstanceIds) {
      const index = action.ec2InstanceIds.indexOf(ec2InstanceId);
      const arn = index >= 0 ? action.containerInstances[index] : undefined;
      for (const s of signals) {
        if (!('ec2InstanceId' in s) || s.ec2InstanceId !== ec2InstanceId || !action.eventIds.includes(s.eventId)) continue;
        const drains = byEvent.get(s.eventId) ?? [];
        if (arn !== undefined) drains.push({ cluster: action.cluster, containerInstanceArn: arn, ec2InstanceId });
        byEvent.set(s.eventId, drains);
      }
    }
  }
  return byEvent;
}

/** Event id → when its deferred drain is due: the time the core states, or a minute for a guardrail deferral (`until` null). */
function deferrals(deferred: readonly DeferredDrain[], now: number): Map<string, number> {
  const due = new Map<string, number>();
  for (const d of deferred) {
    const at = d.until === null ? now + GUARDRAIL_RETRY_MS : Date.parse(d.until);
    if (Number.isFinite(at)) due.set(d.eventId, Math.min(due.get(d.eventId) ?? at, at));
  }
  return due;
}

function decisionOf(eventIds: readonly string[], plan: Plan, reports: readonly ActionReport[], retried: boolean, paused: string | undefined): Record<string, unknown> {
  const mine = (ids: readonly string[]): boolean => ids.some((id) => eventIds.includes(id));
  return {
    actions: reports
      .filter((r) => mine(r.action.eventIds))
      .map((r) => ({
        type: r.action.type,
        cluster: r.action.cluster,
        outcome: r.outcome,
        ...(r.action.type === 'drain' ? { reason: r.action.reason, instances: r.action.ec2InstanceIds.length } : {}),
        ...(r.action.type === 'set-strategy' ? { service: r.action.service, change: r.action.change, reason: r.action.reason } : {}),
        ...(r.action.type === 'clear-record' ? { service: r.action.service, reason: r.action.reason } : {}),
        ...(r.action.type === 'metric' ? { metric: r.action.name, value: r.action.value } : {}),
        ...(r.problems.length > 0 ? { problems: r.problems } : {}),
      })),
    skipped: plan.skipped.filter((s) => eventIds.includes(s.eventId)).map((s) => s.reason),
    ...(paused === undefined ? {} : { paused }),
    retried,
  };
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
