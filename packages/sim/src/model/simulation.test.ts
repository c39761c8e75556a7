import { describe, expect, it } from 'vitest';
import { aCluster, aService, fixtureEvent, instances, onDemandOnly } from '../test-support/builders.js';
import { createSimulation, type Simulation } from './simulation.js';

function tasksOn(sim: Simulation, ec2InstanceId: string, status = 'RUNNING'): number {
  const cluster = sim.cluster('prod');
  const inst = [...cluster.instances.values()].find((i) => i.ec2InstanceId === ec2InstanceId);
  return [...cluster.tasks.values()].filter((t) => t.instanceId === inst?.id && t.lastStatus === status).length;
}

function primary(sim: Simulation, service = 'web') {
  return sim.cluster('prod').services.get(service)?.deployments[0];
}

/** Keys of an object and of its nested objects, to compare an emitted event's shape with a sample. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [shape(value[0])] : [];
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape((value as Record<string, unknown>)[k])]));
  }
  return typeof value;
}

describe('initial state', () => {
  it('places runningCount tasks by the strategy: base first, then the weights', () => {
    const sim = createSimulation({ clusters: [aCluster()] });
    expect(sim.runningByProvider('prod')).toEqual({ spot: 6, od: 4 });
    expect(sim.clusterState('prod').services[0]?.runningCount).toBe(10);
    expect(primary(sim)?.rolloutState).toBe('COMPLETED');
  });

  it('follows the runningTasks the file gives each instance', () => {
    const containerInstances = instances('prod', 'spot', 2).concat(instances('prod', 'od', 1));
    containerInstances[0]!.runningTasks = 4;
    containerInstances[1]!.runningTasks = 2;
    containerInstances[2]!.runningTasks = 4;
    const sim = createSimulation({ clusters: [aCluster({ containerInstances })] });
    expect([tasksOn(sim, 'i-spot0000'), tasksOn(sim, 'i-spot0001'), tasksOn(sim, 'i-od0000')]).toEqual([4, 2, 4]);
  });
});

describe('deployments', () => {
  it('rolls a new strategy out over virtual time and ends COMPLETED, scaling out for the missing slots', () => {
    // Prepare: od has 8 slots, 4 used; the new deployment's 10 od tasks need 2 more instances.
    const sim = createSimulation({ clusters: [aCluster({ containerInstances: [...instances('prod', 'spot', 3), ...instances('prod', 'od', 2)] })] });

    // Act
    sim.updateService('prod', 'web', { capacityProviderStrategy: onDemandOnly, forceNewDeployment: true });
    const atStart = sim.cluster('prod').services.get('web')!.deployments.map((d) => [d.status, d.rolloutState]);
    sim.advance(60);
    const midway = primary(sim)?.rolloutState;
    sim.advance(90);

    // Assess
    expect(atStart).toEqual([
      ['PRIMARY', 'IN_PROGRESS'],
      ['ACTIVE', 'COMPLETED'],
    ]);
    expect(midway).toBe('IN_PROGRESS');
    expect(primary(sim)?.rolloutState).toBe('COMPLETED');
    expect(sim.cluster('prod').services.get('web')!.deployments).toHaveLength(1);
    expect(sim.runningByProvider('prod')).toEqual({ spot: 0, od: 10 });
    const report = sim.report();
    expect(report.strategyChanges).toMatchObject([{ cluster: 'prod', service: 'web', strategy: onDemandOnly, time: '2025-01-01T00:00:00.000Z' }]);
    expect(report.scaleOuts).toMatchObject([{ capacityProvider: 'od', launched: 2, reason: 'scale-out' }]);
    expect(report.deployments.at(-1)).toMatchObject({ rolloutState: 'COMPLETED', completedAt: '2025-01-01T00:02:30.000Z' });
  });

  it('never drops below minimumHealthyPercent while replacing (100 / 200)', () => {
    const sim = createSimulation({ clusters: [aCluster()] });
    sim.updateService('prod', 'web', { capacityProviderStrategy: onDemandOnly, forceNewDeployment: true });
    for (let i = 0; i < 30; i++) {
      sim.advance(5);
      expect(sim.serviceCounts(sim.cluster('prod').services.get('web')!).running).toBeGreaterThanOrEqual(10);
    }
  });

  it.each([
    { name: 'strategy change without forceNewDeployment', update: { capacityProviderStrategy: onDemandOnly }, message: /must force a new deployment/ },
    { name: 'invalid strategy', update: { capacityProviderStrategy: [{ capacityProvider: 'od', base: 0, weight: 0 }], forceNewDeployment: true }, message: /weight value greater than zero/ },
  ])('rejects $name with InvalidParameterException', ({ update, message }) => {
    const sim = createSimulation({ clusters: [aCluster()] });
    expect(() => sim.updateService('prod', 'web', update)).toThrow(expect.objectContaining({ code: 'InvalidParameterException', message: expect.stringMatching(message) }));
    expect(sim.report().strategyChanges).toEqual([]);
  });

  it('refuses strategy changes on a CODE_DEPLOY service', () => {
    const sim = createSimulation({ clusters: [aCluster({ services: [aService({ deploymentController: 'CODE_DEPLOY' })] })] });
    expect(() => sim.updateService('prod', 'web', { capacityProviderStrategy: onDemandOnly, forceNewDeployment: true })).toThrow(/CODE_DEPLOY/);
  });
});

describe('draining', () => {
  it('starts replacements first, then stops the drained tasks, when maximumPercent allows (100 / 200)', () => {
    // Prepare
    const sim = createSimulation({ clusters: [aCluster()] });
    const drained = 'i-spot0000';
    const before = tasksOn(sim, drained);
    const arn = sim.cluster('prod').instances.get('spot0000')!.arn;

    // Act
    const result = sim.updateContainerInstancesState('prod', [arn], 'DRAINING');
    const immediately = tasksOn(sim, drained);
    sim.advance(30);

    // Assess
    expect(result.failures).toEqual([]);
    expect(before).toBeGreaterThan(0);
    expect(immediately).toBe(before);
    expect(tasksOn(sim, drained)).toBe(0);
    expect(sim.runningByProvider('prod')).toEqual({ spot: 6, od: 4 });
    expect(sim.report().drains).toMatchObject([{ ec2InstanceId: drained, interrupted: false }]);
  });

  it('stops drained tasks at once down to minimumHealthyPercent when maximumPercent is 100 (50 / 100)', () => {
    const sim = createSimulation({ clusters: [aCluster({ services: [aService({ minimumHealthyPercent: 50, maximumPercent: 100 })] })] });
    const svc = sim.cluster('prod').services.get('web')!;
    sim.updateContainerInstancesState('prod', ['spot0000'], 'DRAINING');
    expect(tasksOn(sim, 'i-spot0000')).toBe(0);
    expect(sim.serviceCounts(svc).running).toBeGreaterThanOrEqual(5);
    sim.advance(30);
    expect(sim.serviceCounts(svc).running).toBe(10);
  });

  it('leaves the tasks in place when both percents are 100', () => {
    const sim = createSimulation({ clusters: [aCluster({ services: [aService({ minimumHealthyPercent: 100, maximumPercent: 100 })] })] });
    const before = tasksOn(sim, 'i-spot0000');
    sim.updateContainerInstancesState('prod', ['spot0000'], 'DRAINING');
    sim.advance(300);
    expect(tasksOn(sim, 'i-spot0000')).toBe(before);
  });

  it('reports unknown, deregistered and badly transitioned instances in failures', () => {
    const sim = createSimulation({ clusters: [aCluster()] });
    sim.interruptInstance('i-od0001');
    sim.advance(120);
    const result = sim.updateContainerInstancesState('prod', ['nope', 'od0001', 'od0000'], 'DRAINING');
    expect(result.failures).toMatchObject([
      { reason: 'MISSING', arn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/prod/nope' },
      { reason: 'INACTIVE' },
    ]);
    expect(result.containerInstances.map((i) => i.ec2InstanceId)).toEqual(['i-od0000']);
    expect(() => sim.updateContainerInstancesState('prod', ['od0000'], 'REGISTERING')).toThrow(/not valid/);
    expect(sim.updateContainerInstancesState('prod', ['od0000'], 'ACTIVE').containerInstances[0]?.status).toBe('ACTIVE');
  });
});

describe('Spot interruption', () => {
  it('warns with the EC2 event shape and loses the tasks still running 120 s later', () => {
    // Prepare
    const sim = createSimulation({ clusters: [aCluster()], seed: 7 });
    const emitted: string[] = [];
    sim.events.subscribe((e) => emitted.push(e['detail-type']));

    // Act
    const [warning] = sim.interrupt('prod', 'spot', 1);
    const id = (warning!.detail as { 'instance-id': string })['instance-id'];
    const running = tasksOn(sim, id);
    sim.advance(119);
    const justBefore = tasksOn(sim, id);
    sim.advance(1);

    // Assess
    expect(shape(warning)).toEqual(shape(fixtureEvent('ec2-spot-instance-interruption-warning')));
    expect(warning).toMatchObject({ time: '2025-01-01T00:00:00Z', resources: [`arn:aws:ec2:us-east-1:123456789012:instance/${id}`] });
    expect(justBefore).toBe(running);
    const report = sim.report();
    expect(report.tasksLost).toEqual({ total: running, byService: { 'prod/web': running } });
    expect(report.interruptions).toMatchObject([
      { ec2InstanceId: id, terminatedAt: '2025-01-01T00:02:00.000Z', drainedAt: null, secondsBeforeTermination: null, tasksLost: running },
    ]);
    expect(emitted).toEqual(['EC2 Spot Instance Interruption Warning', 'EC2 Instance State-change Notification']);
    expect(sim.events.items[1]?.detail).toEqual({ 'instance-id': id, state: 'shutting-down' });
    expect(sim.cluster('prod').instances.get(id.replace('i-', ''))?.status).toBe('INACTIVE');
  });

  it('loses nothing when the instance is drained in time and capacity is free', () => {
    const sim = createSimulation({ clusters: [aCluster()] });
    const [warning] = sim.interrupt('prod', 'spot', 1);
    const id = (warning!.detail as { 'instance-id': string })['instance-id'];
    sim.advance(5);
    sim.updateContainerInstancesState('prod', [id.replace('i-', '')], 'DRAINING');
    sim.advance(200);
    const report = sim.report();
    expect(report.tasksLost.total).toBe(0);
    expect(report.interruptions[0]).toMatchObject({ drainedAt: '2025-01-01T00:00:05.000Z', secondsBeforeTermination: 115 });
    expect(report.drains[0]).toMatchObject({ ec2InstanceId: id, interrupted: true });
  });

  it('loses the drained tasks whose replacements wait for a launch longer than the warning', () => {
    // Prepare: the spot instances are full, so replacements need a new instance (120 s launch).
    const sim = createSimulation({
      clusters: [aCluster({ services: [aService({ desiredCount: 12, runningCount: 12, strategy: [{ capacityProvider: 'spot', base: 0, weight: 1 }] })] })],
    });
    const [warning] = sim.interrupt('prod', 'spot', 1);
    const id = (warning!.detail as { 'instance-id': string })['instance-id'];

    // Act
    sim.advance(10);
    sim.updateContainerInstancesState('prod', [id.replace('i-', '')], 'DRAINING');
    sim.advance(400);

    // Assess
    const report = sim.report();
    expect(report.tasksLost.total).toBe(4);
    expect(report.scaleOuts[0]).toMatchObject({ time: '2025-01-01T00:00:10.000Z', capacityProvider: 'spot', reason: 'scale-out' });
    expect(sim.runningByProvider('prod').spot).toBe(12);
  });

  it('replaces the terminated instance after the launch delay', () => {
    const sim = createSimulation({ clusters: [aCluster()], providers: { spot: { launchDelaySeconds: 60 } } });
    sim.interrupt('prod', 'spot', 1);
    sim.advance(120);
    const active = () => [...sim.cluster('prod').instances.values()].filter((i) => i.provider === 'spot' && i.status === 'ACTIVE').length;
    expect(active()).toBe(2);
    sim.advance(59);
    expect(active()).toBe(2);
    sim.advance(1);
    expect(active()).toBe(3);
    expect(sim.report().scaleOuts).toMatchObject([{ capacityProvider: 'spot', reason: 'replacement', time: '2025-01-01T00:02:00.000Z' }]);
  });

  it('picks the same instances for the same seed', () => {
    const pick = (seed: number) =>
      createSimulation({ clusters: [aCluster()], seed })
        .interrupt('prod', 'spot', 2)
        .map((e) => (e.detail as { 'instance-id': string })['instance-id']);
    expect(pick(42)).toEqual(pick(42));
    expect(new Set(pick(42)).size).toBe(2);
  });

  it('interrupts Fargate Spot tasks with an ECS Task State Change and starts replacements at once', () => {
    const sim = createSimulation({
      clusters: [
        {
          cluster: 'prod',
          capacityProviders: [
            { name: 'FARGATE_SPOT', type: 'FARGATE_SPOT' },
            { name: 'FARGATE', type: 'FARGATE' },
          ],
          services: [aService({ desiredCount: 4, runningCount: 4, strategy: [{ capacityProvider: 'FARGATE_SPOT', base: 0, weight: 1 }] })],
          containerInstances: [],
          alarms: {},
        },
      ],
    });
    const [event] = sim.interrupt('prod', 'FARGATE_SPOT', 1);
    expect(event).toMatchObject({ 'detail-type': 'ECS Task State Change', detail: { stopCode: 'SpotInterruption', desiredStatus: 'STOPPED' } });
    sim.advance(30);
    expect(sim.runningByProvider('prod').FARGATE_SPOT).toBe(5);
    sim.advance(90);
    expect(sim.runningByProvider('prod').FARGATE_SPOT).toBe(4);
  });
});

describe('capacity', () => {
  it('scales a provider out when tasks do not fit and places them after the launch delay', () => {
    const sim = createSimulation({ clusters: [aCluster()] });
    sim.updateService('prod', 'web', { desiredCount: 30 });
    sim.advance(119);
    const before = sim.runningByProvider('prod');
    sim.advance(31);
    // 30 tasks: od base 2, then 28 at 3:1 → spot 21, od 9; spot's 12 slots are full until 3 more instances register.
    expect(before).toEqual({ spot: 12, od: 9 });
    expect(sim.runningByProvider('prod')).toEqual({ spot: 21, od: 9 });
    expect(sim.report().scaleOuts).toMatchObject([{ capacityProvider: 'spot', launched: 3, time: '2025-01-01T00:00:00.000Z' }]);
  });

  it('reports SERVICE_TASK_PLACEMENT_FAILURE once when a provider has no capacity to give', () => {
    // Prepare: spot is full (12 tasks on 3 × 4 slots) and its pools are empty.
    const sim = createSimulation({
      clusters: [aCluster({ services: [aService({ desiredCount: 12, runningCount: 12, strategy: [{ capacityProvider: 'spot', base: 0, weight: 1 }] })] })],
    });
    sim.setCapacityAvailable('prod', 'spot', false);

    // Act: lose a spot instance; its tasks cannot come back on spot.
    sim.interrupt('prod', 'spot', 1);
    sim.advance(300);

    // Assess
    const failures = sim.events.items.filter((e) => e['detail-type'] === 'ECS Service Action');
    expect(failures).toHaveLength(1);
    expect(shape(failures[0])).toEqual(shape(fixtureEvent('ecs-service-action-placement-failure')));
    expect(failures[0]).toMatchObject({
      resources: ['arn:aws:ecs:us-east-1:123456789012:service/prod/web'],
      detail: { capacityProviderArns: ['arn:aws:ecs:us-east-1:123456789012:capacity-provider/spot'], clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod' },
    });
    expect(sim.report().placementFailures).toMatchObject([{ service: 'web', capacityProvider: 'spot' }]);
  });
});

describe('alarms', () => {
  it('emits CloudWatch Alarm State Change on a transition only, and keeps the history', () => {
    const sim = createSimulation({ clusters: [aCluster()] });
    sim.advance(60);
    const event = sim.setAlarm('prod-spot-interruptions', 'ALARM');
    const again = sim.setAlarm('prod-spot-interruptions', 'ALARM');
    expect(again).toBeUndefined();
    // reasonData is optional in alarm events (DESIGN: "may be absent"); the simulator leaves it out.
    const sample = fixtureEvent('cloudwatch-alarm-state-change') as { detail: Record<'state' | 'previousState', Record<string, unknown>> };
    delete sample.detail.state.reasonData;
    delete sample.detail.previousState.reasonData;
    const dimensionsOf = (e: unknown) => (e as { detail: { configuration: { metrics: { metricStat: { metric: Record<string, unknown> } }[] } } }).detail.configuration.metrics[0]!.metricStat.metric;
    delete dimensionsOf(sample).dimensions;
    delete dimensionsOf(event).dimensions;
    expect(shape(event)).toEqual(shape(sample));
    expect(event).toMatchObject({
      time: '2025-01-01T00:01:00Z',
      detail: { alarmName: 'prod-spot-interruptions', state: { value: 'ALARM', timestamp: '2025-01-01T00:01:00.000+0000' }, previousState: { value: 'OK' } },
    });
    expect(sim.alarms.history).toHaveLength(1);
    expect(sim.report().alarmChanges).toEqual([{ time: '2025-01-01T00:01:00.000Z', alarmName: 'prod-spot-interruptions', from: 'OK', to: 'ALARM' }]);
  });
});

describe('report', () => {
  it('samples running tasks per provider on changes and at each advance', () => {
    const sim = createSimulation({ clusters: [aCluster()] });
    sim.updateService('prod', 'web', { capacityProviderStrategy: onDemandOnly, forceNewDeployment: true });
    sim.advance(200);
    const samples = sim.report().running.prod!;
    expect(samples[0]).toEqual({ t: 0, time: '2025-01-01T00:00:00.000Z', byProvider: { spot: 6, od: 4 } });
    expect(samples.at(-1)).toMatchObject({ t: 200, byProvider: { spot: 0, od: 10 } });
    expect(samples.some((s) => s.t === 30)).toBe(true);
    expect(sim.report().strategies).toEqual({ 'prod/web': onDemandOnly });
  });
});
