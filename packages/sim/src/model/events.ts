/** An event as EventBridge delivers it to a rule target (the SQS message body). */
export interface EventBridgeEvent<D = Record<string, unknown>> {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: D;
}

export type EventListener<E> = (event: E) => void;

/**
 * An in-memory list of emitted events with subscribers. Listeners run synchronously in
 * emission order; a listener that throws does not stop the simulation (the error is kept in
 * `listenerErrors`).
 */
export class EventSink<E> {
  readonly items: E[] = [];
  readonly listenerErrors: unknown[] = [];
  #listeners = new Set<EventListener<E>>();

  push(event: E): void {
    this.items.push(event);
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.listenerErrors.push(error);
      }
    }
  }

  /** Calls `listener` for every later event; returns the unsubscribe function. */
  subscribe(listener: EventListener<E>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Removes and returns everything collected so far. */
  drain(): E[] {
    return this.items.splice(0, this.items.length);
  }
}

/** Where an event is said to come from. */
export interface EventOrigin {
  id: string;
  time: string;
  account: string;
  region: string;
}

// Shapes follow the samples in fixtures/events (documented by EC2, ECS and CloudWatch).

/** EC2 Spot Instance Interruption Warning: sent two minutes before EC2 reclaims the instance. */
export function spotInterruptionWarning(o: EventOrigin, ec2InstanceId: string, instanceArn: string): EventBridgeEvent {
  return {
    version: '0',
    id: o.id,
    'detail-type': 'EC2 Spot Instance Interruption Warning',
    source: 'aws.ec2',
    account: o.account,
    time: o.time,
    region: o.region,
    resources: [instanceArn],
    detail: { 'instance-id': ec2InstanceId, 'instance-action': 'terminate' },
  };
}

/** EC2 Instance State-change Notification. */
export function instanceStateChange(o: EventOrigin, ec2InstanceId: string, instanceArn: string, state: string): EventBridgeEvent {
  return {
    version: '0',
    id: o.id,
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: o.account,
    time: o.time,
    region: o.region,
    resources: [instanceArn],
    detail: { 'instance-id': ec2InstanceId, state },
  };
}

/** What one failed Auto Scaling launch activity says. */
export interface LaunchUnsuccessfulInput {
  autoScalingGroupName: string;
  autoScalingGroupArn: string;
  activityId: string;
  requestId: string;
  availabilityZone: string;
  subnetId: string;
  statusMessage: string;
  cause: string;
  startTime: string;
  endTime: string;
}

/**
 * EC2 Auto Scaling `EC2 Instance Launch Unsuccessful` (Amazon EC2 Auto Scaling User Guide,
 * "Amazon EC2 Auto Scaling event reference"): source aws.autoscaling, the group's ARN in
 * `resources`, and the detail fields of the documented example. No instance was created, so
 * `EC2InstanceId` is empty.
 */
export function launchUnsuccessful(o: EventOrigin, a: LaunchUnsuccessfulInput): EventBridgeEvent {
  return {
    version: '0',
    id: o.id,
    'detail-type': 'EC2 Instance Launch Unsuccessful',
    source: 'aws.autoscaling',
    account: o.account,
    time: o.time,
    region: o.region,
    resources: [a.autoScalingGroupArn],
    detail: {
      StatusCode: 'Failed',
      AutoScalingGroupName: a.autoScalingGroupName,
      ActivityId: a.activityId,
      Details: { 'Availability Zone': a.availabilityZone, 'Subnet ID': a.subnetId },
      RequestId: a.requestId,
      StatusMessage: a.statusMessage,
      EndTime: a.endTime,
      EC2InstanceId: '',
      StartTime: a.startTime,
      Cause: a.cause,
    },
  };
}

/** ECS Service Action SERVICE_TASK_PLACEMENT_FAILURE. */
export function placementFailure(
  o: EventOrigin,
  serviceArn: string,
  clusterArn: string,
  capacityProviderArns: string[],
  reason: string,
): EventBridgeEvent {
  return {
    version: '0',
    id: o.id,
    'detail-type': 'ECS Service Action',
    source: 'aws.ecs',
    account: o.account,
    time: o.time,
    region: o.region,
    resources: [serviceArn],
    detail: {
      eventType: 'ERROR',
      eventName: 'SERVICE_TASK_PLACEMENT_FAILURE',
      clusterArn,
      capacityProviderArns,
      reason,
      createdAt: o.time,
    },
  };
}

