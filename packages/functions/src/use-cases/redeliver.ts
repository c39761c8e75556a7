// When a record comes back. SQS facts: a message reported in batchItemFailures is not deleted
// and reappears when its visibility timeout ends — the queue's (6 × the function timeout +
// the batching window) unless ChangeMessageVisibility set another; a visibility timeout is
// at most 12 hours from the receive; each receive counts toward the redrive policy's
// maxReceiveCount, after which SQS moves the message to the DLQ; DelaySeconds is at most 900.
import type { Signal } from '@ecs-rebalancer/core';
import type { ReceivedMessage } from '../ports.js';
import type { QueueRecord, ReactDeps } from './handle-react.js';

/** An interruption drain that failed comes back this soon: its instance has seconds left. */
export const URGENT_RETRY_SECONDS = 2;
/** Other work that failed for a passing reason (throttling most often) waits a little longer: 20–40 s. */
export const RETRY_SECONDS = 20;
export const MAX_VISIBILITY_SECONDS = 12 * 60 * 60;
export const MAX_DELAY_SECONDS = 900;
/** Set on a fresh copy of a deferred record, so logs can follow it. */
export const REQUEUED_ATTRIBUTE = 'RebalancerDeferredFrom';

interface Pending {
  record: QueueRecord;
  signals: Signal[];
  deadline: number | undefined;
}

/**
 * Shortens the visibility of records that failed for a passing reason: interruption drains
 * whose instance may still exist come back in URGENT_RETRY_SECONDS, the rest in
 * RETRY_SECONDS. Returns the ids to report in batchItemFailures (all of them: if the change
 * fails, they still come back, after the queue's timeout).
 */
export async function retryLater(records: readonly Pending[], deps: ReactDeps, now: number): Promise<string[]> {
  const urgent = records.filter((r) => r.deadline !== undefined && now < r.deadline + 10 * 60_000);
  const others = records.filter((r) => !urgent.includes(r));
  await changeVisibility(urgent, URGENT_RETRY_SECONDS, deps);
  // Jitter: writers that stepped back from each other's lease must not all come back together.
  await changeVisibility(others, RETRY_SECONDS + Math.floor((deps.random ?? Math.random)() * RETRY_SECONDS), deps);
  return records.map((r) => r.record.messageId);
}

/**
 * Brings deferred drains back when they are due, without another event and across restarts
 * (the message itself waits in SQS), by the message's visibility in hops of at most 12 hours:
 * a change announced two days ahead is decided again 4 times, not every 15 minutes. Only on
 * the last receive the redrive policy allows (or when that limit is not known and the due
 * time is more than 12 hours away) is a fresh copy sent with a delay (at most 900 s) and the
 * old one acknowledged, so that it never reaches the DLQ for waiting. Returns the ids to
 * report in batchItemFailures.
 */
export async function representDeferred(records: readonly (Pending & { at: number })[], deps: ReactDeps, now: number): Promise<string[]> {
  const keep: string[] = [];
  // Records due at the same second share their ChangeMessageVisibilityBatch calls.
  const bySeconds = new Map<number, Pending[]>();
  const redelivery = deps.redelivery;
  for (const r of records) {
    const seconds = Math.max(1, Math.ceil((r.at - now) / 1000));
    const receives = Number(r.record.attributes?.ApproximateReceiveCount);
    const limitKnown = deps.maxReceiveCount !== undefined && Number.isFinite(receives);
    const lastReceive = limitKnown && receives >= (deps.maxReceiveCount as number) - 1;
    if (redelivery && (lastReceive || (!limitKnown && seconds > MAX_VISIBILITY_SECONDS - 60))) {
      try {
        await redelivery.requeue(r.record.body, Math.min(MAX_DELAY_SECONDS, seconds), { [REQUEUED_ATTRIBUTE]: r.record.messageId });
        deps.metrics.count('DeferredRequeued', 1);
        deps.log.info('deferred drain sent afresh to the queue', { messageId: r.record.messageId, dueAt: new Date(r.at).toISOString(), decision: 'requeue' });
        continue;
      } catch (error) {
        deps.log.warn('a deferred drain could not be sent afresh: it comes back by its visibility', { messageId: r.record.messageId, error: (error as Error).message });
      }
    }
    keep.push(r.record.messageId);
    deps.metrics.count('Deferred', 1);
    const visibility = Math.min(seconds, MAX_VISIBILITY_SECONDS - 60);
    bySeconds.set(visibility, [...(bySeconds.get(visibility) ?? []), r]);
  }
  for (const [seconds, due] of bySeconds) await changeVisibility(due, seconds, deps);
  return keep;
}

async function changeVisibility(records: readonly Pending[], seconds: number, deps: ReactDeps): Promise<void> {
  const messages: ReceivedMessage[] = records.flatMap((r) =>
    r.record.receiptHandle === undefined ? [] : [{ messageId: r.record.messageId, receiptHandle: r.record.receiptHandle, ...(r.record.eventSourceARN ? { queueArn: r.record.eventSourceARN } : {}) }],
  );
  if (messages.length === 0 || !deps.redelivery) return;
  try {
    await deps.redelivery.after(messages, seconds);
  } catch (error) {
    deps.log.warn("visibility not changed: the records come back after the queue's visibility timeout", { messageIds: messages.map((m) => m.messageId), seconds, error: (error as Error).message });
  }
}
