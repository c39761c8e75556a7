import { describe, expect, it } from 'vitest';
import { aCluster, aService, fixtureEvent, instances, onDemandOnly } from '../test-support/builders.js';
import { createSimulation, type Simulation } from './simulation.js';

function tasksOn(sim: Simulation, ec2InstanceId: string, status = 'RUNNING'): number {
  const cluster = sim.cluster('prod');
  const inst = [...cluster.instances.values()].find((i) => i.ec2InstanceId === ec2InstanceId);
  return [...cluster.tasks.values()].filter((t) => t.instanceId === inst?.id && t.lastStatus === status).length;
}

/**
 * The example of EC2 Auto Scaling's "EC2 Instance Launch Unsuccessful" (Amazon EC2 Auto
 * Scaling User Guide, "Amazon EC2 Auto Scaling event reference"), to compare key paths.
 */
const AUTOSCALING_LAUNCH_UNSUCCESSFUL_SAMPLE = {
  version: '0',
  id: '12345678-1234-1234-1234-123456789012',
  'detail-type': 'EC2 Instance Launch Unsuccessful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: 'yyyy-mm-ddThh:mm:ssZ',
  region: 'us-west-2',
  resources: ['auto-scaling-group-arn', 'instance-arn'],
  detail: {
    StatusCode: 'Failed',
    AutoScalingGroupName: 'my-auto-scaling-group',
    ActivityId: '87654321-4321-4321-4321-210987654321',
    Details: { 'Availability Zone': 'us-west-2b', 'Subnet ID': 'subnet-12345678' },
    RequestId: '12345678-1234-1234-1234-123456789012',
    StatusMessage: 'message-text',
    EndTime: 'yyyy-mm-ddThh:mm:ss.sssZ',
    EC2InstanceId: 'i-1234567890abcdef0',
    StartTime: 'yyyy-mm-ddThh:mm:ss.sssZ',
    Cause: 'description-text',
  },
};

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

