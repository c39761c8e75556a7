import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BATCH, HANDLERS, QUEUE, REACT_TIMEOUT_SECONDS } from './settings.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

describe('queue and batch settings', () => {
  it('turns partial batch responses on: without it Lambda ignores batchItemFailures', () => {
    expect(BATCH.partialResponses).toBe(true);
  });

  it('waits for a storm to gather, within what Lambda allows', () => {
    // Lambda: SQS batch size 1–10000; above 10 requires a batching window of at least 1 s; window at most 300 s.
    expect(BATCH.size).toBeGreaterThan(10);
    expect(BATCH.size).toBeLessThanOrEqual(10_000);
    expect(BATCH.windowSeconds).toBeGreaterThanOrEqual(1);
    // A Spot warning gives 120 s: waiting must leave most of it for the drain.
    expect(BATCH.windowSeconds).toBeLessThanOrEqual(10);
  });

  it('caps the concurrency of the event source mapping within what Lambda allows, and deploys the cap', () => {
    // Lambda ScalingConfig.MaximumConcurrency: an integer from 2 to 1,000.
    expect(Number.isInteger(BATCH.maximumConcurrency)).toBe(true);
    expect(BATCH.maximumConcurrency).toBeGreaterThanOrEqual(2);
    expect(BATCH.maximumConcurrency).toBeLessThanOrEqual(1000);
    // SST's subscribe reaches it only through the transform of its event source mapping.
    const functions = readFileSync(new URL('./components/functions.ts', import.meta.url), 'utf8');
    expect(functions).toContain('transform: { eventSourceMapping: { scalingConfig: { maximumConcurrency: BATCH.maximumConcurrency } } }');
  });

  it('hides a message for at least six function timeouts plus the window (Lambda guidance)', () => {
    expect(QUEUE.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * REACT_TIMEOUT_SECONDS + BATCH.windowSeconds);
  });

  it('gives up on a message after a few receives, and keeps the DLQ for the SQS maximum', () => {
    expect(QUEUE.maxReceiveCount).toBeGreaterThanOrEqual(2);
    expect(QUEUE.dlqRetentionSeconds).toBe(1_209_600);
  });
});

describe('handlers', () => {
  it.each(Object.entries(HANDLERS))('%s points at a handler module of packages/functions', (_name, handler) => {
    const file = handler.replace(/\.handler$/, '.ts');
    expect(handler).toMatch(/^packages\/functions\/src\/handlers\/[a-z-]+\.handler$/);
    expect(existsSync(`${repoRoot}${file}`), `${file} exists`).toBe(true);
  });
});
