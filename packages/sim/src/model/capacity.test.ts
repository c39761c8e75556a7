// ECS managed scaling and EC2 Auto Scaling as the simulator models them; each test cites the
// page it follows (figures and sources: packages/sim/README.md).
import { describe, expect, it } from 'vitest';
import { aCluster, aService, instances } from '../test-support/builders.js';
import { createSimulation } from './simulation.js';

const spotOnly = (desiredCount: number, runningCount = desiredCount) =>
  aService({ desiredCount, runningCount, strategy: [{ capacityProvider: 'spot', base: 0, weight: 1 }] });

describe('managed scaling (ECS Developer Guide, "Amazon ECS cluster auto scaling"; API ManagedScaling)', () => {
  it('reads CapacityProviderReservation once a minute and scales out to ceil(M × 100 / targetCapacity)', () => {
    // Prepare: 12 tasks fill the 3 spot instances; 6 more wait → M = 3 + ceil(6 / 4) = 5, N = 3.
    const sim = createSimulation({ clusters: [aCluster({ services: [spotOnly(12)] })], providers: { spot: { managedScaling: { targetCapacity: 50 } } } });
    sim.updateService('prod', 'web', { desiredCount: 18 });
    // Act
    sim.advance(59);
    const before = sim.report().scaleOuts.length;
    sim.advance(1);
    // Assess: at 50 % target the group goes to ceil(5 × 100 / 50) = 10 instances.
    expect(before).toBe(0);
    expect(sim.report().scaleOuts).toMatchObject([{ time: '2025-01-01T00:01:00.000Z', launched: 7, reason: 'scale-out', reservation: 167 }]);
  });

  it('scales out by at least minimumScalingStepSize and at most maximumScalingStepSize', () => {
    const grow = (managedScaling: { minimumScalingStepSize?: number; maximumScalingStepSize?: number }) => {
      const sim = createSimulation({ clusters: [aCluster({ services: [spotOnly(12)] })], providers: { spot: { managedScaling, maxSize: 50 } } });
      sim.updateService('prod', 'web', { desiredCount: 40 }); // 28 waiting → M = 3 + 7 = 10
      sim.advance(60);
      return sim.report().scaleOuts[0]?.launched;
    };
    expect(grow({})).toBe(7);
    expect(grow({ maximumScalingStepSize: 2 })).toBe(2);
    expect(grow({ minimumScalingStepSize: 9 })).toBe(9);
  });

  it('does not scale out again while launched instances are in their instanceWarmupPeriod (default 300 s)', () => {
    // Prepare: step size 1 forces several steps.
    const sim = createSimulation({ clusters: [aCluster({ services: [spotOnly(12)] })], providers: { spot: { managedScaling: { maximumScalingStepSize: 1 }, maxSize: 20 } } });
    sim.updateService('prod', 'web', { desiredCount: 24 });
    // Act
    sim.advance(420);
    // Assess: one step at 60 s, the next once that launch is 300 s old.
    expect(sim.report().scaleOuts.filter((s) => s.reason === 'scale-out').map((s) => s.time)).toEqual([
      '2025-01-01T00:01:00.000Z',
      '2025-01-01T00:06:00.000Z',
    ]);
  });

  it('scales in after 15 minutes below target, by at most half the group, taking only instances without tasks', () => {
    // Prepare: 8 spot instances, 2 tasks on 2 of them (ECS spread) → M = 2, N = 8.
    const sim = createSimulation({
      clusters: [aCluster({ services: [spotOnly(2)], containerInstances: instances('prod', 'spot', 8) })],
    });
    // Act
    sim.advance(60 + 14 * 60);
    const early = sim.report().scaleOuts.length;
    sim.advance(60);
    sim.advance(120);
    // Assess: first step at 16 min (8 → 4), then down to M = 2 a minute later.
    const report = sim.report();
    expect(early).toBe(0);
    expect(report.scaleOuts.map((s) => [s.time, s.launched, s.reason])).toEqual([
      ['2025-01-01T00:16:00.000Z', -4, 'scale-in'],
      ['2025-01-01T00:17:00.000Z', -2, 'scale-in'],
    ]);
    expect(sim.serviceCounts(sim.cluster('prod').services.get('web')!).running).toBe(2);
    // Managed instance draining drains each instance the group takes; EC2 sends its state changes.
    expect(report.drains.filter((d) => d.by === 'managed-draining')).toHaveLength(6);
    const states = sim.events.items.filter((e) => e['detail-type'] === 'EC2 Instance State-change Notification').map((e) => e.detail.state);
    expect(states.filter((s) => s === 'shutting-down')).toHaveLength(6);
    expect(states.filter((s) => s === 'terminated')).toHaveLength(6);
  });

  it('with managed scaling off, only replaces terminated instances', () => {
    const sim = createSimulation({ clusters: [aCluster({ services: [spotOnly(12)] })], providers: { spot: { managedScaling: false } } });
    sim.updateService('prod', 'web', { desiredCount: 16 });
    sim.interrupt('prod', 'spot', 1);
    sim.advance(600);
    expect(sim.report().scaleOuts.map((s) => s.reason)).toEqual(['replacement']);
  });
});

