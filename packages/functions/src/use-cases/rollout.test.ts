import { RolloutInputError, ValidationError, planRollout, parseRolloutInput, rolloutExecutionName } from '@ecs-rebalancer/core';
import type { AlarmStateValue, AlarmTransition, RolloutPlan, ServiceDeployment, ServiceState, Strategy } from '@ecs-rebalancer/core';
import { aService } from '@ecs-rebalancer/core/test-support';
import { describe, expect, it } from 'vitest';
import type { Log } from '../ports.js';
import type {
  RolloutAlarmReader,
  RolloutDeployments,
  RolloutExecutions,
  RolloutKillSwitch,
  RolloutService,
  RolloutServiceReader,
  RolloutStrategyWriter,
  RolloutTaskCounter,
  RunningExecution,
} from '../rollout-ports.js';
import { handleRolloutTask } from './rollout.js';
import type { DeploymentWatch, RollbackWatch, RolloutDeps, RolloutState } from './rollout.js';

const providers = [
  { name: 'od-x86', type: 'EC2_AUTOSCALING' as const },
  { name: 'od-arm', type: 'EC2_AUTOSCALING' as const },
];
const START: Strategy = [{ capacityProvider: 'od-x86', base: 0, weight: 1 }];
const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:rollout';
const SELF = `arn:aws:states:us-east-1:123456789012:execution:rollout:${rolloutExecutionName('prod', 'web', '2025-01-01T00:00:00Z')}`;

/** An in-memory service: apply starts an IN_PROGRESS PRIMARY deployment that the test completes or fails. */
class FakeService implements RolloutServiceReader, RolloutStrategyWriter, RolloutTaskCounter {
  service: ServiceState = aService({ desiredCount: 8, strategy: START });
  current: ServiceDeployment[] = [{ id: 'ecs-svc/0', status: 'PRIMARY', rolloutState: 'COMPLETED' }];
  readonly applied: Strategy[] = [];
  running: Record<string, number> = { 'od-x86': 6, 'od-arm': 2 };

  async read(cluster: string): Promise<RolloutService> {
    return { cluster: { cluster, capacityProviders: providers }, service: structuredClone(this.service), serviceArn: 'arn:svc', deployments: structuredClone(this.current) };
  }
  async deployments(): Promise<RolloutDeployments> {
    const { strategy, baseline, fallbackSince } = structuredClone(this.service);
    return { serviceArn: 'arn:svc', strategy, baseline, fallbackSince, deployments: structuredClone(this.current) };
  }
  async apply(target: { strategy: Strategy }): Promise<{ deploymentId: string }> {
    this.applied.push(target.strategy);
    this.service.strategy = target.strategy;
    const id = `ecs-svc/${this.applied.length}`;
    this.current = [{ id, status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }, ...this.current.map((d) => ({ ...d, status: 'ACTIVE' }))];
    return { deploymentId: id };
  }
  readonly rebased: { baseline: Strategy; fallbackSince: string | null }[] = [];
  async rebaseFallback(target: { baseline: Strategy; fallbackSince: string | null }): Promise<boolean> {
    if (this.service.baseline === null || this.service.fallbackSince !== target.fallbackSince) return false;
    this.rebased.push({ baseline: target.baseline, fallbackSince: target.fallbackSince });
    this.service.baseline = target.baseline;
    return true;
  }
  async runningByProvider(): Promise<Record<string, number>> {
    return { ...this.running };
  }
  finish(rolloutState: 'COMPLETED' | 'FAILED', reason?: string): void {
    this.current = [{ ...this.current[0]!, rolloutState, ...(reason ? { rolloutStateReason: reason } : {}) }];
  }
}

