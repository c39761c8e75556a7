// The rebalancer's record lives on the ECS service as tags, so no database is needed.
// ECS tag facts: keys ≤ 128 characters, values ≤ 256, both limited to letters, digits, spaces
// and `_ . : / = + - @`; at most 50 tags per resource; keys starting with `aws:` are reserved.
// JSON and commas are therefore out: a strategy is written as `provider:base:weight` items
// separated by spaces (capacity provider names hold only letters, digits, `_` and `-`), and a
// value longer than 256 characters continues in numbered keys (`ecs-rebalancer:baseline`,
// `ecs-rebalancer:baseline:2`, …). The first piece opens with the number of pieces (`n=2 `):
// TagResource writes all the pieces of a value at once, but the UntagResource that removes a
// longer value's old tail may fail, so the reader takes exactly that many pieces and never
// joins a stale tail; a missing piece makes the record unreadable, not absent.
import type { Strategy } from '@ecs-rebalancer/core';
import { MAX_STRATEGY_ITEMS } from '@ecs-rebalancer/core';
import type { RecordPhase, StrategyRecord } from '../ports.js';

export const RecordTag = {
  Baseline: 'ecs-rebalancer:baseline',
  FallbackSince: 'ecs-rebalancer:fallback-since',
  Applied: 'ecs-rebalancer:applied',
  Phase: 'ecs-rebalancer:phase',
  LastRestoredAt: 'ecs-rebalancer:last-restored-at',
  RecentFallbacks: 'ecs-rebalancer:recent-fallbacks',
} as const;

/** Every key the rebalancer writes starts so (IAM limits its tag writes to them: aws:TagKeys). */
export const TAG_KEY_PREFIX = 'ecs-rebalancer:';
/** A writer's lease on a service: `ecs-rebalancer:lease:OWNER`, the value its expiry (ISO). */
export const LEASE_KEY_PREFIX = 'ecs-rebalancer:lease:';
const PHASES: ReadonlySet<string> = new Set(['falling-back', 'active', 'restoring']);
// 8 start times of 24 characters and their spaces fit one 256-character tag value.
export const MAX_RECENT_FALLBACKS = 8;

export const MAX_TAG_VALUE_LENGTH = 256;
// 20 items of a 255-character name with base 100000 and weight 1000 need 5,359 characters;
// a cut loses at most 2 characters of a piece and the count takes at most 5 (`n=22 `), so 22
// pieces hold it. Two strategies and the start time then need at most 45 of ECS's 50 tags.
export const MAX_CHUNKS = 22;
const COUNT_RESERVE = `n=${MAX_CHUNKS} `.length;
const COUNTED = /^n=(\d{1,3})(?: ([^]*))?$/;

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
 * Cuts a value into pieces of at most 256 characters, the first one `reserve` characters
 * shorter. A cut never falls next to a space, so no piece starts or ends with one (a service
 * could trim it); the pieces join back without a separator.
 */
export function splitTagValue(text: string, reserve = 0): string[] {
  const pieces: string[] = [];
  let rest = text;
  let limit = MAX_TAG_VALUE_LENGTH - reserve;
  while (rest.length > limit) {
    let cut = limit;
    while (cut > 1 && (rest[cut - 1] === ' ' || rest[cut] === ' ')) cut--;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
    limit = MAX_TAG_VALUE_LENGTH;
  }
  pieces.push(rest);
  return pieces;
}

