// Builders for the events the rebalancer reads, made from the real samples in fixtures/events
// (or, for the variants those files do not show, from the AWS documentation's examples).
// Each returns a fresh object: change it freely. Pass `id` when a test needs several events
// of one kind, since the default id is the sample's.
import { loadEvent } from '@ecs-rebalancer/fixtures';
import type { RawEvent } from '@ecs-rebalancer/fixtures';

export type { RawEvent } from '@ecs-rebalancer/fixtures';

interface Envelope {
  id?: string;
  time?: string;
  region?: string;
  account?: string;
}

function withEnvelope(event: RawEvent, { id, time, region, account }: Envelope): RawEvent {
  if (id !== undefined) event['id'] = id;
  if (time !== undefined) event['time'] = time;
  if (region !== undefined) event['region'] = region;
  if (account !== undefined) event['account'] = account;
  return event;
}

function instanceArn(event: RawEvent, instanceId: string): string {
  return `arn:aws:ec2:${event['region']}:${event['account']}:instance/${instanceId}`;
}

/** EC2 Spot Instance Interruption Warning (sample: i-0b662ef9931388ba0, terminate). */
export function aSpotWarning(
  opts: Envelope & { instanceId?: string; action?: 'terminate' | 'stop' | 'hibernate' } = {},
): RawEvent {
  const event = loadEvent('ec2-spot-instance-interruption-warning');
  const instanceId = opts.instanceId ?? event['detail']['instance-id'];
  event['detail'] = { 'instance-id': instanceId, 'instance-action': opts.action ?? 'terminate' };
  event['resources'] = [instanceArn(event, instanceId)];
  return withEnvelope(event, opts);
}

/** EC2 Capacity Reservation Instance Interruption Warning: the Spot warning's detail, another detail-type. */
export function aCapacityReservationWarning(opts: Envelope & { instanceId?: string } = {}): RawEvent {
  const event = aSpotWarning({ ...opts, action: 'terminate' });
  event['detail-type'] = 'EC2 Capacity Reservation Instance Interruption Warning';
  event['detail']['instance-termination-time'] = event['time'];
  event['detail']['azId'] = 'use1-az2';
  return event;
}

/** EC2 Instance Rebalance Recommendation (sample: i-0b662ef9931388ba0). */
export function aRebalanceRecommendation(opts: Envelope & { instanceId?: string } = {}): RawEvent {
  const event = loadEvent('ec2-instance-rebalance-recommendation');
  const instanceId = opts.instanceId ?? event['detail']['instance-id'];
  event['detail']['instance-id'] = instanceId;
  event['resources'] = [instanceArn(event, instanceId)];
  return withEnvelope(event, opts);
}

/** EC2 Instance State-change Notification (sample: i-abcd1111, stopping). */
export function anInstanceStateChange(opts: Envelope & { instanceId?: string; state?: string } = {}): RawEvent {
  const event = loadEvent('ec2-instance-state-change-stopping');
  const instanceId = opts.instanceId ?? event['detail']['instance-id'];
  event['detail'] = { 'instance-id': instanceId, state: opts.state ?? 'stopping' };
  event['resources'] = [instanceArn(event, instanceId)];
  return withEnvelope(event, opts);
}

/**
 * AWS Health Event, EC2 scheduledChange by default, listing `instanceIds` (sample: i-12345678).
 * The sample has no `statusCode`; pass one to add it.
 */
export function aHealthScheduledChange(
  opts: Envelope & { instanceIds?: string[]; service?: string; category?: string; eventTypeCode?: string; statusCode?: string } = {},
): RawEvent {
  const event = loadEvent('aws-health-ec2-scheduled-change');
  const instanceIds = opts.instanceIds ?? ['i-12345678'];
  event['resources'] = [...instanceIds];
  event['detail']['affectedEntities'] = instanceIds.map((entityValue) => ({ entityValue }));
  if (opts.service !== undefined) event['detail']['service'] = opts.service;
  if (opts.category !== undefined) event['detail']['eventTypeCategory'] = opts.category;
  if (opts.eventTypeCode !== undefined) event['detail']['eventTypeCode'] = opts.eventTypeCode;
  if (opts.statusCode !== undefined) event['detail']['statusCode'] = opts.statusCode;
  return withEnvelope(event, opts);
}

type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

interface AlarmOptions extends Envelope {
  alarmName?: string;
  state?: AlarmState;
  previousState?: AlarmState;
  /** CloudWatch form, `2019-10-02T17:04:40.989+0000`. */
  timestamp?: string;
}

