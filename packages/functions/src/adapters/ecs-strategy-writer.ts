import { DescribeServicesCommand, TagResourceCommand, UntagResourceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import type { Strategy } from '@ecs-rebalancer/core';
import { sameStrategy } from '@ecs-rebalancer/core';
import { PermanentError, RetryableError, attempt, classifyError, isUnknownOutcome } from '../errors.js';
import type { ClearRecordRequest, Clock, Log, StrategyChangeRequest, StrategyRecord, StrategyWriteResult, StrategyWriter } from '../ports.js';
import { LEASE_KEY_PREFIX, keysAfter, leasesOf, readRecord, recordTags } from './ecs-service-tags.js';

/** The error code of a change refused because the service moved on since the batch read it. */
export const SERVICE_CHANGED = 'ServiceChangedSinceRead';
/** The error code of a change refused because another invocation holds the service's lease. */
export const LEASE_HELD = 'ServiceLeaseHeld';
/** The error code of a change whose UpdateService outcome is still unknown after re-reading. */
export const OUTCOME_UNKNOWN = 'UpdateServiceOutcomeUnknown';

// A lease outlives the few calls of one change by far; a writer that died holding one blocks
// the service's next change for at most this long.
export const LEASE_MS = 60_000;
// UpdateService attempts after answers that were lost (each one only after a re-read showed
// the target strategy is not in place).
export const UPDATE_ATTEMPTS = 3;
// A lease of this writer with this much left is reused as it is.
const LEASE_KEEP_MS = 10_000;
const HOUR_MS = 3_600_000;
/** A released lease: an expiry in the past, written over the lease in the record's own TagResource. */
const RELEASED = '1970-01-01T00:00:00.000Z';


export interface EcsStrategyWriterOptions {
  /** A client with retries off, for UpdateService (forceNewDeployment must never be re-sent blindly). */
  updateClient?: ECSClient;
  clock?: Clock;
  /**
   * Identifies this writer's leases; defaults to a random id per writer. The compositions build
   * one writer per container: Lambda runs one invocation at a time per container, and within
   * one the changes of a service are serialised, so a lease this writer left is its own.
   */
  owner?: () => string;
}

interface Held {
  key: string;
  present: Set<string>;
  /** Expired leases of writers that died: removed with this writer's own. */
  stale: string[];
}

/**
 * Changes a service's capacity provider strategy and keeps the rebalancer's record (baseline,
 * fallbackSince, applied, phase, lastRestoredAt, recentFallbacks) in its tags.
 *
 * ECS facts: a strategy change needs `UpdateService(capacityProviderStrategy,
 * forceNewDeployment: true)` and starts a rolling replacement of every task; ECS offers no
 * conditional write, and tags are last-writer-wins per key.
 *
 * One change per service at a time, across invocations (react batches side by side, the tick
 * beside a batch), with a lease made of tags: each writer tags its own key
 * (`ecs-rebalancer:lease:OWNER`, so two writers never overwrite each other) together with its
 * intent, reads the service again, and goes ahead only if no other live lease is there and
 * the strategy is still the one its decision was made from (compare-and-set: an operator's
 * change since the read is decided again, never overwritten). Two writers that tag at once
 * both see each other and both step back (retried in seconds, with jitter); one that tagged
 * after the other's re-read sees the other's key and steps back. The re-read is the last call
 * before UpdateService.
 *
 * Unknown outcomes: UpdateService goes through a client without retries. When its answer is
 * lost (timeout, 5xx, reset), the service is read again: the target in place is success; the
 * decision's strategy still in place allows another attempt (up to UPDATE_ATTEMPTS); anything
 * else is someone else's change. A record is never erased after a call whose outcome is
 * unknown: it stays in its phase (`falling-back`, `restoring`) for the next decision to read.
 *
 * Order and phases: a fallback tags the record as `falling-back` before its UpdateService and
 * `active` after it; a restore tags `restoring` before, and clears the record (keeping
 * `applied` and `lastRestoredAt`) after. Should the function die in between, the phase says
 * which step was reached.
 *
 * Cost in ECS's service buckets per change: two reads (DescribeServices with tags) and three
 * writes for a fallback (TagResource, UpdateService, TagResource: the last one marks the
 * record active and releases the lease by writing an expiry in the past), four for a restore
 * (TagResource, UpdateService, then TagResource and UntagResource to clear the record). Before
 * leases: one read and the same writes, less one for a fallback's put-back-free path.
 */
export class EcsStrategyWriter implements StrategyWriter {
  private readonly clock: Clock;
  private readonly update: ECSClient;
  private readonly owner: string;

  constructor(
    private readonly ecs: ECSClient,
    private readonly log?: Log,
    private readonly options: EcsStrategyWriterOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.update = options.updateClient ?? ecs;
    this.owner = Math.random().toString(36).slice(2, 10);
  }

  async write(change: StrategyChangeRequest): Promise<StrategyWriteResult> {
    const { cluster, service, strategy } = change;
    if (sameStrategy(change.previous.strategy, strategy)) return 'unchanged';
    const restore = change.record.baseline === null && change.previous.record.baseline !== null;
    const prior = change.previous.record;
    const now = this.clock().toISOString();
    const intent: StrategyRecord = restore
      ? { ...prior, phase: 'restoring' }
      : {
          ...change.record,
          phase: 'falling-back',
          lastRestoredAt: prior.lastRestoredAt ?? null,
          recentFallbacks: recentFallbacks(prior.recentFallbacks, change.record.fallbackSince, this.clock().getTime()),
        };
    const held = await this.acquire(change.serviceArn, cluster, service, change.previous, intent);
    const outcome = await this.updateStrategy(cluster, service, strategy, change.previous.strategy);
    if (outcome !== 'in-place') {
      // Refused for certain: nothing changed, the record goes back to what it was. One attempt
      // only: if it fails too, the record stays in its phase (falling-back, restoring), which
      // the next decision reads as the step not taken.
      await this.putRecord(change.serviceArn, complete(prior), held.present, `putting back the record of ${service} in ${cluster}`, [held.key, ...held.stale], this.update).catch((undo: Error) =>
        this.log?.warn('the record of a refused strategy change was not put back: it stays in its phase', { cluster, service, error: outcome.message, undo: undo.message }),
      );
      throw outcome;
    }
    const final: StrategyRecord = restore
      ? { baseline: null, fallbackSince: null, applied: strategy, phase: null, lastRestoredAt: now, recentFallbacks: intent.recentFallbacks ?? prior.recentFallbacks ?? [] }
      : { ...intent, phase: 'active' };
    await this.putRecord(change.serviceArn, final, held.present, `recording the ${restore ? 'restore' : 'fallback'} of ${service} in ${cluster}`, [held.key, ...held.stale]).catch((error: Error) => {
      // The strategy is in place; the phase left behind says which step was reached.
      this.log?.warn('strategy changed but its record not completed: the next decision completes it', { cluster, service, phase: intent.phase, error: error.message });
    });
    return 'updated';
  }

  async clearRecord(request: ClearRecordRequest): Promise<void> {
    const { cluster, service } = request;
    const prior = request.previousRecord;
    const held = await this.acquire(request.serviceArn, cluster, service, { strategy: request.strategy, record: prior }, prior);
    await this.putRecord(
      request.serviceArn,
      { baseline: null, fallbackSince: null, applied: request.strategy, phase: null, lastRestoredAt: this.clock().toISOString(), recentFallbacks: prior.recentFallbacks ?? [] },
      held.present,
      `clearing the fallback record of ${service} in ${cluster}`,
      [held.key, ...held.stale],
    );
  }

  /**
   * Takes the service's lease: read (compare-and-set), tag the lease with the intent, read
   * again (no other live lease; the strategy still the decision's). Rejects with a
   * RetryableError (SERVICE_CHANGED, LEASE_HELD) when the change must be decided again.
   */
  private async acquire(serviceArn: string, cluster: string, service: string, previous: { strategy: Strategy; record: StrategyRecord }, intent: StrategyRecord): Promise<Held> {
    const first = await this.read(cluster, service);
    this.checkUnchanged(first, cluster, service, previous, true);
    const now = this.clock().getTime();
    const key = `${LEASE_KEY_PREFIX}${this.options.owner?.() ?? this.owner}`;
    const leases = leasesOf(first.tags);
    const live = [...leases].filter(([k, until]) => k !== key && !(until <= now));
    if (live.length > 0) throw this.leaseHeld(cluster, service, live.map(([k]) => k));
    const present = tagKeys(first);
    const change = recordTags(intent, present);
    // Tags already holding their value are not written again, nor a lease of this writer that
    // is good for far longer than the few calls of a change: a change retried after a
    // throttled UpdateService then costs one write (the UpdateService) instead of three.
    const held = new Map((first.tags ?? []).map((t) => [t.key, t.value]));
    const ownUntil = leases.get(key);
    const keepLease = ownUntil !== undefined && ownUntil - now > LEASE_KEEP_MS;
    const tags = [...change.tags.filter((t) => held.get(t.key) !== t.value), ...(keepLease ? [] : [{ key, value: new Date(now + LEASE_MS).toISOString() }])];
    if (tags.length > 0) await attempt(`taking the lease of ${service} in ${cluster}`, () => this.ecs.send(new TagResourceCommand({ resourceArn: serviceArn, tags })));
    let after = keysAfter(present, { tags, untagKeys: [] });
    if (change.untagKeys.length > 0) {
      await attempt(`recording the intent for ${service} in ${cluster}`, () => this.ecs.send(new UntagResourceCommand({ resourceArn: serviceArn, tagKeys: change.untagKeys })));
      after = keysAfter(after, { tags: [], untagKeys: change.untagKeys });
    }
    // Nothing written: this writer's lease was on the service before the first read, so that
    // read was the check (another writer's later tag will see this lease and step back).
    const second = tags.length === 0 && change.untagKeys.length === 0 ? first : await this.read(cluster, service);
    const others = [...leasesOf(second.tags)].filter(([k, until]) => k !== key && !(until <= this.clock().getTime()));
    if (others.length > 0) {
      await this.untag(serviceArn, [key], `giving up the lease of ${service} in ${cluster}`).catch(() => undefined);
      throw this.leaseHeld(cluster, service, others.map(([k]) => k));
    }
    try {
      this.checkUnchanged(second, cluster, service, previous, false);
    } catch (error) {
      // This writer holds the service: its intent goes, the record is as it was.
      await this.putRecord(serviceArn, complete(previous.record), after, `putting back the record of ${service} in ${cluster}`, [key]).catch(() => undefined);
      throw error;
    }
    const stale = [...leasesOf(second.tags)].filter(([k, until]) => k !== key && until <= now).map(([k]) => k);
    return { key, present: new Set([...after, ...tagKeys(second)]), stale };
  }

  /**
   * Sends UpdateService without SDK retries. Returns 'in-place' when the target strategy is
   * on the service, or the error of a refusal that certainly changed nothing; throws a
   * RetryableError (OUTCOME_UNKNOWN) when the outcome stays unknown — the record is kept.
   */
  private async updateStrategy(cluster: string, service: string, strategy: Strategy, from: Strategy): Promise<'in-place' | Error> {
    const doing = `changing the capacity provider strategy of ${service} in ${cluster}`;
    for (let round = 1; ; round++) {
      try {
        await this.update.send(new UpdateServiceCommand({ cluster, service, capacityProviderStrategy: strategy, forceNewDeployment: true }));
        return 'in-place';
      } catch (error) {
        if (!isUnknownOutcome(error)) return classifyError(error, doing);
        this.log?.warn('UpdateService answer lost: reading the service before deciding', { cluster, service, round, error: (error as Error).message });
        const now = await this.read(cluster, service).catch(() => undefined);
        const current = now ? strategyOf(now) : undefined;
        if (current !== undefined && sameStrategy(current, strategy)) return 'in-place';
        if (current === undefined || !sameStrategy(current, from) || round >= UPDATE_ATTEMPTS) {
          throw new RetryableError(`${doing}: the outcome is unknown (${(error as Error).message}); the record is kept and the change decided again`, { cause: error, code: OUTCOME_UNKNOWN });
        }
      }
    }
  }

  private async read(cluster: string, service: string): Promise<Service> {
    const out = await attempt(`reading ${service} in ${cluster} before changing it`, () =>
      this.ecs.send(new DescribeServicesCommand({ cluster, services: [service], include: ['TAGS'] })),
    );
    const found = out.services?.find((s) => s.serviceName === service || s.serviceArn === service);
    if (!found || (found.status !== undefined && found.status !== 'ACTIVE')) {
      const why = out.failures?.[0]?.reason ?? found?.status ?? 'MISSING';
      throw new PermanentError(`service ${service} in ${cluster} is no longer active (${why}): its strategy is not changed`, { code: why });
    }
    return found;
  }

  /** Rejects when the strategy (and, on the first read, the record) is not what the decision saw. */
  private checkUnchanged(found: Service, cluster: string, service: string, previous: { strategy: Strategy; record: StrategyRecord }, withRecord: boolean): void {
    const { record, problems } = readRecord(found.tags);
    const p = previous.record;
    const changed = [
      ...(sameStrategy(strategyOf(found), previous.strategy) ? [] : ['strategy']),
      ...(!withRecord || sameOptional(record.baseline, p.baseline) ? [] : ['baseline']),
      ...(!withRecord || record.fallbackSince === p.fallbackSince ? [] : ['fallbackSince']),
      ...(!withRecord || sameOptional(record.applied, p.applied) ? [] : ['applied']),
      ...(!withRecord || p.phase === undefined || (record.phase ?? null) === p.phase ? [] : ['phase']),
      ...(withRecord && problems.length > 0 ? ['record unreadable'] : []),
    ];
    if (changed.length > 0) {
      this.log?.info('service changed since the batch read it: its change is decided again', { cluster, service, changed, problems });
      throw new RetryableError(`service ${service} in ${cluster} changed since it was read (${changed.join(', ')}); deciding again`, { code: SERVICE_CHANGED });
    }
  }

  private leaseHeld(cluster: string, service: string, keys: string[]): RetryableError {
    this.log?.info('another invocation is changing the service: this change is decided again', { cluster, service, leases: keys });
    return new RetryableError(`service ${service} in ${cluster} is being changed by another invocation (${keys.join(', ')}); deciding again`, { code: LEASE_HELD });
  }

  /**
   * Writes the record and releases `release` (this writer's lease, given first, and expired
   * ones): this writer's lease is overwritten with an expiry in the past in the same
   * TagResource (no extra call), expired ones are removed with the UntagResource the record
   * needs, if it needs one. Returns the tag keys the service has afterwards.
   */
  private async putRecord(serviceArn: string, record: StrategyRecord, present: Iterable<string>, doing: string, release: readonly string[] = [], client: ECSClient = this.ecs): Promise<Set<string>> {
    const change = recordTags(record, present);
    const [own, ...stale] = release;
    const tags = own === undefined ? change.tags : [...change.tags, { key: own, value: RELEASED }];
    const untagKeys = change.untagKeys.length > 0 ? [...new Set([...change.untagKeys, ...stale])] : [];
    if (tags.length > 0) await attempt(doing, () => client.send(new TagResourceCommand({ resourceArn: serviceArn, tags })));
    if (untagKeys.length > 0) await attempt(doing, () => client.send(new UntagResourceCommand({ resourceArn: serviceArn, tagKeys: untagKeys })));
    return keysAfter(present, { tags, untagKeys });
  }

  private async untag(serviceArn: string, tagKeys: string[], doing: string): Promise<void> {
    await attempt(doing, () => this.ecs.send(new UntagResourceCommand({ resourceArn: serviceArn, tagKeys })));
  }
}

/** A record with every part stated, so that writing it removes what a later intent added. */
function complete(record: StrategyRecord): StrategyRecord {
  return { ...record, phase: record.phase ?? null, lastRestoredAt: record.lastRestoredAt ?? null, recentFallbacks: record.recentFallbacks ?? [] };
}

function strategyOf(found: Service): Strategy {
  return (found.capacityProviderStrategy ?? []).map((item) => ({ capacityProvider: item.capacityProvider as string, base: item.base ?? 0, weight: item.weight ?? 0 }));
}

function tagKeys(found: Service): string[] {
  return (found.tags ?? []).flatMap((t) => (t.key === undefined ? [] : [t.key]));
}

/** The fallbacks of the last hour, this one included (it doubles the next one's minSeconds). */
function recentFallbacks(previous: readonly string[] | undefined, since: string | null, now: number): string[] {
  const kept = (previous ?? []).filter((t) => now - Date.parse(t) < HOUR_MS);
  return since === null || kept.includes(since) ? kept : [...kept, since];
}

function sameOptional(a: Strategy | null, b: Strategy | null): boolean {
  return a === null || b === null ? a === b : sameStrategy(a, b);
}