/** The tag values of a strategy: its pieces, the first one opening with their count (`n=2 …`). */
export function strategyTagValues(strategy: Strategy): string[] {
  const pieces = splitTagValue(encodeStrategy(strategy), COUNT_RESERVE);
  const [first = '', ...rest] = pieces;
  return [`n=${pieces.length}${first === '' ? '' : ` ${first}`}`, ...rest];
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
 * shorter value keeps no stale tail. Given the keys the service has (`present`, from
 * DescribeServices with its tags), only those of them are removed: an UntagResource that
 * removes nothing still costs a call from ECS's service-write bucket.
 */
export function recordTags(record: StrategyRecord, present?: Iterable<string>): { tags: Tag[]; untagKeys: string[] } {
  const tags: Tag[] = [];
  const untagKeys: string[] = [];
  const strategyPart = (key: string, strategy: Strategy | null): void => {
    const values = strategy === null ? [] : strategyTagValues(strategy);
    if (values.length > MAX_CHUNKS) throw new TagFormatError(`${key} needs ${values.length} tags; at most ${MAX_CHUNKS} are kept`);
    values.forEach((value, i) => tags.push({ key: chunkKey(key, i), value }));
    untagKeys.push(...chunkKeys(key).slice(values.length));
  };
  strategyPart(RecordTag.Baseline, record.baseline);
  if (record.fallbackSince === null) untagKeys.push(RecordTag.FallbackSince);
  else tags.push({ key: RecordTag.FallbackSince, value: record.fallbackSince });
  strategyPart(RecordTag.Applied, record.applied);
  const plain = (key: string, value: string | null | undefined): void => {
    if (value === undefined) return;
    if (value === null || value === '') untagKeys.push(key);
    else tags.push({ key, value });
  };
  plain(RecordTag.Phase, record.phase);
  plain(RecordTag.LastRestoredAt, record.lastRestoredAt);
  plain(RecordTag.RecentFallbacks, record.recentFallbacks === undefined ? undefined : record.recentFallbacks.slice(-MAX_RECENT_FALLBACKS).join(' '));
  if (present === undefined) return { tags, untagKeys };
  const existing = new Set(present);
  return { tags, untagKeys: untagKeys.filter((key) => existing.has(key)) };
}

/** The keys a service has after TagResource(`tags`) and UntagResource(`untagKeys`). */
export function keysAfter(present: Iterable<string>, change: { tags: readonly Tag[]; untagKeys: readonly string[] }): Set<string> {
  const keys = new Set(present);
  for (const tag of change.tags) keys.add(tag.key);
  for (const key of change.untagKeys) keys.delete(key);
  return keys;
}

/**
 * Reads the record from a service's tags (as DescribeServices returns them with
 * `include: ['TAGS']`). A part that cannot be read (its pieces do not match their count, or
 * the text is not what encodeStrategy writes) comes back null and is named in `problems`:
 * such a record is corrupt, and the caller must not act on it as if it were absent.
 */
export function readRecord(tags: readonly { key?: string; value?: string }[] | undefined): { record: StrategyRecord; problems: string[] } {
  const byKey = new Map<string, string>();
  for (const tag of tags ?? []) if (tag.key !== undefined) byKey.set(tag.key, tag.value ?? '');
  const problems: string[] = [];
  const strategyPart = (key: string): Strategy | null => {
    const first = byKey.get(key);
    if (first === undefined) return null;
    try {
      return decodeStrategy(joinPieces(key, first, byKey));
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
  const phase = byKey.get(RecordTag.Phase);
  if (phase !== undefined && !PHASES.has(phase)) problems.push(`tag ${RecordTag.Phase}: "${phase}" is not falling-back, active or restoring`);
  const restored = byKey.get(RecordTag.LastRestoredAt);
  if (restored !== undefined && Number.isNaN(Date.parse(restored))) problems.push(`tag ${RecordTag.LastRestoredAt}: "${restored}" is not an ISO time`);
  const recent = (byKey.get(RecordTag.RecentFallbacks) ?? '').split(' ').filter((t) => t !== '');
  const badRecent = recent.filter((t) => Number.isNaN(Date.parse(t)));
  if (badRecent.length > 0) problems.push(`tag ${RecordTag.RecentFallbacks}: "${badRecent.join(' ')}" is not a list of ISO times`);
  // The newer parts appear only when their tags do, so a record of the first release reads as it did.
  return {
    record: {
      baseline: strategyPart(RecordTag.Baseline),
      fallbackSince,
      applied: strategyPart(RecordTag.Applied),
      ...(phase !== undefined && PHASES.has(phase) ? { phase: phase as RecordPhase } : {}),
      ...(restored !== undefined && !Number.isNaN(Date.parse(restored)) ? { lastRestoredAt: restored } : {}),
      ...(recent.length > 0 && badRecent.length === 0 ? { recentFallbacks: recent } : {}),
    },
    problems,
  };
}

/** The leases on a service, by key, with their expiry (ms since the epoch; NaN when unreadable). */
export function leasesOf(tags: readonly { key?: string; value?: string }[] | undefined): Map<string, number> {
  const leases = new Map<string, number>();
  for (const tag of tags ?? []) if (tag.key?.startsWith(LEASE_KEY_PREFIX)) leases.set(tag.key, Date.parse(tag.value ?? ''));
  return leases;
}

/** The text of a value kept in `key` and its numbered continuations; throws TagFormatError when the pieces do not match their count. */
function joinPieces(key: string, first: string, byKey: ReadonlyMap<string, string>): string {
  const counted = COUNTED.exec(first);
  if (!counted) {
    // A value without a count is a single piece (the first release wrote short values so);
    // with continuations beside it there is no telling which of them belong to it.
    if (byKey.has(chunkKey(key, 1))) throw new TagFormatError(`continues in ${chunkKey(key, 1)} but does not say in how many pieces`);
    return first;
  }
  const count = Number(counted[1]);
  if (count < 1 || count > MAX_CHUNKS) throw new TagFormatError(`says it has ${count} pieces; 1 to ${MAX_CHUNKS} are written`);
  let text = counted[2] ?? '';
  for (let i = 1; i < count; i++) {
    const piece = byKey.get(chunkKey(key, i));
    if (piece === undefined) throw new TagFormatError(`piece ${i + 1} of ${count} (${chunkKey(key, i)}) is missing`);
    text += piece;
  }
  return text;
}
