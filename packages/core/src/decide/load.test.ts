import { describe, expect, it } from 'vitest';
import type { Signal } from '../model/signal.js';
import { ON_DEMAND, aClusterPolicy, aPolicy } from '../test-support/builders.js';
import { aFargateSpotSignal, aPlacementFailureSignal, aRebalanceSignal, aSpotSignal, aTickSignal, anAlarmSignal, anIgnoredSignal, anInstanceStateSignal } from '../test-support/signals.js';
import type { Policy } from '../policy/schema.js';
import type { LoadRequest } from './load.js';
import { planLoad } from './load.js';

// prod: every service, one fallback alarm; batch: two services, two alarms; dev: no fallback.
const policy = aPolicy({
  clusters: {
    prod: aClusterPolicy(),
    batch: aClusterPolicy({ services: ['jobs', 'cron'], fallback: { alarms: ['batch-b', 'batch-a'], to: ON_DEMAND } }),
    dev: { services: ['web'] },
  },
});
const request = (cluster: string, overrides: Partial<LoadRequest> = {}): LoadRequest => ({ cluster, ec2InstanceIds: [], services: [], alarms: [], guardrail: false, ...overrides });

describe('planLoad', () => {
  const rows: { name: string; signals: Signal[]; expected: LoadRequest[]; policy?: Policy }[] = [
    {
      name: 'instance signals: every managed cluster, those instance ids, its managed services (for the warnings only)',
      signals: [aSpotSignal({ instance: 'i-2' }), aRebalanceSignal({ instance: 'i-1' }), aSpotSignal({ instance: 'i-2', eventId: 'again' })],
      expected: [
        request('batch', { ec2InstanceIds: ['i-1', 'i-2'], services: ['cron', 'jobs'], guardrail: true, servicesForWarningsOnly: true }),
        request('dev', { ec2InstanceIds: ['i-1', 'i-2'], services: ['web'], guardrail: true, servicesForWarningsOnly: true }),
        request('prod', { ec2InstanceIds: ['i-1', 'i-2'], services: '*', guardrail: true, servicesForWarningsOnly: true }),
      ],
    },
    {
      name: 'an instance signal beside an alarm: the services decide, not only warn',
      signals: [aSpotSignal({ instance: 'i-2' }), anAlarmSignal({ alarm: 'batch-b' })],
      expected: [
        request('batch', { ec2InstanceIds: ['i-2'], services: ['cron', 'jobs'], alarms: ['batch-a', 'batch-b'], architectures: true }),
        request('dev', { ec2InstanceIds: ['i-2'], services: ['web'], servicesForWarningsOnly: true }),
        request('prod', { ec2InstanceIds: ['i-2'], services: '*', servicesForWarningsOnly: true }),
      ],
    },
    {
      name: 'instance signals whose drain the policy turned off: nothing, but a Spot warning is still counted',
      policy: aPolicy({ clusters: { prod: {} }, actions: { 'instance-state': 'none', 'spot-interruption': 'none' } }),
      signals: [anInstanceStateSignal({ instance: 'i-1' }), aSpotSignal({ instance: 'i-2' })],
      expected: [request('prod', { ec2InstanceIds: ['i-2'], services: '*', servicesForWarningsOnly: true })],
    },
    {
      name: 'EC2 state changes: their ids also in recheckStatus, unless another signal of the batch names the instance',
      policy: aPolicy({ clusters: { prod: {} } }),
      signals: [anInstanceStateSignal({ instance: 'i-3' }), anInstanceStateSignal({ instance: 'i-1' }), anInstanceStateSignal({ instance: 'i-2' }), aSpotSignal({ instance: 'i-2' })],
      expected: [request('prod', { ec2InstanceIds: ['i-1', 'i-2', 'i-3'], services: '*', servicesForWarningsOnly: true, recheckStatus: ['i-1', 'i-3'] })],
    },
    { name: 'placement failure: the named cluster and service', signals: [aPlacementFailureSignal({ cluster: 'batch', service: 'jobs' })], expected: [request('batch', { services: ['jobs'], architectures: true })] },
    { name: 'placement failure of an unmanaged service: the cluster alone', signals: [aPlacementFailureSignal({ cluster: 'batch', service: 'web' })], expected: [request('batch')] },
    { name: 'placement failure by cluster ARN', signals: [aPlacementFailureSignal({ cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod' })], expected: [request('prod', { services: ['web'], architectures: true })] },
    { name: 'events of unmanaged clusters load nothing', signals: [aPlacementFailureSignal({ cluster: 'other' }), aFargateSpotSignal({ cluster: 'other' })], expected: [] },
    { name: 'Fargate Spot interruption: the named cluster', signals: [aFargateSpotSignal({ cluster: 'dev' })], expected: [request('dev')] },
    { name: 'alarm: clusters that fall back on it, with all their fallback alarms', signals: [anAlarmSignal({ alarm: 'batch-b' })], expected: [request('batch', { services: ['cron', 'jobs'], alarms: ['batch-a', 'batch-b'], architectures: true })] },
    {
      name: 'OK alarm: no architectures (only a fallback needs them)',
      signals: [anAlarmSignal({ alarm: 'batch-b', state: 'OK' })],
      expected: [request('batch', { services: ['cron', 'jobs'], alarms: ['batch-a', 'batch-b'] })],
    },
    { name: 'placement failure in a cluster without fallback: no architectures', signals: [aPlacementFailureSignal({ cluster: 'dev', service: 'web' })], expected: [request('dev', { services: ['web'] })] },
    { name: 'alarm no cluster uses: nothing', signals: [anAlarmSignal({ alarm: 'ServerCpuTooHigh' })], expected: [] },
    {
      name: 'tick: every managed cluster, its services and fallback alarms, no container instance',
      signals: [aTickSignal()],
      expected: [
        request('batch', { services: ['cron', 'jobs'], alarms: ['batch-a', 'batch-b'] }),
        request('dev', { services: ['web'] }),
        request('prod', { services: '*', alarms: ['prod-spot-interruptions'] }),
      ],
    },
    {
      name: 'tick with a Spot warning: the warned instance only, never the whole fleet',
      signals: [aTickSignal(), aSpotSignal({ instance: 'i-1' })],
      expected: [
        request('batch', { ec2InstanceIds: ['i-1'], services: ['cron', 'jobs'], alarms: ['batch-a', 'batch-b'] }),
        request('dev', { ec2InstanceIds: ['i-1'], services: ['web'] }),
        request('prod', { ec2InstanceIds: ['i-1'], services: '*', alarms: ['prod-spot-interruptions'] }),
      ],
    },
    { name: 'ignored signals: nothing', signals: [anIgnoredSignal()], expected: [] },
    {
      name: 'requests merge per cluster',
      signals: [aFargateSpotSignal({ cluster: 'batch' }), aPlacementFailureSignal({ cluster: 'batch', service: 'cron' }), anAlarmSignal({ alarm: 'batch-a' })],
      expected: [request('batch', { services: ['cron', 'jobs'], alarms: ['batch-a', 'batch-b'], architectures: true })],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(planLoad(row.signals, row.policy ?? policy)).toEqual(row.expected);
    });
  }

  it('does not depend on the order of the signals', () => {
    const signals = [aTickSignal(), aSpotSignal({ instance: 'i-9' }), anAlarmSignal({ alarm: 'batch-a' }), aSpotSignal({ instance: 'i-1' })];
    expect(planLoad([...signals].reverse(), policy)).toEqual(planLoad(signals, policy));
  });
});

describe('planLoad guardrail', () => {
  it('asks for whole-provider counts only when a rebalance recommendation is in the batch', () => {
    // Prepare
    const policy = aPolicy({ clusters: { prod: aClusterPolicy({}) } });
    // Act
    const interruptions = planLoad([aSpotSignal({ instance: 'i-0123456789abcdef0' })], policy);
    const rebalance = planLoad([aSpotSignal({ instance: 'i-0123456789abcdef0' }), aRebalanceSignal({ instance: 'i-0123456789abcdef1' })], policy);
    // Assess
    expect(interruptions.map((r) => r.guardrail)).toEqual([false]);
    expect(rebalance.map((r) => r.guardrail)).toEqual([true]);
  });
});
