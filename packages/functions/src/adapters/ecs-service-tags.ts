// The rebalancer's record lives on the ECS service as tags, so no database is needed.
// ECS tag facts: keys ≤ 128 characters, values ≤ 256, both limited to letters, digits, spaces
// and `_ . : / = + - @`; at most 50 tags per resource; keys starting with `aws:` are reserved.
// JSON and commas are therefore out: a strategy is written as `provider:base:weight` items
// separated by spaces (capacity provider names hold only letters, digits, `_` and `-`), and a
// value longer than 256 characters continues in numbered keys (`ecs-rebalancer:baseline`,
// `ecs-rebalancer:baseline:2`, …).
import type { Strategy } from '@ecs-rebalancer/core';
import { MAX_STRATEGY_ITEMS } from '@ecs-rebalancer/core';
import type { StrategyRecord } from '../ports.js';

export const RecordTag = {
  Baseline: 'ecs-rebalancer:baseline',
  FallbackSince: 'ecs-rebalancer:fallback-since',
  Applied: 'ecs-rebalancer:applied',
} as const;

export const MAX_TAG_VALUE_LENGTH = 256;
// 20 items of a 255-character name with base 100000 and weight 1000 need 5,359 characters.
export const MAX_CHUNKS = 21;

export interface Tag {
  key: string;
  value: string;
}

export class TagFormatError extends Error {
  override name = 'TagFormatError' as const;
}

const PROVIDER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const ITEM = /^([A-Za-z0-9_-]{1,255}):(\d{1,6}):(\d{1,4})$/;

/** `spot-arm64:0:3 od-arm64:2:1`; throws TagFormatError for a name ECS would not allow. */
export function encodeStrategy(strategy: Strategy): string {
  return strategy
    .map(({ capacityProvider, base, weight }) => {
      if (!PROVIDER_NAME.test(capacityProvider)) throw new TagFormatError(`capacity provider name "${capacityProvider}" cannot be kept in a tag`);
      if (!Number.isInteger(base) || base < 0 || !Number.isInteger(weight) || weight < 0) {
        throw new TagFormatError(`capacity provider ${capacityProvider} has base ${base} and weight ${weight}: expected non-negative integers`);
      }
      return `${capacityProvider}:${base}:${weight}`;
    })
    .join(' ');
}

/** The inverse of encodeStrategy; throws TagFormatError for text it did not write. */
export function decodeStrategy(text: string): Strategy {
  if (text.trim() === '') return [];
  const items = text.trim().split(/ +/);
  if (items.length > MAX_STRATEGY_ITEMS) throw new TagFormatError(`${items.length} strategy items; ECS allows ${MAX_STRATEGY_ITEMS}`);
  return items.map((item) => {
    const match = ITEM.exec(item);
    if (!match) throw new TagFormatError(`"${item}" is not provider:base:weight`);
    return { capacityProvider: match[1] as string, base: Number(match[2]), weight: Number(match[3]) };
  });
}

/**
 * Cuts a value into pieces of at most 256 characters. A cut never falls next to a space, so no
 * piece starts or ends with one (a service could trim it); the pieces join back without a separator.
 */
export function splitTagValue(text: string): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > MAX_TAG_VALUE_LENGTH) {
    let cut = MAX_TAG_VALUE_LENGTH;
    while (cut > 1 && (rest[cut - 1] === ' ' || rest[cut] === ' ')) cut--;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}

/** The key of the n-th piece (0-based) of a value: the first piece has the plain key. */
export function chunkKey(key: string, index: number): string {
  return index === 0 ? key : `${key}:${index + 1}`;
}

function chunkKeys(key: string): string[] {
  return Array.from({ length: MAX_CHUNKS }, (_, i) => chunkKey(key, i));
}

/**
 * The tags to set and the keys to remove so that a service's tags hold exactly `record`:
 * a null part removes its keys, and pieces beyond the new length are removed so that a
 * shorter value never keeps a stale tail.
 */
export function recordTags(record: StrategyRecord): { tags: Tag[]; untagKeys: string[] } {
  const tags: Tag[] = [];
  const untagKeys: string[] = [];
  const strategyPart = (key: string, strategy: Strategy | null): void => {
    const pieces = strategy === null ? [] : splitTagValue(encodeStrategy(strategy));
    if (pieces.length > MAX_CHUNKS) throw new TagFormatError(`${key} needs ${pieces.length} tags; at most ${MAX_CHUNKS} are kept`);
    pieces.forEach((value, i) => tags.push({ key: chunkKey(key, i), value }));
    untagKeys.push(...chunkKeys(key).slice(pieces.length));
  };
  strategyPart(RecordTag.Baseline, record.baseline);
  if (record.fallbackSince === null) untagKeys.push(RecordTag.FallbackSince);
  else tags.push({ key: RecordTag.FallbackSince, value: record.fallbackSince });
  strategyPart(RecordTag.Applied, record.applied);
  return { tags, untagKeys };
}

/**
 * Reads the record from a service's tags (as DescribeServices returns them with
 * `include: ['TAGS']`). A part that cannot be read counts as absent and is named in
 * `problems`, so the caller can say so instead of acting on a guess.
 */
export function readRecord(tags: readonly { key?: string; value?: string }[] | undefined): { record: StrategyRecord; problems: string[] } {
  const byKey = new Map<string, string>();
  for (const tag of tags ?? []) if (tag.key !== undefined) byKey.set(tag.key, tag.value ?? '');
  const problems: string[] = [];
  const strategyPart = (key: string): Strategy | null => {
    if (!byKey.has(key)) return null;
    let text = '';
    for (const k of chunkKeys(key)) {
      const piece = byKey.get(k);
      if (piece === undefined) break;
      text += piece;
    }
    try {
      return decodeStrategy(text);
    } catch (error) {
      problems.push(`tag ${key}: ${(error as Error).message}`);
      return null;
    }
  };
  const since = byKey.get(RecordTag.FallbackSince);
  let fallbackSince: string | null = null;
  if (since !== undefined) {
    if (Number.isNaN(Date.parse(since))) problems.push(`tag ${RecordTag.FallbackSince}: "${since}" is not an ISO time`);
    else fallbackSince = since;
  }
  return { record: { baseline: strategyPart(RecordTag.Baseline), fallbackSince, applied: strategyPart(RecordTag.Applied) }, problems };
}
