// The sample events (fixtures/events, copies of the public samples) and documented variants
// made from them, each with the rule kind that must take it (null: no rule may).
import type { Policy } from '@ecs-rebalancer/core';
import { parsePolicy } from '@ecs-rebalancer/core';
import { loadEvent as fixture } from '@ecs-rebalancer/fixtures';
import type { AccountScope } from '../arns.js';
import type { RuleKind } from '../event-rules.js';

type Event = Record<string, any>;

export { loadEvent as fixture } from '@ecs-rebalancer/fixtures';

function variant(name: string, change: (e: Event) => void): Event {
  const event = structuredClone(fixture(name));
  change(event);
  return event;
}

/** The account and region of the ECS samples (the ECS Developer Guide's examples). */
export const SAMPLE_SCOPE: AccountScope = { partition: 'aws', region: 'us-west-2', account: '111122223333' };

/** A policy managing the ECS samples' clusters, with the alarm sample's alarm as a fallback alarm. */
export function samplePolicy(): Policy {
  return parsePolicy({
    clusters: {
      FargateCluster: {
        providers: { FARGATE: 'on-demand' },
        fallback: { alarms: ['ServerCpuTooHigh'], to: 'FARGATE' },
      },
      default: {},
    },
  });
}

export interface Sample {
  name: string;
  event: Event;
  expected: RuleKind | null;
}

const FOREIGN_CLUSTER = 'arn:aws:ecs:us-west-2:111122223333:cluster/not-managed';

/**
 * The samples as the deployment in SAMPLE_SCOPE sees them: the public samples carry
 * placeholder accounts and regions of their own, an event reaching the deployed rules carries
 * the account and region it was emitted in. Each sample a rule takes comes also from another
 * account and from another region (forwarded between buses), which no rule may take.
 */
export function samples(): Sample[] {
  const own = scopedSamples().map((s) => ({ ...s, event: { ...s.event, account: SAMPLE_SCOPE.account, region: SAMPLE_SCOPE.region } }));
  const foreign = own.filter((s) => s.expected !== null && s.name !== 'scheduled-event');
  return [
    ...own,
    ...foreign.map((s) => ({ name: `${s.name} (from account 999999999999)`, event: { ...s.event, account: '999999999999' }, expected: null })),
    ...foreign.map((s) => ({ name: `${s.name} (from region ap-south-1)`, event: { ...s.event, region: 'ap-south-1' }, expected: null })),
  ];
}