/** Every key path of a JSON value (`a.b`, arrays as `a[]`), to check that an event carries a sample's fields. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length > 0 ? keyPaths(value[0], `${prefix}[]`) : [];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [`${prefix}${prefix ? '.' : ''}${k}`, ...keyPaths(v, `${prefix}${prefix ? '.' : ''}${k}`)]);
  }
  return [];
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
    // Prepare: od has 8 slots, 4 used; when the metric is first read (60 s) a few of the new deployment's od tasks still wait: one more instance.
    const sim = createSimulation({ clusters: [aCluster({ containerInstances: [...instances('prod', 'spot', 3), ...instances('prod', 'od', 2)] })] });

    // Act
    sim.updateService('prod', 'web', { capacityProviderStrategy: onDemandOnly, forceNewDeployment: true });
    const atStart = sim.cluster('prod').services.get('web')!.deployments.map((d) => [d.status, d.rolloutState]);
    sim.advance(60);
    const midway = primary(sim)?.rolloutState;
    // Managed scaling sees the waiting tasks at the first metric period (60 s); the instances
    // run 60 s later and register 30 s after that (150 s); the tasks run 30 s after placement.
    sim.advance(120);

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
    expect(report.scaleOuts).toMatchObject([{ capacityProvider: 'od', launched: 1, reason: 'scale-out', time: '2025-01-01T00:01:00.000Z' }]);
    expect(report.deployments.at(-1)).toMatchObject({ rolloutState: 'COMPLETED', completedAt: '2025-01-01T00:03:00.000Z' });
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

  describe('follows minimumHealthyPercent and maximumPercent (4 tasks, all on the drained instance)', () => {
    // ECS, container instance draining: RUNNING service tasks on a DRAINING instance are
    // stopped as long as RUNNING stays at or above minimumHealthyPercent of desiredCount, and
    // replacements start as long as RUNNING + PENDING stays within maximumPercent. Tasks start
    // 30 s after placement.
    const rows = [
      { name: 'min 0 / max 100: stops all at once, then starts 4', min: 0, max: 100, at0: { old: 0, pending: 4 }, at30: { old: 0, running: 4 }, lowest: 0 },
      { name: 'min 0 / max 200: starts 4 and stops all at once', min: 0, max: 200, at0: { old: 0, pending: 4 }, at30: { old: 0, running: 4 }, lowest: 0 },
      { name: 'min 50 / max 100: stops half, starts 2, then the other half', min: 50, max: 100, at0: { old: 2, pending: 2 }, at30: { old: 0, running: 2 }, lowest: 2 },
      { name: 'min 50 / max 200: starts 4 and stops half at once', min: 50, max: 200, at0: { old: 2, pending: 4 }, at30: { old: 0, running: 4 }, lowest: 2 },
      { name: 'min 100 / max 100: can neither stop nor start', min: 100, max: 100, at0: { old: 4, pending: 0 }, at30: { old: 4, running: 4 }, lowest: 4 },
      { name: 'min 100 / max 200: stops the old tasks only once the replacements run', min: 100, max: 200, at0: { old: 4, pending: 4 }, at30: { old: 0, running: 4 }, lowest: 4 },
    ];
    it.each(rows)('$name', ({ min, max, at0, at30, lowest }) => {
      // Prepare: web's 4 tasks all on od0000; od0001 and od0002 have 8 free slots.
      const containerInstances = instances('prod', 'od', 3);
      containerInstances[0]!.runningTasks = 4;
      const service = aService({ desiredCount: 4, runningCount: 4, minimumHealthyPercent: min, maximumPercent: max, strategy: [{ capacityProvider: 'od', base: 0, weight: 1 }] });
      const sim = createSimulation({ clusters: [aCluster({ containerInstances, services: [service] })] });
      const svc = sim.cluster('prod').services.get('web')!;
      const before = tasksOn(sim, 'i-od0000');
      const running: number[] = [];

      // Act
      sim.updateContainerInstancesState('prod', ['od0000'], 'DRAINING');
      const first = { old: tasksOn(sim, 'i-od0000'), pending: sim.serviceCounts(svc).pending };
      running.push(sim.serviceCounts(svc).running);
      for (let t = 0; t < 30; t += 5) {
        sim.advance(5);
        running.push(sim.serviceCounts(svc).running);
      }
      const second = { old: tasksOn(sim, 'i-od0000'), running: sim.serviceCounts(svc).running };
      sim.advance(300);

      // Assess
      expect(before).toBe(4);
      expect(first).toEqual(at0);
      expect(second).toEqual(at30);
      expect(Math.min(...running)).toBe(lowest);
      expect(sim.serviceCounts(svc).running).toBe(4);
      expect(tasksOn(sim, 'i-od0000')).toBe(min === 100 && max === 100 ? 4 : 0);
    });
  });

  it('counts every drained instance of a service against one minimumHealthyPercent (50 / 200)', () => {
    // Prepare: web's 8 tasks on od0000 and od0001; od0002 and od0003 are free.
    const containerInstances = instances('prod', 'od', 4);
    containerInstances[0]!.runningTasks = 4;
    containerInstances[1]!.runningTasks = 4;
    const service = aService({ desiredCount: 8, runningCount: 8, minimumHealthyPercent: 50, strategy: [{ capacityProvider: 'od', base: 0, weight: 1 }] });
    const sim = createSimulation({ clusters: [aCluster({ containerInstances, services: [service] })] });

    // Act
    sim.updateContainerInstancesState('prod', ['od0000', 'od0001'], 'DRAINING');

    // Assess: half of the 8 stopped at once, across both instances, not half of each.
    expect(tasksOn(sim, 'i-od0000') + tasksOn(sim, 'i-od0001')).toBe(4);
    expect(sim.serviceCounts(sim.cluster('prod').services.get('web')!).running).toBe(4);
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

describe('service running counts', () => {
  it('keeps each service’s RUNNING count as a scan of its tasks finds it, through interruptions, drains, scale changes and Fargate Spot', () => {
    // Prepare
    const spot = createSimulation({ clusters: [aCluster()], seed: 3 });
    const fargate = createSimulation({
      seed: 3,
      clusters: [
        {
          cluster: 'prod',
          capacityProviders: [{ name: 'FARGATE_SPOT', type: 'FARGATE_SPOT' }],
          services: [aService({ desiredCount: 4, runningCount: 4, strategy: [{ capacityProvider: 'FARGATE_SPOT', base: 0, weight: 1 }] })],
          containerInstances: [],
          alarms: {},
        },
      ],
    });
    const mismatches: string[] = [];
    const check = (sim: Simulation, at: string) => {
      for (const svc of sim.cluster('prod').services.values()) {
        if (sim.serviceRunning(svc) !== sim.serviceCounts(svc).running) mismatches.push(`${at} ${svc.name}: ${sim.serviceRunning(svc)} ≠ ${sim.serviceCounts(svc).running}`);
      }
    };

    // Act
    check(spot, 'start');
    const warnings = spot.interrupt('prod', 'spot', 2);
    const warned = (warnings[0]!.detail as { 'instance-id': string })['instance-id'];
    const inst = [...spot.cluster('prod').instances.values()].find((i) => i.ec2InstanceId === warned)!;
    spot.updateContainerInstancesState('prod', [inst.arn], 'DRAINING');
    check(spot, 'drained');
    for (let s = 0; s < 8; s++) {
      spot.advance(20);
      check(spot, `t+${20 * (s + 1)}`);
    }
    spot.updateService('prod', 'web', { desiredCount: 2 });
    check(spot, 'scaled in');
    fargate.interrupt('prod', 'FARGATE_SPOT', 1);
    check(fargate, 'fargate notice');
    fargate.advance(150);
    check(fargate, 'fargate stopped');

    // Assess
    expect(mismatches).toEqual([]);
    expect(spot.serviceRunning(spot.cluster('prod').services.get('web')!)).toBeGreaterThan(0);
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
    // Prepare: the spot instances are full, so replacements need a new instance: managed
    // scaling asks for it at 60 s, it registers at 150 s, after the termination at 120 s.
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
    expect(report.scaleOuts[0]).toMatchObject({ time: '2025-01-01T00:01:00.000Z', capacityProvider: 'spot', reason: 'scale-out', launched: 1 });
    expect(sim.runningByProvider('prod').spot).toBe(12);
  });

  it('replaces the terminated instance after the launch and registration delays', () => {
    const sim = createSimulation({ clusters: [aCluster()], providers: { spot: { launchDelaySeconds: 50, registrationDelaySeconds: 20 } } });
    sim.interrupt('prod', 'spot', 1);
    sim.advance(120);
    const active = () => [...sim.cluster('prod').instances.values()].filter((i) => i.provider === 'spot' && i.status === 'ACTIVE').length;
    expect(active()).toBe(2);
    sim.advance(69);
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

  describe('Fargate Spot', () => {
    const fargateCluster = (strategy = [{ capacityProvider: 'FARGATE_SPOT', base: 0, weight: 1 }]) =>
      createSimulation({
        clusters: [
          {
            cluster: 'prod',
            capacityProviders: [
              { name: 'FARGATE_SPOT', type: 'FARGATE_SPOT' },
              { name: 'FARGATE', type: 'FARGATE' },
            ],
            services: [aService({ desiredCount: 4, runningCount: 4, strategy })],
            containerInstances: [],
            alarms: {},
          },
        ],
      });

    it('sends the termination notice, then a Task State Change per transition when the task stops 120 s later', () => {
      // Prepare
      const sim = fargateCluster();
      const emitted: Record<string, unknown>[] = [];
      sim.events.subscribe((e) => emitted.push(e as unknown as Record<string, unknown>));

      // Act
      const [notice] = sim.interrupt('prod', 'FARGATE_SPOT', 1);
      const taskArn = notice!.resources[0]!;
      const task = sim.task(sim.cluster('prod'), taskArn)!;
      const during = { lastStatus: task.lastStatus, desiredStatus: task.desiredStatus, stopCode: task.stopCode };
      sim.advance(119);
      const beforeStop = emitted.length;
      sim.advance(1);

      // Assess
      const common = {
        clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
        taskArn,
        group: 'service:web',
        capacityProviderName: 'FARGATE_SPOT',
        launchType: 'FARGATE',
        desiredStatus: 'STOPPED',
        stopCode: 'TerminationNotice',
        stoppedReason: 'Your Spot Task was interrupted.',
      };
      expect(notice).toMatchObject({ source: 'aws.ecs', 'detail-type': 'ECS Task State Change', time: '2025-01-01T00:00:00Z', resources: [taskArn], detail: { ...common, lastStatus: 'RUNNING' } });
      expect(beforeStop).toBe(1);
      expect(emitted.map((e) => (e.detail as { lastStatus: string }).lastStatus)).toEqual(['RUNNING', 'STOPPING', 'DEPROVISIONING', 'STOPPED']);
      for (const e of emitted.slice(1)) expect(e).toMatchObject({ time: '2025-01-01T00:02:00Z', resources: [taskArn], detail: common });
      expect(new Set(emitted.map((e) => e.id)).size).toBe(4);
      expect(emitted.map((e) => (e.detail as { version: number }).version)).toEqual([5, 6, 7, 8]);
      expect(emitted[3]?.detail).toMatchObject({ stoppedAt: '2025-01-01T00:02:00.000Z', containers: [{ lastStatus: 'STOPPED', exitCode: 137 }], attachments: [{ status: 'DELETED' }] });
      expect(during).toEqual({ lastStatus: 'RUNNING', desiredStatus: 'STOPPED', stopCode: 'TerminationNotice' });
      expect(task.lastStatus).toBe('STOPPED');
    });

    it('carries every field of the ECS sample event, plus the capacity provider and the stop', () => {
      const sim = fargateCluster();
      sim.interrupt('prod', 'FARGATE_SPOT', 1);
      sim.advance(120);
      const sample = new Set(keyPaths(fixtureEvent('ecs-task-state-change')));
      const [notice, , , stopped] = sim.events.items.map((e) => keyPaths(e));
      expect([...sample].filter((k) => !notice!.includes(k))).toEqual([]);
      expect(notice!.filter((k) => !sample.has(k)).sort()).toEqual(
        ['detail.capacityProviderName', 'detail.platformFamily', 'detail.startedBy', 'detail.stopCode', 'detail.stoppedReason'].sort(),
      );
      expect(stopped!.filter((k) => !sample.has(k)).sort()).toEqual(
        [
          'detail.capacityProviderName',
          'detail.containers[].exitCode',
          'detail.executionStoppedAt',
          'detail.platformFamily',
          'detail.startedBy',
          'detail.stopCode',
          'detail.stoppedAt',
          'detail.stoppedReason',
          'detail.stoppingAt',
        ].sort(),
      );
    });

    it('counts the task as lost and starts its replacement at once, by the strategy', () => {
      // Prepare: 3 on FARGATE_SPOT, 1 on FARGATE.
      const sim = fargateCluster([
        { capacityProvider: 'FARGATE_SPOT', base: 0, weight: 3 },
        { capacityProvider: 'FARGATE', base: 0, weight: 1 },
      ]);
      const initial = sim.runningByProvider('prod');

      // Act
      const [notice] = sim.interrupt('prod', 'FARGATE_SPOT', 1);
      sim.advance(30);
      const withReplacement = sim.runningByProvider('prod');
      sim.advance(90);

      // Assess
      expect(initial).toEqual({ FARGATE_SPOT: 3, FARGATE: 1 });
      expect(withReplacement).toEqual({ FARGATE_SPOT: 4, FARGATE: 1 });
      expect(sim.runningByProvider('prod')).toEqual({ FARGATE_SPOT: 3, FARGATE: 1 });
      const report = sim.report();
      expect(report.tasksLost).toEqual({ total: 1, byService: { 'prod/web': 1 } });
      expect(report.fargateSpotInterruptions).toEqual([
        {
          time: '2025-01-01T00:00:00.000Z',
          cluster: 'prod',
          taskArn: notice!.resources[0],
          service: 'web',
          capacityProvider: 'FARGATE_SPOT',
          stoppedAt: '2025-01-01T00:02:00.000Z',
          lost: true,
          eventIds: sim.events.items.map((e) => e.id),
        },
      ]);
    });

    it('waits for Fargate Spot capacity for the replacement when there is none, and reports the placement failure', () => {
      const sim = fargateCluster();
      sim.setCapacityAvailable('prod', 'FARGATE_SPOT', false);
      sim.interrupt('prod', 'FARGATE_SPOT', 1);
      sim.advance(120);
      expect(sim.runningByProvider('prod')).toEqual({ FARGATE_SPOT: 3, FARGATE: 0 });
      expect(sim.report().placementFailures).toMatchObject([{ service: 'web', capacityProvider: 'FARGATE_SPOT', reason: 'RESOURCE:FARGATE' }]);
    });
  });
});

describe('capacity', () => {
  it('scales a provider out when tasks do not fit and places them after the launch delay', () => {
    const sim = createSimulation({ clusters: [aCluster()] });
    sim.updateService('prod', 'web', { desiredCount: 30 });
    sim.advance(179);
    const before = sim.runningByProvider('prod');
    sim.advance(1);
    // 30 tasks: od base 2, then 28 at 3:1 → spot 21, od 9; spot's 12 slots are full until 3 more
    // instances register: CapacityProviderReservation at 60 s is (3 + ceil(9 / 4)) / 3 = 200 %.
    expect(before).toEqual({ spot: 12, od: 9 });
    expect(sim.runningByProvider('prod')).toEqual({ spot: 21, od: 9 });
    expect(sim.report().scaleOuts).toMatchObject([{ capacityProvider: 'spot', launched: 3, time: '2025-01-01T00:01:00.000Z', reservation: 200 }]);
  });

  it('fails the launches of a Spot group without capacity with EC2 Auto Scaling\'s event, retried every minute, and no ECS placement failure', () => {
    // Prepare: spot is full (12 tasks on 3 × 4 slots) and its pools are empty.
    const sim = createSimulation({
      clusters: [aCluster({ services: [aService({ desiredCount: 12, runningCount: 12, strategy: [{ capacityProvider: 'spot', base: 0, weight: 1 }] })] })],
    });
    sim.setCapacityAvailable('prod', 'spot', false);

    // Act: lose a spot instance; the group tries to replace it.
    sim.interrupt('prod', 'spot', 1);
    sim.advance(300);

    // Assess
    const launches = sim.events.items.filter((e) => e['detail-type'] === 'EC2 Instance Launch Unsuccessful');
    expect(launches.map((e) => e.time)).toEqual(['2025-01-01T00:02:00Z', '2025-01-01T00:03:00Z', '2025-01-01T00:04:00Z', '2025-01-01T00:05:00Z']);
    expect(keyPaths(launches[0]).sort()).toEqual(keyPaths(AUTOSCALING_LAUNCH_UNSUCCESSFUL_SAMPLE).sort());
    expect(launches[0]).toMatchObject({
      source: 'aws.autoscaling',
      resources: [expect.stringMatching(/^arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:[0-9a-f-]+:autoScalingGroupName\/spot-asg$/)],
      detail: {
        StatusCode: 'Failed',
        AutoScalingGroupName: 'spot-asg',
        StatusMessage: 'There is no Spot capacity available that matches your request. Launching EC2 instance failed.',
        EC2InstanceId: '',
        Cause: 'At 2025-01-01T00:02:00Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 2 to 3.',
      },
    });
    expect(sim.events.items.filter((e) => e['detail-type'] === 'ECS Service Action')).toHaveLength(0);
    expect(sim.report().launchFailures).toHaveLength(4);
    expect(sim.serviceCounts(sim.cluster('prod').services.get('web')!)).toEqual({ running: 8, pending: 4 });
  });

  it('reports SERVICE_TASK_PLACEMENT_FAILURE once for a provider without managed scaling that has no slot left', () => {
    const sim = createSimulation({
      clusters: [aCluster({ services: [aService({ desiredCount: 12, runningCount: 12, strategy: [{ capacityProvider: 'spot', base: 0, weight: 1 }] })] })],
      providers: { spot: { managedScaling: false } },
    });
    sim.updateService('prod', 'web', { desiredCount: 14 });
    sim.advance(300);
    const failures = sim.events.items.filter((e) => e['detail-type'] === 'ECS Service Action');
    expect(failures).toHaveLength(1);
    expect(shape(failures[0])).toEqual(shape(fixtureEvent('ecs-service-action-placement-failure')));
    expect(failures[0]).toMatchObject({
      resources: ['arn:aws:ecs:us-east-1:123456789012:service/prod/web'],
      detail: { capacityProviderArns: ['arn:aws:ecs:us-east-1:123456789012:capacity-provider/spot'], clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod', reason: 'RESOURCE:CPU' },
    });
    expect(sim.report().scaleOuts).toEqual([]);
  });
});