class FakeAlarms implements RolloutAlarmReader {
  constructor(
    public current: Record<string, AlarmStateValue>,
    public transitions: AlarmTransition[] = [],
  ) {}
  readonly historyCalls: { since: string; until: string }[] = [];
  async states(names: readonly string[]) {
    return Object.fromEntries(names.filter((n) => n in this.current).map((n) => [n, this.current[n]!]));
  }
  async history(names: readonly string[], since: Date, until: Date) {
    this.historyCalls.push({ since: since.toISOString(), until: until.toISOString() });
    return this.transitions.filter((t) => names.includes(t.alarmName) && t.timestamp >= since.toISOString() && t.timestamp <= until.toISOString());
  }
}

class FakeExecutions implements RolloutExecutions {
  constructor(
    public runningNow: RunningExecution[] = [],
    public inputs: Record<string, unknown> = {},
  ) {}
  async running() {
    return this.runningNow;
  }
  async input(arn: string) {
    return this.inputs[arn];
  }
}

const silent: Log = { debug() {}, info() {}, warn() {}, error() {} };

/** A kill switch the test turns: `mode` is read at every call, as SSM would be past its cache. */
class FakeSwitch implements RolloutKillSwitch {
  current: 'active' | 'paused' | 'dry-run' = 'active';
  async mode() {
    return { mode: this.current, source: 'ssm:/ecs-rebalancer/kill-switch' };
  }
}

function setup(options: { alarms?: Record<string, AlarmStateValue>; history?: AlarmTransition[]; running?: RunningExecution[]; inputs?: Record<string, unknown>; dryRunPolicy?: boolean } = {}) {
  let now = Date.parse('2025-01-01T00:00:00Z');
  const ecs = new FakeService();
  const alarms = new FakeAlarms(options.alarms ?? { 'web-5xx': 'OK' }, options.history);
  const executions = new FakeExecutions(options.running, options.inputs);
  const killSwitch = new FakeSwitch();
  const deps: RolloutDeps = {
    services: ecs,
    strategies: ecs,
    tasks: ecs,
    alarms,
    executions,
    killSwitch,
    policy: { dryRun: options.dryRunPolicy ?? false },
    clock: () => new Date(now),
    log: silent,
  };
  return { ecs, alarms, executions, killSwitch, deps, advance: (s: number) => (now += s * 1000) };
}

const rawInput = (extra: Record<string, unknown> = {}) => ({ cluster: 'prod', service: 'web', from: 'od-x86', to: 'od-arm', steps: [25, 50, 100], alarms: ['web-5xx'], ...extra });
const aPlan = (extra: Record<string, unknown> = {}): RolloutPlan =>
  planRollout(parseRolloutInput(rawInput(extra)), aService({ desiredCount: 8, strategy: START }), { cluster: 'prod', capacityProviders: providers });
const planEvent = (extra: Record<string, unknown> = {}) => ({ action: 'plan', input: rawInput(extra), executionArn: SELF, stateMachineArn: SM });

async function refusal(promise: Promise<unknown>): Promise<RolloutInputError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RolloutInputError) return error;
    throw error;
  }
  throw new Error('expected a RolloutInputError');
}

