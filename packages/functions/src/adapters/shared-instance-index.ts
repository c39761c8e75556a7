import type { ContainerInstanceState } from '@ecs-rebalancer/core';
import type { Clock, DrainingListing, InstanceIndex, InstanceIndexEntry, Log } from '../ports.js';

// The index is an optimisation: every execution environment can still learn the map itself,
// as it did before the index. So an index that cannot be read or written (throttled, the
// table missing, no permission) means exactly that: the failure is logged once per
// environment (then at debug), and the directory lists and filters on its own.

// A cluster the index had nothing for (or nothing young enough) is not asked about again
// for this long: a storm's batches would otherwise ask once each, for an entry that will only
// appear when someone lists the cluster whole.
export const INDEX_ASK_AGAIN_MS = 30_000;

/** The index as the instance directory uses it: reads and writes never reject. */
export class SharedInstanceIndex {
  /** Cluster → when the index was last asked about it. */
  private readonly asked = new Map<string, number>();
  private failures = 0;

  constructor(
    private readonly index: InstanceIndex,
    private readonly clock: Clock,
    private readonly log?: Log,
  ) {}

  /**
   * The entries for those of `clusters` not asked about within INDEX_ASK_AGAIN_MS, in one read
   * (one BatchGetItem for up to 100 clusters); a failed read answers nothing.
   */
  async read(clusters: readonly string[]): Promise<Map<string, InstanceIndexEntry>> {
    const now = this.clock().getTime();
    const due = [...new Set(clusters)].filter((c) => {
      const at = this.asked.get(c);
      return at === undefined || now - at >= INDEX_ASK_AGAIN_MS || now < at;
    });
    if (due.length === 0) return new Map();
    for (const c of due) this.asked.set(c, now);
    try {
      return await this.index.read(due);
    } catch (error) {
      this.failed('reading the instance index', error, { clusters: due.length });
      return new Map();
    }
  }

  /** Publishes a whole listing begun at `listedAt`, with the architectures known of its instances; false when it was not kept. */
  async publish(cluster: string, instances: readonly ContainerInstanceState[], listedAt: number, known: ReadonlyMap<string, string>): Promise<boolean> {
    const architectures = Object.fromEntries(instances.flatMap((i) => (known.has(i.arn) ? [[i.arn, known.get(i.arn) as string]] : [])));
    return this.write({ cluster, listedAt, instances: instances.map((i) => ({ ...i })), architectures });
  }

  /** The cluster's DRAINING set as another environment (or this one) last listed it; undefined when none, or unreadable. */
  async readDraining(cluster: string): Promise<DrainingListing | undefined> {
    try {
      return await this.index.readDraining(cluster);
    } catch (error) {
      this.failed('reading a DRAINING set from the instance index', error, { cluster });
      return undefined;
    }
  }

  /** Publishes a DRAINING listing; false when it was not kept. */
  async publishDraining(listing: DrainingListing): Promise<boolean> {
    try {
      return await this.index.writeDraining(listing);
    } catch (error) {
      this.failed('writing a DRAINING set to the instance index', error, { cluster: listing.cluster });
      return false;
    }
  }

  /** True when this environment should list the DRAINING set (it claimed it, or the index cannot say). */
  async claimDraining(cluster: string, now: number, leaseMs: number): Promise<boolean> {
    try {
      return await this.index.claimDraining(cluster, now, leaseMs);
    } catch (error) {
      this.failed('claiming a DRAINING listing in the instance index', error, { cluster });
      return true;
    }
  }

  private async write(entry: InstanceIndexEntry): Promise<boolean> {
    try {
      const kept = await this.index.write(entry);
      if (!kept) this.log?.debug('instance index entry not kept (a newer listing is kept, or it is too big for one item)', { cluster: entry.cluster, instances: entry.instances.length });
      return kept;
    } catch (error) {
      this.failed('writing the instance index', error, { cluster: entry.cluster });
      return false;
    }
  }

  private failed(doing: string, error: unknown, attributes: Record<string, unknown>): void {
    this.failures++;
    const details = { ...attributes, error: error instanceof Error ? error.message : String(error), failures: this.failures };
    if (this.failures === 1) this.log?.warn(`${doing} failed: this environment lists and filters on its own`, details);
    else this.log?.debug(`${doing} failed`, details);
  }
}
