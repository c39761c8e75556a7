import type { Strategy } from '@ecs-rebalancer/core';
import { SimApiError, invalidParameter } from '../errors.js';
import { nameFromIdentifier } from '../model/arn.js';
import { parseClusterQuery, QuerySyntaxError, type Subject } from '../model/query-language.js';
import type { Simulation } from '../model/simulation.js';
import { FARGATE_PROVIDER_NAMES } from '../model/strategy-rules.js';
import { TaskSize, TaskStatus, taskGroup, type SimCluster, type SimInstance, type SimProvider, type SimService, type SimTask } from '../model/types.js';
import {
  compact,
  epochSeconds,
  optionalInteger,
  optionalString,
  paginate,
  requiredString,
  stringList,
  type Input,
} from './protocol.js';

/** `X-Amz-Target` prefix of the ECS API (AWS JSON 1.1). */
export const ECS_TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';

type Handler = (sim: Simulation, input: Input) => unknown;

function maxResults(input: Input, max: number, fallback: number): number {
  const n = optionalInteger(input, 'maxResults');
  if (n === undefined) return fallback;
  if (n < 1 || n > max) throw invalidParameter(`maxResults must be between 1 and ${max}.`);
  return n;
}

function limitList(list: string[] | undefined, field: string, max: number): string[] {
  if (!list || list.length === 0) throw invalidParameter(`${field} can not be empty.`);
  if (list.length > max) throw invalidParameter(`${field} can have at most ${max} items.`);
  return list;
}

function readStrategy(value: unknown, field: string): Strategy | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidParameter(`${field} must be a list.`);
  return value.map((raw, i) => {
    const item = (raw ?? {}) as Record<string, unknown>;
    if (typeof item.capacityProvider !== 'string') throw invalidParameter(`${field}[${i}].capacityProvider can not be blank.`);
    const base = item.base ?? 0;
    const weight = item.weight ?? 0;
    if (typeof base !== 'number' || typeof weight !== 'number') throw invalidParameter(`${field}[${i}] base and weight must be numbers.`);
    return { capacityProvider: item.capacityProvider, base, weight };
  });
}

function strategyOut(strategy: Strategy) {
  return strategy.map((i) => ({ capacityProvider: i.capacityProvider, weight: i.weight, base: i.base }));
}

function tagsOut(tags: Map<string, string>) {
  return [...tags].map(([key, value]) => ({ key, value }));
}

function managedScalingOut(p: SimProvider | undefined) {
  const ms = p?.managedScaling;
  return {
    status: ms?.enabled === false ? 'DISABLED' : 'ENABLED',
    targetCapacity: ms?.targetCapacity ?? 100,
    minimumScalingStepSize: ms?.minimumScalingStepSize ?? 1,
    maximumScalingStepSize: ms?.maximumScalingStepSize ?? 10000,
    instanceWarmupPeriod: ms?.instanceWarmupPeriod ?? 300,
  };
}

function instanceAttributes(inst: SimInstance): Record<string, string> {
  return {
    'ecs.availability-zone': inst.availabilityZone,
    'ecs.instance-type': inst.instanceType,
    'ecs.cpu-architecture': inst.architecture,
    'ecs.os-type': 'linux',
    'ecs.capability.task-eni': 'true',
  };
}

function instanceOut(sim: Simulation, inst: SimInstance, withTags: boolean) {
  const counts = sim.instanceCounts(inst);
  const used = counts.running + counts.pending;
  const cpuPerSlot = 512;
  const memPerSlot = 1920;
  const resources = (slots: number) => [
    { name: 'CPU', type: 'INTEGER', doubleValue: 0, longValue: 0, integerValue: slots * cpuPerSlot },
    { name: 'MEMORY', type: 'INTEGER', doubleValue: 0, longValue: 0, integerValue: slots * memPerSlot },
  ];
  return compact({
    containerInstanceArn: inst.arn,
    ec2InstanceId: inst.ec2InstanceId,
    capacityProviderName: inst.provider ?? undefined,
    version: 1,
    versionInfo: { agentVersion: '1.89.0', agentHash: 'simulated', dockerVersion: 'DockerVersion: 25.0.8' },
    remainingResources: resources(Math.max(0, inst.slots - used)),
    registeredResources: resources(inst.slots),
    status: inst.status,
    agentConnected: inst.agentConnected,
    runningTasksCount: counts.running,
    pendingTasksCount: counts.pending,
    attributes: Object.entries(instanceAttributes(inst)).map(([name, value]) => ({ name, value })),
    registeredAt: epochSeconds(inst.registeredAt),
    attachments: [],
    tags: withTags ? [] : undefined,
  });
}