describe('rollout: plan', () => {
  it('plans the rollout and starts at step 0', async () => {
    const { deps } = setup();

    const state = (await handleRolloutTask(planEvent(), deps)) as RolloutState;

    expect(state.index).toBe(0);
    expect(state.done).toEqual([]);
    expect(state.plan.percents).toEqual([25, 50, 100]);
    expect(state.plan.start).toEqual(START);
  });

  it('rejects a malformed input with its path', async () => {
    const { deps } = setup();

    await expect(handleRolloutTask(planEvent({ steps: [50, 25] }), deps)).rejects.toThrow(ValidationError);
  });

  it.each([
    { name: 'named for the same service', running: [{ executionArn: 'arn:other', name: rolloutExecutionName('prod', 'web', '2024-12-31T00:00:00Z') }], inputs: {} },
    { name: 'named by hand, same service in its input', running: [{ executionArn: 'arn:hand', name: 'my-migration' }], inputs: { 'arn:hand': { cluster: 'prod', service: 'web' } } },
  ])('refuses a second rollout of the service: one $name', async ({ running, inputs }) => {
    const { deps } = setup({ running, inputs });

    const error = await refusal(handleRolloutTask(planEvent(), deps));

    expect(error.path).toBe('service');
    expect(error.message).toMatch(/another rollout of prod\/web is running: arn:(other|hand)/);
  });

  it.each([
    { name: 'itself', running: [{ executionArn: SELF, name: 'x' }], inputs: {} },
    { name: 'a rollout of another service', running: [{ executionArn: 'arn:api', name: rolloutExecutionName('prod', 'api', '2025-01-01T00:00:00Z') }], inputs: {} },
    { name: 'a hand-named rollout of another service', running: [{ executionArn: 'arn:hand', name: 'other' }], inputs: { 'arn:hand': { cluster: 'prod', service: 'api' } } },
  ])('is not blocked by $name', async ({ running, inputs }) => {
    const { deps } = setup({ running, inputs });

    await expect(handleRolloutTask(planEvent(), deps)).resolves.toMatchObject({ index: 0 });
  });

  it('refuses a watched alarm that does not exist, naming it', async () => {
    const { deps } = setup({ alarms: { 'web-5xx': 'OK' } });

    const error = await refusal(handleRolloutTask(planEvent({ alarms: ['web-5xx', 'web-latency'] }), deps));

    expect(error.path).toBe('alarms[1]');
    expect(error.message).toContain('alarm web-latency does not exist');
  });

  it('refuses a CODE_DEPLOY service', async () => {
    const { deps, ecs } = setup();
    ecs.service.deploymentController = 'CODE_DEPLOY';

    const error = await refusal(handleRolloutTask(planEvent(), deps));

    expect(error.message).toContain('CODE_DEPLOY');
  });
});