/** A metric-math alarm's configuration, as the CloudWatch User Guide shows it. */
export const METRIC_MATH_CONFIGURATION = {
  description: 'Goes into alarm when total network traffic is too high',
  metrics: [
    { expression: 'm1+m2', id: 'e1', label: 'TotalNetworkTraffic', returnData: true },
    {
      id: 'm1',
      metricStat: {
        metric: { dimensions: { InstanceId: 'i-12345678901234567' }, name: 'NetworkIn', namespace: 'AWS/EC2' },
        period: 300,
        stat: 'Maximum',
      },
      returnData: false,
    },
    {
      id: 'm2',
      metricStat: {
        metric: { dimensions: { InstanceId: 'i-12345678901234567' }, name: 'NetworkOut', namespace: 'AWS/EC2' },
        period: 300,
        stat: 'Maximum',
      },
      returnData: false,
    },
  ],
};

/** A composite alarm's configuration: a rule over other alarms instead of metrics. */
export const COMPOSITE_CONFIGURATION = {
  alarmRule: 'ALARM(ServerCpuTooHigh) OR ALARM(TotalNetworkTrafficTooHigh)',
  actionsSuppressor: 'ServiceMaintenanceAlarm',
  actionsSuppressorWaitPeriod: 120,
  actionsSuppressorExtensionPeriod: 180,
};

function alarmArn(region: string, account: string, alarmName: string): string {
  return `arn:aws:cloudwatch:${region}:${account}:alarm:${alarmName}`;
}

/**
 * CloudWatch Alarm State Change through EventBridge (sample: ServerCpuTooHigh, OK → ALARM).
 * `alarmKind` swaps in a metric-math or composite configuration.
 */
export function anAlarmStateChange(opts: AlarmOptions & { alarmKind?: 'metric' | 'metric-math' | 'composite' } = {}): RawEvent {
  const event = withEnvelope(loadEvent('cloudwatch-alarm-state-change'), opts);
  const detail = event['detail'];
  const alarmName = opts.alarmName ?? detail['alarmName'];
  detail['alarmName'] = alarmName;
  event['resources'] = [alarmArn(event['region'], event['account'], alarmName)];
  if (opts.state !== undefined) detail['state']['value'] = opts.state;
  if (opts.previousState !== undefined) detail['previousState']['value'] = opts.previousState;
  if (opts.timestamp !== undefined) detail['state']['timestamp'] = opts.timestamp;
  if (opts.alarmKind === 'metric-math') detail['configuration'] = structuredClone(METRIC_MATH_CONFIGURATION);
  if (opts.alarmKind === 'composite') {
    detail['configuration'] = structuredClone(COMPOSITE_CONFIGURATION);
    // A composite alarm's reasonData names the triggering child alarms instead of datapoints.
    detail['state']['reasonData'] = JSON.stringify({
      triggeringAlarms: [{ arn: alarmArn(event['region'], event['account'], 'ServerCpuTooHigh'), state: { value: 'ALARM' } }],
    });
  }
  return event;
}

/**
 * The payload an alarm sends when it invokes a Lambda function directly (no EventBridge
 * envelope, no id), after the CloudWatch User Guide's example.
 */
export function anAlarmAction(opts: Omit<AlarmOptions, 'id'> = {}): RawEvent {
  const region = opts.region ?? 'us-east-1';
  const account = opts.account ?? '444455556666';
  const alarmName = opts.alarmName ?? 'lambda-demo-metric-alarm';
  const timestamp = opts.timestamp ?? '2023-08-04T12:36:15.490+0000';
  return {
    source: 'aws.cloudwatch',
    alarmArn: alarmArn(region, account, alarmName),
    accountId: account,
    time: opts.time ?? timestamp,
    region,
    alarmData: {
      alarmName,
      state: { value: opts.state ?? 'ALARM', reason: 'test', timestamp },
      previousState: {
        value: opts.previousState ?? 'INSUFFICIENT_DATA',
        reason: 'Insufficient Data: 5 datapoints were unknown.',
        reasonData:
          '{"version":"1.0","queryDate":"2023-08-04T12:31:29.591+0000","statistic":"Average","period":60,"recentDatapoints":[],"threshold":5.0}',
        timestamp: '2023-08-04T12:31:29.595+0000',
      },
      configuration: {
        description: 'Metric Alarm to test Lambda actions',
        metrics: [
          {
            id: '1234e046-06f0-a3da-9534-EXAMPLEe4c',
            metricStat: {
              metric: { namespace: 'AWS/Logs', name: 'CallCount', dimensions: { InstanceId: 'i-12345678' } },
              period: 60,
              stat: 'Average',
              unit: 'Percent',
            },
            returnData: true,
          },
        ],
      },
    },
  };
}

/**
 * ECS Task State Change for a Fargate Spot task interrupted by Fargate (made from the
 * sample, a RUNNING task): desiredStatus STOPPED, stoppedReason "Your Spot Task was
 * interrupted.", the given stopCode and capacityProviderName FARGATE_SPOT. lastStatus stays
 * the sample's RUNNING: this is the first notice, the one that counts.
 */
