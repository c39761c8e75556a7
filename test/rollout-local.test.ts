// Local rollouts end to end: the shared ASL definition under aws-local-stepfunctions, every
// Task bound to the real rollout handler, whose real adapters call the ECS simulator over the
// wire, on the simulator's virtual clock.
import type { ClusterState, ContainerInstanceState, StepRecord } from '@ecs-rebalancer/core';
import { startLocalRollout, runLocalRollout, simulationTime } from '@ecs-rebalancer/cli';
import type { LocalPause, LocalRollout } from '@ecs-rebalancer/cli';
import { createSimulation, startSimServer } from '@ecs-rebalancer/sim';
import type { Simulation } from '@ecs-rebalancer/sim';
import { afterEach, describe, expect, it } from 'vitest';

const START = [{ capacityProvider: 'od-x86', base: 0, weight: 1 }];

function hosts(provider: string, prefix: string, count: number, tasks: number[], instanceType: string): ContainerInstanceState[] {
  return Array.from({ length: count }, (_, i) => ({
    arn: `arn:aws:ecs:us-east-1:123456789012:container-instance/prod/${prefix}${i}`,
    ec2InstanceId: `i-${prefix}${String(i).padStart(4, '0')}`,
    capacityProvider: provider,
    status: 'ACTIVE' as const,
    runningTasks: tasks[i] ?? 0,
    availabilityZone: ['us-east-1a', 'us-east-1b', 'us-east-1c'][i % 3]!,
    instanceType,
  }));
}

/** A service of 8 tasks on od-x86 (m5.large, 4 slots each), with od-arm (m7g.large) attached and room on both. */
function aWorld(): Simulation {
  const cluster: ClusterState = {
    cluster: 'prod',
    capacityProviders: [
      { name: 'od-x86', type: 'EC2_AUTOSCALING' },
      { name: 'od-arm', type: 'EC2_AUTOSCALING' },
    ],
    services: [
      {
        name: 'web',
        desiredCount: 8,
        runningCount: 8,
        strategy: START,
        minimumHealthyPercent: 50,
        maximumPercent: 200,
        deploymentController: 'ECS',
        baseline: null,
        fallbackSince: null,
      },
    ],
    containerInstances: [...hosts('od-x86', 'a', 4, [2, 2, 2, 2], 'm5.large'), ...hosts('od-arm', 'b', 4, [], 'm7g.large')],
    alarms: { 'web-5xx': 'OK' },
  };
  return createSimulation({ clusters: [cluster], start: '2025-01-01T00:00:00Z', seed: 7 });
}

const input = (extra: Record<string, unknown> = {}) => ({
  cluster: 'prod',
  service: 'web',
  from: 'od-x86',
  to: 'od-arm',
  steps: [25, 50, 100],
  bakeSeconds: 300,
  alarms: ['web-5xx'],
  ...extra,
});

const closeAfter: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closeAfter.splice(0)) await close();
});

