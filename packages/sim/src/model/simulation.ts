import type { AlarmStateValue, ClusterState, Strategy } from '@ecs-rebalancer/core';
import type { AlarmStore } from './alarms.js';
import type { ArnFormat } from './arn.js';
import type { VirtualClock } from './clock.js';
import { alarmStateChange, type EventBridgeEvent, type EventSink } from './events.js';
import { updateContainerInstancesState } from './draining.js';
import { failDeployment } from './deployments.js';
import { scheduleHealthChange } from './health.js';
import { interrupt, interruptInstance } from './interruptions.js';
import { loadCluster } from './loading.js';
import { findCluster, findInstance, findService, findTask } from './lookups.js';
import type { InstanceStateFailure, PutEventRecord, ServiceUpdate, SimulationOptions } from './options.js';
import { clusterStateOf, recordApiCall, reportOf, runningByProvider, sampleRunning } from './reports.js';
import { reconcile, startManagedScaling } from './scheduler.js';
import { runTasks } from './standalone.js';
import { tagResource, tagsOf, untagResource } from './tags.js';
import type { ThrottleBuckets } from './throttle.js';
import { instanceCounts, instanceTaskGroups, serviceCounts, serviceRunning } from './tasks.js';
import type { SimCluster, SimInstance, SimReport, SimService, SimTask } from './types.js';
import { SimWorld } from './world.js';
import { putClusterCapacityProviders, updateService } from './writes.js';

export type { InstanceStateFailure, ProviderOptions, PutEventRecord, ServiceUpdate, SimulationOptions } from './options.js';

/**
 * An independent model of the ECS control plane for one account and Region, on a virtual
 * clock: clusters, capacity providers (ASG-backed with a desired count and a launch delay, or
 * Fargate), container instances with task slots, services with rolling deployments, draining,
 * Spot interruptions, CloudWatch alarms and ECS's throttle buckets. Every mutation runs the
 * service scheduler at once; timers (task starts, launches, terminations) run it again when
 * `advance` reaches them.
 *
 * This class is the facade; the model lives in one module per concern: `world` (state),
 * `loading`, `tasks` (task lifecycle and placement on instances), `scheduler` (the service
 * scheduler), `deployments`, `capacity` (ASG scaling and placement failures), `draining`,
 * `interruptions` and `fargate-spot`, `writes` and `tags` (ECS write APIs), `reports`.
 */
export class Simulation {
  readonly #w: SimWorld;
  readonly clock: VirtualClock;
  readonly arns: ArnFormat;
  readonly region: string;
  readonly accountId: string;
  /** Events AWS would put on the default bus (Spot warnings, state changes, placement failures, alarms). */
  readonly events: EventSink<EventBridgeEvent>;
  /** What the rebalancer published with PutEvents (its decision events). */
  readonly decisionEvents: EventSink<PutEventRecord>;
  readonly alarms: AlarmStore;
  readonly clusters: ReadonlyMap<string, SimCluster>;
  readonly throttle: ThrottleBuckets | undefined;

  constructor(options: SimulationOptions) {
    const w = new SimWorld(options);
    this.#w = w;
    ({ clock: this.clock, arns: this.arns, region: this.region, accountId: this.accountId } = w);
    ({ events: this.events, decisionEvents: this.decisionEvents, alarms: this.alarms, clusters: this.clusters, throttle: this.throttle } = w);
    for (const state of options.clusters) loadCluster(w, state);
    for (const s of options.standaloneTasks ?? []) runTasks(w, s.cluster, s.capacityProvider, s.count, true);
    startManagedScaling(w);
    reconcile(w);
  }

  /** Current virtual time, ISO 8601. */
  now(): string {
    return this.#w.now();
  }