function serviceOut(sim: Simulation, cluster: SimCluster, svc: SimService, withTags: boolean) {
  const counts = sim.serviceCounts(svc);
  const taskDefinition = sim.arns.taskDefinition(svc.name, 1);
  return compact({
    serviceArn: svc.arn,
    serviceName: svc.name,
    clusterArn: cluster.arn,
    loadBalancers: [],
    serviceRegistries: [],
    status: 'ACTIVE',
    desiredCount: svc.desiredCount,
    runningCount: counts.running,
    pendingCount: counts.pending,
    capacityProviderStrategy: strategyOut(svc.strategy),
    taskDefinition,
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: svc.maximumPercent,
      minimumHealthyPercent: svc.minimumHealthyPercent,
    },
    deployments: svc.deployments.map((d, i) => {
      const dc = sim.serviceCounts(svc, d.id);
      return {
        id: d.id,
        status: d.status,
        taskDefinition,
        desiredCount: i === 0 ? svc.desiredCount : dc.running + dc.pending,
        pendingCount: dc.pending,
        runningCount: dc.running,
        failedTasks: d.failedTasks,
        createdAt: epochSeconds(d.createdAt),
        updatedAt: epochSeconds(d.updatedAt),
        capacityProviderStrategy: strategyOut(d.strategy),
        rolloutState: d.rolloutState,
        rolloutStateReason: d.rolloutStateReason,
      };
    }),
    events: [],
    createdAt: epochSeconds(svc.createdAt),
    placementConstraints: [],
    placementStrategy: [],
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: svc.deploymentController },
    tags: withTags ? tagsOut(svc.tags) : undefined,
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: false,
    availabilityZoneRebalancing: 'DISABLED',
  });
}

function taskOut(sim: Simulation, cluster: SimCluster, task: SimTask) {
  const inst = task.instanceId ? cluster.instances.get(task.instanceId) : undefined;
  const fargate = FARGATE_PROVIDER_NAMES.has(task.provider);
  return compact({
    taskArn: task.arn,
    clusterArn: cluster.arn,
    taskDefinitionArn: sim.arns.taskDefinition(task.service ?? 'standalone', 1),
    containerInstanceArn: inst?.arn,
    capacityProviderName: task.provider,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    launchType: fargate ? 'FARGATE' : 'EC2',
    group: taskGroup(task),
    startedBy: task.deploymentId,
    availabilityZone: task.availabilityZone,
    cpu: (fargate ? TaskSize.Fargate : TaskSize.Ec2).cpu,
    memory: (fargate ? TaskSize.Fargate : TaskSize.Ec2).memory,
    createdAt: epochSeconds(task.createdAt),
    startedAt: task.startedAt === undefined ? undefined : epochSeconds(task.startedAt),
    stoppedAt: task.stoppedAt === undefined ? undefined : epochSeconds(task.stoppedAt),
    stoppingAt: task.stoppedAt === undefined ? undefined : epochSeconds(task.stoppedAt),
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    healthStatus: 'UNKNOWN',
    connectivity: task.lastStatus === TaskStatus.Running ? 'CONNECTED' : undefined,
    version: 1,
    containers: [],
    attachments: [],
    tags: [],
  });
}

