// ECS behaviours the simulator models for draining, deployments, standalone tasks, CPU
// architectures and the ECS agent's Spot draining; each cites the page it follows (figures and
// sources: packages/sim/README.md).
import { describe, expect, it } from 'vitest';
import { aCluster, aService, fixtureEvent, instances } from '../test-support/builders.js';
import { createSimulation } from './simulation.js';

const spotOnly = (desiredCount: number, extra: Parameters<typeof aService>[0] = {}) =>
  aService({ desiredCount, runningCount: desiredCount, strategy: [{ capacityProvider: 'spot', base: 0, weight: 1 }], ...extra });

describe('draining (ECS Developer Guide, "Draining Amazon ECS container instances")', () => {
  it('with minimumHealthyPercent 100, stops a drained task only once its replacement runs, so a start longer than the time left loses it', () => {
    // Prepare: 4 tasks on the interrupted instance, free slots elsewhere, a 150 s start.
    const run = (startSeconds: number) => {
      const sim = createSimulation({
        clusters: [aCluster({ services: [spotOnly(4, { minimumHealthyPercent: 100 })], containerInstances: instances('prod', 'spot', 3).map((i, n) => ({ ...i, runningTasks: n === 0 ? 4 : 0 })) })],
        services: { 'prod/web': { startSeconds } },
      });
      const inst = [...sim.cluster('prod').instances.values()][0]!;
      sim.interruptInstance(inst.ec2InstanceId);
      sim.updateContainerInstancesState('prod', [inst.arn], 'DRAINING');
      sim.advance(300);
      return sim.report().tasksLost.total;
    };
    // Assess: 30 s leaves 90 s to spare; 150 s is longer than the 120 s warning.
    expect(run(30)).toBe(0);
    expect(run(150)).toBe(4);
  });

  it('leaves standalone tasks (RunTask) on a DRAINING instance; they die with it', () => {
    const sim = createSimulation({
      clusters: [aCluster({ services: [], containerInstances: instances('prod', 'spot', 2) })],
      standaloneTasks: [{ cluster: 'prod', capacityProvider: 'spot', count: 2 }],
    });
    const tasks = [...sim.cluster('prod').live.values()];
    const inst = sim.cluster('prod').instances.get(tasks[0]!.instanceId!)!;
    sim.interruptInstance(inst.ec2InstanceId);
    sim.updateContainerInstancesState('prod', [inst.arn], 'DRAINING');
    sim.advance(60);
    expect(tasks.map((t) => t.lastStatus)).toEqual(['RUNNING', 'RUNNING']);
    sim.advance(60);
    expect(sim.report().tasksLost.byService).toEqual({ 'prod/(standalone)': 1 });
  });
});

describe('placement (ECS Developer Guide, "Amazon ECS task placement strategies": services spread across Availability Zones, then instances)', () => {
  it('spreads a service over the zones before filling an instance', () => {
    // 6 instances in 3 zones (a, b, c, a, b, c); 6 tasks → 2 per zone, 1 per instance.
    const sim = createSimulation({ clusters: [aCluster({ services: [spotOnly(6)], containerInstances: instances('prod', 'spot', 6) })] });
    const zones: Record<string, number> = {};
    for (const t of sim.cluster('prod').live.values()) zones[t.availabilityZone!] = (zones[t.availabilityZone!] ?? 0) + 1;
    expect(zones).toEqual({ 'us-east-1a': 2, 'us-east-1b': 2, 'us-east-1c': 2 });
    expect(new Set([...sim.cluster('prod').live.values()].map((t) => t.instanceId)).size).toBe(6);
  });
});

