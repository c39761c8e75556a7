import { MalformedEventError, decide, parseEvent, planLoad } from '@ecs-rebalancer/core';
import type { Plan, Policy, Signal } from '@ecs-rebalancer/core';
import { RetryableError, isRetryable } from '../errors.js';
import type { AlarmReader, Clock, ClusterReader, ClusterSnapshot, DecisionPublisher, InstanceDrainer, Quarantine } from '../ports.js';
import type { ActionReport, ApplyDeps } from './apply-plan.js';
import { applyPlan } from './apply-plan.js';
import { loadSnapshot } from './load-snapshot.js';
import { reportDecisions } from './report-decisions.js';

export interface ReactDeps extends ApplyDeps {
  drainer: InstanceDrainer;
  policy: Policy;
  clusters: ClusterReader;
  alarms: AlarmReader;
  decisions: DecisionPublisher;
  quarantine: Quarantine;
  clock: Clock;
}

/** The part of an SQS record the react path reads (the Lambda SQSRecord has it). */
export interface QueueRecord {
  messageId: string;
  body: string;
  attributes?: { SentTimestamp?: string; ApproximateReceiveCount?: string };
}

/** Lambda's partial batch response: the records SQS must deliver again. */
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

interface ParsedRecord {
  record: QueueRecord;
  signals: Signal[];
}

/**
 * Handles one SQS batch of events:
 * 1. parse each record into signals; a record that will never parse is quarantined (sent to
 *    the DLQ with its error) and acknowledged;
 * 2. load the snapshot of the clusters the batch touches; if that fails for a passing reason,
 *    every parsable record is delivered again, and if it fails for good they are quarantined
 *    with the error, to be redriven once it is fixed;
 * 3. decide once for the whole batch;
 * 4. apply the plan (nothing is changed under `dryRun`);
 * 5. report: one decision event per action, metrics, one log line per record with its event
 *    ids and what was decided for them;
 * 6. answer SQS: a record is delivered again when some work its events asked for failed for a
 *    passing reason; permanent failures are logged with their reason and acknowledged.
 * A duplicate message changes nothing twice: the decision is taken on freshly loaded state,
 * where its instances are already DRAINING and its service already holds its baseline.
 */
export async function handleReactBatch(records: readonly QueueRecord[], deps: ReactDeps): Promise<BatchResponse> {
  const now = deps.clock();
  const retry = new Set<string>();

  // 1. Parse.
  const parsed: ParsedRecord[] = [];
  for (const record of records) {
    const sent = Number(record.attributes?.SentTimestamp);
    if (Number.isFinite(sent) && sent > 0) deps.metrics.milliseconds('QueueAge', Math.max(0, now.getTime() - sent));
    let signals: Signal[];
    try {
      signals = parseRecord(record.body);
    } catch (error) {
      if (!(await quarantine(record, asError(error), deps))) retry.add(record.messageId);
      continue;
    }
    countSignals(signals, deps);
    parsed.push({ record, signals });
  }
  if (parsed.length === 0) return response(retry);

  // 2.–5. Load, decide, apply, report.
  const outcome = await decideAndApply(parsed.map(({ record, signals }) => ({ id: record.messageId, signals })), deps, now);
  if ('failure' in outcome) {
    if (outcome.stage === 'load' && isRetryable(outcome.failure)) {
      deps.log.warn('cluster state not loaded: the batch is delivered again', { eventIds: eventIdsOf(parsed), decision: 'retry', error: outcome.failure.message });
      for (const p of parsed) retry.add(p.record.messageId);
    } else {
      await quarantineAll(parsed, outcome.failure, retry, deps);
    }
    return response(retry);
  }

  // 6. Answer.
  for (const id of outcome.retry) retry.add(id);
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
  const now = deps.clock();
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
  const outcome = await decideAndApply([{ id, signals }], deps, now);
  if ('failure' in outcome) {
    deps.log.error('direct invocation not carried out: the invocation fails', { eventIds: signals.map((s) => s.eventId), decision: 'fail', stage: outcome.stage, error: outcome.failure.message });
    throw outcome.failure;
  }
  if (outcome.retry.size > 0) {
    throw new RetryableError(`some work asked for by ${signals.map((s) => s.eventId).join(', ')} failed for a passing reason; Lambda invokes the function again`);
  }
}

interface Decidable {
  /** The SQS message id, or a made-up one for a direct invocation. */
  id: string;
  signals: Signal[];
}

