import { MalformedEventError, parseEvent } from '@ecs-rebalancer/core';
import type { Policy, Signal } from '@ecs-rebalancer/core';
import { RetryableError, isRetryable } from '../errors.js';
import type { AlarmReader, Clock, ClusterReader, DecisionPublisher, InstanceDrainer, KillSwitch, Quarantine, Redelivery, Sleep } from '../ports.js';
import type { ApplyDeps } from './apply-plan.js';
import { backoffMs, drainDeadline } from './deadlines.js';
import type { Decidable, PendingDrain } from './decide-in-isolation.js';
import { asError, decideInIsolation } from './decide-in-isolation.js';
import { runOptions } from './run-options.js';
import { URGENT_RETRY_SECONDS, representDeferred, retryLater } from './redeliver.js';

export interface ReactDeps extends ApplyDeps {
  drainer: InstanceDrainer;
  policy: Policy;
  clusters: ClusterReader;
  alarms: AlarmReader;
  decisions: DecisionPublisher;
  quarantine: Quarantine;
  clock: Clock;
  /** The kill switch; without one the function is active. */
  killSwitch?: KillSwitch;
  /** Brings failed and deferred records back in seconds; without one they wait for the queue's visibility timeout. */
  redelivery?: Redelivery;
  /** Waits between the attempts of an interruption drain; defaults to setTimeout. */
  sleep?: Sleep;
  /** Jitter source in [0, 1); defaults to Math.random. */
  random?: () => number;
  /** The queue's maxReceiveCount: a record received that often is left to the DLQ, a deferred one is sent afresh before. */
  maxReceiveCount?: number;
}

/** The part of an SQS record the react path reads (the Lambda SQSRecord has it). */
export interface QueueRecord {
  messageId: string;
  body: string;
  receiptHandle?: string;
  eventSourceARN?: string;
  attributes?: { SentTimestamp?: string; ApproximateReceiveCount?: string };
}

/** Lambda's partial batch response: the records SQS must deliver again. */
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface InvocationOptions {
  /** Lambda's context.getRemainingTimeInMillis: in-invocation retries stop short of it. */
  remainingMs?: () => number;
}

// In-invocation retry rounds of interruption drains: bounded by the deadline, the time the
// invocation has left (minus a margin for reporting) and a number of rounds.
export const MAX_DRAIN_ROUNDS = 8;
const INVOCATION_MARGIN_MS = 5_000;
const DEFAULT_REMAINING_MS = 55_000;

interface ParsedRecord {
  record: QueueRecord;
  signals: Signal[];
  deadline: number | undefined;
}

/**
 * Handles one SQS batch of events:
 * 1. parse each record into signals; a record that will never parse is quarantined (sent to
 *    the DLQ with its error) and acknowledged;
 * 2. read the kill switch: `paused` decides but carries nothing out and says so for every
 *    record; `dry-run` (or the policy's `dryRun`) changes nothing and emits no metric;
 * 3. load, decide, apply and report, in isolation (decideInIsolation): a record whose load or
 *    decision fails for good is quarantined with the error, the others go on;
 * 4. retry the interruption drains that failed for a passing reason inside the invocation,
 *    with full-jitter back-off, until their deadline (the warning's time + 2 min) or the
 *    invocation's time runs out;
 * 5. answer SQS: records that still failed for a passing reason come back in seconds (their
 *    visibility is shortened), deferred drains come back when due; a drain that missed its
 *    deadline is counted (DrainDeadlineMissed, alarmed on).
 * A duplicate message changes nothing twice: the decision is taken on freshly loaded state,
 * where its instances are already DRAINING and its service already holds its baseline.
 */
