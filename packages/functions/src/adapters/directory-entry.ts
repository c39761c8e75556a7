// One cluster's entry in the instance directory (ecs-instance-directory.ts), and how an entry
// of the shared index becomes one.
import type { ContainerInstanceState } from '@ecs-rebalancer/core';
import type { InstanceIndexEntry } from '../ports.js';

export interface ClusterDirectory {
  readAt: number;
  /** When the entry stops being trusted: readAt + the TTL, or + INDEX_MAX_AGE_MS for one from the index. */
  expiresAt: number;
  complete: boolean;
  /** True for a listing taken from the index (INDEX_MAX_AGE_MS), false for this directory's own. */
  indexed: boolean;
  /** EC2 ids whose status is the index's, not read or set by this environment since. */
  fromIndex: Set<string>;
  byEc2: Map<string, ContainerInstanceState>;
  /** EC2 id → when its status was read from ECS or set by this directory's own drains. */
  statusAt: Map<string, number>;
  /** EC2 id → when its running tasks were read from ECS (a DescribeContainerInstances); absent: not known to be recent. */
  tasksAt: Map<string, number>;
  /** When the DRAINING set was last listed (readAt when never), and whether it was cut at DRAINING_MAX_PAGES. */
  drainingAt: number;
  drainingCapped: boolean;
}

/** An entry with nothing in it yet, read now and trusted for `ttlMs`. */
export function emptyEntry(now: number, ttlMs: number, complete: boolean): ClusterDirectory {
  return { readAt: now, expiresAt: now + ttlMs, complete, indexed: false, fromIndex: new Set(), byEc2: new Map(), statusAt: new Map(), tasksAt: new Map(), drainingAt: now, drainingCapped: false };
}

/**
 * The index's listing as a whole listing read at its `listedAt` (never later than now: another
 * host's clock may run ahead) and trusted for `maxAgeMs`, every status marked as the index's;
 * what `older` (this directory's entry) read or set since the listing stays.
 */
export function entryFromIndex(entry: InstanceIndexEntry, now: number, maxAgeMs: number, older: ClusterDirectory | undefined): ClusterDirectory {
  const readAt = Math.min(entry.listedAt, now);
  const seeded: ClusterDirectory = { ...emptyEntry(readAt, maxAgeMs, true), indexed: true };
  for (const instance of entry.instances) {
    seeded.byEc2.set(instance.ec2InstanceId, { ...instance });
    seeded.statusAt.set(instance.ec2InstanceId, readAt);
    // The tick describes every DRAINING instance it lists (instance-index-refresh.ts): their task counts are the listing's.
    if (instance.status === 'DRAINING') seeded.tasksAt.set(instance.ec2InstanceId, readAt);
    seeded.fromIndex.add(instance.ec2InstanceId);
  }
  for (const [id, instance] of older?.byEc2 ?? []) {
    const at = older?.statusAt.get(id) ?? 0;
    if (at < readAt) continue;
    seeded.byEc2.set(id, instance);
    seeded.statusAt.set(id, at);
    const tasksAt = older?.tasksAt.get(id);
    if (tasksAt !== undefined && tasksAt >= (seeded.tasksAt.get(id) ?? 0)) seeded.tasksAt.set(id, tasksAt);
    seeded.fromIndex.delete(id);
  }
  return seeded;
}

/** The call under way for `key`, or a new one kept in `inFlight` until it settles. */
export function shared<T>(inFlight: Map<string, Promise<T>>, key: string, start: () => Promise<T>): Promise<T> {
  let call = inFlight.get(key);
  if (call === undefined) {
    call = start().finally(() => inFlight.delete(key));
    inFlight.set(key, call);
  }
  return call;
}
