import type { ContainerInstanceState } from '@ecs-rebalancer/core';
import type { Clock, InstanceIndexRefresher, Log } from '../ports.js';
import type { InstanceDirectory, InstanceSource } from './ecs-instance-directory.js';

// The tick keeps the shared index warm: every run it lists every managed cluster whole, so
// the first batches of a storm find a listing at most one TICK_SCHEDULE (5 minutes) old and
// no execution environment lists for itself (five at once, at a storm's start). One writer,
// its reads one after the other: at most ⌈instances/100⌉ + 1 ListContainerInstances per
// cluster (ACTIVE, then DRAINING: the statuses without a describe), and
// DescribeContainerInstances by 100 only for the ARNs the index does not hold yet (registered
// since) and for the DRAINING ones, whose running tasks the guardrail counts: a fleet that did
// not change costs its list pages alone. The running-task counts of the ACTIVE instances it
// holds stay as first described (nothing decides on them). Pages per status stop at ECS's 5,000 container instances per cluster.
const MAX_PAGES_PER_STATUS = 50;
const LISTED_STATUSES = ['ACTIVE', 'DRAINING'] as const;
// The tick has 120 s (TICK_TIMEOUT_SECONDS): clusters not reached within this are left to the next run.
const REFRESH_BUDGET_MS = 60_000;

/** The reader's parts the refresh uses. */
export interface IndexedReader {
  readonly directory: InstanceDirectory;
  instanceSource(cluster: string): InstanceSource;
}

/** Lists each managed cluster whole, one after another, and publishes it to the shared index. */
export class EcsInstanceIndexRefresher implements InstanceIndexRefresher {
  constructor(
    private readonly reader: IndexedReader,
    private readonly clock: Clock,
    private readonly log?: Log,
  ) {}

  async refresh(clusters: readonly string[]): Promise<{ cluster: string; instances: number; described: number; published: boolean }[]> {
    const started = this.clock().getTime();
    const { directory } = this.reader;
    await directory.prime(clusters);
    const results = [];
    for (const cluster of clusters) {
      if (this.clock().getTime() - started > REFRESH_BUDGET_MS) {
        this.log?.warn('instance index refresh out of time: the other clusters wait for the next tick', { cluster, left: clusters.length - results.length });
        break;
      }
      try {
        results.push({ cluster, ...(await this.relist(cluster, this.reader.instanceSource(cluster))) });
      } catch (error) {
        // A cluster ECS does not know, or a throttled read: the react environments list it themselves.
        this.log?.warn('instance index refresh failed for a cluster', { cluster, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return results;
  }

  private async relist(cluster: string, source: InstanceSource): Promise<{ instances: number; described: number; published: boolean }> {
    const { directory } = this.reader;
    const listedAt = this.clock().getTime();
    const held = new Map(directory.known(cluster).map((i) => [i.arn, i]));
    // By ARN: an instance that went DRAINING between the two listings is in both.
    const listed = new Map<string, ContainerInstanceState>();
    const unknown: string[] = [];
    for (const status of LISTED_STATUSES) {
      let nextToken: string | undefined;
      let pages = 0;
      do {
        if (pages >= MAX_PAGES_PER_STATUS) throw new Error(`more than ${MAX_PAGES_PER_STATUS * 100} ${status} container instances in ${cluster}`);
        const page = await source.listPage(nextToken, status);
        pages++;
        for (const arn of page.arns) {
          const kept = held.get(arn);
          // A DRAINING instance's running tasks decide whether the guardrail counts it: read afresh.
          if (kept === undefined || status === 'DRAINING') unknown.push(arn);
          else listed.set(arn, { ...kept, status });
        }
        nextToken = page.nextToken;
      } while (nextToken);
    }
    const described = unknown.length > 0 ? await source.describe([...new Set(unknown)]) : [];
    for (const instance of described) listed.set(instance.arn, instance);
    const instances = [...listed.values()];
    directory.remember(cluster, instances, true);
    const published = await directory.publish(cluster, instances, listedAt);
    return { instances: instances.length, described: described.length, published };
  }
}
