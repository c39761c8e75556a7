import { taskStateChange, type EventBridgeEvent, type FargateTaskSnapshot } from './events.js';
import { markStopping, stopTask } from './tasks.js';
import { TaskSize, TaskStatus, taskGroup, type SimCluster, type SimProvider, type SimReport, type SimTask } from './types.js';
import type { SimWorld } from './world.js';

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
 * Interrupts `count` running Fargate Spot tasks of a provider: the termination notice (ECS
 * Task State Change, stopCode TerminationNotice) now, the task stopped two minutes later with
 * a Task State Change per transition (STOPPING, DEPROVISIONING, STOPPED) and counted as lost,
 * since Fargate Spot has no drain; the service scheduler starts replacements at once (the
 * caller reconciles), by its strategy. Returns the notices.
 */
export function interruptFargate(w: SimWorld, cluster: SimCluster, provider: SimProvider, count: number): EventBridgeEvent[] {
  const running = [...cluster.live.values()]
    .filter((t) => t.provider === provider.name && t.lastStatus === TaskStatus.Running && t.desiredStatus === 'RUNNING')
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  const picked = w.pickRng.shuffle(running).slice(0, count);
  const events: EventBridgeEvent[] = [];
  for (const t of picked) {
    // The task is told to stop now, so the service scheduler no longer counts it and starts
    // its replacement; Fargate takes the capacity back two minutes later. ECS's guide says
    // the scheduler "attempts to launch additional tasks on Fargate Spot if capacity is
    // available"; here the replacement is placed by the service's strategy like any task.
    markStopping(cluster, t);
    t.stopCode = FARGATE_SPOT_STOP_CODE;
    t.stoppedReason = FARGATE_SPOT_STOPPED_REASON;
    const event = taskStateChange(w.origin(), fargateSnapshot(w, cluster, t, FargateStopTransition.Notice));
    const record: SimReport['fargateSpotInterruptions'][number] = {
      time: w.now(),
      cluster: cluster.name,
      taskArn: t.arn,
      service: t.service ?? null,
      capacityProvider: provider.name,
      stoppedAt: null,
      lost: false,
      eventIds: [event.id],
    };
    w.fargateInterruptions.push(record);
    w.clock.schedule(w.spotWarning, () => reclaimFargateTask(w, cluster, t, record));
    w.events.push(event);
    events.push(event);
  }
  return events;
}

/** The end of a Fargate Spot notice: the task stops, lost if it still ran, with one event per transition. */
function reclaimFargateTask(w: SimWorld, cluster: SimCluster, t: SimTask, record: SimReport['fargateSpotInterruptions'][number]): void {
  if (t.lastStatus === TaskStatus.Stopped) return;
  const lost = t.lastStatus === TaskStatus.Running;
  if (lost) w.countLost(cluster.name, t.service);
  stopTask(w, t, t.stoppedReason ?? FARGATE_SPOT_STOPPED_REASON, t.stopCode);
  record.stoppedAt = w.now();
  record.lost = lost;
  for (const transition of [FargateStopTransition.Stopping, FargateStopTransition.Deprovisioning, FargateStopTransition.Stopped]) {
    const event = taskStateChange(w.origin(), fargateSnapshot(w, cluster, t, transition));
    record.eventIds.push(event.id);
    w.events.push(event);
  }
}

/** A Fargate task as its Task State Change shows it at `transition`; ids derive from the task id, so every event of a task agrees. */
function fargateSnapshot(w: SimWorld, cluster: SimCluster, t: SimTask, transition: FargateStopTransition): FargateTaskSnapshot {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const now = w.clock.iso();
  const family = t.service ?? 'standalone';
  const reached = (step: FargateStopTransition) => transition.version >= step.version;
  const hex = t.id.padEnd(32, '0');
  const reversed = [...hex].reverse().join('');
  const uuid = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  const byte = (i: number) => parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  const az = t.availabilityZone ?? `${w.region}a`;
  const stopped = transition.container === 'STOPPED';
  return {
    taskArn: t.arn,
    clusterArn: cluster.arn,
    taskDefinitionArn: w.arns.taskDefinition(family, 1),
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
      arn: `arn:aws:ecs:${w.region}:${w.accountId}:container/${cluster.name}/${t.id}/${uuid(reversed)}`,
      image: `${w.accountId}.dkr.ecr.${w.region}.amazonaws.com/${family}:latest`,
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
