import type { ContainerInstanceState } from '@ecs-rebalancer/core';
import type { Clock, DrainingListing, InstanceDrainer, InstanceIndexEntry } from '../ports.js';
import { emptyEntry, entryFromIndex, shared, type ClusterDirectory } from './directory-entry.js';
import type { SharedInstanceIndex } from './shared-instance-index.js';

// A Spot warning names an EC2 instance, not its cluster, so without memory every batch asks
// every managed cluster for its ids, and a storm pays one ListContainerInstances per cluster
// per batch, and as much again for the state changes that follow each termination. An EC2
// instance is registered in at most one cluster, under one container instance ARN, for as long
// as it lives: what a load learned stays true, except the status, which the rebalancer itself
// changes (DRAINING) and which the drainer's answers keep here. Kept for DIRECTORY_TTL_MS on
// the injected clock, four minutes: a storm's minute of warnings, their two minutes to
// termination and the state changes that follow each termination are answered from one
// listing. A status someone else changed meanwhile is seen at most that late: a drain of an
// instance that is DRAINING already or gone comes back as a per-instance failure the drainer
// reports (already-draining, missing); the one costly case is an instance an operator set back
// to ACTIVE after the rebalancer drained it, which is not drained again until the entry ages
// out. Ids that no fresh directory knows are always looked up: they may have registered since.
export const DIRECTORY_TTL_MS = 240_000;
// A batch naming this many instances the directory does not know is a storm: listing the
// cluster whole (pages of 100, then DescribeContainerInstances by 100) answers this batch and
// the next ones for DIRECTORY_TTL_MS, where filters would ask every cluster again each batch.
// Allowed up to max(LIST_CLUSTER_MIN_PAGES, ids / 5) pages (2,000 instances, more for a bigger
// batch): a few storm batches' worth of filters; a bigger cluster keeps the filters, and the
// pages that proved it too big are not spent again within the TTL.
const LIST_CLUSTER_AT = 10;
const LIST_CLUSTER_MIN_PAGES = 20;
// A leaving instance (an EC2 state change, planLoad's `recheckStatus`) kept as ACTIVE for longer
// than this is described again before a drain is planned on it: in a storm its Spot warning
// came two minutes earlier and another execution environment, whose drains this one never
// saw, has most likely drained it. One DescribeContainerInstances per 100 instances, where a
// drain planned on a stale ACTIVE would cost one UpdateContainerInstancesState per 10.
export const RECHECK_AFTER_MS = 15_000;
// The draining guardrail (rebalance recommendations, scheduled changes) divides by every
// ACTIVE and DRAINING instance of a provider: it takes them from a whole listing of the
// cluster (the shared index's, below, or this directory's own when there is none within
// GUARDRAIL_MAX_AGE_MS and the cluster has at most LIST_CLUSTER_MIN_PAGES pages). Which of them
// are DRAINING is read again when older than DRAINING_FRESH_MS: ListContainerInstances with
// status DRAINING (pages of 100, at most DRAINING_MAX_PAGES), shared through the index so that
// one environment lists it per DRAINING_FRESH_MS (it claims the listing; the others take the
// last set meanwhile, at most DRAINING_LEASE_MS longer) and the others take its listing;
// DescribeContainerInstances only for ARNs the directory does not know, and again for kept
// DRAINING instances the listing no longer holds (ACTIVE again, or deregistered). So drains by
// anyone else (other environments, ECS's Spot draining, an operator) count at most
// DRAINING_FRESH_MS late, this environment's own at once. A set past DRAINING_MAX_PAGES counts
// the guardrail as exhausted (`drainingCapped`: discretionary drains are deferred) and is kept
// for DRAINING_CAPPED_FRESH_MS: more drains by others change nothing, and fewer only end the
// deferral later (stricter, never looser). A cluster
// with neither counts what the directory knows (stricter, never looser); reading such sets in
// every environment, before the index, cost the mixed 15,000 storm 41,479 ECS calls.
export const GUARDRAIL_MAX_AGE_MS = DIRECTORY_TTL_MS;
export const DRAINING_FRESH_MS = 20_000;
const DRAINING_CAPPED_FRESH_MS = 60_000;
const DRAINING_LEASE_MS = 5_000;
const DRAINING_MAX_PAGES = LIST_CLUSTER_MIN_PAGES;
// The shared index (shared-instance-index.ts, in DynamoDB): whoever lists a cluster whole
// publishes it, the tick every run (5 minutes), so each execution environment starts from one
// listing instead of making its own. An EC2 id keeps its container instance while it lives:
// an entry serves for INDEX_MAX_AGE_MS (two ticks and a minute), ids it lacks registered since
// and are looked up by filter. Its statuses are as old as the listing: one other than ACTIVE
// is described again before use (an instance made ACTIVE again must still be drained); an
// ACTIVE one is drained as it is (already-draining or missing come back from the drainer) and
// rechecked like any other when a state change names it (RECHECK_AFTER_MS).
export const INDEX_MAX_AGE_MS = 660_000;

