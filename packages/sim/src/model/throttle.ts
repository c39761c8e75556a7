/** A token bucket: `burst` tokens at most, refilled at `perSecond` tokens per (virtual) second. */
export interface BucketLimits {
  burst: number;
  perSecond: number;
}

export const ThrottleBucket = {
  ContainerInstanceWrite: 'container-instance-write',
  ContainerInstanceRead: 'container-instance-read',
  ServiceWrite: 'service-write',
  ServiceRead: 'service-read',
  ClusterWrite: 'cluster-write',
  ClusterRead: 'cluster-read',
  TaskRead: 'task-read',
} as const;
export type ThrottleBucket = (typeof ThrottleBucket)[keyof typeof ThrottleBucket];

/**
 * Default limits. The first five are ECS's documented account-per-Region buckets (DESIGN.md
 * "ECS facts"); cluster reads and task reads are not in that table, so the simulator gives
 * them generous values of its own.
 */
export const DEFAULT_BUCKET_LIMITS: Readonly<Record<ThrottleBucket, BucketLimits>> = {
  'container-instance-write': { burst: 100, perSecond: 40 },
  'container-instance-read': { burst: 100, perSecond: 20 },
  'service-write': { burst: 50, perSecond: 5 },
  'service-read': { burst: 100, perSecond: 20 },
  'cluster-write': { burst: 20, perSecond: 1 },
  'cluster-read': { burst: 50, perSecond: 20 },
  'task-read': { burst: 100, perSecond: 20 },
};

/** Which bucket each simulated ECS action draws from. Tagging writes and reads count as service calls. */
export const ECS_ACTION_BUCKET: Readonly<Record<string, ThrottleBucket>> = {
  UpdateContainerInstancesState: 'container-instance-write',
  ListContainerInstances: 'container-instance-read',
  DescribeContainerInstances: 'container-instance-read',
  UpdateService: 'service-write',
  TagResource: 'service-write',
  UntagResource: 'service-write',
  ListServices: 'service-read',
  DescribeServices: 'service-read',
  ListTagsForResource: 'service-read',
  PutClusterCapacityProviders: 'cluster-write',
  ListClusters: 'cluster-read',
  DescribeClusters: 'cluster-read',
  DescribeCapacityProviders: 'cluster-read',
  ListTasks: 'task-read',
  DescribeTasks: 'task-read',
};

class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    readonly limits: BucketLimits,
    now: number,
  ) {
    this.#tokens = limits.burst;
    this.#at = now;
  }

  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.#at) / 1000;
    this.#tokens = Math.min(this.limits.burst, this.#tokens + elapsed * this.limits.perSecond);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  tokens(now: number): number {
    const elapsed = Math.max(0, now - this.#at) / 1000;
    return Math.min(this.limits.burst, this.#tokens + elapsed * this.limits.perSecond);
  }
}

/** ECS's throttle buckets, refilled on the clock `now` reads (the virtual clock in the simulator). */
export class ThrottleBuckets {
  #buckets = new Map<ThrottleBucket, TokenBucket>();

  constructor(
    private readonly now: () => number,
    limits: Partial<Record<ThrottleBucket, BucketLimits>> = {},
  ) {
    for (const [name, defaults] of Object.entries(DEFAULT_BUCKET_LIMITS) as [ThrottleBucket, BucketLimits][]) {
      this.#buckets.set(name, new TokenBucket(limits[name] ?? defaults, now()));
    }
  }

  /** Takes one token for `action`; false means the call is throttled. Unclassified actions are never throttled. */
  take(action: string): boolean {
    const name = ECS_ACTION_BUCKET[action];
    if (!name) return true;
    return this.#buckets.get(name)?.take(this.now()) ?? true;
  }

  /** Tokens left in a bucket now (for tests and reports). */
  tokens(bucket: ThrottleBucket): number {
    return this.#buckets.get(bucket)?.tokens(this.now()) ?? 0;
  }
}