export async function handleReactBatch(records: readonly QueueRecord[], deps: ReactDeps, invocation: InvocationOptions = {}): Promise<BatchResponse> {
  const started = deps.clock().getTime();
  const remaining = invocation.remainingMs ?? (() => DEFAULT_REMAINING_MS - (deps.clock().getTime() - started));
  const retry = new Set<string>();
  // Records the quarantine could not take: they come back soon, towards the redrive policy's DLQ.
  const unquarantined: ParsedRecord[] = [];

  // 1. Parse.
  const parsed: ParsedRecord[] = [];
  for (const record of records) {
    const sent = Number(record.attributes?.SentTimestamp);
    if (Number.isFinite(sent) && sent > 0) deps.metrics.milliseconds('QueueAge', Math.max(0, started - sent));
    let signals: Signal[];
    try {
      signals = parseRecord(record.body);
    } catch (error) {
      if (!(await quarantine(record, asError(error), deps))) unquarantined.push({ record, signals: [], deadline: undefined });
      continue;
    }
    countSignals(signals, deps);
    parsed.push({ record, signals, deadline: drainDeadline(signals) });
  }
  for (const id of await retryLater(unquarantined, deps, started)) retry.add(id);
  if (parsed.length === 0) return response(retry);

  // 2. The kill switch.
  const options = await runOptions(deps);

  // 3. Load, decide, apply, report.
  const byId = new Map(parsed.map((p) => [p.record.messageId, p]));
  const items = (list: Iterable<string>): Decidable[] => [...list].flatMap((id) => (byId.has(id) ? [{ id, signals: byId.get(id)!.signals }] : []));
  let outcome = await decideInIsolation(items(byId.keys()), deps, { ...options, now: new Date(started) });
  const failed = new Set(outcome.retry);
  const deferred = new Map(outcome.deferred);
  const drains = new Map(outcome.drains);
  for (const [id, f] of outcome.failed) {
    const p = byId.get(id)!;
    if (!(await quarantine(p.record, f.error, deps))) failed.add(id);
  }

  // 4. Retry interruption drains inside the invocation, against their deadline.
  for (let round = 0; round < MAX_DRAIN_ROUNDS; round++) {
    const wait = backoffMs(round, deps.random ?? Math.random);
    const now = deps.clock().getTime();
    const urgent = [...failed].filter((id) => {
      const deadline = byId.get(id)?.deadline;
      return deadline !== undefined && now + wait < deadline;
    });
    if (urgent.length === 0 || remaining() - wait < INVOCATION_MARGIN_MS) break;
    await (deps.sleep ?? defaultSleep)(wait);
    deps.metrics.count('DrainRetryRounds', 1);
    // Drains that failed alone are sent again as they are; the rest is loaded and decided again.
    const drainOnly = urgent.filter((id) => (drains.get(id)?.length ?? 0) > 0);
    for (const id of await redrain(drainOnly, drains, deps)) failed.delete(id);
    const rerun = urgent.filter((id) => !drainOnly.includes(id));
    if (rerun.length === 0) continue;
    outcome = await decideInIsolation(items(rerun), deps, { ...options, now: deps.clock() });
    for (const id of rerun) if (!outcome.retry.has(id)) failed.delete(id);
    for (const [id, f] of outcome.failed) {
      failed.delete(id);
      if (!(await quarantine(byId.get(id)!.record, f.error, deps))) failed.add(id);
    }
    for (const [id, at] of outcome.deferred) deferred.set(id, at);
    for (const [id, d] of outcome.drains) drains.set(id, d);
  }

  // 5. Answer.
  const end = deps.clock().getTime();
  for (const p of parsed) {
    if (p.deadline !== undefined && failed.has(p.record.messageId) && end + URGENT_RETRY_SECONDS * 1000 >= p.deadline) {
      // The infra alarm reads exactly this name and dimension.
      deps.metrics.count('DrainDeadlineMissed', 1, { Function: 'react' });
      deps.log.error('an interruption drain missed its deadline', { messageId: p.record.messageId, eventIds: p.signals.map((s) => s.eventId), deadline: new Date(p.deadline).toISOString(), decision: 'retry' });
    }
  }
  for (const id of failed) retry.add(id);
  const again = await retryLater([...failed].flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])), deps, end);
  const kept = await representDeferred([...deferred].flatMap(([id, at]) => (byId.has(id) && !failed.has(id) ? [{ ...byId.get(id)!, at }] : [])), deps, end);
  for (const id of [...again, ...kept]) retry.add(id);
  return response(retry);
}

/**
 * Handles the payload of a CloudWatch alarm that invokes the function directly (an alarm
 * action: `{source: 'aws.cloudwatch', alarmArn, alarmData, …}`, no SQS `Records`), as a batch
 * of one: parse, load, decide, apply, report. Lambda invokes an alarm action asynchronously,
 * so there is no queue to quarantine to nor a partial response to give: a payload that does
 * not parse, a failed load and work that failed for a passing reason all reject, for Lambda's
 * asynchronous retries and the function's on-failure destination. Permanent failures of the
 * work itself are logged and acknowledged, as for a queued record.
 */
