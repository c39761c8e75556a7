import type {
  AlarmStateValue,
  ClusterState,
  ContainerInstanceState,
  InstanceStatus,
  ServiceState,
  Strategy,
} from '@ecs-rebalancer/core';
import { SimApiError, invalidParameter } from '../errors.js';
import { AlarmStore } from './alarms.js';
import { ArnFormat, nameFromIdentifier, parseEcsArn } from './arn.js';
import { VirtualClock } from './clock.js';
import {
  EventSink,
  alarmStateChange,
  instanceStateChange,
  placementFailure,
  spotInterruptionWarning,
  taskStateChange,
  type EventBridgeEvent,
  type EventOrigin,
  type FargateTaskSnapshot,
} from './events.js';
import { chooseProvider, slotsForInstanceType, splitByStrategy } from './placement.js';
import { SeededRandom } from './random.js';
import { FARGATE_PROVIDER_NAMES, strategiesEqual, strategyRejection } from './strategy-rules.js';
import { ThrottleBuckets, type BucketLimits, type ThrottleBucket } from './throttle.js';
import {
  RolloutState,
  TaskSize,
  TaskStatus,
  taskGroup,
  type AlarmChangeRecord,
  type DeploymentRecord,
  type DrainRecord,
  type InterruptionRecord,
  type PlacementFailureRecord,
  type RunningSample,
  type ScaleOutRecord,
  type SimCluster,
  type SimDeployment,
  type SimInstance,
  type SimProvider,
  type SimReport,
  type SimService,
  type SimTask,
  type StrategyChangeRecord,
} from './types.js';

/** Per-provider settings that ClusterState does not carry. */
export interface ProviderOptions {
  /** Seconds from an ASG launch to the container instance registering. Default 120. */
  launchDelaySeconds?: number;
  /** ASG maximum size. Default: twice the initial instance count, at least 10. */
  maxSize?: number;
  /** Task slots per instance; default derived from the instance type (2 per vCPU, else 4). */
  slotsPerInstance?: number;
  /** Instance type of launched instances; default the first initial instance's type, else m5.large. */
  instanceType?: string;
  availabilityZones?: string[];
  /** Start without capacity (e.g. no Spot capacity in the pools). Default true. */
  capacityAvailable?: boolean;
}

export interface SimulationOptions {
  /** Initial state, one entry per cluster (the ClusterState contract, as in a `--cluster` file). */
  clusters: ClusterState[];
  /** Virtual start time (ISO 8601). Default 2025-01-01T00:00:00Z. */
  start?: string;
  /** Seed of the PRNG that picks interrupted instances and mints ids. Default 1. */
  seed?: number;
  region?: string;
  accountId?: string;
  /** Keyed by provider name, or `cluster/provider` to target one cluster. */
  providers?: Record<string, ProviderOptions>;
  /** Slots for instance types the simulator cannot size. Default 4. */
  defaultSlotsPerInstance?: number;
  /** Seconds a placed task stays PENDING before it is RUNNING. Default 30. */
  taskStartDelaySeconds?: number;
  /** Seconds between a Spot interruption warning and the termination. Default 120 (EC2's two minutes). */
  spotWarningSeconds?: number;
  /**
   * The clock the throttle buckets refill on, in ms. Default: the virtual clock. The scenario
   * runner adds the real time spent inside handler invocations, during which virtual time
   * stands still but the SDK's retries wait real time.
   */
  throttleClock?: (virtualNow: number) => number;
  /** false disables ECS throttling; an object overrides bucket limits. Default: ECS's buckets. */
  throttling?: boolean | Partial<Record<ThrottleBucket, BucketLimits>>;
  /** Tags each service starts with (e.g. the adapters' encoding of `baseline` / `fallbackSince`). */
  serviceTags?: (cluster: string, service: ServiceState) => Record<string, string> | undefined;
}

/** What PutEvents received, one record per accepted entry. */
export interface PutEventRecord {
  eventId: string;
  time: string;
  source: string;
  detailType: string;
  detail: unknown;
  resources: string[];
  eventBusName: string;
}

export interface ServiceUpdate {
  desiredCount?: number;
  capacityProviderStrategy?: Strategy;
  forceNewDeployment?: boolean;
  minimumHealthyPercent?: number;
  maximumPercent?: number;
}

export interface InstanceStateFailure {
  arn: string;
  reason: string;
  detail?: string;
}

const ECS_PROVIDER_TYPES = new Set(['EC2_AUTOSCALING', 'FARGATE', 'FARGATE_SPOT']);
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_RECONCILE_ROUNDS = 200;

/**
 * What ECS documents for a Fargate Spot interruption (ECS Developer Guide, "Handling Fargate
 * Spot termination notices"): a Task State Change with desiredStatus STOPPED, lastStatus
 * RUNNING, stopCode TerminationNotice and this stoppedReason, two minutes before the task is
 * stopped, with SIGTERM to its containers.
 */
const FARGATE_SPOT_STOP_CODE = 'TerminationNotice';
const FARGATE_SPOT_STOPPED_REASON = 'Your Spot Task was interrupted.';

/**
 * The Task State Changes of an interrupted Fargate Spot task, in order. ECS sends one event per
 * transition of lastStatus; the guide shows only the first. Not confirmed, so modelled: the
 * later events keep the notice's stopCode and stoppedReason; the containers ignore SIGTERM
 * and run until the two minutes end (a stopTimeout of 120 s, the maximum; a task whose
 * containers exit sooner would stop sooner), then are killed during STOPPING (exit 137);
 * no load balancer, so no DEACTIVATING; the ENI attachment goes DETACHING while deprovisioning and
 * DELETED once STOPPED; `version` counts on from the RUNNING event's 4 of the guide's example;
 * STOPPING, DEPROVISIONING and STOPPED happen at the same virtual instant (real Fargate spends
 * seconds in each, undocumented).
 */
const FargateStopTransition = {
  Notice: { lastStatus: 'RUNNING', version: 5, container: 'RUNNING', eni: 'ATTACHED' },
  Stopping: { lastStatus: 'STOPPING', version: 6, container: 'RUNNING', eni: 'ATTACHED' },
  Deprovisioning: { lastStatus: 'DEPROVISIONING', version: 7, container: 'STOPPED', eni: 'DETACHING' },
  Stopped: { lastStatus: 'STOPPED', version: 8, container: 'STOPPED', eni: 'DELETED' },
} as const;
type FargateStopTransition = (typeof FargateStopTransition)[keyof typeof FargateStopTransition];

/**
 * An independent model of the ECS control plane for one account and Region, on a virtual
 * clock: clusters, capacity providers (ASG-backed with a desired count and a launch delay, or
 * Fargate), container instances with task slots, services with rolling deployments, draining,
 * Spot interruptions, CloudWatch alarms and ECS's throttle buckets. Every mutation runs the
 * service scheduler at once; timers (task starts, launches, terminations) run it again when
 * `advance` reaches them.
 */
export class Simulation {
  readonly clock: VirtualClock;
  readonly arns: ArnFormat;
  readonly region: string;
  readonly accountId: string;
  /** Events AWS would put on the default bus (Spot warnings, state changes, placement failures, alarms). */
  readonly events = new EventSink<EventBridgeEvent>();
  /** What the rebalancer published with PutEvents (its decision events). */
  readonly decisionEvents = new EventSink<PutEventRecord>();
  readonly alarms: AlarmStore;
  readonly clusters = new Map<string, SimCluster>();
  readonly throttle: ThrottleBuckets | undefined;

