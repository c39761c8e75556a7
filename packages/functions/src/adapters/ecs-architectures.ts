// What a fallback decision needs to know of CPU architectures, read from ECS only when one may
// be decided (LoadRequest.architectures): which architecture each capacity provider's
// instances have, which architectures each service's tasks run on now, and which services
// run on each container instance. Nothing here is read for drains.
import { DescribeTasksCommand, ListContainerInstancesCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { CapacityProviderState, ContainerInstanceState, CpuArchitecture, ServiceState } from '@ecs-rebalancer/core';
import { attempt } from '../errors.js';
import { chunk, mapLimit } from '../chunks.js';
import { withArchitectures } from './ecs-cluster-state.js';

// ListContainerInstances and ListTasks pages of 1–100; DescribeTasks takes at most 100 tasks.
const PAGE_SIZE = 100;
const DESCRIBE_TASKS_MAX = 100;
const CONCURRENCY = 4;
const SERVICE_GROUP = 'service:';
const ARCHITECTURES: ReadonlySet<string> = new Set(['x86_64', 'arm64']);

/** What one cluster's instances and tasks say about architectures. */
export interface ClusterArchitectures {
  /** Every container instance of the cluster (not INACTIVE), as described. */
  instances: ContainerInstanceState[];
  /** Service name → the architectures of the instances its RUNNING-desired tasks are placed on. */
  services: Map<string, CpuArchitecture[]>;
  /** Container instance ARN → the services with tasks on it. */
  servicesOn: Map<string, string[]>;
}

/**
 * Reads the architectures of one cluster: every container instance (ListContainerInstances,
 * then `describe`, which records each instance's `ecs.cpu-architecture` in `architectures`),
 * and every task ECS wants running (ListTasks, then DescribeTasks by 100: a service's tasks
 * have `group` `service:NAME` and the `containerInstanceArn` they are placed on). Costs
 * ⌈instances/100⌉ × 2 + ⌈tasks/100⌉ × 2 calls. A task still PROVISIONING has no container
 * instance and says nothing; a service with no placed task stays unknown, and the core does
 * not refuse a move for it.
 */
export async function readClusterArchitectures(
  ecs: ECSClient,
  cluster: string,
  describe: (arns: readonly string[]) => Promise<ContainerInstanceState[]>,
  architectures: ReadonlyMap<string, string>,
): Promise<ClusterArchitectures> {
  const [instanceArns, taskArns] = await Promise.all([
    listAll(`listing container instances in ${cluster}`, async (nextToken) => {
      const out = await ecs.send(new ListContainerInstancesCommand({ cluster, maxResults: PAGE_SIZE, nextToken }));
      return { arns: out?.containerInstanceArns, nextToken: out?.nextToken };
    }),
    listAll(`listing tasks in ${cluster}`, async (nextToken) => {
      const out = await ecs.send(new ListTasksCommand({ cluster, desiredStatus: 'RUNNING', maxResults: PAGE_SIZE, nextToken }));
      return { arns: out?.taskArns, nextToken: out?.nextToken };
    }),
  ]);
  const [instances, pages] = await Promise.all([
    instanceArns.length > 0 ? describe(instanceArns) : Promise.resolve([]),
    mapLimit(chunk(taskArns, DESCRIBE_TASKS_MAX), CONCURRENCY, (piece) =>
      attempt(`describing ${piece.length} tasks in ${cluster}`, () => ecs.send(new DescribeTasksCommand({ cluster, tasks: piece }))),
    ),
  ]);
  const services = new Map<string, Set<CpuArchitecture>>();
  const servicesOn = new Map<string, Set<string>>();
  for (const task of pages.flatMap((p) => p?.tasks ?? [])) {
    if (!task.group?.startsWith(SERVICE_GROUP) || !task.containerInstanceArn) continue;
    const service = task.group.slice(SERVICE_GROUP.length);
    servicesOn.set(task.containerInstanceArn, (servicesOn.get(task.containerInstanceArn) ?? new Set()).add(service));
    const arch = architectures.get(task.containerInstanceArn);
    if (arch !== undefined && ARCHITECTURES.has(arch)) services.set(service, (services.get(service) ?? new Set()).add(arch as CpuArchitecture));
  }
  return {
    instances,
    services: new Map([...services].map(([name, set]) => [name, [...set].sort()])),
    servicesOn: new Map([...servicesOn].map(([arn, set]) => [arn, [...set].sort()])),
  };
}

/**
 * The snapshot's parts with what `read` learned: each provider's architecture (when all its
 * instances agree), each service's `cpuArchitectures` (when any of its tasks is placed) and
 * each loaded instance's `services`.
 */
export function applyArchitectures(
  read: ClusterArchitectures,
  parts: { capacityProviders: readonly CapacityProviderState[]; services: readonly ServiceState[]; containerInstances: readonly ContainerInstanceState[] },
  architectures: ReadonlyMap<string, string>,
): { capacityProviders: CapacityProviderState[]; services: ServiceState[]; containerInstances: ContainerInstanceState[] } {
  return {
    capacityProviders: withArchitectures(parts.capacityProviders, read.instances, architectures),
    services: parts.services.map((s) => {
      const archs = read.services.get(s.name);
      return archs === undefined ? s : { ...s, cpuArchitectures: archs };
    }),
    containerInstances: parts.containerInstances.map((i) => ({ ...i, services: read.servicesOn.get(i.arn) ?? [] })),
  };
}

async function listAll(doing: string, page: (nextToken: string | undefined) => Promise<{ arns?: string[]; nextToken?: string }>): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const out = await attempt(doing, () => page(nextToken));
    arns.push(...(out.arns ?? []));
    nextToken = out.nextToken;
  } while (nextToken);
  return arns;
}
