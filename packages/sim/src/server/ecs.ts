// The ECS API the simulator serves (AWS JSON 1.1, X-Amz-Target AmazonEC2ContainerServiceV20141113.*):
// each action reads its input as ECS validates it and answers with the shapes in ecs-shapes.ts.
import type { Strategy } from '@ecs-rebalancer/core';
import { SimApiError, invalidParameter } from '../errors.js';
import { nameFromIdentifier } from '../model/arn.js';
import { parseClusterQuery, QuerySyntaxError, type Subject } from '../model/query-language.js';
import type { Simulation } from '../model/simulation.js';
import { FARGATE_PROVIDER_NAMES } from '../model/strategy-rules.js';
import type { SimInstance, SimProvider } from '../model/types.js';
import { clusterOut, instanceAttributes, instanceOut, managedScalingOut, serviceOut, tagsOut, taskOut } from './ecs-shapes.js';
import {
  compact,
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

/** One page of a List* answer (ECS pages with maxResults and an opaque nextToken tied to the query). */
function listPage(input: Input, arns: string[], defaultMax: number, query: string) {
  return paginate(arns, { maxResults: maxResults(input, 100, defaultMax), nextToken: optionalString(input, 'nextToken'), query, errorCode: 'InvalidParameterException' });
}

/** A Describe* answer: each id found, shaped by `out`, or a MISSING failure with the ARN it would have. */
function describeEach<T>(ids: string[], find: (id: string) => T | undefined, out: (found: T) => unknown, arnOf: (id: string) => string) {
  const found: unknown[] = [];
  const failures: unknown[] = [];
  for (const id of ids) {
    const item = find(id);
    if (item) found.push(out(item));
    else failures.push({ arn: id.startsWith('arn:') ? id : arnOf(id), reason: 'MISSING' });
  }
  return { found, failures };
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
    const { page, nextToken } = listPage(input, arns, 100, `ci|${cluster.name}|${status ?? ''}|${filter ?? ''}`);
    return compact({ containerInstanceArns: page, nextToken });
  },

  DescribeContainerInstances(sim, input) {
    const cluster = sim.cluster(optionalString(input, 'cluster'));
    const ids = limitList(stringList(input, 'containerInstances'), 'containerInstances', 100);
    const withTags = includes(input, 'TAGS');
    const { found, failures } = describeEach(ids, (id) => sim.instance(cluster, id), (inst) => instanceOut(sim, inst, withTags), (id) => sim.arns.containerInstance(cluster.name, id));
    return { containerInstances: found, failures };
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
    const { page, nextToken } = listPage(input, arns, 10, `svc|${cluster.name}|${launchType ?? ''}`);
    return compact({ serviceArns: page, nextToken });
  },

  DescribeServices(sim, input) {
    const cluster = sim.cluster(optionalString(input, 'cluster'));
    const names = limitList(stringList(input, 'services'), 'services', 10);
    const withTags = includes(input, 'TAGS');
    const { found, failures } = describeEach(names, (name) => sim.service(cluster, name), (svc) => serviceOut(sim, cluster, svc, withTags), (name) => sim.arns.service(cluster.name, name));
    return { services: found, failures };
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
    const { page, nextToken } = listPage(input, arns, 100, 'clusters');
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
      const { found, failures } = describeEach(requested, (id) => known.get(nameFromIdentifier(id, 'capacity-provider')), describe, (id) => sim.arns.capacityProvider(id));
      return { capacityProviders: found, failures };
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
    const { page, nextToken } = listPage(input, arns, 100, `task|${cluster.name}|${serviceName ?? ''}|${ciId ?? ''}|${desiredStatus}|${launchType ?? ''}|${startedBy ?? ''}|${family ?? ''}`);
    return compact({ taskArns: page, nextToken });
  },

  DescribeTasks(sim, input) {
    const cluster = sim.cluster(optionalString(input, 'cluster'));
    const ids = limitList(stringList(input, 'tasks'), 'tasks', 100);
    const { found, failures } = describeEach(ids, (id) => sim.task(cluster, id), (task) => taskOut(sim, cluster, task), (id) => sim.arns.task(cluster.name, id));
    return { tasks: found, failures };
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