/** The ECS reads the directory needs, bound to one cluster by the reader. */
export interface InstanceSource {
  /** One page (≤ 100) of every container instance ARN of the cluster, or of those with `status`. */
  listPage(nextToken?: string, status?: 'ACTIVE' | 'DRAINING'): Promise<{ arns: string[]; nextToken?: string }>;
  /** The ARNs of the instances with these EC2 ids (`ec2InstanceId in [...]` filters). */
  listFiltered(ec2InstanceIds: readonly string[]): Promise<string[]>;
  describe(arns: readonly string[]): Promise<ContainerInstanceState[]>;
}

/** What the directory says of one EC2 id in one cluster. */
export type DirectoryAnswer = { found: ContainerInstanceState } | 'absent' | 'unknown';

/** EC2 instance id → its container instance, per cluster, learned from loads and drains. */
export class InstanceDirectory {
  private readonly clusters = new Map<string, ClusterDirectory>();
  /** EC2 id → the cluster it was found in. */
  private readonly home = new Map<string, string>();
  /** Clusters found too big to list whole for a batch, with the pages that proved it. */
  private readonly tooBig = new Map<string, { at: number; pages: number }>();
  /** Cluster → registered container instances, as DescribeClusters last said (registeredContainerInstancesCount). */
  private readonly sizes = new Map<string, number>();
  /** Whole-cluster listings under way, shared by concurrent loads. */
  private readonly listings = new Map<string, Promise<ContainerInstanceState[] | undefined>>();
  /** DRAINING listings under way, shared by concurrent loads. */
  private readonly drainingReads = new Map<string, Promise<void>>();