  /** Moves virtual time forward, running every task start, launch and termination due on the way. */
  advance(seconds: number): void {
    this.#w.clock.advance(seconds, () => reconcile(this.#w));
    reconcile(this.#w);
    sampleRunning(this.#w, true);
  }

  /** Runs the service scheduler and the capacity providers until nothing changes; then samples. */
  reconcile(): void {
    reconcile(this.#w);
  }

  // ---------------------------------------------------------------- lookups and counts

  cluster(name: string | undefined): SimCluster {
    return findCluster(this.#w, name);
  }
  service(cluster: SimCluster, identifier: string): SimService | undefined {
    return findService(cluster, identifier);
  }
  instance(cluster: SimCluster, identifier: string): SimInstance | undefined {
    return findInstance(cluster, identifier);
  }
  task(cluster: SimCluster, identifier: string): SimTask | undefined {
    return findTask(cluster, identifier);
  }
  /** Running / pending counts of a service (all its deployments). */
  serviceCounts(svc: SimService, deploymentId?: string): { running: number; pending: number } {
    return serviceCounts(this.#w, svc, deploymentId);
  }
  /** RUNNING tasks of a service meant to run (its runningCount), without a scan of its tasks. */
  serviceRunning(svc: SimService): number {
    return serviceRunning(svc);
  }
  /** Running / pending tasks on a container instance. */
  instanceCounts(inst: SimInstance): { running: number; pending: number } {
    return instanceCounts(this.#w, inst);
  }
  /** The task groups (`service:NAME`, `family:…`) of the tasks on a container instance that are not stopped, each once. */
  instanceTaskGroups(inst: SimInstance): string[] {
    return instanceTaskGroups(this.#w, inst);
  }

  // ---------------------------------------------------------------- ECS writes

  /** UpdateService as ECS applies it (see `writes.ts`). */
  updateService(clusterName: string | undefined, serviceName: string, update: ServiceUpdate): SimService {
    return updateService(this.#w, clusterName, serviceName, update);
  }
  /** UpdateContainerInstancesState (see `draining.ts`). */
  updateContainerInstancesState(
    clusterName: string | undefined,
    identifiers: string[],
    status: string,
  ): { containerInstances: SimInstance[]; failures: InstanceStateFailure[] } {
    return updateContainerInstancesState(this.#w, clusterName, identifiers, status);
  }
  /** PutClusterCapacityProviders (see `writes.ts`). */
  putClusterCapacityProviders(clusterName: string | undefined, providers: string[], defaultStrategy: Strategy): SimCluster {
    return putClusterCapacityProviders(this.#w, clusterName, providers, defaultStrategy);
  }
  /** The tags of a service or cluster ARN; ResourceNotFoundException for anything else. */
  tagsOf(resourceArn: string): Map<string, string> {
    return tagsOf(this.#w, resourceArn);
  }
  tagResource(resourceArn: string, tags: { key?: string; value?: string }[]): void {
    tagResource(this.#w, resourceArn, tags);
  }
  untagResource(resourceArn: string, keys: string[]): void {
    untagResource(this.#w, resourceArn, keys);
  }

  // ---------------------------------------------------------------- scenario controls

  /** Spot interruption warnings for `count` instances (or Fargate Spot tasks) of a provider (see `interruptions.ts`). */
  interrupt(clusterName: string, capacityProvider: string, count: number): EventBridgeEvent[] {
    return interrupt(this.#w, clusterName, capacityProvider, count);
  }
  /** Sends the Spot interruption warning for one EC2 instance (by id) and schedules its termination. */
  interruptInstance(ec2InstanceId: string): EventBridgeEvent {
    return interruptInstance(this.#w, ec2InstanceId);
  }
  /**
   * Puts an event on the default bus as AWS would send it; an AWS Health scheduled change that
   * stops EC2 instances also stops them at its startTime (see `health.ts`). Returns the EC2
   * instances scheduled to stop.
   */
  putAwsEvent(event: EventBridgeEvent): string[] {
    const stopping = scheduleHealthChange(this.#w, event);
    this.#w.events.push(event);
    return stopping;
  }
  /** RunTask: `count` standalone tasks on a provider (see `standalone.ts`). */
  runTask(clusterName: string, capacityProvider: string, count: number): SimTask[] {
    const tasks = runTasks(this.#w, clusterName, capacityProvider, count, false);
    reconcile(this.#w);
    return tasks;
  }

  /**
   * Moves a CloudWatch alarm to `state` (creating it if unknown), records the StateUpdate in
   * its history and emits CloudWatch Alarm State Change. No event when the state is unchanged.
   */
  setAlarm(name: string, state: AlarmStateValue, reason = `Simulated transition to ${state}`): EventBridgeEvent | undefined {
    const w = this.#w;
    const change = w.alarms.set(name, state, w.clock.now(), reason);
    if (!change) return undefined;
    const event = alarmStateChange(w.origin(), {
      alarmName: name,
      alarmArn: change.alarm.arn,
      state,
      reason,
      previousState: change.item.oldState,
      previousReason: change.item.oldReason,
      previousTimestamp: change.previousAt,
      timestamp: w.clock.now(),
    });
    w.alarmChanges.push({ time: w.now(), alarmName: name, from: change.item.oldState, to: state });
    w.events.push(event);
    return event;
  }

  /** Takes capacity away from a provider (no Spot capacity, Fargate Spot exhausted) or gives it back. */
  setCapacityAvailable(clusterName: string, capacityProvider: string, available: boolean): void {
    const provider = this.cluster(clusterName).providerState.get(capacityProvider);
    if (!provider) throw new RangeError(`cluster ${clusterName} has no capacity provider ${capacityProvider}`);
    provider.capacityAvailable = available;
    reconcile(this.#w);
  }

  /** Marks a service's PRIMARY deployment FAILED (as the deployment circuit breaker would). */
  failDeployment(clusterName: string, serviceName: string, reason = 'ECS deployment circuit breaker: tasks failed to start.'): void {
    const svc = this.service(this.cluster(clusterName), serviceName);
    if (!svc || !svc.deployments[0]) throw new RangeError(`no service ${clusterName}/${serviceName}`);
    failDeployment(this.#w, svc, reason);
  }

  // ---------------------------------------------------------------- API accounting

  /** Counts one API call; `throttled` when it was refused for lack of a token. */
  recordApiCall(action: string, throttled: boolean): void {
    recordApiCall(this.#w, action, throttled);
  }
  /** A deterministic id for an event received by PutEvents. */
  newPutEventId(): string {
    return this.#w.putRng.uuid();
  }
  /** Takes a throttle token for an ECS action; false when the call must be throttled. */
  takeToken(action: string): boolean {
    return this.#w.throttle?.take(action) ?? true;
  }

  // ---------------------------------------------------------------- views

  /** A cluster as the ClusterState contract shows it (baseline / fallbackSince are left null: they live in tags). */
  clusterState(name: string): ClusterState {
    return clusterStateOf(this.#w, name);
  }
  /** RUNNING tasks per capacity provider in a cluster, now. */
  runningByProvider(clusterName: string): Record<string, number> {
    return runningByProvider(this.#w, clusterName);
  }
  /** Everything observed so far (copies; safe to serialise). */
  report(): SimReport {
    return reportOf(this.#w);
  }
}

/** Builds a simulation from ClusterState files' contents and options (see `SimulationOptions`). */
export function createSimulation(options: SimulationOptions): Simulation {
  return new Simulation(options);
}