/** What a Fargate task looks like at one of its status transitions (the inputs of `taskStateChange`). */
export interface FargateTaskSnapshot {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  group: string;
  /** The deployment id (`ecs-svc/…`) for a service task. */
  startedBy?: string;
  capacityProviderName: string;
  availabilityZone: string;
  cpu: string;
  memory: string;
  desiredStatus: 'RUNNING' | 'STOPPED';
  lastStatus: string;
  /** Increases by one at every transition, as ECS's `version` does. */
  version: number;
  createdAt: string;
  pullStartedAt: string;
  pullStoppedAt: string;
  startedAt?: string;
  stoppingAt?: string;
  executionStoppedAt?: string;
  stoppedAt?: string;
  updatedAt: string;
  stopCode?: string;
  stoppedReason?: string;
  container: { name: string; arn: string; image: string; imageDigest: string; runtimeId: string; lastStatus: string; exitCode?: number };
  eni: { attachmentId: string; status: string; subnetId: string; networkInterfaceId: string; macAddress: string; privateIPv4Address: string };
}

/**
 * ECS Task State Change for a Fargate task, in the shape of the ECS Developer Guide's example
 * (fixtures/events/ecs-task-state-change.json): the awsvpc ENI attachment, one container, the
 * task's timestamps as ISO strings, `version`, `platformVersion`; plus `capacityProviderName`
 * and, once the task is told to stop, `stopCode` / `stoppedReason`.
 */
export function taskStateChange(o: EventOrigin, t: FargateTaskSnapshot): EventBridgeEvent {
  const { container, eni } = t;
  return {
    version: '0',
    id: o.id,
    'detail-type': 'ECS Task State Change',
    source: 'aws.ecs',
    account: o.account,
    time: o.time,
    region: o.region,
    resources: [t.taskArn],
    detail: dropUndefined({
      attachments: [
        {
          id: eni.attachmentId,
          type: 'eni',
          status: eni.status,
          details: [
            { name: 'subnetId', value: eni.subnetId },
            { name: 'networkInterfaceId', value: eni.networkInterfaceId },
            { name: 'macAddress', value: eni.macAddress },
            { name: 'privateIPv4Address', value: eni.privateIPv4Address },
          ],
        },
      ],
      availabilityZone: t.availabilityZone,
      capacityProviderName: t.capacityProviderName,
      clusterArn: t.clusterArn,
      containers: [
        dropUndefined({
          containerArn: container.arn,
          lastStatus: container.lastStatus,
          name: container.name,
          image: container.image,
          imageDigest: container.imageDigest,
          runtimeId: container.runtimeId,
          taskArn: t.taskArn,
          networkInterfaces: [{ attachmentId: eni.attachmentId, privateIpv4Address: eni.privateIPv4Address }],
          cpu: '0',
          exitCode: container.exitCode,
        }),
      ],
      createdAt: t.createdAt,
      launchType: 'FARGATE',
      cpu: t.cpu,
      memory: t.memory,
      desiredStatus: t.desiredStatus,
      group: t.group,
      lastStatus: t.lastStatus,
      overrides: { containerOverrides: [{ name: container.name }] },
      connectivity: 'CONNECTED',
      connectivityAt: t.createdAt,
      pullStartedAt: t.pullStartedAt,
      pullStoppedAt: t.pullStoppedAt,
      startedAt: t.startedAt,
      startedBy: t.startedBy,
      stoppingAt: t.stoppingAt,
      executionStoppedAt: t.executionStoppedAt,
      stoppedAt: t.stoppedAt,
      stopCode: t.stopCode,
      stoppedReason: t.stoppedReason,
      updatedAt: t.updatedAt,
      taskArn: t.taskArn,
      taskDefinitionArn: t.taskDefinitionArn,
      version: t.version,
      platformVersion: '1.4.0',
      platformFamily: 'Linux',
    }),
  };
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** The `+0000` timestamp form CloudWatch uses inside alarm events. */
export function cloudWatchTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export interface AlarmStateEventInput {
  alarmName: string;
  alarmArn: string;
  state: string;
  reason: string;
  previousState: string;
  previousReason: string;
  previousTimestamp: number;
  timestamp: number;
}

/** CloudWatch Alarm State Change (single-metric alarm shape). */
export function alarmStateChange(o: EventOrigin, a: AlarmStateEventInput): EventBridgeEvent {
  return {
    version: '0',
    id: o.id,
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: o.account,
    time: o.time,
    region: o.region,
    resources: [a.alarmArn],
    detail: {
      alarmName: a.alarmName,
      configuration: {
        description: 'simulated alarm',
        metrics: [
          {
            id: 'm1',
            metricStat: {
              metric: { dimensions: {}, name: a.alarmName, namespace: 'Simulated' },
              period: 60,
              stat: 'Sum',
            },
            returnData: true,
          },
        ],
      },
      previousState: {
        reason: a.previousReason,
        timestamp: cloudWatchTimestamp(a.previousTimestamp),
        value: a.previousState,
      },
      state: { reason: a.reason, timestamp: cloudWatchTimestamp(a.timestamp), value: a.state },
    },
  };
}