describe('tasks waiting for capacity (ECS Developer Guide, "Auto Scaling group capacity providers")', () => {
  it('stay PROVISIONING while the group is at maxSize and are stopped after the provisioning timeout (1800 s)', () => {
    const sim = createSimulation({ clusters: [aCluster({ services: [spotOnly(12)] })], providers: { spot: { maxSize: 3 } } });
    sim.updateService('prod', 'web', { desiredCount: 13 });
    const waiting = () => [...sim.cluster('prod').live.values()].filter((t) => t.lastStatus === 'PROVISIONING');
    const first = waiting()[0]!;
    sim.advance(1799);
    expect(first.lastStatus).toBe('PROVISIONING');
    sim.advance(1);
    expect(first).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart' });
    // The scheduler starts another one, which waits again.
    expect(waiting()).toHaveLength(1);
    expect(sim.report().tasksFailedToStart).toMatchObject({ total: 1, byService: { 'prod/web': 1 } });
  });
});

describe('instance launches (EC2 Auto Scaling; ECS container agent registration)', () => {
  it('register launchDelaySeconds + registrationDelaySeconds after the launch (defaults 60 + 30)', () => {
    const sim = createSimulation({ clusters: [aCluster({ services: [spotOnly(12)] })] });
    sim.interrupt('prod', 'spot', 1);
    sim.advance(120 + 89);
    const active = () => [...sim.cluster('prod').instances.values()].filter((i) => i.provider === 'spot' && i.status === 'ACTIVE').length;
    expect(active()).toBe(2);
    sim.advance(1);
    expect(active()).toBe(3);
  });

  it('take the architecture from ClusterState\'s provider, else from the instance type (Graviton families are arm64)', () => {
    const state = aCluster({
      capacityProviders: [
        { name: 'spot', type: 'EC2_AUTOSCALING' },
        { name: 'od', type: 'EC2_AUTOSCALING', architecture: 'x86_64' } as never,
      ],
      containerInstances: [
        ...instances('prod', 'spot', 1).map((i) => ({ ...i, instanceType: 'c7gn.xlarge' })),
        ...instances('prod', 'spot', 1, 'spotb').map((i) => ({ ...i, instanceType: 'm6i.large' })),
        ...instances('prod', 'od', 1),
      ],
    });
    const sim = createSimulation({ clusters: [state] });
    const arch = Object.fromEntries([...sim.cluster('prod').instances.values()].map((i) => [i.instanceType + '/' + i.provider, i.architecture]));
    expect(arch).toEqual({ 'c7gn.xlarge/spot': 'arm64', 'm6i.large/spot': 'x86_64', 'm7g.large/od': 'x86_64' });
  });
});