describe('rollout: a step', () => {
  it('applies the step strategy and polls until the deployment is COMPLETED, then records the split', async () => {
    // Prepare
    const { deps, ecs, advance } = setup();
    const plan = aPlan({ pollSeconds: 30 });

    // Act
    const applied = (await handleRolloutTask({ action: 'apply', plan, index: 0 }, deps)) as DeploymentWatch;
    advance(30);
    const first = (await handleRolloutTask({ action: 'check-deployment', plan, index: 0, deployment: applied, waitedSeconds: 30 }, deps)) as DeploymentWatch;
    ecs.finish('COMPLETED');
    advance(30);
    const second = (await handleRolloutTask({ action: 'check-deployment', plan, index: 0, deployment: first, waitedSeconds: 30 }, deps)) as DeploymentWatch;

    // Assess
    expect(ecs.applied).toEqual([plan.steps[0]!.strategy]);
    expect(applied).toMatchObject({ status: 'wait', deploymentId: 'ecs-svc/1', elapsedSeconds: 0, waitSeconds: 30 });
    expect(first).toMatchObject({ status: 'wait', elapsedSeconds: 30 });
    expect(second).toMatchObject({ status: 'done', elapsedSeconds: 60, bakeStart: '2025-01-01T00:01:00.000Z', runningTasks: { 'od-x86': 6, 'od-arm': 2 } });
  });

  it('a retried Apply whose UpdateService already took effect forces no second deployment', async () => {
    const { deps, ecs } = setup();
    const plan = aPlan();
    await handleRolloutTask({ action: 'apply', plan, index: 0 }, deps);

    const again = (await handleRolloutTask({ action: 'apply', plan, index: 0 }, deps)) as DeploymentWatch;

    expect(ecs.applied).toHaveLength(1);
    expect(again).toMatchObject({ status: 'wait', deploymentId: 'ecs-svc/1' });
  });

  it('a FAILED deployment fails the step with the reason', async () => {
    const { deps, ecs } = setup();
    const plan = aPlan();
    const applied = (await handleRolloutTask({ action: 'apply', plan, index: 1 }, deps)) as DeploymentWatch;
    ecs.finish('FAILED', 'ECS deployment circuit breaker: tasks failed to start.');

    const checked = (await handleRolloutTask({ action: 'check-deployment', plan, index: 1, deployment: applied, waitedSeconds: 30 }, deps)) as DeploymentWatch;

    expect(checked.status).toBe('failed');
    expect(checked.cause).toBe("step 2 of 3 (50% of od-x86's share on od-arm): deployment ecs-svc/1 FAILED: ECS deployment circuit breaker: tasks failed to start.");
  });

  it('a deployment still in progress at the timeout fails the step', async () => {
    const { deps } = setup();
    const plan = aPlan({ deploymentTimeoutSeconds: 60, pollSeconds: 30 });
    const applied = (await handleRolloutTask({ action: 'apply', plan, index: 0 }, deps)) as DeploymentWatch;

    const checked = (await handleRolloutTask({ action: 'check-deployment', plan, index: 0, deployment: { ...applied, elapsedSeconds: 30 }, waitedSeconds: 30 }, deps)) as DeploymentWatch;

    expect(checked.status).toBe('timeout');
    expect(checked.cause).toMatch(/not COMPLETED after 60 s \(IN_PROGRESS\)/);
  });

  it('stops when a Spot fallback began during the rollout', async () => {
    const { deps, ecs } = setup();
    ecs.service.baseline = START;

    const error = await refusal(handleRolloutTask({ action: 'apply', plan: aPlan(), index: 1 }, deps));

    expect(error.message).toMatch(/fell back off Spot during the rollout/);
    expect(ecs.applied).toEqual([]);
  });

  it('the bake begins when the deployment is done: its first Wait is 60 s when alarms are watched, the whole bake when none are', async () => {
    const { deps, ecs } = setup();
    for (const [alarms, wait] of [[['web-5xx'], 60], [[], 600]] as const) {
      const plan = aPlan({ alarms, bakeSeconds: 600 });
      const applied = (await handleRolloutTask({ action: 'apply', plan, index: 0 }, deps)) as DeploymentWatch;
      ecs.finish('COMPLETED');

      const done = (await handleRolloutTask({ action: 'check-deployment', plan, index: 0, deployment: applied, waitedSeconds: 30 }, deps)) as DeploymentWatch;

      expect(done, `alarms ${alarms.join(',') || 'none'}`).toMatchObject({ status: 'done', bakedSeconds: 0, waitSeconds: wait });
    }
  });

  const baking = (extra: Partial<DeploymentWatch> = {}): DeploymentWatch => ({
    status: 'baking',
    startedAt: '2025-01-01T00:00:00Z',
    elapsedSeconds: 30,
    waitSeconds: 60,
    bakeStart: '2025-01-01T00:00:00.000Z',
    bakedSeconds: 0,
    runningTasks: { 'od-x86': 6, 'od-arm': 2 },
    ...extra,
  });

  it('a quiet minute of a bake goes on baking, 60 s at a time, and reads the alarms since the bake began', async () => {
    const { deps, alarms, advance } = setup();
    const plan = aPlan({ bakeSeconds: 150 });
    advance(60);

    const first = (await handleRolloutTask({ action: 'check-alarms', plan, index: 0, deployment: baking(), done: [], waitedSeconds: 60 }, deps)) as DeploymentWatch;
    advance(60);
    const second = (await handleRolloutTask({ action: 'check-alarms', plan, index: 0, deployment: first, done: [], waitedSeconds: 60 }, deps)) as DeploymentWatch;

    expect(first).toMatchObject({ status: 'baking', bakedSeconds: 60, waitSeconds: 60 });
    expect(second).toMatchObject({ status: 'baking', bakedSeconds: 120, waitSeconds: 30 });
    expect(alarms.historyCalls).toEqual([
      { since: '2025-01-01T00:00:00.000Z', until: '2025-01-01T00:01:00.000Z' },
      { since: '2025-01-01T00:00:00.000Z', until: '2025-01-01T00:02:00.000Z' },
    ]);
  });

  it('a bake that has lasted its time passes and records the step', async () => {
    const { deps, advance } = setup();
    const plan = aPlan();
    advance(600);

    const result = (await handleRolloutTask({ action: 'check-alarms', plan, index: 0, deployment: baking({ bakedSeconds: 540 }), done: [], waitedSeconds: 60 }, deps)) as DeploymentWatch;

    expect(result).toMatchObject({ status: 'passed', bakedSeconds: 600 });
    expect(result.done).toEqual([
      { index: 0, percent: 25, strategy: plan.steps[0]!.strategy, expectedTasks: { 'od-x86': 6, 'od-arm': 2 }, runningTasks: { 'od-x86': 6, 'od-arm': 2 }, completedAt: '2025-01-01T00:10:00.000Z' },
    ]);
  });

  it('an alarm that went to ALARM a minute into the bake stops the step at the next look, naming the alarm and the step', async () => {
    const { deps, advance } = setup({ alarms: { 'web-5xx': 'OK' }, history: [{ alarmName: 'web-5xx', timestamp: '2025-01-01T00:01:10.000Z', newState: 'ALARM' }] });
    advance(120);

    const result = (await handleRolloutTask({ action: 'check-alarms', plan: aPlan(), index: 1, deployment: baking({ bakedSeconds: 60 }), done: [{ index: 0 } as never], waitedSeconds: 60 }, deps)) as DeploymentWatch;

    expect(result).toMatchObject({
      status: 'alarm',
      alarms: ['web-5xx'],
      cause: "step 2 of 3 (50% of od-x86's share on od-arm): alarm web-5xx entered ALARM at 2025-01-01T00:01:10.000Z during the bake (120 s into a 600 s bake)",
      done: [{ index: 0 }],
    });
  });

  it('restart-bake starts the bake again now, at most MAX_RESUMES times', async () => {
    const { deps, advance } = setup();
    advance(3600);
    const plan = aPlan();

    const result = await handleRolloutTask({ action: 'restart-bake', plan, deployment: baking({ status: 'alarm', bakedSeconds: 120, cause: 'alarm' }) }, deps);

    expect(result).toMatchObject({ status: 'baking', bakeStart: '2025-01-01T01:00:00.000Z', bakedSeconds: 0, waitSeconds: 60, resumes: 1 });
    expect(result).not.toHaveProperty('cause');
    await expect(handleRolloutTask({ action: 'restart-bake', plan, deployment: baking({ resumes: 3 }) }, deps)).rejects.toMatchObject({ name: 'RolloutFailedError' });
  });
});

