import type { ClusterState, ContainerInstanceState } from '@ecs-rebalancer/core';
import { parseEcsArn } from './arn.js';
import { newDeployment } from './deployments.js';
import { slotsForInstanceType, splitByStrategy } from './placement.js';
import { createTask, freeInstances, tasksOn } from './tasks.js';
import { RolloutState, TaskStatus, type SimCluster, type SimDeployment, type SimInstance, type SimService } from './types.js';
import type { SimWorld } from './world.js';

const ECS_PROVIDER_TYPES = new Set(['EC2_AUTOSCALING', 'FARGATE', 'FARGATE_SPOT']);

/** Loads one ClusterState as the simulation's initial state: providers, instances, services with their RUNNING tasks, alarms. */
export function loadCluster(w: SimWorld, state: ClusterState): void {
  if (w.clusters.has(state.cluster)) throw new RangeError(`cluster ${state.cluster} appears twice`);
  const now = w.clock.now();
  const cluster: SimCluster = {
    name: state.cluster,
    arn: w.arns.cluster(state.cluster),
    providers: state.capacityProviders.map((p) => p.name),
    defaultStrategy: [],
    providerState: new Map(),
    services: new Map(),
    instances: new Map(),
    tasks: new Map(),
    live: new Map(),
    tags: new Map(),
  };
  w.clusters.set(cluster.name, cluster);

  for (const p of state.capacityProviders) {
    if (!ECS_PROVIDER_TYPES.has(p.type)) throw new RangeError(`provider ${p.name}: unknown type ${String(p.type)}`);
    const o = w.providerOptions(cluster.name, p.name);
    const initial = state.containerInstances.filter((i) => i.capacityProvider === p.name && i.status !== 'INACTIVE');
    const firstType = initial.find((i) => i.instanceType)?.instanceType;
    const azs = o.availabilityZones ?? [...new Set(initial.map((i) => i.availabilityZone).filter((z): z is string => !!z))];
    cluster.providerState.set(p.name, {
      name: p.name,
      arn: w.arns.capacityProvider(p.name),
      type: p.type,
      desired: initial.length,
      maxSize: o.maxSize ?? Math.max(10, initial.length * 2),
      launchDelaySeconds: o.launchDelaySeconds ?? 120,
      slotsPerInstance: o.slotsPerInstance,
      instanceType: o.instanceType ?? firstType ?? 'm5.large',
      availabilityZones: azs.length > 0 ? azs : [`${w.region}a`, `${w.region}b`, `${w.region}c`],
      capacityAvailable: o.capacityAvailable ?? true,
      launching: 0,
      launchedTotal: 0,
    });
  }
  const firstWeighted = state.capacityProviders[0];
  cluster.defaultStrategy = firstWeighted ? [{ capacityProvider: firstWeighted.name, base: 0, weight: 1 }] : [];

  for (const ci of state.containerInstances) loadInstance(w, cluster, ci, now);

  for (const s of state.services) {
    const strategy = s.strategy.length > 0 ? s.strategy.map((i) => ({ ...i })) : [...cluster.defaultStrategy];
    const deployment = newDeployment(w, strategy, RolloutState.Completed, 'ECS deployment completed.');
    const svc: SimService = {
      name: s.name,
      arn: w.arns.service(cluster.name, s.name),
      cluster: cluster.name,
      desiredCount: s.desiredCount,
      strategy,
      minimumHealthyPercent: s.minimumHealthyPercent,
      maximumPercent: s.maximumPercent,
      deploymentController: s.deploymentController ?? 'ECS',
      deployments: [deployment],
      tags: new Map(Object.entries(w.opts.serviceTags?.(cluster.name, s) ?? {})),
      createdAt: now,
      placementFailing: new Set(),
    };
    cluster.services.set(svc.name, svc);
    w.deployments.push({
      cluster: cluster.name,
      service: svc.name,
      id: deployment.id,
      strategy,
      startedAt: w.now(),
      completedAt: w.now(),
      rolloutState: RolloutState.Completed,
    });
    placeInitialTasks(w, cluster, svc, deployment, Math.min(s.runningCount, s.desiredCount));
  }
  for (const inst of cluster.instances.values()) delete inst.declaredTasks;

  for (const [name, value] of Object.entries(state.alarms)) {
    if (!w.alarms.alarms.has(name)) w.alarms.define(name, value, now);
  }
}

function loadInstance(w: SimWorld, cluster: SimCluster, ci: ContainerInstanceState, now: number): void {
  const parsed = parseEcsArn(ci.arn);
  const id = parsed?.type === 'container-instance' ? (parsed.path[parsed.path.length - 1] ?? w.rng.hex(32)) : w.rng.hex(32);
  const provider = ci.capacityProvider ? cluster.providerState.get(ci.capacityProvider) : undefined;
  const instanceType = ci.instanceType ?? provider?.instanceType ?? 'm5.large';
  const slots = Math.max(provider?.slotsPerInstance ?? slotsForInstanceType(instanceType, w.defaultSlots), ci.runningTasks);
  cluster.instances.set(id, {
    id,
    arn: parsed ? ci.arn : w.arns.containerInstance(cluster.name, id),
    cluster: cluster.name,
    ec2InstanceId: ci.ec2InstanceId,
    provider: ci.capacityProvider,
    status: ci.status,
    slots,
    instanceType,
    availabilityZone: ci.availabilityZone ?? provider?.availabilityZones[0] ?? `${w.region}a`,
    registeredAt: now,
    agentConnected: ci.status !== 'INACTIVE',
    declaredTasks: ci.runningTasks,
  });
}

function placeInitialTasks(w: SimWorld, cluster: SimCluster, svc: SimService, deployment: SimDeployment, count: number): void {
  const split = splitByStrategy(deployment.strategy, count);
  for (const [providerName, n] of split) {
    const provider = cluster.providerState.get(providerName);
    if (!provider) continue;
    for (let i = 0; i < n; i++) {
      const task = createTask(w, cluster, svc, deployment, providerName);
      if (provider.type !== 'EC2_AUTOSCALING') {
        task.lastStatus = TaskStatus.Running;
        task.startedAt = w.clock.now();
        task.availabilityZone = provider.availabilityZones[w.rng.int(provider.availabilityZones.length)];
        continue;
      }
      const candidates = freeInstances(cluster, providerName);
      // Follow the file's runningTasks first so the initial layout matches what it describes.
      candidates.sort((a, b) => declaredLeft(cluster, b) - declaredLeft(cluster, a));
      const target = candidates[0];
      if (target) {
        task.instanceId = target.id;
        task.availabilityZone = target.availabilityZone;
        task.lastStatus = TaskStatus.Running;
        task.startedAt = w.clock.now();
      }
    }
  }
}

function declaredLeft(cluster: SimCluster, inst: SimInstance): number {
  return (inst.declaredTasks ?? 0) - tasksOn(cluster, inst).length;
}