  /** Priming reads of the index under way, shared by concurrent loads. */
  private priming: Promise<void> | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = DIRECTORY_TTL_MS,
    private readonly sharing?: { index: SharedInstanceIndex; architectures: Map<string, string> },
  ) {}

  /**
   * Takes the index's entries for those of `clusters` this directory has no whole listing of
   * (one read for all of them); an entry older than INDEX_MAX_AGE_MS, or than what the
   * directory holds, is left. Never rejects: without the index the directory works alone.
   */
  async prime(clusters: readonly string[]): Promise<void> {
    if (this.sharing === undefined || !this.enabled) return;
    while (this.priming) await this.priming;
    const wanted = clusters.filter((c) => !this.isComplete(c));
    if (wanted.length === 0) return;
    const { index } = this.sharing;
    const run = (async () => {
      for (const entry of (await index.read(wanted)).values()) this.seed(entry);
    })();
    this.priming = run;
    try {
      await run;
    } finally {
      this.priming = undefined;
    }
  }

  /** Keeps an index entry as a whole listing read at its listedAt; what this directory read since stays. */
  private seed(entry: InstanceIndexEntry): void {
    const now = this.clock().getTime();
    if (now - Math.min(entry.listedAt, now) >= INDEX_MAX_AGE_MS || this.isComplete(entry.cluster)) return;
    const seeded = entryFromIndex(entry, now, INDEX_MAX_AGE_MS, this.fresh(entry.cluster, now));
    for (const id of seeded.byEc2.keys()) this.home.set(id, entry.cluster);
    for (const [arn, arch] of Object.entries(entry.architectures)) this.sharing?.architectures.set(arn, arch);
    this.clusters.set(entry.cluster, seeded);
  }

  /** Publishes a whole listing of the cluster, begun at `listedAt`; false when it was not kept. */
  async publish(cluster: string, instances: readonly ContainerInstanceState[], listedAt: number): Promise<boolean> {
    return this.sharing?.index.publish(cluster, instances, listedAt, this.sharing.architectures) ?? false;
  }

  /** False when the TTL is 0: nothing is kept. */
  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** The instance's state in `cluster` if known, `absent` when it is known not to be there. */
  lookup(cluster: string, ec2InstanceId: string): DirectoryAnswer {
    const now = this.clock().getTime();
    const own = this.fresh(cluster, now);
    const found = own?.byEc2.get(ec2InstanceId);
    if (found) return { found: { ...found } };
    // An instance found in another cluster is not in this one. An id no fresh directory knows
    // is looked up even where the cluster was listed whole: it may have registered since.
    const elsewhere = this.home.get(ec2InstanceId);
    if (elsewhere !== undefined && elsewhere !== cluster && this.fresh(elsewhere, now)?.byEc2.has(ec2InstanceId)) return 'absent';
    return 'unknown';
  }

  /**
   * The named instances of one cluster: those the directory knows (or knows are elsewhere)
   * cost nothing; the rest come from listing the whole cluster once when a batch names many
   * and the cluster is small enough for that to pay off, else from the filters.
   */
  async named(cluster: string, ids: readonly string[], source: InstanceSource, recheck: ReadonlySet<string> = new Set()): Promise<ContainerInstanceState[]> {
    const known: ContainerInstanceState[] = [];
    const unknown: string[] = [];
    const stale: ContainerInstanceState[] = [];
    const now = this.clock().getTime();
    const entry = this.fresh(cluster, now);
    // A leaving instance that a listing of the whole cluster within the TTL did not hold is not
    // looked for: it would have had to register within the TTL only to leave again.
    const complete = entry !== undefined && entry.complete && now - entry.readAt < this.ttlMs;
    for (const id of new Set(ids)) {
      const answer = this.lookup(cluster, id);
      if (answer === 'unknown') {
        if (!(complete && recheck.has(id))) unknown.push(id);
      } else if (answer !== 'absent') {
        const recent = now - (entry?.statusAt.get(id) ?? 0) < RECHECK_AFTER_MS;
        const leaving = recheck.has(id) && answer.found.status === 'ACTIVE';
        // The index's statuses are as old as its listing (INDEX_MAX_AGE_MS).
        const indexed = entry?.fromIndex.has(id) === true && answer.found.status !== 'ACTIVE';
        if ((leaving || indexed) && !recent) stale.push(answer.found);
        else known.push(answer.found);
      }
    }
    if (stale.length > 0) known.push(...(await this.describeAgain(cluster, stale, source)));
    if (unknown.length === 0) return known;
    if (unknown.length >= LIST_CLUSTER_AT && this.enabled && !this.isComplete(cluster)) {
      // Concurrent batches of one storm share one listing of the cluster.
      const instances = await this.listing(cluster, Math.max(LIST_CLUSTER_MIN_PAGES, Math.ceil(unknown.length / 5)), source);
      if (instances !== undefined) {
        const wanted = new Set(unknown);
        return [...known, ...instances.filter((i) => wanted.has(i.ec2InstanceId)).map((i) => ({ ...i }))];
      }
    }
    const found = await source.describe([...new Set(await source.listFiltered(unknown))]);
    this.remember(cluster, found, false);
    return [...known, ...found];
  }

  /** Reads the status of kept instances again; those ECS no longer knows are forgotten. */
  private async describeAgain(cluster: string, instances: readonly ContainerInstanceState[], source: InstanceSource): Promise<ContainerInstanceState[]> {
    const fresh = await source.describe(instances.map((i) => i.arn));
    const answered = new Set(fresh.map((i) => i.arn));
    this.forget(cluster, instances.filter((i) => !answered.has(i.arn)).map((i) => i.arn));
    this.remember(cluster, fresh, false);
    return fresh.map((i) => ({ ...i }));
  }

  /**
   * Every container instance of the cluster from the directory's whole listing (this
   * directory's own drains applied), listed when there is none younger than `maxAgeMs` and the
   * cluster has at most LIST_CLUSTER_MIN_PAGES pages; undefined for a bigger cluster (its pages
   * that proved it are not spent again within the TTL).
   */
  async whole(cluster: string, source: InstanceSource, maxAgeMs = GUARDRAIL_MAX_AGE_MS): Promise<ContainerInstanceState[] | undefined> {
    const now = this.clock().getTime();
    const entry = this.fresh(cluster, now);
    if (entry?.complete && now - entry.readAt < (entry.indexed ? Math.max(maxAgeMs, INDEX_MAX_AGE_MS) : maxAgeMs)) {
      await this.refreshDraining(cluster, source);
      return [...(this.fresh(cluster, this.clock().getTime())?.byEc2.values() ?? entry.byEc2.values())].map((i) => ({ ...i }));
    }
    return (await this.listing(cluster, LIST_CLUSTER_MIN_PAGES, source))?.map((i) => ({ ...i }));
  }

  /** The whole listing of the cluster under way, or a new one: concurrent loads share it. */
  private listing(cluster: string, maxPages: number, source: InstanceSource): Promise<ContainerInstanceState[] | undefined> {
    return shared(this.listings, cluster, () => this.listAndDescribe(cluster, maxPages, source));
  }

  /**
   * Reads which kept instances are DRAINING when that is older than DRAINING_FRESH_MS (see
   * GUARDRAIL_MAX_AGE_MS): DRAINING ARNs the directory knows are marked, unknown ones
   * described; kept DRAINING instances the listing lacks are described again, only when the
   * listing was read to its end and their status was not set since it began.
   */
  async refreshDraining(cluster: string, source: InstanceSource): Promise<void> {
    const entry = this.fresh(cluster, this.clock().getTime());
    if (entry === undefined || this.clock().getTime() - entry.drainingAt < drainingFreshMs(entry.drainingCapped)) return;
    await shared(this.drainingReads, cluster, () => this.readDraining(cluster, entry, source));
  }

  private async readDraining(cluster: string, entry: ClusterDirectory, source: InstanceSource): Promise<void> {
    const { listedAt: began, arns, capped } = await this.drainingListing(cluster, entry, source);
    const listed = new Set(arns);
    const now = this.clock().getTime();
    const byArn = new Map([...entry.byEc2].map(([id, i]) => [i.arn, id] as const));
    const unknown: string[] = [];
    for (const arn of listed) {
      const id = byArn.get(arn);
      const instance = id === undefined ? undefined : entry.byEc2.get(id);
      // A DRAINING instance counts only while it runs tasks (drains.ts): counts older than
      // GUARDRAIL_MAX_AGE_MS (the index's, drains made here) are read again; a capped set counts as exhausted anyway.
      if (id === undefined || instance === undefined || (!capped && !(now - (entry.tasksAt.get(id) ?? -Infinity) < GUARDRAIL_MAX_AGE_MS))) unknown.push(arn);
      if (id !== undefined && instance !== undefined) {
        entry.fromIndex.delete(id);
        if (instance.status !== 'DRAINING') {
          instance.status = 'DRAINING';
          entry.statusAt.set(id, now);
        }
      }
    }
    // Not DRAINING any more (only a listing read to its end proves it): ACTIVE again or gone.
    const left = capped ? [] : [...entry.byEc2].filter(([id, i]) => i.status === 'DRAINING' && !listed.has(i.arn) && (entry.statusAt.get(id) ?? 0) < began).map(([, i]) => i);
    if (unknown.length > 0) this.remember(cluster, await source.describe(unknown), false);
    if (left.length > 0) await this.describeAgain(cluster, left, source);
    entry.drainingAt = began;
    entry.drainingCapped = capped;
  }

  /**
   * The cluster's DRAINING set: another environment's listing from the shared index when it is
   * younger than DRAINING_FRESH_MS (and than what this directory read), else this
   * environment's own (pages of 100, at most DRAINING_MAX_PAGES), published for the others.
   */
  private async drainingListing(cluster: string, entry: ClusterDirectory, source: InstanceSource): Promise<DrainingListing> {
    const index = this.sharing?.index;
    const kept = await index?.readDraining(cluster);
    const now = this.clock().getTime();
    const age = kept === undefined || kept.listedAt > now ? Infinity : now - kept.listedAt;
    if (kept !== undefined && age < drainingFreshMs(kept.capped) && kept.listedAt > entry.drainingAt) return kept;
    // Another environment claimed the listing: its last set, up to DRAINING_LEASE_MS later, rather than a second listing.
    const claimed = (await index?.claimDraining(cluster, now, DRAINING_LEASE_MS)) ?? true;
    if (!claimed && kept !== undefined && age < drainingFreshMs(kept.capped) + DRAINING_LEASE_MS && kept.listedAt >= entry.drainingAt) return kept;
    const listedAt = now;
    const arns: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      if (pages >= DRAINING_MAX_PAGES) break;
      const page = await source.listPage(nextToken, 'DRAINING');
      pages++;
      arns.push(...page.arns);
      nextToken = page.nextToken;
    } while (nextToken);
    const listing = { cluster, listedAt, arns, capped: nextToken !== undefined };
    await index?.publishDraining(listing);
    return listing;
  }

  /** True when the last DRAINING listing of the cluster was cut at DRAINING_MAX_PAGES: count the guardrail as exhausted. */
  drainingCapped(cluster: string): boolean {
    return this.fresh(cluster, this.clock().getTime())?.drainingCapped ?? false;
  }

  private async listAndDescribe(cluster: string, maxPages: number, source: InstanceSource): Promise<ContainerInstanceState[] | undefined> {
    const began = this.clock().getTime();
    const whole = await this.listWhole(cluster, maxPages, source);
    if (whole === undefined) return undefined;
    const instances = await source.describe(whole);
    this.remember(cluster, instances, true);
    await this.publish(cluster, instances, began);
    return instances;
  }

  /** What DescribeClusters said of the cluster's size: a cluster known to be too big for a listing is not paged through to find out. */
  noteSize(cluster: string, registeredContainerInstances: number): void {
    this.sizes.set(cluster, registeredContainerInstances);
  }

  /** Every ARN of the cluster, or undefined past `maxPages` pages (remembered for the TTL). */
  private async listWhole(cluster: string, maxPages: number, source: InstanceSource): Promise<string[] | undefined> {
    const now = this.clock().getTime();
    const big = this.tooBig.get(cluster);
    if (big !== undefined && big.pages > maxPages && now - big.at >= 0 && now - big.at < this.ttlMs) return undefined;
    const size = this.sizes.get(cluster);
    if (size !== undefined && Math.ceil(size / 100) > maxPages) return undefined;
    const arns: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      if (pages >= maxPages) {
        this.tooBig.set(cluster, { at: now, pages: pages + 1 });
        return undefined;
      }
      const page = await source.listPage(nextToken);
      pages++;
      arns.push(...page.arns);
      nextToken = page.nextToken;
    } while (nextToken);
    return arns;
  }

  /** Every instance the directory keeps for the cluster (fresh within the TTL). */
  known(cluster: string): ContainerInstanceState[] {
    return [...(this.fresh(cluster, this.clock().getTime())?.byEc2.values() ?? [])].map((i) => ({ ...i }));
  }

  /** True when the cluster was listed whole within the TTL. */
  isComplete(cluster: string): boolean {
    return this.fresh(cluster, this.clock().getTime())?.complete ?? false;
  }

  /** Keeps what a load read; `complete` when it is every container instance of the cluster. */
  remember(cluster: string, instances: readonly ContainerInstanceState[], complete: boolean): void {
    if (this.ttlMs <= 0) return;
    const now = this.clock().getTime();
    const existing = complete ? undefined : this.fresh(cluster, now);
    const entry = existing ?? emptyEntry(now, this.ttlMs, complete);
    for (const instance of instances) {
      entry.byEc2.set(instance.ec2InstanceId, { ...instance });
      entry.statusAt.set(instance.ec2InstanceId, now);
      entry.tasksAt.set(instance.ec2InstanceId, now);
      entry.fromIndex.delete(instance.ec2InstanceId);
      this.home.set(instance.ec2InstanceId, cluster);
    }
    this.clusters.set(cluster, entry);
  }

  /** Records the drainer's answer: those instances are DRAINING now. */
  noteDraining(cluster: string, containerInstanceArns: readonly string[]): void {
    const entry = this.clusters.get(cluster);
    if (!entry) return;
    const arns = new Set(containerInstanceArns);
    const now = this.clock().getTime();
    for (const [id, instance] of entry.byEc2) {
      if (!arns.has(instance.arn)) continue;
      instance.status = 'DRAINING';
      entry.statusAt.set(id, now);
      entry.fromIndex.delete(id);
    }
  }

  /** Forgets instances ECS no longer knows (a drain answered MISSING). */
  forget(cluster: string, containerInstanceArns: readonly string[]): void {
    const entry = this.clusters.get(cluster);
    if (!entry) return;
    const arns = new Set(containerInstanceArns);
    for (const [id, instance] of entry.byEc2) {
      if (!arns.has(instance.arn)) continue;
      entry.byEc2.delete(id);
      entry.statusAt.delete(id);
      entry.tasksAt.delete(id);
      entry.fromIndex.delete(id);
    }
  }

  private fresh(cluster: string, now: number): ClusterDirectory | undefined {
    const entry = this.clusters.get(cluster);
    if (!entry) return undefined;
    if (now >= entry.readAt && now < entry.expiresAt) return entry;
    this.clusters.delete(cluster);
    return undefined;
  }
}

/** The drainer, with every answer also written into the directory. */
export function drainerNotingDirectory(drainer: InstanceDrainer, directory: InstanceDirectory): InstanceDrainer {
  return {
    async drain(cluster, containerInstanceArns) {
      const results = await drainer.drain(cluster, containerInstanceArns);
      directory.noteDraining(
        cluster,
        results.filter((r) => r.status === 'draining' || r.status === 'already-draining').map((r) => r.containerInstanceArn),
      );
      directory.forget(cluster, results.filter((r) => r.status === 'missing').map((r) => r.containerInstanceArn));
      return results;
    },
  };
}

/** How long a DRAINING listing answers the guardrail: longer when it was capped (exhausted). */
function drainingFreshMs(capped: boolean): number {
  return capped ? DRAINING_CAPPED_FRESH_MS : DRAINING_FRESH_MS;
}
