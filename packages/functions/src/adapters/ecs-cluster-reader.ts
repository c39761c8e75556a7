import {
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  ListContainerInstancesCommand,
  ListServicesCommand,
} from '@aws-sdk/client-ecs';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import type {
  CapacityProviderState,
  ContainerInstanceState,
  LoadRequest,
  ProviderType,
  ServiceState,
} from '@ecs-rebalancer/core';
import { isFallbackPending } from '@ecs-rebalancer/core';
import { attempt, RetryableError } from '../errors.js';
import type { Clock, ClusterReader, ClusterSnapshot, InstanceIndex, Log } from '../ports.js';
import { chunk, mapLimit } from '../chunks.js';
import { applyArchitectures, readClusterArchitectures } from './ecs-architectures.js';
import { DIRECTORY_TTL_MS, InstanceDirectory, type InstanceSource } from './ecs-instance-directory.js';
import { SharedInstanceIndex } from './shared-instance-index.js';
import { ec2InstanceFilters, instanceState, isLongServiceArn, lastSegment, namesUnknownProvider, providerState, serviceStateOf, shortArnReason, withArchitectures } from './ecs-cluster-state.js';

export { ec2InstanceFilters, isLongServiceArn, shortArnReason };

// ECS API limits: DescribeServices 10 services per call, DescribeContainerInstances 100,
// DescribeClusters and DescribeCapacityProviders 100; ListServices and ListContainerInstances
// pages of 1–100.
const DESCRIBE_SERVICES_MAX = 10;
const DESCRIBE_INSTANCES_MAX = 100;
const DESCRIBE_CLUSTERS_MAX = 100;
const PAGE_SIZE = 100;
// Concurrent calls of one kind per cluster: below the read buckets' burst (100), so one batch
// does not starve the next one.
const CONCURRENCY = 4;
// Architectures remembered, at most (the shared index brings every managed cluster's); a fleet of more instances reads them again.
const ARCHITECTURE_MEMORY = 50_000;

const FARGATE_PROVIDERS: ReadonlySet<string> = new Set(['FARGATE', 'FARGATE_SPOT']);

// Which providers are attached to a cluster, their types, and which services it runs change
// only when someone attaches a provider or creates or deletes a service, while a warm Lambda
// container serves many batches and ticks. Kept for 60 s, they spare three of the four calls
// a load makes per cluster before DescribeServices (DescribeClusters, DescribeCapacityProviders
// and ListServices, which draws on the account's service-read bucket, 100 burst / 20 per s,
// with DescribeServices and every other caller), and a change made by hand is still seen
// within a minute: a new service is managed at most 60 s late. An entry a load proves wrong
// is dropped: a container instance or a service strategy that names a provider the entry
// lacks (read again at once: the core refuses a strategy with a provider it does not see
// attached), a listed service that DescribeServices reports MISSING or INACTIVE (ListServices
// never returns INACTIVE services). What decisions read — strategies, tags, deployments,
// container instances, alarms — is never kept.
export const CLUSTER_CACHE_TTL_MS = 60_000;

export interface EcsClusterReaderOptions {
  /** Measures the cache's age; defaults to the wall clock, the simulator passes its virtual one. */
  clock?: Clock;
  /** How long attached providers and `*` service lists are kept; 0 turns the cache off (and the directory, unless given). */
  cacheTtlMs?: number;
  /** How long the instance directory keeps what it learned (DIRECTORY_TTL_MS); 0 turns it off. */
  directoryTtlMs?: number;
  /** The account-wide instance index the directory reads before listing and writes after (shared-instance-index.ts). */
  instanceIndex?: InstanceIndex;
}

interface LoadedService {
  state: ServiceState;
  arn: string;
  blocked?: string;
}

interface Cached<T> {
  value: T;
  readAt: number;
}