describe('rollout: rollback', () => {
  it('puts the starting strategy back and fails with the reason once it is stable', async () => {
    // Prepare
    const { deps, ecs } = setup();
    const plan = aPlan();
    await handleRolloutTask({ action: 'apply', plan, index: 1 }, deps);

    // Act
    const started = (await handleRolloutTask({ action: 'rollback', plan, index: 1, failure: { Error: 'RolloutFailedError', Cause: 'step 2 of 3: alarm web-5xx is ALARM' } }, deps)) as RollbackWatch;
    ecs.finish('COMPLETED');
    const done = (await handleRolloutTask({ action: 'check-rollback', plan, rollback: started, waitedSeconds: 30 }, deps)) as RollbackWatch;

    // Assess
    expect(ecs.applied.at(-1)).toEqual(START);
    expect(started).toMatchObject({ status: 'wait', error: 'RolloutFailedError', reason: 'step 2 of 3: alarm web-5xx is ALARM' });
    expect(done).toMatchObject({
      status: 'done',
      error: 'RolloutFailedError',
      cause: 'step 2 of 3: alarm web-5xx is ALARM; restored prod/web to its starting strategy od-x86:0:1',
    });
  });

  it.each([
    { name: 'an abort keeps its error name', failure: { Error: 'RolloutAbortedError' }, error: 'RolloutAbortedError', reason: "aborted by the operator at step 2 of 3 (50% of od-x86's share on od-arm)" },
    {
      name: 'a Lambda error shows its message',
      failure: { Error: 'PermanentError', Cause: JSON.stringify({ errorType: 'PermanentError', errorMessage: 'updating web: AccessDeniedException', trace: [] }) },
      error: 'RolloutFailedError',
      reason: "step 2 of 3 (50% of od-x86's share on od-arm): PermanentError: updating web: AccessDeniedException",
    },
    { name: 'an unanswered approval', failure: { Error: 'States.Timeout' }, error: 'RolloutFailedError', reason: "step 2 of 3 (50% of od-x86's share on od-arm): nobody answered in time" },
  ])('$name', async ({ failure, error, reason }) => {
    const { deps } = setup();
    await handleRolloutTask({ action: 'apply', plan: aPlan(), index: 1 }, deps);

    const started = (await handleRolloutTask({ action: 'rollback', plan: aPlan(), index: 1, failure }, deps)) as RollbackWatch;

    expect(started).toMatchObject({ error, reason });
  });

  it('does not redeploy a service still on its starting strategy', async () => {
    const { deps, ecs } = setup();

    const started = (await handleRolloutTask({ action: 'rollback', plan: aPlan(), index: 0, failure: { Error: 'RolloutAbortedError' } }, deps)) as RollbackWatch;
    const done = (await handleRolloutTask({ action: 'check-rollback', plan: aPlan(), rollback: started, waitedSeconds: 0 }, deps)) as RollbackWatch;

    expect(ecs.applied).toEqual([]);
    expect(done.status).toBe('done');
    expect(done.error).toBe('RolloutAbortedError');
  });

  it('during an active Spot fallback, holds the providers the fallback zeroed and makes the starting strategy what the fallback restores', async () => {
    // Prepare: the rollout started from spot 3 + od-x86 1; at 50% a fallback moved every Spot weight onto od-arm.
    const { deps, ecs } = setup();
    const start: Strategy = [{ capacityProvider: 'spot', base: 0, weight: 3 }, { capacityProvider: 'od-x86', base: 0, weight: 1 }];
    const midRollout: Strategy = [{ capacityProvider: 'spot', base: 0, weight: 6 }, { capacityProvider: 'od-x86', base: 0, weight: 1 }, { capacityProvider: 'od-arm', base: 0, weight: 1 }];
    ecs.service.strategy = [{ capacityProvider: 'spot', base: 0, weight: 0 }, { capacityProvider: 'od-x86', base: 0, weight: 1 }, { capacityProvider: 'od-arm', base: 0, weight: 7 }];
    ecs.service.baseline = midRollout;
    ecs.service.fallbackSince = '2025-01-01T00:03:00.000Z';
    const plan = { ...aPlan(), start };

    // Act
    const started = (await handleRolloutTask({ action: 'rollback', plan, index: 1, failure: { Error: 'RolloutInputError', Cause: 'fell back' } }, deps)) as RollbackWatch;

    // Assess: no Spot weight back; the fallback (same fallbackSince) now restores the starting strategy, not the mix.
    expect(ecs.applied).toEqual([[{ capacityProvider: 'spot', base: 0, weight: 0 }, { capacityProvider: 'od-x86', base: 0, weight: 1 }]]);
    expect(ecs.rebased).toEqual([{ baseline: start, fallbackSince: '2025-01-01T00:03:00.000Z' }]);
    expect(ecs.service.baseline).toEqual(start);
    expect(ecs.service.fallbackSince).toBe('2025-01-01T00:03:00.000Z');
    expect(started.cause).toContain('a Spot fallback is active (since 2025-01-01T00:03:00.000Z): back to the starting strategy with spot held at 0; its restore returns to the starting strategy');
  });

  it('a rollback whose deployment fails ends as RolloutRollbackFailedError', async () => {
    const { deps, ecs } = setup();
    await handleRolloutTask({ action: 'apply', plan: aPlan(), index: 1 }, deps);
    const started = (await handleRolloutTask({ action: 'rollback', plan: aPlan(), index: 1, failure: { Error: 'RolloutFailedError', Cause: 'boom' } }, deps)) as RollbackWatch;
    ecs.finish('FAILED', 'tasks failed to start');

    const done = (await handleRolloutTask({ action: 'check-rollback', plan: aPlan(), rollback: started, waitedSeconds: 30 }, deps)) as RollbackWatch;

    expect(done.error).toBe('RolloutRollbackFailedError');
    expect(done.cause).toBe('boom; the rollback did not complete: deployment ecs-svc/2 FAILED: tasks failed to start');
  });
});