describe('CPU architectures (ECS Developer Guide, "Amazon ECS task definitions for 64-bit ARM workloads")', () => {
  it('stops a task placed on an instance of another architecture when it would start, and counts it', () => {
    // Prepare: an x86_64-only image, a new deployment onto the Graviton (m7g) spot instances.
    const sim = createSimulation({
      clusters: [aCluster({ services: [aService({ desiredCount: 2, runningCount: 2, strategy: [{ capacityProvider: 'od', base: 0, weight: 1 }] })] })],
      services: { 'prod/web': { architectures: ['x86_64'], startSeconds: 40 } },
    });
    // Act: move to the spot instances, m7g.large (Graviton, arm64).
    sim.updateService('prod', 'web', { capacityProviderStrategy: [{ capacityProvider: 'spot', base: 0, weight: 1 }], forceNewDeployment: true });
    sim.advance(40);
    const report = sim.report();
    expect(report.tasksFailedToStart.total).toBe(2);
    expect(report.tasksFailedToStart.tasks[0]).toMatchObject({ service: 'web', stopCode: 'EssentialContainerExited', stoppedReason: expect.stringContaining('Essential container in task exited') });
    expect(report.tasksFailedToStart.byService).toEqual({ 'prod/web': 2 });
  });

  it('feeds the deployment circuit breaker, which fails the deployment (and rolls back when asked)', () => {
    const run = (rollback: boolean) => {
      const sim = createSimulation({
        // od runs m6i.large (x86_64), spot m7g.large (arm64); the image is x86_64 only.
        clusters: [
          aCluster({
            services: [aService({ desiredCount: 4, runningCount: 4, strategy: [{ capacityProvider: 'od', base: 0, weight: 1 }] })],
            containerInstances: [...instances('prod', 'spot', 3), ...instances('prod', 'od', 3).map((i) => ({ ...i, instanceType: 'm6i.large' }))],
          }),
        ],
        services: { 'prod/web': { architectures: ['x86_64'], deploymentCircuitBreaker: { enable: true, rollback } } },
      });
      sim.updateService('prod', 'web', { capacityProviderStrategy: [{ capacityProvider: 'spot', base: 0, weight: 1 }], forceNewDeployment: true });
      sim.advance(120);
      return sim.report().deployments.map((d) => [d.rolloutState, d.strategy[0]?.capacityProvider]);
    };
    // Threshold: max(3, ceil(4 / 2)) = 3 failed tasks.
    expect(run(false)).toEqual([
      ['COMPLETED', 'od'],
      ['FAILED', 'spot'],
    ]);
    expect(run(true)).toEqual([
      ['COMPLETED', 'od'],
      ['FAILED', 'spot'],
      ['COMPLETED', 'od'],
    ]);
  });
});

describe('the ECS agent\'s Spot draining (ECS_ENABLE_SPOT_INSTANCE_DRAINING; amazon-ecs-agent polls instance metadata every second)', () => {
  it('sets the instance DRAINING one second after the notice, and EC2 sends shutting-down then terminated', () => {
    const sim = createSimulation({ clusters: [aCluster()], agentSpotDraining: true });
    const [warning] = sim.interrupt('prod', 'spot', 1);
    const id = (warning!.detail as { 'instance-id': string })['instance-id'];
    sim.advance(180);
    const report = sim.report();
    expect(report.drains).toMatchObject([{ ec2InstanceId: id, by: 'ecs-agent', time: '2025-01-01T00:00:01.000Z', interrupted: true }]);
    expect(report.interruptions[0]).toMatchObject({ secondsBeforeTermination: 119 });
    const states = sim.events.items.filter((e) => e['detail-type'] === 'EC2 Instance State-change Notification');
    expect(states.map((e) => [e.time, e.detail.state])).toEqual([
      ['2025-01-01T00:02:00Z', 'shutting-down'],
      ['2025-01-01T00:02:30Z', 'terminated'],
    ]);
    const sample = fixtureEvent('ec2-instance-state-change-stopping') as { detail: object };
    expect(Object.keys(states[0]!.detail).sort()).toEqual(Object.keys(sample.detail).sort());
  });

  it('is off by default, as the agent\'s setting', () => {
    const sim = createSimulation({ clusters: [aCluster()] });
    sim.interrupt('prod', 'spot', 1);
    sim.advance(180);
    expect(sim.report().drains).toEqual([]);
  });
});