/**
 * Builds ClusterState for the clusters a batch touches with the fewest ECS calls: one
 * DescribeClusters and one DescribeCapacityProviders for the whole batch, for the clusters
 * whose attached providers are not kept from a recent load (CLUSTER_CACHE_TTL_MS); per
 * cluster the services (ListServices when every service is managed, its answer kept like the
 * providers, then DescribeServices by 10 with their tags, which hold the rebalancer's record,
 * on every load) and the container instances (ListContainerInstances
 * with `ec2InstanceId in [...]` filters, or every instance for a `full` one, then
 * DescribeContainerInstances by 100; named instances go through the instance directory,
 * which knows for four minutes which cluster holds an instance and lists a cluster whole for a
 * storm, and a `guardrail` request's whole-provider counts come from its whole listing of the
 * cluster, its DRAINING set read again past 20 s, ecs-instance-directory.ts). When a fallback may be decided
 * (LoadRequest.architectures) or a loaded one is pending, the cluster's instances and tasks
 * are read for the CPU architectures (ecs-architectures.ts). A cluster ECS does not know is
 * left out with a warning:
 * decide then reports its instances as in no managed cluster. A service the rebalancer must
 * not change is marked in `blocked` with the reason: a short ARN (ECS cannot tag it, so its
 * record could not be kept) or a record it cannot read (acting on it as absent could write
 * over the only copy of a baseline).
 */
export class EcsClusterReader implements ClusterReader {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  /** Cluster name → its attached providers with their types. */
  private readonly providerCache = new Map<string, Cached<CapacityProviderState[]>>();
  /** Cluster name → the names ListServices returned. */
  private readonly serviceNameCache = new Map<string, Cached<string[]>>();
  /** Container instance ARN → `ecs.cpu-architecture`, from every DescribeContainerInstances (instances the directory answers for keep theirs). */
  private readonly architectures = new Map<string, string>();
  /** Cluster and requested names → the services as last described, for warning-only loads. */
  private readonly warningServiceCache = new Map<string, Cached<LoadedService[]>>();
  /** EC2 id → container instance, per cluster; the drainer's answers keep its statuses (drainerNotingDirectory). */
  readonly directory: InstanceDirectory;

  constructor(
    private readonly ecs: ECSClient,
    private readonly log?: Log,
    options: EcsClusterReaderOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.ttlMs = options.cacheTtlMs ?? CLUSTER_CACHE_TTL_MS;
    const shared = options.instanceIndex ? { index: new SharedInstanceIndex(options.instanceIndex, this.clock, log), architectures: this.architectures } : undefined;
    this.directory = new InstanceDirectory(this.clock, options.directoryTtlMs ?? (this.ttlMs === 0 ? 0 : DIRECTORY_TTL_MS), shared);
  }

  async load(requests: readonly LoadRequest[]): Promise<ClusterSnapshot[]> {
    if (requests.length === 0) return [];
    const { providers: attached, cached } = await this.attachedProviders(requests.map((r) => r.cluster));
    const known = requests.filter((r) => attached.has(r.cluster));
    // One read of the shared index for every cluster whose named instances it may answer.
    await this.directory.prime(known.filter((r) => !r.full && r.ec2InstanceIds.length > 0).map((r) => r.cluster));
    return Promise.all(
      known.map(async (request) => {
        const [services, containerInstances] = await Promise.all([this.services(request), this.containerInstances(request)]);
        let capacityProviders = attached.get(request.cluster) ?? [];
        if (cached.has(request.cluster) && namesUnknownProvider(capacityProviders, services, containerInstances)) {
          this.log?.debug('a provider is missing from the kept list: reading the cluster again', { cluster: request.cluster });
          this.providerCache.delete(request.cluster);
          capacityProviders = (await this.attachedProviders([request.cluster])).providers.get(request.cluster) ?? capacityProviders;
        }
        capacityProviders = withArchitectures(capacityProviders, containerInstances, this.architectures);
        let parts = { capacityProviders, services: services.map((s) => s.state), containerInstances };
        // Architectures cost a whole-cluster read: only when a fallback may be decided (a service
        // without a record: one already in fallback is left alone) or completed (pending).
        if ((request.architectures === true && parts.services.some((s) => s.baseline === null)) || parts.services.some(isFallbackPending)) {
          const read = await readClusterArchitectures(this.ecs, request.cluster, (arns) => this.describeInstances(request.cluster, arns), this.architectures);
          parts = applyArchitectures(read, parts, this.architectures);
        }
        const blocked = services.flatMap((s) => (s.blocked === undefined ? [] : [[s.state.name, s.blocked] as const]));
        return {
          state: { cluster: request.cluster, ...parts, alarms: {} },
          serviceArns: Object.fromEntries(services.map((s) => [s.state.name, s.arn])),
          ...(blocked.length > 0 ? { blocked: Object.fromEntries(blocked) } : {}),
        };
      }),
    );
  }