  /** Ids and placement jitter. */
  readonly #rng: SeededRandom;
  /** Which instances or tasks an interruption hits: its own stream, so it does not depend on how many ids were minted. */
  readonly #pickRng: SeededRandom;
  /** Ids of events received by PutEvents. */
  readonly #putRng: SeededRandom;
  readonly #opts: SimulationOptions;
  readonly #taskStartDelay: number;
  readonly #spotWarning: number;
  readonly #defaultSlots: number;
  /** ec2InstanceId → pending interruption (cleared at termination). */
  readonly #interruptions = new Map<string, InterruptionRecord>();
  readonly #interruptionLog: InterruptionRecord[] = [];
  readonly #drains: DrainRecord[] = [];
  readonly #strategyChanges: StrategyChangeRecord[] = [];
  readonly #deployments: DeploymentRecord[] = [];
  readonly #placementFailures: PlacementFailureRecord[] = [];
  readonly #scaleOuts: ScaleOutRecord[] = [];
  readonly #alarmChanges: AlarmChangeRecord[] = [];
  readonly #fargateInterruptions: SimReport['fargateSpotInterruptions'] = [];
  readonly #lostByService = new Map<string, number>();
  readonly #apiCalls = new Map<string, number>();
  readonly #throttledByAction = new Map<string, number>();
  readonly #samples = new Map<string, RunningSample[]>();
  #reconciling = false;

  constructor(options: SimulationOptions) {
    this.#opts = options;
    this.clock = new VirtualClock(options.start ?? '2025-01-01T00:00:00.000Z');
    this.#rng = new SeededRandom(options.seed ?? 1);
    this.#pickRng = new SeededRandom((options.seed ?? 1) ^ 0x5eed);
    this.#putRng = new SeededRandom((options.seed ?? 1) ^ 0xe7e7);
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.arns = new ArnFormat(this.region, this.accountId);
    this.alarms = new AlarmStore((name) => this.arns.alarm(name));
    this.#taskStartDelay = options.taskStartDelaySeconds ?? 30;
    this.#spotWarning = options.spotWarningSeconds ?? 120;
    this.#defaultSlots = options.defaultSlotsPerInstance ?? 4;
    if (options.throttling !== false) {
      const throttleClock = options.throttleClock;
      const now = throttleClock ? () => throttleClock(this.clock.now()) : () => this.clock.now();
      this.throttle = new ThrottleBuckets(now, options.throttling === true ? {} : (options.throttling ?? {}));
    }
    for (const state of options.clusters) this.#load(state);
    this.reconcile();
  }

  /** Current virtual time, ISO 8601. */
  now(): string {
    return this.clock.iso();
  }

  /** Moves virtual time forward, running every task start, launch and termination due on the way. */
  advance(seconds: number): void {
    this.clock.advance(seconds, () => this.reconcile());
    this.reconcile();
    this.#sample(true);
  }

  // ---------------------------------------------------------------- loading