function clusterOut(sim: Simulation, cluster: SimCluster, withTags: boolean) {
  let running = 0;
  let pending = 0;
  for (const t of cluster.live.values()) {
    if (t.lastStatus === TaskStatus.Running) running++;
    else if (t.lastStatus !== TaskStatus.Stopped) pending++;
  }
  return compact({
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: 'ACTIVE',
    registeredContainerInstancesCount: [...cluster.instances.values()].filter((i) => i.status !== 'INACTIVE').length,
    runningTasksCount: running,
    pendingTasksCount: pending,
    activeServicesCount: cluster.services.size,
    statistics: [],
    tags: withTags ? tagsOut(cluster.tags) : undefined,
    settings: [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: [...cluster.providers],
    defaultCapacityProviderStrategy: strategyOut(cluster.defaultStrategy),
    attachments: [],
  });
}

function includes(input: Input, what: string): boolean {
  return (stringList(input, 'include') ?? []).includes(what);
}

function instanceSubject(sim: Simulation, inst: SimInstance): Subject {
  const attributes = instanceAttributes(inst);
  return (name) => {
    if (name === 'ec2InstanceId') return inst.ec2InstanceId;
    if (name === 'agentConnected') return inst.agentConnected;
    if (name === 'agentVersion') return '1.89.0';
    if (name === 'runningTasksCount') return sim.instanceCounts(inst).running;
    if (name === 'registeredAt') return new Date(inst.registeredAt).toISOString();
    if (name === 'task:group') return sim.instanceTaskGroups(inst);
    if (name.startsWith('attribute:')) return attributes[name.slice('attribute:'.length)];
    return undefined;
  };
}

const LISTABLE_INSTANCE_STATUSES = new Set(['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED']);

/** The ECS actions the simulator serves, keyed by the `X-Amz-Target` operation name. */
export const ECS_HANDLERS: Readonly<Record<string, Handler>> = {
  ListContainerInstances(sim, input) {
    const cluster = sim.cluster(optionalString(input, 'cluster'));
    const status = optionalString(input, 'status');
    if (status !== undefined && !LISTABLE_INSTANCE_STATUSES.has(status)) throw invalidParameter(`Invalid status: ${status}.`);
    const filter = optionalString(input, 'filter');
    let predicate: ((inst: SimInstance) => boolean) | undefined;
    if (filter !== undefined) {
      try {
        const parsed = parseClusterQuery(filter);
        predicate = (inst) => parsed(instanceSubject(sim, inst));
      } catch (error) {
        if (error instanceof QuerySyntaxError) throw invalidParameter(`Invalid filter expression: ${error.message}.`);
        throw error;
      }
    }
    const arns = [...cluster.instances.values()]
      .filter((i) => i.status !== 'INACTIVE' && (status === undefined || i.status === status))
      .filter((i) => !predicate || predicate(i))
      .map((i) => i.arn);
    const { page, nextToken } = paginate(arns, {
      maxResults: maxResults(input, 100, 100),
      nextToken: optionalString(input, 'nextToken'),
      query: `ci|${cluster.name}|${status ?? ''}|${filter ?? ''}`,
      errorCode: 'InvalidParameterException',
    });
    return compact({ containerInstanceArns: page, nextToken });
  },

  DescribeContainerInstances(sim, input) {
    const cluster = sim.cluster(optionalString(input, 'cluster'));
    const ids = limitList(stringList(input, 'containerInstances'), 'containerInstances', 100);
    const withTags = includes(input, 'TAGS');
    const containerInstances: unknown[] = [];
    const failures: unknown[] = [];
    for (const id of ids) {
      const inst = sim.instance(cluster, id);
      if (inst) containerInstances.push(instanceOut(sim, inst, withTags));
      else failures.push({ arn: id.startsWith('arn:') ? id : sim.arns.containerInstance(cluster.name, id), reason: 'MISSING' });
    }
    return { containerInstances, failures };
  },

  UpdateContainerInstancesState(sim, input) {
    const ids = stringList(input, 'containerInstances');
    const status = requiredString(input, 'status');
    limitList(ids, 'containerInstances', 10);
    const result = sim.updateContainerInstancesState(optionalString(input, 'cluster'), ids ?? [], status);
    return {
      containerInstances: result.containerInstances.map((i) => instanceOut(sim, i, false)),
      failures: result.failures.map((f) => compact({ arn: f.arn, reason: f.reason, detail: f.detail })),
    };
  },

  ListServices(sim, input) {
    const cluster = sim.cluster(optionalString(input, 'cluster'));
    const launchType = optionalString(input, 'launchType');
    const arns = [...cluster.services.values()]
      .filter(() => launchType === undefined)
      .map((s) => s.arn);
    const { page, nextToken } = paginate(arns, {
      maxResults: maxResults(input, 100, 10),
      nextToken: optionalString(input, 'nextToken'),
      query: `svc|${cluster.name}|${launchType ?? ''}`,
      errorCode: 'InvalidParameterException',
    });
    return compact({ serviceArns: page, nextToken });
  },

  DescribeServices(sim, input) {
    const cluster = sim.cluster(optionalString(input, 'cluster'));
    const names = limitList(stringList(input, 'services'), 'services', 10);
    const withTags = includes(input, 'TAGS');
    const services: unknown[] = [];
    const failures: unknown[] = [];
    for (const name of names) {
      const svc = sim.service(cluster, name);
      if (svc) services.push(serviceOut(sim, cluster, svc, withTags));
      else failures.push({ arn: name.startsWith('arn:') ? name : sim.arns.service(cluster.name, name), reason: 'MISSING' });
    }
    return { services, failures };
  },

  UpdateService(sim, input) {
    const service = requiredString(input, 'service');
    const config = (input.deploymentConfiguration ?? {}) as Record<string, unknown>;
    const num = (v: unknown, field: string) => {
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'number') throw invalidParameter(`${field} must be a number.`);
      return v;
    };
    const svc = sim.updateService(optionalString(input, 'cluster'), service, {
      desiredCount: optionalInteger(input, 'desiredCount'),
      capacityProviderStrategy: readStrategy(input.capacityProviderStrategy, 'capacityProviderStrategy'),
      forceNewDeployment: input.forceNewDeployment === true,
      minimumHealthyPercent: num(config.minimumHealthyPercent, 'deploymentConfiguration.minimumHealthyPercent'),
      maximumPercent: num(config.maximumPercent, 'deploymentConfiguration.maximumPercent'),
    });
    return { service: serviceOut(sim, sim.cluster(svc.cluster), svc, false) };
  },

  ListClusters(sim, input) {
    const arns = [...sim.clusters.values()].map((c) => c.arn);
    const { page, nextToken } = paginate(arns, {
      maxResults: maxResults(input, 100, 100),
      nextToken: optionalString(input, 'nextToken'),
      query: 'clusters',
      errorCode: 'InvalidParameterException',
    });
    return compact({ clusterArns: page, nextToken });
  },

  DescribeClusters(sim, input) {
    const names = stringList(input, 'clusters') ?? ['default'];
    if (names.length > 100) throw invalidParameter('clusters can have at most 100 items.');
    const withTags = includes(input, 'TAGS');
    const clusters: unknown[] = [];
    const failures: unknown[] = [];
    for (const id of names) {
      const cluster = sim.clusters.get(nameFromIdentifier(id, 'cluster'));
      if (cluster) clusters.push(clusterOut(sim, cluster, withTags));
      else failures.push({ arn: id.startsWith('arn:') ? id : sim.arns.cluster(id), reason: 'MISSING' });
    }
    return { clusters, failures };
  },

  DescribeCapacityProviders(sim, input) {
    const known = new Map<string, { name: string; type: string; provider?: SimProvider }>();
    for (const name of FARGATE_PROVIDER_NAMES) known.set(name, { name, type: name });
    for (const cluster of sim.clusters.values()) {
      for (const p of cluster.providerState.values()) if (!known.has(p.name)) known.set(p.name, { name: p.name, type: p.type, provider: p });
    }
    const describe = (p: { name: string; type: string; provider?: SimProvider }) =>
      compact({
        capacityProviderArn: sim.arns.capacityProvider(p.name),
        name: p.name,
        status: 'ACTIVE',
        autoScalingGroupProvider:
          p.type === 'EC2_AUTOSCALING'
            ? {
                autoScalingGroupArn: sim.arns.autoScalingGroup(p.provider?.autoScalingGroup ?? `${p.name}-asg`),
                managedScaling: managedScalingOut(p.provider),
                managedTerminationProtection: 'DISABLED',
                managedDraining: p.provider?.managedDraining === false ? 'DISABLED' : 'ENABLED',
              }
            : undefined,
        tags: includes(input, 'TAGS') ? [] : undefined,
      });
    const requested = stringList(input, 'capacityProviders');
    if (requested && requested.length > 0) {
      if (requested.length > 100) throw invalidParameter('capacityProviders can have at most 100 items.');
      const capacityProviders: unknown[] = [];
      const failures: unknown[] = [];
      for (const id of requested) {
        const p = known.get(nameFromIdentifier(id, 'capacity-provider'));
        if (p) capacityProviders.push(describe(p));
        else failures.push({ arn: id.startsWith('arn:') ? id : sim.arns.capacityProvider(id), reason: 'MISSING' });
      }
      return { capacityProviders, failures };
    }
    const { page, nextToken } = paginate([...known.values()], {
      maxResults: maxResults(input, 10, 10),
      nextToken: optionalString(input, 'nextToken'),
      query: 'cp',
      errorCode: 'InvalidParameterException',
    });
    return compact({ capacityProviders: page.map(describe), failures: [], nextToken });
  },

  PutClusterCapacityProviders(sim, input) {
    const cluster = requiredString(input, 'cluster');
    const providers = stringList(input, 'capacityProviders');
    if (!providers) throw invalidParameter('capacityProviders can not be null.');
    const strategy = readStrategy(input.defaultCapacityProviderStrategy, 'defaultCapacityProviderStrategy');
    if (!strategy) throw invalidParameter('defaultCapacityProviderStrategy can not be null.');
    const updated = sim.putClusterCapacityProviders(cluster, providers, strategy);
    return { cluster: clusterOut(sim, updated, false) };
  },

  TagResource(sim, input) {
    const arn = requiredString(input, 'resourceArn');
    const tags = input.tags;
    if (!Array.isArray(tags)) throw invalidParameter('tags can not be null.');
    sim.tagResource(arn, tags as { key?: string; value?: string }[]);
    return {};
  },

  UntagResource(sim, input) {
    const arn = requiredString(input, 'resourceArn');
    sim.untagResource(arn, stringList(input, 'tagKeys') ?? []);
    return {};
  },

  ListTagsForResource(sim, input) {
    return { tags: tagsOut(sim.tagsOf(requiredString(input, 'resourceArn'))) };
  },

  ListTasks(sim, input) {
    const cluster = sim.cluster(optionalString(input, 'cluster'));
    const serviceName = optionalString(input, 'serviceName');
    const svc = serviceName === undefined ? undefined : sim.service(cluster, serviceName);
    if (serviceName !== undefined && !svc) throw new SimApiError('ServiceNotFoundException', 'Service not found.');
    const ciId = optionalString(input, 'containerInstance');
    const inst = ciId === undefined ? undefined : sim.instance(cluster, ciId);
    const desiredStatus = optionalString(input, 'desiredStatus') ?? 'RUNNING';
    if (!['RUNNING', 'PENDING', 'STOPPED'].includes(desiredStatus)) throw invalidParameter(`Invalid desiredStatus: ${desiredStatus}.`);
    const launchType = optionalString(input, 'launchType');
    const startedBy = optionalString(input, 'startedBy');
    const family = optionalString(input, 'family');
    const arns = [...cluster.tasks.values()]
      .filter((t) => t.desiredStatus === desiredStatus)
      .filter((t) => !svc || t.service === svc.name)
      .filter((t) => ciId === undefined || (inst !== undefined && t.instanceId === inst.id))
      .filter((t) => !launchType || (FARGATE_PROVIDER_NAMES.has(t.provider) ? 'FARGATE' : 'EC2') === launchType)
      .filter((t) => !startedBy || t.deploymentId === startedBy)
      .filter((t) => !family || (t.service ?? 'standalone') === family)
      .map((t) => t.arn);
    const { page, nextToken } = paginate(arns, {
      maxResults: maxResults(input, 100, 100),
      nextToken: optionalString(input, 'nextToken'),
      query: `task|${cluster.name}|${serviceName ?? ''}|${ciId ?? ''}|${desiredStatus}|${launchType ?? ''}|${startedBy ?? ''}|${family ?? ''}`,
      errorCode: 'InvalidParameterException',
    });
    return compact({ taskArns: page, nextToken });
  },

  DescribeTasks(sim, input) {
    const cluster = sim.cluster(optionalString(input, 'cluster'));
    const ids = limitList(stringList(input, 'tasks'), 'tasks', 100);
    const tasks: unknown[] = [];
    const failures: unknown[] = [];
    for (const id of ids) {
      const task = sim.task(cluster, id);
      if (task) tasks.push(taskOut(sim, cluster, task));
      else failures.push({ arn: id.startsWith('arn:') ? id : sim.arns.task(cluster.name, id), reason: 'MISSING' });
    }
    return { tasks, failures };
  },
};

/**
 * Runs one ECS action: counts it, takes a token from its throttle bucket (ThrottlingException
 * "Rate exceeded" when empty, as ECS answers), then applies it to the simulation.
 */
export function handleEcs(sim: Simulation, action: string, input: Input): unknown {
  const handler = ECS_HANDLERS[action];
  if (!handler) {
    sim.recordApiCall(action, false);
    throw new SimApiError('UnknownOperationException', `The simulator does not implement ECS ${action}.`);
  }
  const allowed = sim.takeToken(action);
  sim.recordApiCall(action, !allowed);
  if (!allowed) throw new SimApiError('ThrottlingException', 'Rate exceeded');
  return handler(sim, input);
}