  /**
   * The providers attached to one cluster with their types (DescribeClusters,
   * DescribeCapacityProviders; kept CLUSTER_CACHE_TTL_MS), or undefined when ECS does not know
   * the cluster or it is INACTIVE. The rollout reads its cluster's providers here.
   */
  async capacityProviders(cluster: string): Promise<CapacityProviderState[] | undefined> {
    return (await this.attachedProviders([cluster])).providers.get(cluster);
  }

  /**
   * Cluster name → the providers attached to it with their types, from the cache when it is
   * fresh; `cached` names the clusters answered from it. Clusters ECS does not know are absent.
   */
  private async attachedProviders(clusters: readonly string[]): Promise<{ providers: Map<string, CapacityProviderState[]>; cached: Set<string> }> {
    const providers = new Map<string, CapacityProviderState[]>();
    const cached = new Set<string>();
    const now = this.clock().getTime();
    for (const cluster of new Set(clusters)) {
      const entry = this.fresh(this.providerCache, cluster, now);
      if (entry === undefined) continue;
      // Copies: a snapshot is the caller's to keep or change; the kept entry must not move with it.
      providers.set(cluster, entry.map((p) => ({ ...p })));
      cached.add(cluster);
    }
    const stale = [...new Set(clusters)].filter((c) => !cached.has(c));
    if (stale.length === 0) return { providers, cached };
    const attached = await this.describeClusters(stale);
    const types = await this.providerTypes([...new Set([...attached.values()].flat())]);
    for (const [cluster, names] of attached) {
      const list: CapacityProviderState[] = names.map((name) => types.get(name) ?? { name, type: 'EC2_AUTOSCALING' });
      providers.set(cluster, list);
      this.keep(this.providerCache, cluster, list.map((p) => ({ ...p })), now);
    }
    return { providers, cached };
  }

  private fresh<T>(cache: Map<string, Cached<T>>, key: string, now: number): T | undefined {
    return this.freshFor(cache, key, now, this.ttlMs);
  }

  private freshFor<T>(cache: Map<string, Cached<T>>, key: string, now: number, ttlMs: number): T | undefined {
    const entry = cache.get(key);
    if (entry === undefined) return undefined;
    // A clock that went back is not trusted to say the entry is young.
    const age = now - entry.readAt;
    if (age >= 0 && age < ttlMs) return entry.value;
    cache.delete(key);
    return undefined;
  }

  private keep<T>(cache: Map<string, Cached<T>>, key: string, value: T, readAt: number): void {
    if (this.ttlMs > 0) cache.set(key, { value, readAt });
  }

  /** Cluster name → names of the capacity providers attached to it. */
  private async describeClusters(names: readonly string[]): Promise<Map<string, string[]>> {
    const attached = new Map<string, string[]>();
    for (const piece of chunk([...new Set(names)], DESCRIBE_CLUSTERS_MAX)) {
      const out = await attempt(`describing clusters ${piece.join(', ')}`, () => this.ecs.send(new DescribeClustersCommand({ clusters: piece })));
      for (const cluster of out.clusters ?? []) {
        if (!cluster.clusterName || cluster.status === 'INACTIVE') continue;
        attached.set(cluster.clusterName, cluster.capacityProviders ?? []);
        if (cluster.registeredContainerInstancesCount !== undefined) this.directory.noteSize(cluster.clusterName, cluster.registeredContainerInstancesCount);
      }
      for (const failure of out.failures ?? []) {
        this.log?.warn('cluster not found: it is not loaded', { cluster: failure.arn, reason: failure.reason });
      }
    }
    return attached;
  }

