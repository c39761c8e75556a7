import {
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  ListContainerInstancesCommand,
  ListServicesCommand,
} from '@aws-sdk/client-ecs';
import type { ContainerInstance, ECSClient, Service } from '@aws-sdk/client-ecs';
import type {
  CapacityProviderState,
  ContainerInstanceState,
  DeploymentController,
  InstanceStatus,
  LoadRequest,
  ProviderType,
  ServiceState,
} from '@ecs-rebalancer/core';
import { attempt } from '../errors.js';
import type { ClusterReader, ClusterSnapshot, Log } from '../ports.js';
import { chunk, mapLimit } from './chunks.js';
import { readRecord } from './ecs-service-tags.js';

// ECS API limits: DescribeServices 10 services per call, DescribeContainerInstances 100,
// DescribeClusters and DescribeCapacityProviders 100; ListServices and ListContainerInstances
// pages of 1–100.
const DESCRIBE_SERVICES_MAX = 10;
const DESCRIBE_INSTANCES_MAX = 100;
const DESCRIBE_CLUSTERS_MAX = 100;
const PAGE_SIZE = 100;
// One EC2 instance runs at most one container instance per cluster, so 100 ids fill at most
// one page. ECS documents a 2,000-character limit for cluster query expressions (placement
// constraints); the filter is kept under it too.
const FILTER_MAX_IDS = 100;
const FILTER_MAX_LENGTH = 2000;
// Concurrent calls of one kind per cluster: below the read buckets' burst (100), so one batch
// does not starve the next one.
const CONCURRENCY = 4;
const GUARDRAIL_STATUSES = ['ACTIVE', 'DRAINING'] as const;

const FARGATE_PROVIDERS: ReadonlySet<string> = new Set(['FARGATE', 'FARGATE_SPOT']);
const INSTANCE_STATUSES: ReadonlySet<string> = new Set(['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED', 'INACTIVE']);
const CONTROLLERS: ReadonlySet<string> = new Set(['ECS', 'CODE_DEPLOY', 'EXTERNAL']);

/**
 * Builds ClusterState for the clusters a batch touches with the fewest ECS calls: one
 * DescribeClusters and one DescribeCapacityProviders for the whole batch; per cluster the
 * services (ListServices when every service is managed, DescribeServices by 10 with their
 * tags, which hold the rebalancer's record) and the container instances (ListContainerInstances
 * with `ec2InstanceId in [...]` filters, plus every ACTIVE and DRAINING instance for a
 * `guardrail` request, or every instance for a `full` one, then DescribeContainerInstances by
 * 100). A cluster ECS does not know is left out with a warning:
 * decide then reports its instances as in no managed cluster. A service the rebalancer must
 * not change is marked in `blocked` with the reason: a short ARN (ECS cannot tag it, so its
 * record could not be kept) or a record it cannot read (acting on it as absent could write
 * over the only copy of a baseline).
 */
export class EcsClusterReader implements ClusterReader {
  constructor(
    private readonly ecs: ECSClient,
    private readonly log?: Log,
  ) {}

  async load(requests: readonly LoadRequest[]): Promise<ClusterSnapshot[]> {
    if (requests.length === 0) return [];
    const attached = await this.describeClusters(requests.map((r) => r.cluster));
    const types = await this.providerTypes([...new Set([...attached.values()].flat())]);
    const known = requests.filter((r) => attached.has(r.cluster));
    return Promise.all(
      known.map(async (request) => {
        const capacityProviders: CapacityProviderState[] = (attached.get(request.cluster) ?? []).map((name) => ({
          name,
          type: types.get(name) ?? 'EC2_AUTOSCALING',
        }));
        const [services, containerInstances] = await Promise.all([this.services(request), this.containerInstances(request)]);
        const blocked = services.flatMap((s) => (s.blocked === undefined ? [] : [[s.state.name, s.blocked] as const]));
        return {
          state: { cluster: request.cluster, capacityProviders, services: services.map((s) => s.state), containerInstances, alarms: {} },
          serviceArns: Object.fromEntries(services.map((s) => [s.state.name, s.arn])),
          ...(blocked.length > 0 ? { blocked: Object.fromEntries(blocked) } : {}),
        };
      }),
    );
  }

