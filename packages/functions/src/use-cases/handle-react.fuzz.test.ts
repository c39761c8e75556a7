import { describe, expect, it } from 'vitest';
import { fuzzReactHandler } from '../test-support/fuzz.js';

describe('the react handler under fuzzed batches and faults', () => {
  it('accounts for every record: acted on or skipped with a reason, quarantined with a typed error, or retried', async () => {
    const report = await fuzzReactHandler(400);
    console.log(`fuzzed react handler: ${report.cases} batches, ${report.records} records (${report.acted} decided, ${report.quarantined} quarantined, ${report.retried} retried), ${report.violations.length} dropped or rejected, ${report.untyped.length} quarantined with an untyped error`);
    expect(report.violations.slice(0, 5)).toEqual([]);
    expect(report.acted).toBeGreaterThan(report.records / 4);
    expect(report.cases).toBe(400);
  }, 120_000);
});