type DecideOutcome = { retry: Set<string> } | { failure: Error; stage: 'load' | 'decide' };

/**
 * Steps 2–5 for parsed records: load, decide once, apply, report. Returns the ids of the
 * records whose work failed for a passing reason, or the failure that stopped it all before
 * anything was changed.
 */
async function decideAndApply(items: readonly Decidable[], deps: ReactDeps, now: Date): Promise<DecideOutcome> {
  const signals = items.flatMap((p) => p.signals);
  const allIds = [...new Set(signals.map((s) => s.eventId))];

  // 2. Load.
  let snapshots: ClusterSnapshot[];
  try {
    snapshots = await loadSnapshot(planLoad(signals, deps.policy), deps);
  } catch (error) {
    return { failure: asError(error), stage: 'load' };
  }

  // 3. Decide.
  const time = now.toISOString();
  let plan: Plan;
  try {
    plan = decide(signals, snapshots.map((s) => s.state), deps.policy, time);
  } catch (error) {
    return { failure: asError(error), stage: 'decide' };
  }

  // 4. Apply.
  const reports = await applyPlan(plan, snapshots, deps, { dryRun: deps.policy.dryRun });

  // 5. Report.
  await reportDecisions(reports, deps, { time, dryRun: deps.policy.dryRun });
  for (const warning of plan.warnings) deps.log.warn('plan warning', { eventIds: allIds, decision: 'warning', warning });
  if (plan.skipped.length > 0) deps.metrics.count('Skipped', plan.skipped.length);

  const again = eventIdsToRetry(reports, signals);
  const retry = new Set<string>();
  for (const { id, signals: own } of items) {
    const eventIds = [...new Set(own.map((s) => s.eventId))];
    const retried = eventIds.some((e) => again.has(e));
    if (retried) retry.add(id);
    deps.log.info('record decided', { messageId: id, eventIds, decision: decisionOf(eventIds, plan, reports, retried) });
  }
  return { retry };
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

/** True when the record is safely in the DLQ and may be acknowledged. */
async function quarantine(record: QueueRecord, error: Error, deps: ReactDeps): Promise<boolean> {
  const receiveCount = Number(record.attributes?.ApproximateReceiveCount);
  const path = error instanceof MalformedEventError ? error.path : undefined;
  try {
    await deps.quarantine.send(
      { messageId: record.messageId, body: record.body, ...(Number.isFinite(receiveCount) ? { receiveCount } : {}) },
      error,
    );
  } catch (failure) {
    deps.log.error('record could not be quarantined: it is delivered again', { messageId: record.messageId, decision: 'retry', error: error.message, quarantineError: (failure as Error).message });
    return false;
  }
  deps.metrics.count('Quarantined', 1);
  deps.log.warn('record quarantined', { messageId: record.messageId, decision: 'quarantine', error: error.message, errorName: error.name, path });
  return true;
}

async function quarantineAll(parsed: readonly ParsedRecord[], error: Error, retry: Set<string>, deps: ReactDeps): Promise<void> {
  for (const { record } of parsed) if (!(await quarantine(record, error, deps))) retry.add(record.messageId);
}

/** The event ids whose work failed for a passing reason; for a drain, only those of the failed instances. */
function eventIdsToRetry(reports: readonly ActionReport[], signals: readonly Signal[]): Set<string> {
  const ids = new Set<string>();
  for (const r of reports) {
    if (!r.retry) continue;
    if (r.action.type !== 'drain') {
      for (const id of r.action.eventIds) ids.add(id);
      continue;
    }
    const failed = new Set(r.retryInstanceIds);
    const own = new Set(r.action.eventIds);
    for (const s of signals) if ('ec2InstanceId' in s && failed.has(s.ec2InstanceId) && own.has(s.eventId)) ids.add(s.eventId);
  }
  return ids;
}

function decisionOf(eventIds: readonly string[], plan: Plan, reports: readonly ActionReport[], retried: boolean): Record<string, unknown> {
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
    retried,
  };
}

function eventIdsOf(parsed: readonly ParsedRecord[]): string[] {
  return [...new Set(parsed.flatMap((p) => p.signals.map((s) => s.eventId)))];
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function response(retry: ReadonlySet<string>): BatchResponse {
  return { batchItemFailures: [...retry].map((itemIdentifier) => ({ itemIdentifier })) };
}