export async function handleDirectEvent(event: unknown, deps: ReactDeps): Promise<void> {
  let signals: Signal[];
  try {
    signals = parseEvent(event);
  } catch (error) {
    const failure = asError(error);
    deps.metrics.count('MalformedInvocations', 1);
    deps.log.error('direct invocation payload is malformed: the invocation fails', {
      decision: 'fail',
      error: failure.message,
      errorName: failure.name,
      path: failure instanceof MalformedEventError ? failure.path : undefined,
    });
    throw failure;
  }
  countSignals(signals, deps);
  const id = `direct:${signals[0]?.eventId ?? 'unknown'}`;
  const options = await runOptions(deps);
  const outcome = await decideInIsolation([{ id, signals }], deps, { ...options, now: deps.clock() });
  const failure = outcome.failed.get(id);
  if (failure) {
    deps.log.error('direct invocation not carried out: the invocation fails', { eventIds: signals.map((s) => s.eventId), decision: 'fail', stage: failure.stage, error: failure.error.message });
    throw failure.error;
  }
  if (outcome.retry.size > 0) {
    throw new RetryableError(`some work asked for by ${signals.map((s) => s.eventId).join(', ')} failed for a passing reason; Lambda invokes the function again`);
  }
}

/**
 * Drains again the instances whose drain failed for a passing reason, one call per cluster
 * and 10 instances; returns the records that are done (every instance DRAINING now, or
 * refused for good: MISSING, INACTIVE). Instances still failing stay in `drains`.
 */
async function redrain(ids: readonly string[], drains: Map<string, PendingDrain[]>, deps: ReactDeps): Promise<string[]> {
  const byCluster = new Map<string, Set<string>>();
  for (const id of ids) for (const d of drains.get(id) ?? []) byCluster.set(d.cluster, (byCluster.get(d.cluster) ?? new Set()).add(d.containerInstanceArn));
  const stillFailing = new Set<string>();
  for (const [cluster, arns] of byCluster) {
    for (const r of await deps.drainer.drain(cluster, [...arns])) {
      if (r.status === 'failed' && isRetryable(r.error)) stillFailing.add(`${cluster}/${r.containerInstanceArn}`);
      else if (r.status !== 'draining' && r.status !== 'already-draining') deps.log.warn('instance not drained on retry', { cluster, containerInstanceArn: r.containerInstanceArn, status: r.status, reason: r.reason });
    }
  }
  const done: string[] = [];
  for (const id of ids) {
    const left = (drains.get(id) ?? []).filter((d) => stillFailing.has(`${d.cluster}/${d.containerInstanceArn}`));
    drains.set(id, left);
    if (left.length === 0) done.push(id);
  }
  return done;
}

function countSignals(signals: readonly Signal[], deps: ReactDeps): void {
  for (const signal of signals) deps.metrics.count('Signals', 1, { Kind: signal.kind });
}

/** The SQS body is the EventBridge event (or a direct alarm-action payload) as JSON text. */
function parseRecord(body: string): Signal[] {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (error) {
    throw new MalformedEventError('', `message body is not JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseEvent(raw);
}

/**
 * True when the record is safely in the DLQ and may be acknowledged. When the quarantine
 * fails, the record is delivered again: a passing failure may succeed next time, and a
 * permanent one (no DLQ configured, access denied) is left to the queue's redrive policy,
 * which moves it to the DLQ after maxReceiveCount receives with no permission needed — so it
 * is never retried forever and never dropped.
 */
async function quarantine(record: QueueRecord, error: Error, deps: ReactDeps): Promise<boolean> {
  const receiveCount = Number(record.attributes?.ApproximateReceiveCount);
  const path = error instanceof MalformedEventError ? error.path : undefined;
  try {
    await deps.quarantine.send(
      { messageId: record.messageId, body: record.body, ...(Number.isFinite(receiveCount) ? { receiveCount } : {}) },
      error,
    );
  } catch (failure) {
    const permanent = !isRetryable(failure);
    deps.metrics.count('QuarantineFailed', 1, { Class: permanent ? 'permanent' : 'retryable' });
    deps.log.error(
      permanent
        ? `record could not be quarantined for good: it is left to the queue's redrive policy (receive ${Number.isFinite(receiveCount) ? receiveCount : '?'} of ${deps.maxReceiveCount ?? '?'})`
        : 'record could not be quarantined: it is delivered again',
      { messageId: record.messageId, decision: 'retry', quarantineFailure: permanent ? 'permanent' : 'retryable', error: error.message, quarantineError: (failure as Error).message },
    );
    return false;
  }
  deps.metrics.count('Quarantined', 1);
  deps.log.warn('record quarantined', { messageId: record.messageId, decision: 'quarantine', error: error.message, errorName: error.name, path });
  return true;
}

function response(retry: ReadonlySet<string>): BatchResponse {
  return { batchItemFailures: [...retry].map((itemIdentifier) => ({ itemIdentifier })) };
}

const defaultSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