it('refuses an unknown action', async () => {
  const { deps } = setup();

  await expect(handleRolloutTask({ action: 'launch' }, deps)).rejects.toThrow(RolloutInputError);
});

describe('rollout: the kill switch and the policy dryRun', () => {
  it('paused: no rollout starts, and the reason names the switch', async () => {
    const { deps, killSwitch, ecs } = setup();
    killSwitch.current = 'paused';

    const error = await handleRolloutTask(planEvent(), deps).catch((e: unknown) => e as Error);

    expect(error).toMatchObject({ name: 'RolloutPausedError', message: 'the kill switch (ssm:/ecs-rebalancer/kill-switch) is paused: the rollout of prod/web is not started' });
    expect(ecs.applied).toEqual([]);
  });

  it.each([
    { name: 'the kill switch is dry-run', mode: 'dry-run' as const, policy: false, reason: 'the kill switch (ssm:/ecs-rebalancer/kill-switch) is dry-run' },
    { name: 'the policy has dryRun', mode: 'active' as const, policy: true, reason: 'the policy has dryRun: true' },
  ])('$name: the plan is a dry run (the state machine ends after it), with the reason', async ({ mode, policy, reason }) => {
    const { deps, killSwitch } = setup({ dryRunPolicy: policy });
    killSwitch.current = mode;

    const state = (await handleRolloutTask(planEvent(), deps)) as RolloutState;

    expect(state.plan).toMatchObject({ dryRun: true, dryRunReason: reason });
  });

  it('paused mid-rollout: the next step is not applied, and the rollback changes nothing either', async () => {
    // Prepare: step 1 is in place
    const { deps, killSwitch, ecs } = setup();
    const plan = aPlan();
    await handleRolloutTask({ action: 'apply', plan, index: 0 }, deps);
    killSwitch.current = 'paused';

    // Act
    const error = (await handleRolloutTask({ action: 'apply', plan, index: 1 }, deps).catch((e: unknown) => e)) as Error;
    const rolled = (await handleRolloutTask({ action: 'rollback', plan, index: 1, failure: { Error: error.name, Cause: JSON.stringify({ errorType: error.name, errorMessage: error.message }) } }, deps)) as RollbackWatch;
    const done = (await handleRolloutTask({ action: 'check-rollback', plan, rollback: rolled, waitedSeconds: 0 }, deps)) as RollbackWatch;

    // Assess
    expect(error.name).toBe('RolloutPausedError');
    expect(ecs.applied).toEqual([plan.steps[0]!.strategy]);
    expect(done).toMatchObject({ status: 'done', error: 'RolloutPausedError' });
    expect(done.cause).toBe(
      "the kill switch (ssm:/ecs-rebalancer/kill-switch) is paused: step 2 of 3 (50% of od-x86's share on od-arm) not applied; nothing rolled back: the kill switch (ssm:/ecs-rebalancer/kill-switch) is paused: prod/web stays on its current strategy",
    );
  });
});