function scopedSamples(): Sample[] {
  return [
    { name: 'ec2-spot-instance-interruption-warning', event: fixture('ec2-spot-instance-interruption-warning'), expected: 'spot-interruption' },
    {
      name: 'ec2-spot-instance-interruption-warning (stop)',
      event: variant('ec2-spot-instance-interruption-warning', (e) => (e.detail['instance-action'] = 'stop')),
      expected: 'spot-interruption',
    },
    { name: 'ec2-instance-rebalance-recommendation', event: fixture('ec2-instance-rebalance-recommendation'), expected: 'rebalance-recommendation' },
    { name: 'ec2-instance-state-change-stopping', event: fixture('ec2-instance-state-change-stopping'), expected: 'instance-state' },
    ...(['stopped', 'shutting-down', 'terminated'] as const).map((state) => ({
      name: `ec2-instance-state-change-${state}`,
      event: variant('ec2-instance-state-change-stopping', (e) => (e.detail.state = state)),
      expected: 'instance-state' as const,
    })),
    ...(['pending', 'running'] as const).map((state) => ({
      name: `ec2-instance-state-change-${state}`,
      event: variant('ec2-instance-state-change-stopping', (e) => (e.detail.state = state)),
      expected: null,
    })),
    {
      name: 'ec2-capacity-reservation-instance-interruption-warning',
      event: variant('ec2-spot-instance-interruption-warning', (e) => (e['detail-type'] = 'EC2 Capacity Reservation Instance Interruption Warning')),
      expected: 'capacity-reservation-interruption',
    },
    {
      name: 'ec2-interruptible-capacity-reservation-instance-interruption-warning',
      event: variant('ec2-spot-instance-interruption-warning', (e) => (e['detail-type'] = 'EC2 Interruptible Capacity Reservation Instance Interruption Warning')),
      expected: 'capacity-reservation-interruption',
    },
    { name: 'autoscaling-ec2-instance-launch-unsuccessful', event: fixture('autoscaling-ec2-instance-launch-unsuccessful'), expected: 'spot-capacity-shortage' },
    {
      name: 'autoscaling-ec2-instance-launch-successful',
      event: variant('autoscaling-ec2-instance-launch-unsuccessful', (e) => (e['detail-type'] = 'EC2 Instance Launch Successful')),
      expected: null,
    },
    { name: 'aws-health-ec2-scheduled-change', event: fixture('aws-health-ec2-scheduled-change'), expected: 'scheduled-change' },
    // Health sends an event per status change; the sample has no statusCode.
    ...(['open', 'upcoming'] as const).map((statusCode) => ({
      name: `aws-health-ec2-scheduled-change (${statusCode})`,
      event: variant('aws-health-ec2-scheduled-change', (e) => (e.detail.statusCode = statusCode)),
      expected: 'scheduled-change' as const,
    })),
    {
      name: 'aws-health-ec2-scheduled-change (closed)',
      event: variant('aws-health-ec2-scheduled-change', (e) => (e.detail.statusCode = 'closed')),
      expected: null,
    },
    {
      name: 'aws-health-ec2-issue',
      event: variant('aws-health-ec2-scheduled-change', (e) => (e.detail.eventTypeCategory = 'issue')),
      expected: null,
    },
    {
      name: 'aws-health-rds-scheduled-change',
      event: variant('aws-health-ec2-scheduled-change', (e) => (e.detail.service = 'RDS')),
      expected: null,
    },
    { name: 'ecs-task-state-change (running)', event: fixture('ecs-task-state-change'), expected: null },
    // The first notice: desiredStatus STOPPED while the task is still RUNNING (the sample's lastStatus).
    ...(['SpotInterruption', 'TerminationNotice'] as const).map((stopCode) => ({
      name: `ecs-task-state-change (Fargate Spot ${stopCode})`,
      event: variant('ecs-task-state-change', (e) => {
        Object.assign(e.detail, { lastStatus: 'RUNNING', desiredStatus: 'STOPPED', stopCode, stoppedReason: 'Your Spot Task was interrupted.' });
      }),
      expected: 'fargate-spot-interruption' as const,
    })),
    // ECS sends one more Task State Change per transition of the stopping task, each with the stopCode.
    ...(['DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'] as const).map((lastStatus) => ({
      name: `ecs-task-state-change (Fargate Spot SpotInterruption, lastStatus ${lastStatus})`,
      event: variant('ecs-task-state-change', (e) => {
        Object.assign(e.detail, { lastStatus, desiredStatus: 'STOPPED', stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.' });
      }),
      expected: null,
    })),
    {
      name: 'ecs-task-state-change (stopped by a user)',
      event: variant('ecs-task-state-change', (e) => Object.assign(e.detail, { desiredStatus: 'STOPPED', stopCode: 'UserInitiated' })),
      expected: null,
    },
    {
      name: 'ecs-task-state-change (Fargate Spot, unmanaged cluster)',
      event: variant('ecs-task-state-change', (e) => Object.assign(e.detail, { desiredStatus: 'STOPPED', stopCode: 'SpotInterruption', clusterArn: FOREIGN_CLUSTER })),
      expected: null,
    },
    { name: 'ecs-service-action-placement-failure', event: fixture('ecs-service-action-placement-failure'), expected: 'placement-failure' },
    {
      name: 'ecs-service-action-steady-state',
      event: variant('ecs-service-action-placement-failure', (e) => Object.assign(e.detail, { eventType: 'INFO', eventName: 'SERVICE_STEADY_STATE' })),
      expected: null,
    },
    {
      name: 'ecs-service-action-placement-failure (unmanaged cluster)',
      event: variant('ecs-service-action-placement-failure', (e) => (e.detail.clusterArn = FOREIGN_CLUSTER)),
      expected: null,
    },
    {
      name: 'ecs-service-action-placement-failure (managed name, other account)',
      event: variant('ecs-service-action-placement-failure', (e) => (e.detail.clusterArn = 'arn:aws:ecs:us-west-2:999999999999:cluster/default')),
      expected: null,
    },
    { name: 'cloudwatch-alarm-state-change (fallback alarm)', event: fixture('cloudwatch-alarm-state-change'), expected: 'alarm' },
    {
      name: 'cloudwatch-alarm-state-change (other alarm)',
      event: variant('cloudwatch-alarm-state-change', (e) => (e.detail.alarmName = 'SomeoneElsesAlarm')),
      expected: null,
    },
    {
      // The tick comes from the schedule's own rule, straight to the tick function.
      name: 'scheduled-event',
      event: { version: '0', id: 'tick', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '111122223333', time: '2025-01-01T00:00:00Z', region: 'us-west-2', resources: [], detail: {} },
      expected: null,
    },
  ];
}