  /**
   * Each provider as the core sees it: its type (FARGATE and FARGATE_SPOT are built in and
   * need no call; MANAGED_INSTANCES for ECS Managed Instances, with the `capacityOptionType`
   * of its launch template), and for an Auto Scaling provider its group's name (the last part
   * of `autoScalingGroupArn`, `…:autoScalingGroupName/NAME`), which launch failures name.
   */
  private async providerTypes(names: readonly string[]): Promise<Map<string, CapacityProviderState>> {
    const types = new Map<string, CapacityProviderState>();
    const custom = names.filter((n) => !FARGATE_PROVIDERS.has(n));
    for (const name of names) if (FARGATE_PROVIDERS.has(name)) types.set(name, { name, type: name as ProviderType });
    for (const piece of chunk(custom, DESCRIBE_CLUSTERS_MAX)) {
      const out = await attempt(`describing capacity providers ${piece.join(', ')}`, () =>
        this.ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: piece })),
      );
      for (const provider of out.capacityProviders ?? []) {
        if (!provider.name) continue;
        types.set(provider.name, providerState(provider));
      }
    }
    return types;
  }

  /**
   * A batch of instance signals only (planLoad's `servicesForWarningsOnly`) reads services for
   * nothing but decide's minimumHealthyPercent warning: a copy read within DIRECTORY_TTL_MS
   * serves it (a service's minimum healthy percent seldom changes, and the warning is advice),
   * so a storm reads each cluster's services once, not once a batch. Every other load reads
   * them afresh (and refreshes the copy).
   */
  private async services(request: LoadRequest): Promise<LoadedService[]> {
    const key = `${request.cluster}\u0000${request.services === '*' ? '*' : request.services.join('\u0000')}`;
    const now = this.clock().getTime();
    const warningsOnly = (request as LoadRequest & { servicesForWarningsOnly?: boolean }).servicesForWarningsOnly === true;
    const kept = warningsOnly ? this.freshFor(this.warningServiceCache, key, now, DIRECTORY_TTL_MS) : undefined;
    if (kept !== undefined) return structuredClone(kept);
    const services = await this.readServices(request);
    this.keep(this.warningServiceCache, key, structuredClone(services), now);
    return services;
  }

  private async readServices(request: LoadRequest): Promise<LoadedService[]> {
    const { cluster } = request;
    const now = this.clock().getTime();
    const listed = request.services === '*' ? this.fresh(this.serviceNameCache, cluster, now) : undefined;
    const names = request.services !== '*' ? request.services : (listed ?? (await this.listServices(cluster, now)));
    const pages = await mapLimit(chunk(names, DESCRIBE_SERVICES_MAX), CONCURRENCY, (piece) =>
      attempt(`describing ${piece.length} services in ${cluster}`, () =>
        this.ecs.send(new DescribeServicesCommand({ cluster, services: piece, include: ['TAGS'] })),
      ),
    );
    if (listed !== undefined && pages.some(provesListStale)) {
      // The services that are gone are left out below already; the next load lists again.
      this.log?.debug('a kept service is gone: the service list is read again next time', { cluster });
      this.serviceNameCache.delete(cluster);
    }
    return pages.flatMap((out) =>
      (out.services ?? []).flatMap((service) => {
        // DRAINING and INACTIVE services are being deleted: there is nothing to rebalance.
        if (!service.serviceName || !service.serviceArn || (service.status !== undefined && service.status !== 'ACTIVE')) return [];
        const { state, problems } = this.serviceState(cluster, service);
        const blocked = !isLongServiceArn(service.serviceArn)
          ? shortArnReason(service.serviceName)
          : problems.length > 0
            ? `the rebalancer's record on service ${service.serviceName} in ${cluster} is unreadable (${problems.join('; ')}): its strategy is left alone until the ecs-rebalancer:* tags are fixed or removed`
            : undefined;
        return [{ state, arn: service.serviceArn, ...(blocked === undefined ? {} : { blocked }) }];
      }),
    );
  }

  private async listServices(cluster: string, now: number): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await attempt(`listing services in ${cluster}`, () =>
        this.ecs.send(new ListServicesCommand({ cluster, maxResults: PAGE_SIZE, nextToken })),
      );
      names.push(...(out.serviceArns ?? []).map(lastSegment));
      nextToken = out.nextToken;
    } while (nextToken);
    this.keep(this.serviceNameCache, cluster, names, now);
    return names;
  }

  private serviceState(cluster: string, service: Service): { state: ServiceState; problems: string[] } {
    const mapped = serviceStateOf(service);
    for (const problem of mapped.problems) this.log?.warn('rebalancer record on service is unreadable: its strategy is left alone', { cluster, service: service.serviceName, problem });
    return mapped;
  }

  private async containerInstances(request: LoadRequest): Promise<ContainerInstanceState[]> {
    const { cluster } = request;
    if (request.full) {
      const instances = await this.describeInstances(cluster, await this.listContainerInstances(cluster, {}));
      this.directory.remember(cluster, instances, true);
      return instances;
    }
    // The usual batch (interruptions, state changes, scheduled changes) names instances: the
    // directory answers what it knows. The guardrail's whole-provider counts need every ACTIVE
    // and DRAINING instance of the named instances' providers (the cluster query language
    // cannot filter by provider): from the directory's whole listing of the cluster, listed
    // first so that it also answers the named instances, its DRAINING set read again when
    // older than DRAINING_FRESH_MS (drains by others count, GUARDRAIL_MAX_AGE_MS).
    const source = this.instanceSource(cluster);
    // A cluster too big to list (directory.whole answers undefined) counts what the directory
    // knows: a smaller denominator makes the guardrail stricter, never looser.
    const whole = (request.guardrail && request.ec2InstanceIds.length > 0 ? await this.directory.whole(cluster, source) : undefined) ?? this.directory.known(cluster);
    const named = await this.directory.named(cluster, request.ec2InstanceIds, source, new Set(request.recheckStatus ?? []));
    if (!request.guardrail || named.length === 0) return named;
    const providers = new Set(named.map((i) => i.capacityProvider));
    const byArn = new Map(named.map((i) => [i.arn, i]));
    // A DRAINING set too long to read (drainingCapped) counts the guardrail as exhausted: the
    // provider's other instances are counted as DRAINING (they serve only the guardrail's count).
    const exhausted = this.directory.drainingCapped(cluster);
    for (const i of whole) {
      if (!byArn.has(i.arn) && providers.has(i.capacityProvider) && (i.status === 'ACTIVE' || i.status === 'DRAINING')) byArn.set(i.arn, exhausted ? { ...i, status: 'DRAINING', runningTasks: Math.max(1, i.runningTasks) } : i);
    }
    return [...byArn.values()];
  }

  /** The ECS reads of one cluster the directory needs (ecs-instance-directory.ts); the index refresh lists with it too. */
  instanceSource(cluster: string): InstanceSource {
    return {
      listPage: async (nextToken, status) => {
        const out = await attempt(`listing ${status ?? ''} container instances in ${cluster}`, () =>
          this.ecs.send(new ListContainerInstancesCommand({ cluster, ...(status ? { status } : {}), maxResults: PAGE_SIZE, nextToken })),
        );
        return { arns: out.containerInstanceArns ?? [], ...(out.nextToken ? { nextToken: out.nextToken } : {}) };
      },
      listFiltered: async (unknown) =>
        (await mapLimit(ec2InstanceFilters(unknown), CONCURRENCY, (filter) => this.listContainerInstances(cluster, { filter }))).flat(),
      describe: (arns) => this.describeInstances(cluster, arns),
    };
  }

  private async describeInstances(cluster: string, arns: readonly string[]): Promise<ContainerInstanceState[]> {
    const pages = await mapLimit(chunk([...arns], DESCRIBE_INSTANCES_MAX), CONCURRENCY, (piece) =>
      attempt(`describing ${piece.length} container instances in ${cluster}`, () =>
        this.ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: piece })),
      ),
    );
    // MISSING is ECS's "no such container instance" (deregistered: absent from the state). Any
    // other failure says nothing of the instance: it is retried, never read as gone.
    const failed = pages.flatMap((out) => out.failures ?? []).find((f) => f.reason !== 'MISSING');
    if (failed) throw new RetryableError(`describing container instances in ${cluster}: ${failed.arn ?? 'an instance'} failed (${failed.reason ?? 'no reason'}${failed.detail ? `: ${failed.detail}` : ''})`);
    const described = pages.flatMap((out) => out.containerInstances ?? []);
    // ECS sets `ecs.cpu-architecture` when the instance registers; it never changes.
    if (this.architectures.size > ARCHITECTURE_MEMORY) this.architectures.clear();
    for (const ci of described) {
      const arch = ci.attributes?.find((a) => a.name === 'ecs.cpu-architecture')?.value;
      if (ci.containerInstanceArn && arch) this.architectures.set(ci.containerInstanceArn, arch);
    }
    return described.flatMap((ci) => instanceState(ci));
  }

  private async listContainerInstances(cluster: string, query: { filter?: string }): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await attempt(`listing container instances in ${cluster}`, () =>
        this.ecs.send(new ListContainerInstancesCommand({ cluster, ...query, maxResults: PAGE_SIZE, nextToken })),
      );
      arns.push(...(out.containerInstanceArns ?? []));
      nextToken = out.nextToken;
    } while (nextToken);
    return arns;
  }
}

/** A name from ListServices that ECS no longer knows, or knows as deleted, was listed before the change. */
function provesListStale(out: { services?: Service[]; failures?: { reason?: string }[] }): boolean {
  return (out.failures ?? []).some((f) => f.reason === 'MISSING') || (out.services ?? []).some((s) => s.status === 'INACTIVE');
}

