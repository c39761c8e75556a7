import type { Strategy } from '@ecs-rebalancer/core';
import { aStrategy } from '@ecs-rebalancer/core/test-support';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StrategyRecord } from '../ports.js';
import { MAX_TAG_VALUE_LENGTH, RecordTag, TagFormatError, chunkKey, decodeStrategy, encodeStrategy, readRecord, recordTags, splitTagValue } from './ecs-service-tags.js';

// What ECS accepts in a tag: keys 1–128 and values 0–256 characters of letters, digits,
// spaces and _ . : / = + - @.
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const providerName = fc.stringMatching(/^[A-Za-z0-9_-]{1,255}$/);
const strategy: fc.Arbitrary<Strategy> = fc.uniqueArray(
  fc.record({ capacityProvider: providerName, base: fc.integer({ min: 0, max: 100_000 }), weight: fc.integer({ min: 0, max: 1000 }) }),
  { minLength: 1, maxLength: 20, selector: (item) => item.capacityProvider },
);
// Long names, so that values often take several pieces.
const longStrategy: fc.Arbitrary<Strategy> = fc.uniqueArray(
  fc.record({
    capacityProvider: fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_-'), minLength: 60, maxLength: 255 }),
    base: fc.integer({ min: 0, max: 100_000 }),
    weight: fc.integer({ min: 0, max: 1000 }),
  }),
  { minLength: 1, maxLength: 20, selector: (item) => item.capacityProvider },
);
const longRecord: fc.Arbitrary<StrategyRecord> = fc.record({
  baseline: fc.option(longStrategy, { nil: null }),
  fallbackSince: fc.constant(null),
  applied: fc.option(longStrategy, { nil: null }),
});
const record: fc.Arbitrary<StrategyRecord> = fc.record({
  baseline: fc.option(strategy, { nil: null }),
  fallbackSince: fc.option(fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), { nil: null }),
  applied: fc.option(strategy, { nil: null }),
});

/** Applies TagResource then UntagResource to a service's tags, as ECS would. */
function applyTags(current: Map<string, string>, change: ReturnType<typeof recordTags>): Map<string, string> {
  const next = new Map(current);
  for (const tag of change.tags) next.set(tag.key, tag.value);
  for (const key of change.untagKeys) next.delete(key);
  return next;
}

const asTags = (map: Map<string, string>) => [...map].map(([key, value]) => ({ key, value }));

