import { describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../ports.js';
import type { ReactDeps } from './handle-react.js';
import { MAX_DELAY_SECONDS, MAX_VISIBILITY_SECONDS, REQUEUED_ATTRIBUTE, representDeferred } from './redeliver.js';

const NOW = Date.parse('2026-01-05T09:00:00Z');
const HOUR = 3600_000;

interface Calls {
  after: { ids: string[]; seconds: number }[];
  requeue: { body: string; delaySeconds: number; attributes?: Record<string, string> }[];
  counts: Record<string, number>;
}

function deps(options: { maxReceiveCount?: number; requeueFails?: boolean } = {}): { deps: ReactDeps; calls: Calls } {
  const calls: Calls = { after: [], requeue: [], counts: {} };
  const partial = {
    ...(options.maxReceiveCount !== undefined ? { maxReceiveCount: options.maxReceiveCount } : {}),
    redelivery: {
      after: async (messages: readonly ReceivedMessage[], seconds: number) => {
        calls.after.push({ ids: messages.map((m) => m.messageId), seconds });
      },
      requeue: async (body: string, delaySeconds: number, attributes?: Record<string, string>) => {
        if (options.requeueFails) throw new Error('AWS.SimpleQueueService.NonExistentQueue');
        calls.requeue.push({ body, delaySeconds, ...(attributes ? { attributes } : {}) });
      },
    },
    metrics: { count: (name: string, n: number) => (calls.counts[name] = (calls.counts[name] ?? 0) + n) },
    log: { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} },
  };
  return { deps: partial as unknown as ReactDeps, calls };
}

function deferred(id: string, dueInMs: number, receives?: number) {
  return {
    record: { messageId: id, body: `{"id":"${id}"}`, receiptHandle: `rh-${id}`, ...(receives !== undefined ? { attributes: { ApproximateReceiveCount: String(receives) } } : {}) },
    signals: [],
    deadline: undefined,
    at: NOW + dueInMs,
  };
}

describe('representDeferred: deferred drains wait in SQS until they are due', () => {
  it('holds a change due in two days by its visibility in 12-hour hops, not by a copy', async () => {
    const { deps: d, calls } = deps({ maxReceiveCount: 5 });
    const kept = await representDeferred([deferred('m1', 48 * HOUR, 1)], d, NOW);
    expect(kept).toEqual(['m1']);
    expect(calls.after).toEqual([{ ids: ['m1'], seconds: MAX_VISIBILITY_SECONDS - 60 }]);
    expect(calls.requeue).toEqual([]);
  });

  it('brings a change due in 10 minutes back at its due second', async () => {
    const { deps: d, calls } = deps({ maxReceiveCount: 5 });
    await representDeferred([deferred('m1', 10 * 60_000 + 1, 2)], d, NOW);
    expect(calls.after).toEqual([{ ids: ['m1'], seconds: 601 }]);
  });

  it('sends a fresh copy on the last receive the redrive policy allows, so waiting never reaches the DLQ', async () => {
    const { deps: d, calls } = deps({ maxReceiveCount: 5 });
    const kept = await representDeferred([deferred('m1', 30 * 60_000, 4), deferred('m2', 48 * HOUR, 4)], d, NOW);
    expect(kept).toEqual([]);
    expect(calls.requeue).toEqual([
      { body: '{"id":"m1"}', delaySeconds: MAX_DELAY_SECONDS, attributes: { [REQUEUED_ATTRIBUTE]: 'm1' } },
      { body: '{"id":"m2"}', delaySeconds: MAX_DELAY_SECONDS, attributes: { [REQUEUED_ATTRIBUTE]: 'm2' } },
    ]);
    expect(calls.after).toEqual([]);
    expect(calls.counts).toEqual({ DeferredRequeued: 2 });
  });

  it('sends a copy when the redrive limit is unknown and the due time is beyond one visibility hop', async () => {
    const { deps: d, calls } = deps();
    const kept = await representDeferred([deferred('far', 13 * HOUR), deferred('near', 2 * HOUR)], d, NOW);
    expect(kept).toEqual(['near']);
    expect(calls.requeue.map((r) => r.attributes?.[REQUEUED_ATTRIBUTE])).toEqual(['far']);
    expect(calls.after).toEqual([{ ids: ['near'], seconds: 7200 }]);
  });

  it('keeps the record by its visibility when the copy cannot be sent', async () => {
    const { deps: d, calls } = deps({ maxReceiveCount: 5, requeueFails: true });
    const kept = await representDeferred([deferred('m1', 5 * 60_000, 4)], d, NOW);
    expect(kept).toEqual(['m1']);
    expect(calls.after).toEqual([{ ids: ['m1'], seconds: 300 }]);
    expect(calls.counts).toEqual({ Deferred: 1 });
  });

  it('shares one visibility change among records due at the same second, and brings an overdue one back in 1 s', async () => {
    const { deps: d, calls } = deps({ maxReceiveCount: 5 });
    await representDeferred([deferred('a', 90_000, 1), deferred('b', 89_500, 1), deferred('late', -5_000, 1)], d, NOW);
    expect(calls.after).toEqual([
      { ids: ['a', 'b'], seconds: 90 },
      { ids: ['late'], seconds: 1 },
    ]);
  });
});