export function aFargateSpotInterruption(
  opts: Envelope & {
    cluster?: string;
    taskId?: string;
    group?: string;
    stopCode?: 'TerminationNotice' | 'SpotInterruption';
  } = {},
): RawEvent {
  const event = withEnvelope(loadEvent('ecs-task-state-change'), opts);
  const detail = event['detail'];
  const cluster = opts.cluster ?? 'FargateCluster';
  const prefix = `arn:aws:ecs:${event['region']}:${event['account']}`;
  const taskArn = `${prefix}:task/${cluster}/${opts.taskId ?? 'c13b4cb40f1f4fe4a2971f76ae5a47ad'}`;
  event['resources'] = [taskArn];
  detail['clusterArn'] = `${prefix}:cluster/${cluster}`;
  detail['taskArn'] = taskArn;
  for (const container of detail['containers']) container['taskArn'] = taskArn;
  detail['group'] = opts.group ?? 'service:web';
  detail['capacityProviderName'] = 'FARGATE_SPOT';
  detail['desiredStatus'] = 'STOPPED';
  detail['stoppedReason'] = 'Your Spot Task was interrupted.';
  detail['stopCode'] = opts.stopCode ?? 'SpotInterruption';
  detail['stoppingAt'] = event['time'];
  return event;
}

/**
 * ECS Service Action SERVICE_TASK_PLACEMENT_FAILURE (sample: cluster default, service
 * servicetest, FARGATE_SPOT). `arnFormat: 'short'` writes the old `service/NAME` ARN.
 */
export function aPlacementFailure(
  opts: Envelope & {
    cluster?: string;
    service?: string;
    capacityProviders?: string[];
    reason?: string;
    arnFormat?: 'long' | 'short';
  } = {},
): RawEvent {
  const event = withEnvelope(loadEvent('ecs-service-action-placement-failure'), opts);
  const prefix = `arn:aws:ecs:${event['region']}:${event['account']}`;
  const cluster = opts.cluster ?? 'default';
  const service = opts.service ?? 'servicetest';
  event['resources'] = [opts.arnFormat === 'short' ? `${prefix}:service/${service}` : `${prefix}:service/${cluster}/${service}`];
  event['detail']['clusterArn'] = `${prefix}:cluster/${cluster}`;
  event['detail']['capacityProviderArns'] = (opts.capacityProviders ?? ['FARGATE_SPOT']).map(
    (name) => `${prefix}:capacity-provider/${name}`,
  );
  if (opts.reason !== undefined) event['detail']['reason'] = opts.reason;
  return event;
}

/** The rebalancer's schedule rule firing: `aws.events` / `Scheduled Event`, the tick. */
export function aScheduledEvent(opts: Envelope & { ruleName?: string } = {}): RawEvent {
  const event = withEnvelope(
    {
      version: '0',
      id: '89d1a02d-5ec7-412e-82f5-13505f849b41',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      time: '2024-03-01T12:05:00Z',
      region: 'us-east-1',
      detail: {},
    },
    opts,
  );
  event['resources'] = [`arn:aws:events:${event['region']}:${event['account']}:rule/${opts.ruleName ?? 'ecs-rebalancer-tick'}`];
  return event;
}

/**
 * The `path` of the MalformedEventError that `act` throws, or undefined when it throws
 * nothing; any other error is rethrown. `expect(malformedPath(() => parseEvent(e))).toBe('detail.instance-id')`.
 */
export function malformedPath(act: () => unknown): string | undefined {
  try {
    act();
  } catch (error) {
    if (error instanceof Error && error.name === 'MalformedEventError' && 'path' in error) return String(error.path);
    throw error;
  }
  return undefined;
}

/** EC2 Auto Scaling's Spot shortage message, as a launch of a Spot group fails with it. */
export const NO_SPOT_CAPACITY = 'There is no Spot capacity available that matches your request. Launching EC2 instance failed.';

/**
 * EC2 Instance Launch Unsuccessful (AWS sample, group my-auto-scaling-group); `message`
 * replaces the sample's placeholder StatusMessage.
 */
export function aLaunchFailure(opts: Envelope & { group?: string; message?: string; zone?: string } = {}): RawEvent {
  const event = loadEvent('autoscaling-ec2-instance-launch-unsuccessful');
  if (opts.group !== undefined) event['detail']['AutoScalingGroupName'] = opts.group;
  if (opts.message !== undefined) event['detail']['StatusMessage'] = opts.message;
  if (opts.zone !== undefined) event['detail']['Details']['Availability Zone'] = opts.zone;
  return withEnvelope(event, opts);
}