describe('service record tags', () => {
  it('writes a strategy as provider:base:weight items separated by spaces', () => {
    expect(encodeStrategy(aStrategy())).toBe('spot-arm64:0:3 od-arm64:2:1');
    expect(decodeStrategy('spot-arm64:0:3 od-arm64:2:1')).toEqual(aStrategy());
  });

  it('round-trips any valid strategy through tags ECS accepts', () => {
    fc.assert(
      fc.property(strategy, (s) => {
        const { tags } = recordTags({ baseline: s, fallbackSince: null, applied: null });
        for (const tag of tags) {
          expect(tag.value.length).toBeLessThanOrEqual(MAX_TAG_VALUE_LENGTH);
          expect(tag.key.length).toBeLessThanOrEqual(128);
          expect(tag.value).toMatch(TAG_CHARS);
          expect(tag.key).toMatch(TAG_CHARS);
        }
        expect(readRecord(tags).record.baseline).toEqual(s);
      }),
    );
  });

  it('round-trips any record written over any earlier one, leaving no stale piece behind', () => {
    fc.assert(
      fc.property(record, record, (before, after) => {
        const stored = applyTags(applyTags(new Map([['team', 'payments']]), recordTags(before)), recordTags(after));
        expect(readRecord(asTags(stored))).toEqual({ record: after, problems: [] });
        expect(stored.get('team')).toBe('payments');
        expect(stored.size).toBeLessThanOrEqual(50);
      }),
    );
  });

  it('reads back the new value when the UntagResource that removes a longer old tail failed', () => {
    fc.assert(
      fc.property(longRecord, longRecord, (before, after) => {
        // Prepare: `before` is stored; of `after`, only the TagResource call succeeded
        const stored = applyTags(new Map(), recordTags(before));
        for (const tag of recordTags(after).tags) stored.set(tag.key, tag.value);

        // Act
        const read = readRecord(asTags(stored));

        // Assess: each part the new record sets is exactly the new one (a part it removes
        // is the UntagResource's business alone)
        expect(read.problems).toEqual([]);
        if (after.baseline !== null) expect(read.record.baseline).toEqual(after.baseline);
        if (after.applied !== null) expect(read.record.applied).toEqual(after.applied);
      }),
    );
  });

  it('reads a shrunk baseline without the old tail left beside it', () => {
    // Prepare: a three-piece baseline, then a short one whose untag of pieces 2 and 3 failed
    const long = Array.from({ length: 20 }, (_, i) => ({ capacityProvider: `capacity-provider-with-a-rather-long-name-${i}`, base: 0, weight: 1 }));
    const stored = applyTags(new Map(), recordTags({ baseline: long, fallbackSince: null, applied: null }));
    expect(stored.has(chunkKey(RecordTag.Baseline, 2))).toBe(true);
    for (const tag of recordTags({ baseline: aStrategy(), fallbackSince: null, applied: null }).tags) stored.set(tag.key, tag.value);

    // Act
    const { record: read, problems } = readRecord(asTags(stored));

    // Assess
    expect(problems).toEqual([]);
    expect(read.baseline).toEqual(aStrategy());
  });

  it('says a record whose pieces do not match their count is unreadable, never absent', () => {
    // Prepare: a two-piece baseline whose second piece is gone
    const long = Array.from({ length: 12 }, (_, i) => ({ capacityProvider: `capacity-provider-with-a-long-name-${i}`, base: 0, weight: 1 }));
    const stored = applyTags(new Map(), recordTags({ baseline: long, fallbackSince: '2024-03-01T12:00:00.000Z', applied: aStrategy() }));
    stored.delete(chunkKey(RecordTag.Baseline, 1));

    // Act
    const { record: read, problems } = readRecord(asTags(stored));

    // Assess
    expect(read.baseline).toBeNull();
    expect(problems).toEqual([`tag ${RecordTag.Baseline}: piece 2 of 2 (${RecordTag.Baseline}:2) is missing`]);
    expect(read.applied).toEqual(aStrategy());
  });

  it.each([
    { name: 'a single piece without a count (as the first release wrote it)', tags: [{ key: RecordTag.Baseline, value: 'spot-arm64:0:3 od-arm64:2:1' }], baseline: aStrategy(), problems: 0 },
    {
      name: 'pieces without a count',
      tags: [
        { key: RecordTag.Baseline, value: 'spot-arm64:0:3' },
        { key: `${RecordTag.Baseline}:2`, value: ' od-arm64:2:1' },
      ],
      baseline: null,
      problems: 1,
    },
    { name: 'a count of zero', tags: [{ key: RecordTag.Baseline, value: 'n=0 spot-arm64:0:3' }], baseline: null, problems: 1 },
  ])('reads $name', ({ tags, baseline, problems }) => {
    const read = readRecord(tags);

    expect(read.record.baseline).toEqual(baseline);
    expect(read.problems).toHaveLength(problems);
  });

  it('keeps 20 items of 255-character names with the largest base and weight within 50 tags', () => {
    // Longer than any strategy ECS takes (it allows one base above 0): the upper bound.
    const largest = Array.from({ length: 20 }, (_, i) => ({ capacityProvider: `${String(i).padStart(2, '0')}${'p'.repeat(253)}`, base: 100_000, weight: 1000 }));

    const change = recordTags({ baseline: largest, fallbackSince: '2024-03-01T12:00:00.000Z', applied: largest });

    expect(change.tags.length).toBeLessThanOrEqual(50);
    for (const tag of change.tags) expect(tag.value.length).toBeLessThanOrEqual(MAX_TAG_VALUE_LENGTH);
    expect(readRecord(change.tags)).toEqual({ record: { baseline: largest, fallbackSince: '2024-03-01T12:00:00.000Z', applied: largest }, problems: [] });
  });

  it('removes only the keys the service has, so a first fallback costs no UntagResource', () => {
    // Prepare: a service that never had a record, and one with a two-piece applied strategy
    const fallback: StrategyRecord = { baseline: aStrategy(), fallbackSince: '2024-03-01T12:00:00.000Z', applied: aStrategy(0, 4, 2) };
    const long = Array.from({ length: 12 }, (_, i) => ({ capacityProvider: `capacity-provider-with-a-long-name-${i}`, base: 0, weight: 1 }));
    const hadLong = [...applyTags(new Map([['team', 'payments']]), recordTags({ baseline: null, fallbackSince: null, applied: long })).keys()];

    // Act
    const fresh = recordTags(fallback, ['team']);
    const shrinking = recordTags(fallback, hadLong);

    // Assess
    expect(fresh.untagKeys).toEqual([]);
    expect(shrinking.untagKeys).toEqual([`${RecordTag.Applied}:2`]);
    expect(recordTags(fallback).untagKeys).toContain(`${RecordTag.Applied}:2`);
  });

  it('splits a long value where no piece starts or ends with a space', () => {
    fc.assert(
      fc.property(strategy, (s) => {
        const pieces = splitTagValue(encodeStrategy(s));
        expect(pieces.join('')).toBe(encodeStrategy(s));
        for (const piece of pieces) expect(piece === piece.trim()).toBe(true);
      }),
    );
  });

  it('continues a value over 256 characters in numbered keys', () => {
    const long = Array.from({ length: 12 }, (_, i) => ({ capacityProvider: `capacity-provider-with-a-long-name-${i}`, base: 0, weight: 1 }));

    const { tags } = recordTags({ baseline: long, fallbackSince: null, applied: null });

    expect(tags.map((t) => t.key)).toEqual([RecordTag.Baseline, `${RecordTag.Baseline}:2`]);
  });

  it('clears the baseline and the start time on a restore, keeping what was applied', () => {
    const { tags, untagKeys } = recordTags({ baseline: null, fallbackSince: null, applied: aStrategy() });

    expect(tags).toEqual([{ key: RecordTag.Applied, value: 'n=1 spot-arm64:0:3 od-arm64:2:1' }]);
    expect(untagKeys).toContain(RecordTag.Baseline);
    expect(untagKeys).toContain(RecordTag.FallbackSince);
    expect(untagKeys).not.toContain(RecordTag.Applied);
  });

  it.each([
    { name: 'a JSON baseline', tags: [{ key: RecordTag.Baseline, value: '[{"capacityProvider":"x"}]' }], problem: 'tag ecs-rebalancer:baseline' },
    { name: 'a weight that is not a number', tags: [{ key: RecordTag.Applied, value: 'spot:0:x' }], problem: 'tag ecs-rebalancer:applied' },
    { name: 'a start time that is not a time', tags: [{ key: RecordTag.FallbackSince, value: 'yesterday' }], problem: 'tag ecs-rebalancer:fallback-since' },
  ])('reads $name as absent and says why', ({ tags, problem }) => {
    const { record: read, problems } = readRecord(tags);

    expect(read).toEqual({ baseline: null, fallbackSince: null, applied: null });
    expect(problems).toEqual([expect.stringContaining(problem)]);
  });

  it('refuses a provider name that cannot be kept in a tag', () => {
    expect(() => encodeStrategy([{ capacityProvider: 'bad,name', base: 0, weight: 1 }])).toThrow(TagFormatError);
  });
});
