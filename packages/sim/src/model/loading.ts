import type { ClusterState, ContainerInstanceState, ProviderType } from '@ecs-rebalancer/core';
import type { ProviderOptions } from './options.js';
import { parseEcsArn } from './arn.js';
import { newDeployment } from './deployments.js';
import { slotsForInstanceType, splitByStrategy } from './placement.js';
import { architectureOf } from './architecture.js';
import { newTask } from './starting.js';
import { assignTask, pickInstance, refreshFree, setTaskStatus } from './tasks.js';
import { Architecture, RolloutState, TaskStatus, type SimCluster, type SimDeployment, type SimInstance, type SimProvider, type SimService } from './types.js';
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
    onInstance: new Map(),
    provisioning: new Set(),
    provisioningBy: new Map(),
    running: new Map(),
    failingServices: new Set(),
    tags: new Map(),
  };
  w.clusters.set(cluster.name, cluster);

  for (const p of state.capacityProviders) {
    if (!ECS_PROVIDER_TYPES.has(p.type)) throw new RangeError(`provider ${p.name}: unknown type ${String(p.type)}`);
    const o = w.providerOptions(cluster.name, p.name);
    const initial = state.containerInstances.filter((i) => i.capacityProvider === p.name && i.status !== 'INACTIVE');
    const firstType = initial.find((i) => i.instanceType)?.instanceType;
    const azs = o.availabilityZones ?? [...new Set(initial.map((i) => i.availabilityZone).filter((z): z is string => !!z))];
    const declared = p as { architecture?: string; autoScalingGroup?: string };
    cluster.providerState.set(p.name, newProvider(w, p.name, p.type, o, {
      desired: initial.length,
      instanceType: o.instanceType ?? firstType ?? 'm5.large',
      availabilityZones: azs,
      autoScalingGroup: declared.autoScalingGroup,
      architecture: declared.architecture === 'arm64' || declared.architecture === 'x86_64' ? declared.architecture : undefined,
    }));
  }
  const firstWeighted = state.capacityProviders[0];
  cluster.defaultStrategy = firstWeighted ? [{ capacityProvider: firstWeighted.name, base: 0, weight: 1 }] : [];

  const declaredLeft = new Map<SimInstance, number>();
  for (const ci of state.containerInstances) {
    const inst = loadInstance(w, cluster, ci, now);
    if (ci.runningTasks > 0 && inst.status === 'ACTIVE') declaredLeft.set(inst, ci.runningTasks);
  }

  for (const s of state.services) {
    const strategy = s.strategy.length > 0 ? s.strategy.map((i) => ({ ...i })) : [...cluster.defaultStrategy];
    const deployment = newDeployment(w, strategy, RolloutState.Completed, 'ECS deployment completed.');
    const so = w.opts.services?.[`${cluster.name}/${s.name}`];
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
      startSeconds: so?.startSeconds ?? w.taskStartDelay,
      architectures: new Set(so?.architectures ?? [Architecture.X86_64, Architecture.Arm64]),
      circuitBreaker: { enable: so?.deploymentCircuitBreaker?.enable ?? false, rollback: so?.deploymentCircuitBreaker?.rollback ?? false },
      live: new Set(),
      azCounts: new Map(),
      running: 0,
      dirty: true,
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
    placeInitialTasks(w, cluster, svc, deployment, Math.min(s.runningCount, s.desiredCount), declaredLeft);
  }

  for (const [name, value] of Object.entries(state.alarms)) {
    if (!w.alarms.alarms.has(name)) w.alarms.define(name, value, now);
  }
}

function loadInstance(w: SimWorld, cluster: SimCluster, ci: ContainerInstanceState, now: number): SimInstance {
  const parsed = parseEcsArn(ci.arn);
  const id = parsed?.type === 'container-instance' ? (parsed.path[parsed.path.length - 1] ?? w.rng.hex(32)) : w.rng.hex(32);
  const provider = ci.capacityProvider ? cluster.providerState.get(ci.capacityProvider) : undefined;
  const instanceType = ci.instanceType ?? provider?.instanceType ?? 'm5.large';
  const slots = Math.max(provider?.slotsPerInstance ?? slotsForInstanceType(instanceType, w.defaultSlots), ci.runningTasks);
  const inst: SimInstance = {
    id,
    arn: parsed ? ci.arn : w.arns.containerInstance(cluster.name, id),
    cluster: cluster.name,
    ec2InstanceId: ci.ec2InstanceId,
    provider: ci.capacityProvider,
    status: ci.status,
    slots,
    instanceType,
    availabilityZone: ci.availabilityZone ?? provider?.availabilityZones[0] ?? `${w.region}a`,
    architecture: provider?.architecture ?? architectureOf(instanceType),
    registeredAt: now,
    // Instances of the initial state are past their warm-up.
    launchedAt: now - 24 * 3600 * 1000,
    agentConnected: ci.status !== 'INACTIVE',
  };
  cluster.instances.set(id, inst);
  if (inst.status !== 'INACTIVE') w.byEc2.set(inst.ec2InstanceId, inst);
  refreshFree(cluster, inst);
  return inst;
}