describe('a local rollout from od-x86 to od-arm in steps 25, 50, 100', () => {
  it('splits the running tasks as each step says, and ends with od-x86 at base 0 and weight 0', async () => {
    // Prepare
    const sim = aWorld();
    const runningAtStep: Record<string, number>[] = [];

    // Act
    const summary = await runLocalRollout(sim, input(), {
      onTask: (state, _event, result) => {
        if (state === 'CheckDeployment' && (result as { status: string }).status === 'done') runningAtStep.push(sim.runningByProvider('prod'));
      },
    });

    // Assess
    expect(summary.status).toBe('SUCCEEDED');
    expect(summary.steps.map((s: StepRecord) => s.percent)).toEqual([25, 50, 100]);
    expect(summary.steps.map((s: StepRecord) => s.expectedTasks)).toEqual([
      { 'od-x86': 6, 'od-arm': 2 },
      { 'od-x86': 4, 'od-arm': 4 },
      { 'od-x86': 0, 'od-arm': 8 },
    ]);
    summary.steps.forEach((step: StepRecord, i: number) => {
      for (const provider of ['od-x86', 'od-arm']) {
        // What the handler counted (ListTasks/DescribeTasks) and what the simulator holds agree with the plan.
        expect(Math.abs((step.runningTasks?.[provider] ?? 0) - step.expectedTasks[provider]!), `step ${i + 1} ${provider}`).toBeLessThanOrEqual(1);
        expect(Math.abs((runningAtStep[i]?.[provider] ?? 0) - step.expectedTasks[provider]!), `step ${i + 1} ${provider} in the simulator`).toBeLessThanOrEqual(1);
      }
    });
    expect(sim.report().strategies['prod/web']).toEqual([
      { capacityProvider: 'od-x86', base: 0, weight: 0 },
      { capacityProvider: 'od-arm', base: 0, weight: 4 },
    ]);
    // Each step's bake ran on the virtual clock: three bakes of 300 s at least.
    expect(sim.clock.elapsedSeconds()).toBeGreaterThanOrEqual(900);
  });

  it('rolls back when the alarm goes to ALARM during the second bake, and fails naming it', async () => {
    // Prepare
    const sim = aWorld();
    let alarmAt: string | undefined;

    // Act
    const summary = await runLocalRollout(sim, input(), {
      onTask: (state, event, result) => {
        // Once step 2's deployment is done, its bake begins: the alarm fires 60 s into it.
        if (state === 'CheckDeployment' && event.index === 1 && (result as { status: string }).status === 'done') {
          sim.clock.schedule(60, () => {
            alarmAt = sim.now();
            sim.setAlarm('web-5xx', 'ALARM', 'Threshold Crossed: 5xx rate above 1%');
          });
        }
      },
    });

    // Assess
    expect(alarmAt).toBeDefined();
    expect(summary.status).toBe('FAILED');
    expect(summary.error).toBe('RolloutFailedError');
    expect(summary.cause).toContain('web-5xx');
    expect(summary.cause).toMatch(/^step 2 of 3 \(50% of od-x86's share on od-arm\): alarm web-5xx is ALARM/);
    expect(summary.cause).toContain('restored prod/web to its starting strategy od-x86:0:1');
    expect(summary.steps.map((s: StepRecord) => s.percent)).toEqual([25]);
    expect(sim.report().strategies['prod/web']).toEqual(START);
    const rollback = sim.report().deployments.at(-1)!;
    expect(rollback).toMatchObject({ strategy: START, rolloutState: 'COMPLETED' });
    expect(sim.runningByProvider('prod')).toEqual({ 'od-x86': 8, 'od-arm': 0 });
  });

  it.each([
    { firesAt: 30, latency: 30, lookAt: 60 },
    { firesAt: 61, latency: 59, lookAt: 120 },
  ])('an alarm $firesAt s into a 10-minute bake rolls back $latency s later in virtual time (the look at $lookAt s), not at the end of the bake', async ({ firesAt, latency, lookAt }) => {
    // Prepare
    const sim = aWorld();
    let alarmAt: number | undefined;
    let bakeStartedAt: number | undefined;

    // Act
    const summary = await runLocalRollout(sim, input({ bakeSeconds: 600 }), {
      onTask: (state, event, result) => {
        if (state === 'CheckDeployment' && event.index === 0 && (result as { status: string }).status === 'done') {
          bakeStartedAt = sim.clock.now();
          sim.clock.schedule(firesAt, () => {
            alarmAt = sim.clock.now();
            sim.setAlarm('web-5xx', 'ALARM', 'Threshold Crossed: 5xx rate above 1%');
          });
        }
      },
    });

    // Assess: the rollback's UpdateService (the last deployment) started at the first look after the alarm.
    expect(summary).toMatchObject({ status: 'FAILED', error: 'RolloutFailedError' });
    expect(summary.cause).toMatch(new RegExp(`^step 1 of 3 \\(25% of od-x86's share on od-arm\\): alarm web-5xx is ALARM .* during the bake\\) \\(${lookAt} s into a 600 s bake\\)`));
    const rollback = sim.report().deployments.at(-1)!;
    expect(rollback.strategy).toEqual(START);
    expect(alarmAt! - bakeStartedAt!).toBe(firesAt * 1000);
    const seconds = (Date.parse(rollback.startedAt) - alarmAt!) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(latency);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(sim.report().strategies['prod/web']).toEqual(START);
  });

  it('the kill switch turned to paused during step 1 stops the rollout: step 2 never applied, nothing rolled back, the reason names the switch', async () => {
    // Prepare
    const sim = aWorld();
    let mode: 'active' | 'paused' = 'active';
    const killSwitch = { mode: async () => ({ mode, source: 'ssm:/ecs-rebalancer/kill-switch' }) };

    // Act: the operator pauses everything once step 1's deployment is done
    const summary = await runLocalRollout(sim, input(), {
      killSwitch,
      onTask: (state, event, result) => {
        if (state === 'CheckDeployment' && event.index === 0 && (result as { status: string }).status === 'done') mode = 'paused';
      },
    });

    // Assess
    expect(summary).toMatchObject({ status: 'FAILED', error: 'RolloutPausedError' });
    expect(summary.cause).toMatch(/^the kill switch \(ssm:\/ecs-rebalancer\/kill-switch\) is paused: step 2 of 3 .* not applied; nothing rolled back/);
    expect(sim.report().apiCalls.UpdateService).toBe(1);
  });

  it('under the policy dryRun a rollout only plans: no UpdateService, no tag written', async () => {
    const sim = aWorld();

    const summary = await runLocalRollout(sim, input(), { policy: { dryRun: true } });

    expect(summary.status).toBe('SUCCEEDED');
    expect(summary.plan).toMatchObject({ dryRun: true, dryRunReason: 'the policy has dryRun: true' });
    expect(sim.report().apiCalls.UpdateService).toBeUndefined();
    expect(sim.report().apiCalls.TagResource).toBeUndefined();
  });

  it('a dry run plans without changing the service', async () => {
    const sim = aWorld();

    const summary = await runLocalRollout(sim, input({ dryRun: true }));

    expect(summary.status).toBe('SUCCEEDED');
    expect(summary.plan?.steps.map((s) => s.strategy)).toHaveLength(3);
    expect(sim.report().apiCalls.UpdateService).toBeUndefined();
  });

  it('a CODE_DEPLOY service is refused before any change', async () => {
    const sim = aWorld();
    sim.clusters.get('prod')!.services.get('web')!.deploymentController = 'CODE_DEPLOY';

    const summary = await runLocalRollout(sim, input());

    expect(summary).toMatchObject({ status: 'FAILED', error: 'RolloutInputError' });
    expect(summary.cause).toContain('CODE_DEPLOY');
    expect(sim.report().apiCalls.UpdateService).toBeUndefined();
  });
});

describe('a local rollout with manual approval', () => {
  async function started(sim: Simulation, extra: Record<string, unknown> = {}) {
    const server = await startSimServer(sim);
    closeAfter.push(() => server.close());
    const pauses: LocalPause[] = [];
    let wake: (() => void) | undefined;
    const rollout: LocalRollout = startLocalRollout({
      input: input({ approval: 'manual', ...extra }),
      endpoint: server.endpoint,
      time: simulationTime(sim),
      onPause: (p) => {
        pauses.push(p);
        wake?.();
      },
    });
    const nextPause = () =>
      new Promise<LocalPause>((resolve) => {
        const count = pauses.length;
        const check = () => (pauses.length > count || rollout.pending() ? resolve(rollout.pending()!) : undefined);
        wake = check;
        check();
      });
    return { server, rollout, nextPause };
  }

  it('waits before each step and resumes when approved', async () => {
    // Prepare
    const sim = aWorld();
    const { rollout, nextPause } = await started(sim);

    // Act + Assess, pause by pause
    const first = await nextPause();
    expect(first).toEqual({ action: 'await-approval', index: 0, percent: 25 });
    const virtualBefore = sim.clock.now();
    await new Promise((r) => setTimeout(r, 20));
    expect(rollout.pending()).toEqual(first);
    expect(sim.clock.now()).toBe(virtualBefore);
    expect(sim.report().apiCalls.UpdateService).toBeUndefined();

    rollout.approve();
    const second = await new Promise<LocalPause>((resolve) => {
      const poll = () => (rollout.pending()?.index === 1 ? resolve(rollout.pending()!) : setTimeout(poll, 5));
      poll();
    });
    expect(second).toMatchObject({ index: 1, percent: 50 });
    expect(sim.report().strategies['prod/web']).toEqual([
      { capacityProvider: 'od-x86', base: 0, weight: 3 },
      { capacityProvider: 'od-arm', base: 0, weight: 1 },
    ]);
    rollout.approve();
    await new Promise<void>((resolve) => {
      const poll = () => (rollout.pending()?.index === 2 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    rollout.approve();

    const summary = await rollout.result;
    expect(summary.status).toBe('SUCCEEDED');
    expect(summary.steps).toHaveLength(3);
  });

  it('refuses a second rollout of the same service while the first runs', async () => {
    // Prepare
    const sim = aWorld();
    const { rollout, nextPause, server } = await started(sim);
    await nextPause();

    // Act
    const duplicate = await startLocalRollout({ input: input(), endpoint: server.endpoint, time: simulationTime(sim) }).result;

    // Assess
    expect(duplicate.status).toBe('FAILED');
    // The deployed check (the Plan task's running-executions rule) refused it, naming the first.
    expect(duplicate.error).toBe('RolloutInputError');
    expect(duplicate.cause).toBe(`service: another rollout of prod/web is running: arn:aws:states:us-east-1:123456789012:execution:ecs-rebalancer-rollout-local:${rollout.name}`);
    rollout.abort('not today');
    const first = await rollout.result;
    expect(first.status).toBe('ABORTED');
    expect(first.cause).toMatch(/^aborted by the operator at step 1 of 3 .*: not today; nothing rolled back: the service is on its starting strategy$/);
    expect(sim.report().apiCalls.UpdateService).toBeUndefined();
  });
});