  /** Cluster name → names of the capacity providers attached to it. */
  private async describeClusters(names: readonly string[]): Promise<Map<string, string[]>> {
    const attached = new Map<string, string[]>();
    for (const piece of chunk([...new Set(names)], DESCRIBE_CLUSTERS_MAX)) {
      const out = await attempt(`describing clusters ${piece.join(', ')}`, () => this.ecs.send(new DescribeClustersCommand({ clusters: piece })));
      for (const cluster of out.clusters ?? []) {
        if (!cluster.clusterName || cluster.status === 'INACTIVE') continue;
        attached.set(cluster.clusterName, cluster.capacityProviders ?? []);
      }
      for (const failure of out.failures ?? []) {
        this.log?.warn('cluster not found: it is not loaded', { cluster: failure.arn, reason: failure.reason });
      }
    }
    return attached;
  }

  /** The type of each provider; FARGATE and FARGATE_SPOT are built in and need no call. */
  private async providerTypes(names: readonly string[]): Promise<Map<string, ProviderType>> {
    const types = new Map<string, ProviderType>();
    const custom = names.filter((n) => !FARGATE_PROVIDERS.has(n));
    for (const name of names) if (FARGATE_PROVIDERS.has(name)) types.set(name, name as ProviderType);
    for (const piece of chunk(custom, DESCRIBE_CLUSTERS_MAX)) {
      const out = await attempt(`describing capacity providers ${piece.join(', ')}`, () =>
        this.ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: piece })),
      );
      for (const provider of out.capacityProviders ?? []) {
        if (!provider.name) continue;
        const declared = (provider as { type?: string }).type;
        // Only Fargate providers lack an Auto Scaling group; newer API versions also name the type.
        types.set(provider.name, declared === 'FARGATE' || declared === 'FARGATE_SPOT' ? declared : 'EC2_AUTOSCALING');
      }
    }
    return types;
  }

  private async services(request: LoadRequest): Promise<{ state: ServiceState; arn: string; blocked?: string }[]> {
    const { cluster } = request;
    const names = request.services === '*' ? await this.listServices(cluster) : request.services;
    const pages = await mapLimit(chunk(names, DESCRIBE_SERVICES_MAX), CONCURRENCY, (piece) =>
      attempt(`describing ${piece.length} services in ${cluster}`, () =>
        this.ecs.send(new DescribeServicesCommand({ cluster, services: piece, include: ['TAGS'] })),
      ),
    );
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

  private async listServices(cluster: string): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await attempt(`listing services in ${cluster}`, () =>
        this.ecs.send(new ListServicesCommand({ cluster, maxResults: PAGE_SIZE, nextToken })),
      );
      names.push(...(out.serviceArns ?? []).map(lastSegment));
      nextToken = out.nextToken;
    } while (nextToken);
    return names;
  }

  private serviceState(cluster: string, service: Service): { state: ServiceState; problems: string[] } {
    const { record, problems } = readRecord(service.tags);
    for (const problem of problems) this.log?.warn('rebalancer record on service is unreadable: its strategy is left alone', { cluster, service: service.serviceName, problem });
    const controller = service.deploymentController?.type ?? 'ECS';
    const state: ServiceState = {
      name: service.serviceName as string,
      desiredCount: service.desiredCount ?? 0,
      runningCount: service.runningCount ?? 0,
      strategy: (service.capacityProviderStrategy ?? []).map((item) => ({
        capacityProvider: item.capacityProvider as string,
        base: item.base ?? 0,
        weight: item.weight ?? 0,
      })),
      minimumHealthyPercent: service.deploymentConfiguration?.minimumHealthyPercent ?? 100,
      maximumPercent: service.deploymentConfiguration?.maximumPercent ?? 200,
      deploymentController: (CONTROLLERS.has(controller) ? controller : 'ECS') as DeploymentController,
      baseline: record.baseline,
      fallbackSince: record.fallbackSince,
      applied: record.applied,
    };
    return { state, problems };
  }

  private async containerInstances(request: LoadRequest): Promise<ContainerInstanceState[]> {
    const { cluster } = request;
    let named: string[] = [];
    let others: string[] = [];
    if (request.full) {
      others = await this.listContainerInstances(cluster, {});
    } else {
      const filters = ec2InstanceFilters(request.ec2InstanceIds);
      named = (await mapLimit(filters, CONCURRENCY, (filter) => this.listContainerInstances(cluster, { filter }))).flat();
      // The cluster query language cannot filter by capacity provider: the guardrail's
      // whole-provider counts need every ACTIVE and DRAINING instance of the cluster.
      if (request.guardrail && named.length > 0) {
        others = (await Promise.all(GUARDRAIL_STATUSES.map((status) => this.listContainerInstances(cluster, { status })))).flat();
      }
    }
    const pages = await mapLimit(chunk([...new Set([...named, ...others])], DESCRIBE_INSTANCES_MAX), CONCURRENCY, (piece) =>
      attempt(`describing ${piece.length} container instances in ${cluster}`, () =>
        this.ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: piece })),
      ),
    );
    const instances = pages.flatMap((out) => (out.containerInstances ?? []).flatMap((ci) => instanceState(ci)));
    if (request.full || others.length === 0) return instances;
    // Keep the named instances and the instances of their providers; the rest is not decide's business.
    const namedArns = new Set(named);
    const providers = new Set(instances.filter((i) => namedArns.has(i.arn)).map((i) => i.capacityProvider));
    return instances.filter((i) => namedArns.has(i.arn) || providers.has(i.capacityProvider));
  }

  private async listContainerInstances(cluster: string, query: { filter?: string; status?: (typeof GUARDRAIL_STATUSES)[number] }): Promise<string[]> {
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

/**
 * True for the long service ARN format, `arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME`.
 * ECS tags only resources with long ARNs: a service created before its account (or the role
 * that created it) opted in to `serviceLongArnFormat` has `service/NAME` and cannot carry the
 * rebalancer's record.
 */
export function isLongServiceArn(arn: string): boolean {
  return /:service\/[^/]+\/[^/]+$/.test(arn);
}

/** Why a service with a short ARN is never changed: TagResource would fail on every retry. */
export function shortArnReason(service: string): string {
  return (
    `service ${service} uses the short ARN format; opt in to the long format (aws ecs put-account-setting --name serviceLongArnFormat) ` +
    'so the rebalancer can keep its record (the setting applies to services created after it: recreate the service)'
  );
}

/**
 * `ec2InstanceId in [i-a, i-b]` filters covering the ids, each with at most 100 ids and 2,000
 * characters.
 */
export function ec2InstanceFilters(ids: readonly string[]): string[] {
  const filters: string[] = [];
  let current: string[] = [];
  const render = (list: readonly string[]): string => `ec2InstanceId in [${list.join(', ')}]`;
  for (const id of new Set(ids)) {
    if (current.length > 0 && (current.length >= FILTER_MAX_IDS || render([...current, id]).length > FILTER_MAX_LENGTH)) {
      filters.push(render(current));
      current = [];
    }
    current.push(id);
  }
  if (current.length > 0) filters.push(render(current));
  return filters;
}

function instanceState(ci: ContainerInstance): ContainerInstanceState[] {
  // ECS Anywhere instances (mi-…) have no EC2 id and never receive EC2 events.
  if (!ci.containerInstanceArn || !ci.ec2InstanceId || !ci.status || !INSTANCE_STATUSES.has(ci.status)) return [];
  const attribute = (name: string): string | undefined => ci.attributes?.find((a) => a.name === name)?.value;
  const availabilityZone = attribute('ecs.availability-zone');
  const instanceType = attribute('ecs.instance-type');
  return [
    {
      arn: ci.containerInstanceArn,
      ec2InstanceId: ci.ec2InstanceId,
      capacityProvider: ci.capacityProviderName ?? null,
      status: ci.status as InstanceStatus,
      runningTasks: ci.runningTasksCount ?? 0,
      ...(availabilityZone ? { availabilityZone } : {}),
      ...(instanceType ? { instanceType } : {}),
    },
  ];
}

function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