/**
 * The initial RUNNING tasks: on EC2 providers the file's runningTasks are followed first (each
 * ACTIVE instance takes tasks up to its declared count, in file order), then ECS's spread;
 * Fargate tasks get a zone. Tasks that find no slot wait in PROVISIONING.
 */
function placeInitialTasks(
  w: SimWorld,
  cluster: SimCluster,
  svc: SimService,
  deployment: SimDeployment,
  count: number,
  declaredLeft: Map<SimInstance, number>,
): void {
  const split = splitByStrategy(deployment.strategy, count);
  for (const [providerName, n] of split) {
    const provider = cluster.providerState.get(providerName);
    if (!provider) continue;
    const declared = [...declaredLeft.keys()].filter((i) => i.provider === providerName);
    let cursor = 0;
    for (let i = 0; i < n; i++) {
      const task = newTask(w, cluster, svc, deployment, providerName);
      let target: SimInstance | undefined;
      if (provider.type !== 'EC2_AUTOSCALING') {
        assignTask(w, cluster, task, undefined, provider.availabilityZones[w.rng.int(provider.availabilityZones.length)]);
      } else {
        while (cursor < declared.length && (declaredLeft.get(declared[cursor]!) ?? 0) <= 0) cursor++;
        target = declared[cursor];
        if (target && !provider.free.has(target)) target = undefined;
        target ??= pickInstance(cluster, provider, svc);
        if (!target) continue;
        assignTask(w, cluster, task, target, undefined);
        const left = declaredLeft.get(target);
        if (left !== undefined) declaredLeft.set(target, left - 1);
      }
      setTaskStatus(cluster, task, TaskStatus.Running);
      task.startedAt = w.clock.now();
    }
  }
}

/** A provider's state with ProviderOptions' defaults (figures and sources: packages/sim/README.md). */
export function newProvider(
  w: SimWorld,
  name: string,
  type: ProviderType,
  o: ProviderOptions,
  known: { desired: number; instanceType: string; availabilityZones: string[]; autoScalingGroup?: string; architecture?: Architecture },
): SimProvider {
  const scaling = o.managedScaling === false ? undefined : (o.managedScaling ?? {});
  return {
    name,
    arn: w.arns.capacityProvider(name),
    type,
    desired: known.desired,
    minSize: o.minSize ?? 0,
    maxSize: o.maxSize ?? Math.max(10, known.desired * 2),
    autoScalingGroup: o.autoScalingGroup ?? known.autoScalingGroup ?? `${name}-asg`,
    launchDelaySeconds: o.launchDelaySeconds ?? 60,
    registrationDelaySeconds: o.registrationDelaySeconds ?? 30,
    managedScaling: {
      enabled: scaling !== undefined,
      targetCapacity: scaling?.targetCapacity ?? 100,
      minimumScalingStepSize: scaling?.minimumScalingStepSize ?? 1,
      maximumScalingStepSize: scaling?.maximumScalingStepSize ?? 10000,
      instanceWarmupPeriod: scaling?.instanceWarmupPeriod ?? 300,
    },
    managedDraining: o.managedDraining ?? true,
    spot: o.spot ?? (type === 'FARGATE_SPOT' || /spot/i.test(name)),
    architecture: known.architecture,
    instances: new Set(),
    free: new Set(),
    lowSince: undefined,
    nextLaunchAttempt: undefined,
    slotsPerInstance: o.slotsPerInstance,
    instanceType: known.instanceType,
    availabilityZones: known.availabilityZones.length > 0 ? known.availabilityZones : [`${w.region}a`, `${w.region}b`, `${w.region}c`],
    capacityAvailable: o.capacityAvailable ?? true,
    launching: 0,
    launchedTotal: 0,
  };
}