  #providerOptions(cluster: string, provider: string): ProviderOptions {
    return this.#opts.providers?.[`${cluster}/${provider}`] ?? this.#opts.providers?.[provider] ?? {};
  }

  #load(state: ClusterState): void {
    if (this.clusters.has(state.cluster)) throw new RangeError(`cluster ${state.cluster} appears twice`);
    const now = this.clock.now();
    const cluster: SimCluster = {
      name: state.cluster,
      arn: this.arns.cluster(state.cluster),
      providers: state.capacityProviders.map((p) => p.name),
      defaultStrategy: [],
      providerState: new Map(),
      services: new Map(),
      instances: new Map(),
      tasks: new Map(),
      live: new Map(),
      tags: new Map(),
    };
    this.clusters.set(cluster.name, cluster);

    for (const p of state.capacityProviders) {
      if (!ECS_PROVIDER_TYPES.has(p.type)) throw new RangeError(`provider ${p.name}: unknown type ${String(p.type)}`);
      const o = this.#providerOptions(cluster.name, p.name);
      const initial = state.containerInstances.filter((i) => i.capacityProvider === p.name && i.status !== 'INACTIVE');
      const firstType = initial.find((i) => i.instanceType)?.instanceType;
      const azs =
        o.availabilityZones ?? [...new Set(initial.map((i) => i.availabilityZone).filter((z): z is string => !!z))];
      cluster.providerState.set(p.name, {
        name: p.name,
        arn: this.arns.capacityProvider(p.name),
        type: p.type,
        desired: initial.length,
        maxSize: o.maxSize ?? Math.max(10, initial.length * 2),
        launchDelaySeconds: o.launchDelaySeconds ?? 120,
        slotsPerInstance: o.slotsPerInstance,
        instanceType: o.instanceType ?? firstType ?? 'm5.large',
        availabilityZones: azs.length > 0 ? azs : [`${this.region}a`, `${this.region}b`, `${this.region}c`],
        capacityAvailable: o.capacityAvailable ?? true,
        launching: 0,
        launchedTotal: 0,
      });
    }
    const firstWeighted = state.capacityProviders[0];
    cluster.defaultStrategy = firstWeighted ? [{ capacityProvider: firstWeighted.name, base: 0, weight: 1 }] : [];

    for (const ci of state.containerInstances) this.#loadInstance(cluster, ci, now);

    for (const s of state.services) {
      const strategy = s.strategy.length > 0 ? s.strategy.map((i) => ({ ...i })) : [...cluster.defaultStrategy];
      const deployment = this.#newDeployment(strategy, RolloutState.Completed, 'ECS deployment completed.');
      const svc: SimService = {
        name: s.name,
        arn: this.arns.service(cluster.name, s.name),
        cluster: cluster.name,
        desiredCount: s.desiredCount,
        strategy,
        minimumHealthyPercent: s.minimumHealthyPercent,
        maximumPercent: s.maximumPercent,
        deploymentController: s.deploymentController ?? 'ECS',
        deployments: [deployment],
        tags: new Map(Object.entries(this.#opts.serviceTags?.(cluster.name, s) ?? {})),
        createdAt: now,
        placementFailing: new Set(),
      };
      cluster.services.set(svc.name, svc);
      this.#deployments.push({
        cluster: cluster.name,
        service: svc.name,
        id: deployment.id,
        strategy,
        startedAt: this.now(),
        completedAt: this.now(),
        rolloutState: RolloutState.Completed,
      });
      this.#placeInitialTasks(cluster, svc, deployment, Math.min(s.runningCount, s.desiredCount));
    }
    for (const inst of cluster.instances.values()) delete inst.declaredTasks;

    for (const [name, value] of Object.entries(state.alarms)) {
      if (!this.alarms.alarms.has(name)) this.alarms.define(name, value, now);
    }
  }

  #loadInstance(cluster: SimCluster, ci: ContainerInstanceState, now: number): void {
    const parsed = parseEcsArn(ci.arn);
    const id = parsed?.type === 'container-instance' ? (parsed.path[parsed.path.length - 1] ?? this.#rng.hex(32)) : this.#rng.hex(32);
    const provider = ci.capacityProvider ? cluster.providerState.get(ci.capacityProvider) : undefined;
    const instanceType = ci.instanceType ?? provider?.instanceType ?? 'm5.large';
    const slots = Math.max(provider?.slotsPerInstance ?? slotsForInstanceType(instanceType, this.#defaultSlots), ci.runningTasks);
    cluster.instances.set(id, {
      id,
      arn: parsed ? ci.arn : this.arns.containerInstance(cluster.name, id),
      cluster: cluster.name,
      ec2InstanceId: ci.ec2InstanceId,
      provider: ci.capacityProvider,
      status: ci.status,
      slots,
      instanceType,
      availabilityZone: ci.availabilityZone ?? provider?.availabilityZones[0] ?? `${this.region}a`,
      registeredAt: now,
      agentConnected: ci.status !== 'INACTIVE',
      declaredTasks: ci.runningTasks,
    });
  }

  #placeInitialTasks(cluster: SimCluster, svc: SimService, deployment: SimDeployment, count: number): void {
    const split = splitByStrategy(deployment.strategy, count);
    for (const [providerName, n] of split) {
      const provider = cluster.providerState.get(providerName);
      if (!provider) continue;
      for (let i = 0; i < n; i++) {
        const task = this.#createTask(cluster, svc, deployment, providerName);
        if (provider.type !== 'EC2_AUTOSCALING') {
          task.lastStatus = TaskStatus.Running;
          task.startedAt = this.clock.now();
          task.availabilityZone = provider.availabilityZones[this.#rng.int(provider.availabilityZones.length)];
          continue;
        }
        const candidates = this.#freeInstances(cluster, providerName);
        // Follow the file's runningTasks first so the initial layout matches what it describes.
        candidates.sort((a, b) => this.#declaredLeft(cluster, b) - this.#declaredLeft(cluster, a));
        const target = candidates[0];
        if (target) {
          task.instanceId = target.id;
          task.availabilityZone = target.availabilityZone;
          task.lastStatus = TaskStatus.Running;
          task.startedAt = this.clock.now();
        }
      }
    }
  }

  #declaredLeft(cluster: SimCluster, inst: SimInstance): number {
    return (inst.declaredTasks ?? 0) - this.#tasksOn(cluster, inst).length;
  }

  // ---------------------------------------------------------------- helpers

  #origin(): EventOrigin {
    return { id: this.#rng.uuid(), time: this.clock.iso().replace(/\.\d{3}Z$/, 'Z'), account: this.accountId, region: this.region };
  }

  #newDeployment(strategy: Strategy, rolloutState: RolloutState, reason: string): SimDeployment {
    const now = this.clock.now();
    let digits = String(1 + this.#rng.int(9));
    while (digits.length < 19) digits += String(this.#rng.int(10));
    return {
      id: `ecs-svc/${digits}`,
      status: 'PRIMARY',
      strategy: strategy.map((i) => ({ ...i })),
      rolloutState,
      rolloutStateReason: reason,
      createdAt: now,
      updatedAt: now,
      failedTasks: 0,
    };
  }

  #createTask(cluster: SimCluster, svc: SimService | undefined, deployment: SimDeployment | undefined, provider: string): SimTask {
    const id = this.#rng.hex(32);
    const task: SimTask = {
      id,
      arn: this.arns.task(cluster.name, id),
      cluster: cluster.name,
      service: svc?.name,
      deploymentId: deployment?.id,
      provider,
      lastStatus: TaskStatus.Provisioning,
      desiredStatus: 'RUNNING',
      createdAt: this.clock.now(),
    };
    cluster.tasks.set(id, task);
    cluster.live.set(id, task);
    return task;
  }

  #tasksOn(cluster: SimCluster, inst: SimInstance): SimTask[] {
    return [...cluster.live.values()].filter((t) => t.instanceId === inst.id && t.lastStatus !== TaskStatus.Stopped);
  }

  /** ACTIVE instances of a provider with a free slot, least loaded first (ECS spread by instance). */
  #freeInstances(cluster: SimCluster, provider: string): SimInstance[] {
    const load = new Map<string, number>();
    for (const t of cluster.live.values()) {
      if (t.instanceId && t.lastStatus !== TaskStatus.Stopped) load.set(t.instanceId, (load.get(t.instanceId) ?? 0) + 1);
    }
    return [...cluster.instances.values()]
      .filter((i) => i.provider === provider && i.status === 'ACTIVE' && (load.get(i.id) ?? 0) < i.slots)
      .sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0));
  }

  #stopTask(task: SimTask, reason: string, stopCode?: string): void {
    if (task.lastStatus === TaskStatus.Stopped) return;
    task.cancelStart?.();
    task.desiredStatus = 'STOPPED';
    task.lastStatus = TaskStatus.Stopped;
    task.stoppedAt = this.clock.now();
    task.stoppedReason = reason;
    if (stopCode) task.stopCode = stopCode;
    this.clusters.get(task.cluster)?.live.delete(task.id);
  }

  /** Puts a PROVISIONING task on capacity: a free slot of its provider, or Fargate. */
  #place(cluster: SimCluster, task: SimTask): boolean {
    const provider = cluster.providerState.get(task.provider);
    if (!provider) return false;
    if (provider.type === 'EC2_AUTOSCALING') {
      const target = this.#freeInstances(cluster, provider.name)[0];
      if (!target) return false;
      task.instanceId = target.id;
      task.availabilityZone = target.availabilityZone;
    } else {
      if (!provider.capacityAvailable) return false;
      task.availabilityZone = provider.availabilityZones[this.#rng.int(provider.availabilityZones.length)];
    }
    task.lastStatus = TaskStatus.Pending;
    task.cancelStart = this.clock.schedule(this.#taskStartDelay, () => {
      if (task.desiredStatus === 'RUNNING' && task.lastStatus === TaskStatus.Pending) {
        task.lastStatus = TaskStatus.Running;
        task.startedAt = this.clock.now();
      }
    });
    return true;
  }

  cluster(name: string | undefined): SimCluster {
    const key = nameFromIdentifier(name ?? 'default', 'cluster');
    const cluster = this.clusters.get(key);
    if (!cluster) throw new SimApiError('ClusterNotFoundException', 'Cluster not found.');
    return cluster;
  }

  service(cluster: SimCluster, identifier: string): SimService | undefined {
    if (identifier.startsWith('arn:')) {
      const parsed = parseEcsArn(identifier);
      if (parsed?.type !== 'service') return undefined;
      const [clusterName, name] = parsed.path.length === 2 ? parsed.path : [cluster.name, parsed.path[0]];
      if (clusterName !== cluster.name || !name) return undefined;
      return cluster.services.get(name);
    }
    return cluster.services.get(identifier);
  }

  instance(cluster: SimCluster, identifier: string): SimInstance | undefined {
    if (identifier.startsWith('arn:')) {
      const parsed = parseEcsArn(identifier);
      if (parsed?.type !== 'container-instance') return undefined;
      if (parsed.path.length === 2 && parsed.path[0] !== cluster.name) return undefined;
      return cluster.instances.get(parsed.path[parsed.path.length - 1] ?? '');
    }
    return cluster.instances.get(identifier);
  }

  task(cluster: SimCluster, identifier: string): SimTask | undefined {
    if (identifier.startsWith('arn:')) {
      const parsed = parseEcsArn(identifier);
      if (parsed?.type !== 'task') return undefined;
      if (parsed.path.length === 2 && parsed.path[0] !== cluster.name) return undefined;
      return cluster.tasks.get(parsed.path[parsed.path.length - 1] ?? '');
    }
    return cluster.tasks.get(identifier);
  }

  /** Running / pending counts of a service (all its deployments). */
  serviceCounts(svc: SimService, deploymentId?: string): { running: number; pending: number } {
    const cluster = this.clusters.get(svc.cluster);
    let running = 0;
    let pending = 0;
    for (const t of cluster?.live.values() ?? []) {
      if (t.service !== svc.name || t.desiredStatus !== 'RUNNING') continue;
      if (deploymentId && t.deploymentId !== deploymentId) continue;
      if (t.lastStatus === TaskStatus.Running) running++;
      else if (t.lastStatus !== TaskStatus.Stopped) pending++;
    }
    return { running, pending };
  }

  /** Running / pending tasks on a container instance. */
  instanceCounts(inst: SimInstance): { running: number; pending: number } {
    const cluster = this.clusters.get(inst.cluster);
    let running = 0;
    let pending = 0;
    for (const t of cluster?.live.values() ?? []) {
      if (t.instanceId !== inst.id) continue;
      if (t.lastStatus === TaskStatus.Running) running++;
      else if (t.lastStatus === TaskStatus.Pending) pending++;
    }
    return { running, pending };
  }

  /** The task groups (`service:NAME`, `family:…`) of the tasks on a container instance that are not stopped, each once. */
  instanceTaskGroups(inst: SimInstance): string[] {
    const groups = new Set<string>();
    for (const t of this.clusters.get(inst.cluster)?.live.values() ?? []) {
      if (t.instanceId === inst.id) groups.add(taskGroup(t));
    }
    return [...groups].sort();
  }

  // ---------------------------------------------------------------- scheduler

  /** Runs the service scheduler and the capacity providers until nothing changes; then samples. */
  reconcile(): void {
    if (this.#reconciling) return;
    this.#reconciling = true;
    try {
      for (let round = 0; round < MAX_RECONCILE_ROUNDS; round++) {
        let changed = false;
        for (const cluster of this.clusters.values()) {
          changed = this.#placePending(cluster) || changed;
          for (const svc of cluster.services.values()) changed = this.#scheduleService(cluster, svc) || changed;
          for (const provider of cluster.providerState.values()) changed = this.#scaleProvider(cluster, provider) || changed;
        }
        if (!changed) break;
      }
      for (const cluster of this.clusters.values()) {
        for (const svc of cluster.services.values()) {
          this.#updateDeployments(cluster, svc);
          this.#checkPlacementFailures(cluster, svc);
        }
      }
      this.#sample(false);
    } finally {
      this.#reconciling = false;
    }
  }

  #placePending(cluster: SimCluster): boolean {
    let changed = false;
    for (const t of cluster.live.values()) {
      if (t.desiredStatus === 'RUNNING' && t.lastStatus === TaskStatus.Provisioning && this.#place(cluster, t)) changed = true;
    }
    return changed;
  }

  /**
   * One pass of the ECS service scheduler for a replica service. Tasks of an older deployment
   * and tasks on DRAINING instances are to be replaced. Replacements start while RUNNING +
   * PENDING tasks stay within maximumPercent (rounded down) of desiredCount. RUNNING tasks to
   * replace stop while the service keeps minimumHealthyPercent (rounded up) of desiredCount
   * RUNNING:
   * - a task on a DRAINING instance stops without waiting for its replacement (ECS, container
   *   instance draining: below 100 % "the scheduler can ignore desiredCount temporarily", so
   *   min 50 stops up to half at once and min 100 only once the replacement runs);
   * - a task of an older deployment stops once a replacement runs, or, when maximumPercent
   *   leaves no room to start one, down to minimumHealthyPercent.
   * Replaced tasks that are not running yet stop at once (ECS: PENDING service tasks on a
   * DRAINING instance stop immediately).
   */
  #scheduleService(cluster: SimCluster, svc: SimService): boolean {
    const primary = svc.deployments[0];
    if (!primary) return false;
    let changed = false;
    const desired = svc.desiredCount;
    const cap = Math.max(Math.floor((desired * svc.maximumPercent) / 100), desired);
    const minHealthy = Math.ceil((desired * svc.minimumHealthyPercent) / 100);
    const replaced = (t: SimTask) => {
      if (t.deploymentId !== primary.id) return true;
      const inst = t.instanceId ? cluster.instances.get(t.instanceId) : undefined;
      return inst?.status === 'DRAINING';
    };

    const live = () => [...cluster.live.values()].filter((t) => t.service === svc.name && t.desiredStatus === 'RUNNING');

    for (const t of live()) {
      if (replaced(t) && t.lastStatus !== TaskStatus.Running) {
        this.#stopTask(t, `Task stopped by the ECS service scheduler (service ${svc.name}: replaced before it ran).`, 'ServiceSchedulerInitiated');
        changed = true;
      }
    }

    let tasks = live();
    let good = tasks.filter((t) => !replaced(t));
    if (good.length > desired) {
      const order: TaskStatus[] = [TaskStatus.Provisioning, TaskStatus.Pending, TaskStatus.Running];
      const extra = [...good].sort((a, b) => order.indexOf(a.lastStatus) - order.indexOf(b.lastStatus)).slice(0, good.length - desired);
      for (const t of extra) this.#stopTask(t, `Task stopped by the ECS service scheduler (service ${svc.name}: desired count lowered).`, 'ServiceSchedulerInitiated');
      changed = changed || extra.length > 0;
      tasks = live();
      good = tasks.filter((t) => !replaced(t));
    }

    // Start replacements and missing tasks within maximumPercent.
    const toStart = Math.max(0, Math.min(desired - good.length, cap - tasks.length));
    if (toStart > 0) {
      const counts = new Map<string, number>();
      for (const t of good) counts.set(t.provider, (counts.get(t.provider) ?? 0) + 1);
      for (let i = 0; i < toStart; i++) {
        const provider = chooseProvider(primary.strategy, counts);
        if (!provider) break;
        counts.set(provider, (counts.get(provider) ?? 0) + 1);
        const task = this.#createTask(cluster, svc, primary, provider);
        this.#place(cluster, task);
        changed = true;
      }
      tasks = live();
      good = tasks.filter((t) => !replaced(t));
    }

    // Stop replaced RUNNING tasks within minimumHealthyPercent: first as many as there are
    // replacements running beyond desiredCount, then every task on a DRAINING instance, then,
    // if maximumPercent blocks starting more, older deployments' tasks.
    const oldRunning = tasks.filter((t) => replaced(t) && t.lastStatus === TaskStatus.Running);
    if (oldRunning.length > 0) {
      const running = tasks.filter((t) => t.lastStatus === TaskStatus.Running).length;
      const mayStop = Math.max(0, running - minHealthy);
      const surplus = Math.max(0, running - desired);
      const onDraining = (t: SimTask) => (t.instanceId ? cluster.instances.get(t.instanceId)?.status === 'DRAINING' : false);
      // Old deployments' tasks go before tasks merely on draining instances; oldest first.
      const ordered = [...oldRunning].sort(
        (a, b) => Number(b.deploymentId !== primary.id) - Number(a.deploymentId !== primary.id) || a.createdAt - b.createdAt,
      );
      const stops = new Set(ordered.slice(0, Math.min(surplus, mayStop)));
      for (const t of ordered) {
        if (stops.size >= mayStop) break;
        if (onDraining(t)) stops.add(t);
      }
      const blocked = good.length < desired && tasks.length - stops.size >= cap;
      for (const t of blocked ? ordered : []) {
        if (stops.size >= mayStop) break;
        stops.add(t);
      }
      for (const t of stops) {
        this.#stopTask(
          t,
          t.deploymentId === primary.id
            ? `Service ${svc.name}: container instance is in DRAINING state.`
            : `Task stopped by the ECS service scheduler (service ${svc.name}: deployment ${primary.id} replaces it).`,
          'ServiceSchedulerInitiated',
        );
        changed = true;
      }
    }
    return changed;
  }

  #updateDeployments(cluster: SimCluster, svc: SimService): void {
    const primary = svc.deployments[0];
    if (!primary) return;
    const now = this.clock.now();
    const liveByDeployment = new Map<string, number>();
    let primaryRunning = 0;
    for (const t of cluster.live.values()) {
      if (t.service !== svc.name || t.desiredStatus !== 'RUNNING' || !t.deploymentId) continue;
      liveByDeployment.set(t.deploymentId, (liveByDeployment.get(t.deploymentId) ?? 0) + 1);
      if (t.deploymentId === primary.id && t.lastStatus === TaskStatus.Running) primaryRunning++;
    }
    const kept: SimDeployment[] = [primary];
    for (const d of svc.deployments.slice(1)) {
      if ((liveByDeployment.get(d.id) ?? 0) > 0) {
        if (d.status !== 'ACTIVE') {
          d.status = 'ACTIVE';
          d.updatedAt = now;
        }
        kept.push(d);
      } else {
        d.status = 'INACTIVE';
        d.updatedAt = now;
      }
    }
    svc.deployments = kept;
    if (primary.rolloutState === RolloutState.InProgress && kept.length === 1 && primaryRunning >= svc.desiredCount) {
      primary.rolloutState = RolloutState.Completed;
      primary.rolloutStateReason = 'ECS deployment completed.';
      primary.updatedAt = now;
      const record = this.#deployments.find((r) => r.id === primary.id);
      if (record) {
        record.completedAt = this.now();
        record.rolloutState = RolloutState.Completed;
      }
    }
  }

  /**
   * ASG providers under managed scaling: tasks waiting for capacity raise the group's desired
   * count (up to maxSize) by the instances needed to hold them; the group also replaces
   * instances that were terminated. Launches register after `launchDelaySeconds`.
   */
  #scaleProvider(cluster: SimCluster, p: SimProvider): boolean {
    if (p.type !== 'EC2_AUTOSCALING') return false;
    const alive = [...cluster.instances.values()].filter((i) => i.provider === p.name && i.status !== 'INACTIVE').length;
    const waiting = [...cluster.live.values()].filter(
      (t) => t.provider === p.name && t.desiredStatus === 'RUNNING' && t.lastStatus === TaskStatus.Provisioning,
    ).length;
    const slots = p.slotsPerInstance ?? slotsForInstanceType(p.instanceType, this.#defaultSlots);
    const need = waiting - p.launching * slots;
    if (need > 0) {
      const wanted = Math.min(p.maxSize, alive + p.launching + Math.ceil(need / slots));
      if (wanted > p.desired) p.desired = wanted;
    }
    if (!p.capacityAvailable) return false;
    const missing = p.desired - alive - p.launching;
    if (missing <= 0) return false;
    const replacement = need <= 0;
    for (let i = 0; i < missing; i++) this.#launch(cluster, p);
    this.#scaleOuts.push({
      time: this.now(),
      cluster: cluster.name,
      capacityProvider: p.name,
      launched: missing,
      reason: replacement ? 'replacement' : 'scale-out',
    });
    return true;
  }

  #launch(cluster: SimCluster, p: SimProvider): void {
    p.launching++;
    const az = p.availabilityZones[p.launchedTotal % p.availabilityZones.length] ?? `${this.region}a`;
    p.launchedTotal++;
    this.clock.schedule(p.launchDelaySeconds, () => {
      p.launching--;
      const id = this.#rng.hex(32);
      cluster.instances.set(id, {
        id,
        arn: this.arns.containerInstance(cluster.name, id),
        cluster: cluster.name,
        ec2InstanceId: `i-${this.#rng.hex(17)}`,
        provider: p.name,
        status: 'ACTIVE',
        slots: p.slotsPerInstance ?? slotsForInstanceType(p.instanceType, this.#defaultSlots),
        instanceType: p.instanceType,
        availabilityZone: az,
        registeredAt: this.clock.now(),
        agentConnected: true,
      });
    });
  }

  /**
   * ECS reports SERVICE_TASK_PLACEMENT_FAILURE when a service's task finds no capacity and
   * none is coming: the provider has no capacity to give (Spot pools empty, Fargate Spot
   * exhausted) or its ASG is at maxSize. Once per service and provider until a task of that
   * provider is placed again.
   */
  #checkPlacementFailures(cluster: SimCluster, svc: SimService): void {
    const waitingBy = new Set<string>();
    for (const t of cluster.live.values()) {
      if (t.service === svc.name && t.desiredStatus === 'RUNNING' && t.lastStatus === TaskStatus.Provisioning) waitingBy.add(t.provider);
    }
    for (const name of [...svc.placementFailing]) if (!waitingBy.has(name)) svc.placementFailing.delete(name);
    for (const name of waitingBy) {
      if (svc.placementFailing.has(name)) continue;
      const p = cluster.providerState.get(name);
      if (!p) continue;
      const stuck = !p.capacityAvailable || (p.type === 'EC2_AUTOSCALING' && p.launching === 0 && p.desired >= p.maxSize);
      if (!stuck) continue;
      svc.placementFailing.add(name);
      const reason = p.type === 'EC2_AUTOSCALING' ? 'RESOURCE:CPU' : 'RESOURCE:FARGATE';
      const event = placementFailure(this.#origin(), svc.arn, cluster.arn, [p.arn], reason);
      this.#placementFailures.push({
        time: this.now(),
        cluster: cluster.name,
        service: svc.name,
        capacityProvider: name,
        reason,
        eventId: event.id,
      });
      this.events.push(event);
    }
  }

  #sample(force: boolean): void {
    const t = this.clock.elapsedSeconds();
    for (const cluster of this.clusters.values()) {
      const byProvider: Record<string, number> = {};
      for (const name of cluster.providers) byProvider[name] = 0;
      for (const task of cluster.live.values()) {
        if (task.lastStatus === TaskStatus.Running) byProvider[task.provider] = (byProvider[task.provider] ?? 0) + 1;
      }
      const samples = this.#samples.get(cluster.name) ?? [];
      this.#samples.set(cluster.name, samples);
      const last = samples[samples.length - 1];
      const same = last && JSON.stringify(last.byProvider) === JSON.stringify(byProvider);
      if (last && last.t === t) last.byProvider = byProvider;
      else if (!same || force) samples.push({ t, time: this.now(), byProvider });
    }
  }

  // ---------------------------------------------------------------- ECS writes

  /**
   * UpdateService as ECS applies it. A strategy change needs `forceNewDeployment: true`;
   * services whose deployment controller is not ECS refuse strategy changes and forced
   * deployments; an empty strategy means the cluster's default. A new strategy or a forced
   * deployment starts a rolling deployment; desiredCount and the healthy percents change in
   * place.
   */
  updateService(clusterName: string | undefined, serviceName: string, update: ServiceUpdate): SimService {
    const cluster = this.cluster(clusterName);
    const svc = this.service(cluster, serviceName);
    if (!svc) throw new SimApiError('ServiceNotFoundException', 'Service not found.');
    let strategy: Strategy | undefined;
    if (update.capacityProviderStrategy) {
      strategy = update.capacityProviderStrategy.length > 0 ? update.capacityProviderStrategy : cluster.defaultStrategy;
      const rejection = strategyRejection(strategy, cluster.providers);
      if (rejection) throw invalidParameter(rejection);
      if (strategy.length === 0) throw invalidParameter('The cluster has no default capacity provider strategy.');
    }
    const strategyChanged = strategy !== undefined && !strategiesEqual(strategy, svc.strategy);
    if (svc.deploymentController !== 'ECS' && (strategyChanged || update.forceNewDeployment)) {
      throw invalidParameter(
        `Unable to update the capacity provider strategy or force a new deployment on a service with the ${svc.deploymentController} deployment controller.`,
      );
    }
    if (strategyChanged && !update.forceNewDeployment) {
      throw invalidParameter(
        'When switching from launch type to capacity provider strategy on an existing service, or making a change to a capacity provider strategy on a service that is already using one, you must force a new deployment.',
      );
    }
    if (update.desiredCount !== undefined && (!Number.isInteger(update.desiredCount) || update.desiredCount < 0)) {
      throw invalidParameter('desiredCount must be a non-negative integer.');
    }
    const minPct = update.minimumHealthyPercent ?? svc.minimumHealthyPercent;
    const maxPct = update.maximumPercent ?? svc.maximumPercent;
    if (update.minimumHealthyPercent !== undefined && (!Number.isInteger(minPct) || minPct < 0 || minPct > 100)) {
      throw invalidParameter('minimumHealthyPercent must be between 0 and 100.');
    }
    if (update.maximumPercent !== undefined && (!Number.isInteger(maxPct) || maxPct < 100)) {
      throw invalidParameter('maximumPercent must be at least 100.');
    }

    if (update.desiredCount !== undefined) svc.desiredCount = update.desiredCount;
    svc.minimumHealthyPercent = minPct;
    svc.maximumPercent = maxPct;
    if (strategyChanged || update.forceNewDeployment) {
      const next = strategy ?? svc.strategy;
      const deployment = this.#newDeployment(next, RolloutState.InProgress, 'ECS deployment in progress.');
      for (const d of svc.deployments) d.status = 'ACTIVE';
      svc.deployments.unshift(deployment);
      svc.strategy = next.map((i) => ({ ...i }));
      this.#deployments.push({
        cluster: cluster.name,
        service: svc.name,
        id: deployment.id,
        strategy: svc.strategy,
        startedAt: this.now(),
        completedAt: null,
        rolloutState: RolloutState.InProgress,
      });
      if (strategyChanged) {
        this.#strategyChanges.push({
          time: this.now(),
          cluster: cluster.name,
          service: svc.name,
          strategy: svc.strategy.map((i) => ({ ...i })),
          deploymentId: deployment.id,
        });
      }
    }
    this.reconcile();
    return svc;
  }

  /**
   * UpdateContainerInstancesState: at most 10 instances; only ACTIVE ⇄ DRAINING. Unknown
   * instances come back as failures with reason MISSING, deregistered ones with INACTIVE,
   * and instances in any other status (REGISTERING, DEREGISTERING…) with INVALID_STATE (the
   * simulator's wording: ECS documents only that an error is returned).
   */
  updateContainerInstancesState(
    clusterName: string | undefined,
    identifiers: string[],
    status: string,
  ): { containerInstances: SimInstance[]; failures: InstanceStateFailure[] } {
    const cluster = this.cluster(clusterName);
    if (status !== 'ACTIVE' && status !== 'DRAINING') {
      throw invalidParameter(`Container instance status ${status} is not valid for this action; use ACTIVE or DRAINING.`);
    }
    if (identifiers.length === 0 || identifiers.length > 10) {
      throw invalidParameter('containerInstances can have at most 10 items and at least 1.');
    }
    const containerInstances: SimInstance[] = [];
    const failures: InstanceStateFailure[] = [];
    for (const identifier of identifiers) {
      const inst = this.instance(cluster, identifier);
      const arn = inst?.arn ?? (identifier.startsWith('arn:') ? identifier : this.arns.containerInstance(cluster.name, identifier));
      if (!inst) {
        failures.push({ arn, reason: 'MISSING' });
        continue;
      }
      if (inst.status === 'INACTIVE') {
        failures.push({ arn, reason: 'INACTIVE', detail: 'The container instance is deregistered.' });
        continue;
      }
      if (inst.status !== 'ACTIVE' && inst.status !== 'DRAINING') {
        failures.push({ arn, reason: 'INVALID_STATE', detail: `Container instance status ${inst.status} cannot be changed to ${status}.` });
        continue;
      }
      if (inst.status !== status) {
        inst.status = status as InstanceStatus;
        if (status === 'DRAINING') {
          this.#drains.push({
            time: this.now(),
            cluster: cluster.name,
            ec2InstanceId: inst.ec2InstanceId,
            containerInstanceArn: inst.arn,
            capacityProvider: inst.provider,
            interrupted: this.#interruptions.has(inst.ec2InstanceId),
          });
          const pending = this.#interruptions.get(inst.ec2InstanceId);
          if (pending && !pending.drainedAt) pending.drainedAt = this.now();
        }
      }
      containerInstances.push(inst);
    }
    this.reconcile();
    return { containerInstances, failures };
  }

  /**
   * PutClusterCapacityProviders: replaces the cluster's provider list and default strategy
   * (the full list every time). A provider a service's strategy uses cannot be removed; an
   * unknown provider is rejected. Existing services are not touched.
   */
  putClusterCapacityProviders(clusterName: string | undefined, providers: string[], defaultStrategy: Strategy): SimCluster {
    const cluster = this.cluster(clusterName);
    for (const name of providers) {
      if (FARGATE_PROVIDER_NAMES.has(name) || cluster.providerState.has(name)) continue;
      const owner = [...this.clusters.values()].find((c) => c.providerState.has(name));
      if (owner) throw new SimApiError('ResourceInUseException', `The specified capacity provider ${name} is in use by another cluster.`);
      throw invalidParameter(`The specified capacity provider ${name} does not exist.`);
    }
    for (const name of cluster.providers) {
      if (providers.includes(name)) continue;
      const user = [...cluster.services.values()].find((s) => s.strategy.some((i) => i.capacityProvider === name));
      if (user) throw new SimApiError('ResourceInUseException', `The specified capacity provider ${name} is in use and cannot be removed.`);
    }
    const rejection = strategyRejection(defaultStrategy, providers);
    if (rejection) throw invalidParameter(rejection);
    for (const name of providers) {
      if (!cluster.providerState.has(name)) {
        cluster.providerState.set(name, {
          name,
          arn: this.arns.capacityProvider(name),
          type: name as 'FARGATE' | 'FARGATE_SPOT',
          desired: 0,
          maxSize: 0,
          launchDelaySeconds: 0,
          slotsPerInstance: undefined,
          instanceType: '',
          availabilityZones: [`${this.region}a`, `${this.region}b`, `${this.region}c`],
          capacityAvailable: true,
          launching: 0,
          launchedTotal: 0,
        });
      }
    }
    cluster.providers = [...providers];
    cluster.defaultStrategy = defaultStrategy.map((i) => ({ ...i }));
    return cluster;
  }

  /** The tags of a service or cluster ARN; ResourceNotFoundException for anything else. */
  tagsOf(resourceArn: string): Map<string, string> {
    const parsed = parseEcsArn(resourceArn);
    if (parsed?.type === 'service' && parsed.path.length === 2) {
      const svc = this.clusters.get(parsed.path[0] ?? '')?.services.get(parsed.path[1] ?? '');
      if (svc) return svc.tags;
    }
    if (parsed?.type === 'cluster') {
      const cluster = this.clusters.get(parsed.path[0] ?? '');
      if (cluster) return cluster.tags;
    }
    if (!parsed) throw invalidParameter(`Invalid resource ARN: ${resourceArn}`);
    throw new SimApiError('ResourceNotFoundException', 'The specified resource could not be found.');
  }

  /**
   * TagResource with ECS's tag rules: at most 50 tags per resource; key 1–128 and value 0–256
   * characters; letters, numbers, spaces and `_ . : / = + - @` only; no `aws:` prefix.
   */
  tagResource(resourceArn: string, tags: { key?: string; value?: string }[]): void {
    const current = this.tagsOf(resourceArn);
    for (const { key, value = '' } of tags) {
      if (typeof key !== 'string' || key.length < 1 || key.length > 128) throw invalidParameter('Tag keys must be between 1 and 128 characters.');
      if (value.length > 256) throw invalidParameter(`The value of tag ${key} must be at most 256 characters.`);
      if (!TAG_CHARS.test(key) || !TAG_CHARS.test(value)) {
        throw invalidParameter(`Tag ${key} contains characters that are not allowed (letters, numbers, spaces and _ . : / = + - @).`);
      }
      if (key.toLowerCase().startsWith('aws:')) throw invalidParameter('Tag keys may not begin with aws:.');
    }
    const keys = new Set([...current.keys(), ...tags.map((t) => t.key as string)]);
    if (keys.size > 50) throw invalidParameter('A resource can have at most 50 tags.');
    for (const { key, value = '' } of tags) current.set(key as string, value);
  }

  untagResource(resourceArn: string, keys: string[]): void {
    const current = this.tagsOf(resourceArn);
    for (const key of keys) current.delete(key);
  }

  // ---------------------------------------------------------------- scenario controls

  /**
   * Sends EC2 Spot interruption warnings for `count` ACTIVE instances of an ASG provider,
   * picked with the seeded PRNG, and terminates each instance `spotWarningSeconds` (120) later:
   * tasks still RUNNING on it then are lost, the container instance is deregistered and the
   * group launches a replacement. For FARGATE_SPOT it interrupts `count` running tasks: the
   * termination notice (ECS Task State Change, stopCode TerminationNotice) now, the task
   * stopped two minutes later with a Task State Change per transition (STOPPING,
   * DEPROVISIONING, STOPPED) and counted as lost, since Fargate Spot has no drain; the service
   * scheduler starts replacements at once, by its strategy. Returns the events sent now, which
   * also go to `events`.
   */
  interrupt(clusterName: string, capacityProvider: string, count: number): EventBridgeEvent[] {
    const cluster = this.cluster(clusterName);
    const provider = cluster.providerState.get(capacityProvider);
    if (!provider) throw new RangeError(`cluster ${clusterName} has no capacity provider ${capacityProvider}`);
    if (provider.type === 'FARGATE_SPOT') return this.#interruptFargate(cluster, provider, count);
    const candidates = [...cluster.instances.values()]
      .filter((i) => i.provider === capacityProvider && i.status === 'ACTIVE' && !this.#interruptions.has(i.ec2InstanceId))
      .sort((a, b) => a.registeredAt - b.registeredAt || a.ec2InstanceId.localeCompare(b.ec2InstanceId));
    const picked = this.#pickRng.shuffle(candidates).slice(0, count);
    const events = picked.map((inst) => this.#interruptInstance(inst));
    this.reconcile();
    return events;
  }

  /** Sends the Spot interruption warning for one EC2 instance (by id) and schedules its termination. */
  interruptInstance(ec2InstanceId: string): EventBridgeEvent {
    for (const cluster of this.clusters.values()) {
      for (const inst of cluster.instances.values()) {
        if (inst.ec2InstanceId === ec2InstanceId && inst.status !== 'INACTIVE') {
          const existing = this.#interruptions.get(ec2InstanceId);
          if (existing) throw new RangeError(`instance ${ec2InstanceId} is already interrupted`);
          const event = this.#interruptInstance(inst);
          this.reconcile();
          return event;
        }
      }
    }
    throw new RangeError(`no registered container instance runs on ${ec2InstanceId}`);
  }

  #interruptInstance(inst: SimInstance): EventBridgeEvent {
    const event = spotInterruptionWarning(this.#origin(), inst.ec2InstanceId, this.arns.ec2Instance(inst.ec2InstanceId));
    const terminatesAt = this.clock.now() + this.#spotWarning * 1000;
    const record: InterruptionRecord = {
      cluster: inst.cluster,
      capacityProvider: inst.provider,
      ec2InstanceId: inst.ec2InstanceId,
      containerInstanceArn: inst.arn,
      eventId: event.id,
      warnedAt: this.now(),
      terminatesAt: new Date(terminatesAt).toISOString(),
      terminatedAt: null,
      drainedAt: inst.status === 'DRAINING' ? this.now() : null,
      secondsBeforeTermination: null,
      tasksLost: 0,
    };
    this.#interruptions.set(inst.ec2InstanceId, record);
    this.#interruptionLog.push(record);
    this.clock.scheduleAt(terminatesAt, () => this.#terminate(inst, record));
    this.events.push(event);
    return event;
  }

  #terminate(inst: SimInstance, record: InterruptionRecord): void {
    const cluster = this.clusters.get(inst.cluster);
    if (!cluster) return;
    let lost = 0;
    for (const t of this.#tasksOn(cluster, inst)) {
      if (t.lastStatus === TaskStatus.Running) {
        lost++;
        const key = `${cluster.name}/${t.service ?? '(standalone)'}`;
        this.#lostByService.set(key, (this.#lostByService.get(key) ?? 0) + 1);
      }
      this.#stopTask(t, `Host EC2 (instance ${inst.ec2InstanceId}) terminated.`, 'TerminationNotice');
    }
    inst.status = 'INACTIVE';
    inst.agentConnected = false;
    record.terminatedAt = this.now();
    record.tasksLost = lost;
    if (record.drainedAt) record.secondsBeforeTermination = (this.clock.now() - Date.parse(record.drainedAt)) / 1000;
    this.#interruptions.delete(inst.ec2InstanceId);
    this.events.push(instanceStateChange(this.#origin(), inst.ec2InstanceId, this.arns.ec2Instance(inst.ec2InstanceId), 'shutting-down'));
  }

  #interruptFargate(cluster: SimCluster, provider: SimProvider, count: number): EventBridgeEvent[] {
    const running = [...cluster.live.values()]
      .filter((t) => t.provider === provider.name && t.lastStatus === TaskStatus.Running && t.desiredStatus === 'RUNNING')
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    const picked = this.#pickRng.shuffle(running).slice(0, count);
    const events: EventBridgeEvent[] = [];
    for (const t of picked) {
      // The task is told to stop now, so the service scheduler no longer counts it and starts
      // its replacement; Fargate takes the capacity back two minutes later. ECS's guide says
      // the scheduler "attempts to launch additional tasks on Fargate Spot if capacity is
      // available"; here the replacement is placed by the service's strategy like any task.
      t.desiredStatus = 'STOPPED';
      t.stopCode = FARGATE_SPOT_STOP_CODE;
      t.stoppedReason = FARGATE_SPOT_STOPPED_REASON;
      const event = taskStateChange(this.#origin(), this.#fargateSnapshot(cluster, t, FargateStopTransition.Notice));
      const record: SimReport['fargateSpotInterruptions'][number] = {
        time: this.now(),
        cluster: cluster.name,
        taskArn: t.arn,
        service: t.service ?? null,
        capacityProvider: provider.name,
        stoppedAt: null,
        lost: false,
        eventIds: [event.id],
      };
      this.#fargateInterruptions.push(record);
      this.clock.schedule(this.#spotWarning, () => this.#reclaimFargateTask(cluster, t, record));
      this.events.push(event);
      events.push(event);
    }
    this.reconcile();
    return events;
  }

  /** The end of a Fargate Spot notice: the task stops, lost if it still ran, with one event per transition. */
  #reclaimFargateTask(cluster: SimCluster, t: SimTask, record: SimReport['fargateSpotInterruptions'][number]): void {
    if (t.lastStatus === TaskStatus.Stopped) return;
    const lost = t.lastStatus === TaskStatus.Running;
    if (lost) {
      const key = `${cluster.name}/${t.service ?? '(standalone)'}`;
      this.#lostByService.set(key, (this.#lostByService.get(key) ?? 0) + 1);
    }
    t.cancelStart?.();
    t.lastStatus = TaskStatus.Stopped;
    t.stoppedAt = this.clock.now();
    cluster.live.delete(t.id);
    record.stoppedAt = this.now();
    record.lost = lost;
    for (const transition of [FargateStopTransition.Stopping, FargateStopTransition.Deprovisioning, FargateStopTransition.Stopped]) {
      const event = taskStateChange(this.#origin(), this.#fargateSnapshot(cluster, t, transition));
      record.eventIds.push(event.id);
      this.events.push(event);
    }
  }

  /** A Fargate task as its Task State Change shows it at `transition`; ids derive from the task id, so every event of a task agrees. */
  #fargateSnapshot(cluster: SimCluster, t: SimTask, transition: FargateStopTransition): FargateTaskSnapshot {
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
    const now = this.clock.iso();
    const family = t.service ?? 'standalone';
    const reached = (step: FargateStopTransition) => transition.version >= step.version;
    const hex = t.id.padEnd(32, '0');
    const reversed = [...hex].reverse().join('');
    const uuid = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    const byte = (i: number) => parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    const az = t.availabilityZone ?? `${this.region}a`;
    const stopped = transition.container === 'STOPPED';
    return {
      taskArn: t.arn,
      clusterArn: cluster.arn,
      taskDefinitionArn: this.arns.taskDefinition(family, 1),
      group: taskGroup(t),
      startedBy: t.deploymentId,
      capacityProviderName: t.provider,
      availabilityZone: az,
      cpu: TaskSize.Fargate.cpu,
      memory: TaskSize.Fargate.memory,
      desiredStatus: t.desiredStatus,
      lastStatus: transition.lastStatus,
      version: transition.version,
      createdAt: new Date(t.createdAt).toISOString(),
      pullStartedAt: new Date(t.createdAt).toISOString(),
      pullStoppedAt: new Date(t.startedAt ?? t.createdAt).toISOString(),
      startedAt: iso(t.startedAt),
      stoppingAt: reached(FargateStopTransition.Stopping) ? now : undefined,
      executionStoppedAt: reached(FargateStopTransition.Deprovisioning) ? now : undefined,
      stoppedAt: reached(FargateStopTransition.Stopped) ? now : undefined,
      updatedAt: now,
      stopCode: t.stopCode,
      stoppedReason: t.stoppedReason,
      container: {
        name: family,
        arn: `arn:aws:ecs:${this.region}:${this.accountId}:container/${cluster.name}/${t.id}/${uuid(reversed)}`,
        image: `${this.accountId}.dkr.ecr.${this.region}.amazonaws.com/${family}:latest`,
        imageDigest: `sha256:${hex}${reversed}`,
        runtimeId: `${t.id}-${parseInt(hex.slice(0, 8), 16)}`,
        lastStatus: transition.container,
        ...(stopped && { exitCode: 137 }),
      },
      eni: {
        attachmentId: uuid(hex),
        status: transition.eni,
        subnetId: `subnet-${Buffer.from(az).toString('hex').slice(-17)}`,
        networkInterfaceId: `eni-${hex.slice(0, 17)}`,
        macAddress: ['0a', ...[1, 2, 3, 4, 5].map((i) => hex.slice(2 * i, 2 * i + 2))].join(':'),
        privateIPv4Address: `10.0.${byte(0)}.${Math.max(4, byte(1))}`,
      },
    };
  }

  /**
   * Moves a CloudWatch alarm to `state` (creating it if unknown), records the StateUpdate in
   * its history and emits CloudWatch Alarm State Change. No event when the state is unchanged.
   */
  setAlarm(name: string, state: AlarmStateValue, reason = `Simulated transition to ${state}`): EventBridgeEvent | undefined {
    const change = this.alarms.set(name, state, this.clock.now(), reason);
    if (!change) return undefined;
    const event = alarmStateChange(this.#origin(), {
      alarmName: name,
      alarmArn: change.alarm.arn,
      state,
      reason,
      previousState: change.item.oldState,
      previousReason: change.item.oldReason,
      previousTimestamp: change.previousAt,
      timestamp: this.clock.now(),
    });
    this.#alarmChanges.push({ time: this.now(), alarmName: name, from: change.item.oldState, to: state });
    this.events.push(event);
    return event;
  }

  /** Takes capacity away from a provider (no Spot capacity, Fargate Spot exhausted) or gives it back. */
  setCapacityAvailable(clusterName: string, capacityProvider: string, available: boolean): void {
    const provider = this.cluster(clusterName).providerState.get(capacityProvider);
    if (!provider) throw new RangeError(`cluster ${clusterName} has no capacity provider ${capacityProvider}`);
    provider.capacityAvailable = available;
    this.reconcile();
  }

  /** Marks a service's PRIMARY deployment FAILED (as the deployment circuit breaker would). */
  failDeployment(clusterName: string, serviceName: string, reason = 'ECS deployment circuit breaker: tasks failed to start.'): void {
    const svc = this.service(this.cluster(clusterName), serviceName);
    const primary = svc?.deployments[0];
    if (!svc || !primary) throw new RangeError(`no service ${clusterName}/${serviceName}`);
    primary.rolloutState = RolloutState.Failed;
    primary.rolloutStateReason = reason;
    primary.updatedAt = this.clock.now();
    const record = this.#deployments.find((r) => r.id === primary.id);
    if (record) record.rolloutState = RolloutState.Failed;
  }

  // ---------------------------------------------------------------- API accounting

  /** Counts one API call; `throttled` when it was refused for lack of a token. */
  recordApiCall(action: string, throttled: boolean): void {
    this.#apiCalls.set(action, (this.#apiCalls.get(action) ?? 0) + 1);
    if (throttled) this.#throttledByAction.set(action, (this.#throttledByAction.get(action) ?? 0) + 1);
  }

  /** A deterministic id for an event received by PutEvents. */
  newPutEventId(): string {
    return this.#putRng.uuid();
  }

  /** Takes a throttle token for an ECS action; false when the call must be throttled. */
  takeToken(action: string): boolean {
    return this.throttle?.take(action) ?? true;
  }

  // ---------------------------------------------------------------- views

  /** A cluster as the ClusterState contract shows it (baseline / fallbackSince are left null: they live in tags). */
  clusterState(name: string): ClusterState {
    const cluster = this.cluster(name);
    return {
      cluster: cluster.name,
      capacityProviders: cluster.providers.map((p) => ({ name: p, type: cluster.providerState.get(p)?.type ?? 'EC2_AUTOSCALING' })),
      services: [...cluster.services.values()].map((s) => ({
        name: s.name,
        desiredCount: s.desiredCount,
        runningCount: this.serviceCounts(s).running,
        strategy: s.strategy.map((i) => ({ ...i })),
        minimumHealthyPercent: s.minimumHealthyPercent,
        maximumPercent: s.maximumPercent,
        deploymentController: s.deploymentController,
        baseline: null,
        fallbackSince: null,
      })),
      containerInstances: [...cluster.instances.values()]
        .filter((i) => i.status !== 'INACTIVE')
        .map((i) => ({
          arn: i.arn,
          ec2InstanceId: i.ec2InstanceId,
          capacityProvider: i.provider,
          status: i.status,
          runningTasks: this.instanceCounts(i).running,
          availabilityZone: i.availabilityZone,
          instanceType: i.instanceType,
        })),
      alarms: Object.fromEntries([...this.alarms.alarms.values()].map((a) => [a.name, a.state])),
    };
  }

  /** RUNNING tasks per capacity provider in a cluster, now. */
  runningByProvider(clusterName: string): Record<string, number> {
    const cluster = this.cluster(clusterName);
    const out: Record<string, number> = Object.fromEntries(cluster.providers.map((p) => [p, 0]));
    for (const t of cluster.live.values()) if (t.lastStatus === TaskStatus.Running) out[t.provider] = (out[t.provider] ?? 0) + 1;
    return out;
  }

  /** Everything observed so far (copies; safe to serialise). */
  report(): SimReport {
    const strategies: Record<string, Strategy> = {};
    for (const cluster of this.clusters.values()) {
      for (const svc of cluster.services.values()) strategies[`${cluster.name}/${svc.name}`] = svc.strategy.map((i) => ({ ...i }));
    }
    const lost = Object.fromEntries(this.#lostByService);
    return structuredClone({
      start: new Date(this.clock.start).toISOString(),
      end: this.now(),
      elapsedSeconds: this.clock.elapsedSeconds(),
      tasksLost: { total: Object.values(lost).reduce((a, b) => a + b, 0), byService: lost },
      interruptions: this.#interruptionLog,
      fargateSpotInterruptions: this.#fargateInterruptions,
      drains: this.#drains,
      strategyChanges: this.#strategyChanges,
      strategies,
      deployments: this.#deployments,
      placementFailures: this.#placementFailures,
      scaleOuts: this.#scaleOuts,
      alarmChanges: this.#alarmChanges,
      apiCalls: Object.fromEntries(this.#apiCalls),
      throttled: [...this.#throttledByAction.values()].reduce((a, b) => a + b, 0),
      throttledByAction: Object.fromEntries(this.#throttledByAction),
      running: Object.fromEntries(this.#samples),
      emittedEvents: this.events.items.length,
      decisionEvents: this.decisionEvents.items.length,
    });
  }
}

/** Builds a simulation from ClusterState files' contents and options (see `SimulationOptions`). */
export function createSimulation(options: SimulationOptions): Simulation {
  return new Simulation(options);
}
