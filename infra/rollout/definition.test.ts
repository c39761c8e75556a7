import aslValidator from 'asl-validator';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import {
  EVENTS_PER_STATE,
  HISTORY_EVENT_BUDGET,
  HISTORY_EVENT_LIMIT,
  MAX_BAKE_SECONDS,
  MAX_POLLS_PER_DEPLOYMENT,
  MAX_RESUMES,
  MAX_ROLLOUT_STEPS,
  RETRY_RESERVE,
  RolloutErrorName,
  ValidationError,
  bakeChecks,
  parseRolloutInput,
  rolloutDefinition,
  worstCaseHistoryEvents,
} from '@ecs-rebalancer/core';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:rebalancer-rollout';
type States = Record<string, Record<string, unknown>>;
const definition = rolloutDefinition({ functionArn: FUNCTION_ARN });
const states = definition.States as States;

type Handler = (input: Record<string, unknown>) => unknown;

/** Runs the definition locally with every Task bound to `handler` and every Wait at 0 ms; counts AWS history events. */
async function run(handler: Handler, input: unknown = {}) {
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: true, checkPaths: true } });
  const taskNames = Object.keys(states).filter((n) => states[n]!.Type === 'Task');
  const waitNames = Object.keys(states).filter((n) => states[n]!.Type === 'Wait');
  const calls: Record<string, unknown>[] = [];
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: Object.fromEntries(
        taskNames.map((n) => [
          n,
          async (raw: unknown) => {
            const payload = ((raw as { Payload?: unknown }).Payload ?? raw) as Record<string, unknown>;
            calls.push(payload);
            return handler(payload) as never;
          },
        ]),
      ),
      waitTimeOverrides: Object.fromEntries(waitNames.map((n) => [n, 0])),
      retryIntervalOverrides: Object.fromEntries(taskNames.map((n) => [n, 0])),
    },
    context: {
      Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:rollout:x', Name: 'x', Input: input as never, StartTime: '2025-01-01T00:00:00Z' },
      StateMachine: { Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:rollout', Name: 'rollout' },
      Task: { Token: 'local-token' },
    },
  });
  let events = 0;
  const visited: string[] = [];
  const counting = (async () => {
    for await (const e of execution.eventLogs) {
      if (e.type === 'StateEntered') {
        const type = e.state.type;
        visited.push(e.state.name);
        const resource = String(states[e.state.name]?.Resource ?? '');
        events += type === 'Task' && resource.endsWith('.waitForTaskToken') ? EVENTS_PER_STATE.TaskToken : EVENTS_PER_STATE[type];
      }
      if (e.type === 'ExecutionStarted' || e.type === 'ExecutionSucceeded' || e.type === 'ExecutionFailed') events += 1;
    }
  })();
  let output: unknown;
  let error: { name: string; cause: unknown } | undefined;
  try {
    output = await execution.result;
  } catch (e) {
    // aws-local-stepfunctions throws an ExecutionError whose cause is the failure: its name is
    // the execution's error, its message the execution's cause.
    const failure = ((e as { cause?: unknown }).cause ?? e) as Error;
    error = { name: failure.name, cause: failure.message };
  }
  await counting;
  return { output, error, events, visited, calls };
}

const plan = (overrides: Record<string, unknown> = {}) => ({
  cluster: 'prod',
  service: 'web',
  percents: [25, 50, 100],
  stepCount: 3,
  bakeSeconds: 600,
  pollSeconds: 30,
  approval: 'none',
  onAlarm: 'rollback',
  dryRun: false,
  ...overrides,
});

/**
 * A fake rollout handler: deployments complete after `polls` looks; each bake takes `looks`
 * looks at the alarms (60 s apart); `alarmAt` fails that step's bake at its last look.
 */
function scripted(options: { plan?: Record<string, unknown>; polls?: number; looks?: number; alarmAt?: number; deploymentFailsAt?: number; rollbackPolls?: number } = {}): Handler {
  const polls = options.polls ?? 1;
  const looks = options.looks ?? 1;
  let seen = 0;
  let looked = 0;
  return (input) => {
    switch (input.action) {
      case 'plan':
        return { plan: plan(options.plan), index: 0, done: [] };
      case 'apply':
        seen = 0;
        return { waitSeconds: 30, elapsedSeconds: 0 };
      case 'check-deployment': {
        seen += 1;
        if (input.index === options.deploymentFailsAt) return { status: 'failed', cause: 'deployment ecs-svc/1 FAILED: circuit breaker' };
        looked = 0;
        return seen >= polls ? { status: 'done', waitSeconds: 60, bakedSeconds: 0 } : { status: 'wait', waitSeconds: 30, elapsedSeconds: seen * 30 };
      }
      case 'check-alarms':
        looked += 1;
        if (looked < looks) return { status: 'baking', waitSeconds: 60, bakedSeconds: looked * 60 };
        if (input.index === options.alarmAt) return { status: 'alarm', cause: 'step 2 (50%): alarm web-5xx entered ALARM', done: input.done };
        return { status: 'passed', waitSeconds: 0, done: [...(input.done as unknown[]), { index: input.index }] };
      case 'rollback':
        seen = 0;
        return { waitSeconds: 30, elapsedSeconds: 0, error: (input.failure as { Error: string }).Error, cause: `rolled back: ${(input.failure as { Cause: string }).Cause}` };
      case 'check-rollback':
        seen += 1;
        return { ...(input.rollback as object), status: seen >= (options.rollbackPolls ?? 1) ? 'done' : 'wait' };
      case 'restart-bake':
        looked = 0;
        return { ...(input.deployment as object), status: 'baking', waitSeconds: 60, bakeStart: '2025-01-01T01:00:00Z' };
      case 'await-approval':
      case 'await-resume':
        return { decision: 'approve' };
      default:
        throw new Error(`unexpected action ${String(input.action)}`);
    }
  };
}

describe('rolloutDefinition', () => {
  it('is valid ASL for asl-validator', () => {
    const { isValid, errorsText } = aslValidator(structuredClone(definition));

    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  it('is JSONPath, not JSONata (the local runner cannot run JSONata)', () => {
    expect(JSON.stringify(definition)).not.toMatch(/JSONata|\{%/);
  });

  it('binds every Lambda task to the function ARN', () => {
    const resources = Object.values(states).filter((s) => s.Type === 'Task').map((s) => s.Resource ?? (s.Parameters as { FunctionName?: string }).FunctionName);

    expect(resources.length).toBeGreaterThan(5);
    for (const r of resources) expect([FUNCTION_ARN, 'arn:aws:states:::lambda:invoke.waitForTaskToken']).toContain(r);
  });

  it('follows every Wait with a Task told how long it waited (the local runner advances its clock by it)', () => {
    const waits = Object.entries(states).filter(([, s]) => s.Type === 'Wait');

    expect(waits.length).toBe(3);
    for (const [, wait] of waits) {
      const next = states[wait.Next as string]!;
      expect(next.Type).toBe('Task');
      expect((next.Parameters as Record<string, unknown>)['waitedSeconds.$']).toBe(wait.SecondsPath);
    }
  });

  it('retries throttling with backoff and catches every failure on every task', () => {
    for (const [name, s] of Object.entries(states).filter(([, s]) => s.Type === 'Task')) {
      const retry = s.Retry as { ErrorEquals: string[]; BackoffRate: number }[];
      expect(retry.flatMap((r) => r.ErrorEquals), name).toEqual(expect.arrayContaining(['RetryableError', 'ThrottlingException', 'Lambda.TooManyRequestsException']));
      expect(retry.every((r) => r.BackoffRate > 1), name).toBe(true);
      expect((s.Catch as { ErrorEquals: string[] }[])[0]!.ErrorEquals, name).toEqual(['States.ALL']);
    }
  });
});

describe('rolloutDefinition, run locally with a scripted handler', () => {
  it('goes through every step and ends with the steps done', async () => {
    const result = await run(scripted({ polls: 2 }));

    expect(result.error).toBeUndefined();
    expect(result.output).toEqual({ cluster: 'prod', service: 'web', status: 'SUCCEEDED', steps: [{ index: 0 }, { index: 1 }, { index: 2 }] });
    expect(result.calls.filter((c) => c.action === 'apply').map((c) => c.index)).toEqual([0, 1, 2]);
    expect(result.calls.filter((c) => c.action === 'check-deployment').map((c) => c.waitedSeconds)).toEqual([30, 30, 30, 30, 30, 30]);
    expect(result.calls.filter((c) => c.action === 'check-alarms').map((c) => c.waitedSeconds)).toEqual([60, 60, 60]);
  });

  it('bakes in looks of at most 60 s: a 3-look bake looks 3 times per step, each told it waited 60 s', async () => {
    const result = await run(scripted({ looks: 3 }));

    expect(result.error).toBeUndefined();
    expect(result.calls.filter((c) => c.action === 'check-alarms').map((c) => `${String(c.index)}:${String(c.waitedSeconds)}`)).toEqual([
      '0:60', '0:60', '0:60', '1:60', '1:60', '1:60', '2:60', '2:60', '2:60',
    ]);
  });

  it('an alarm at the second look of a bake goes to the rollback at once, without waiting out the bake', async () => {
    const base = scripted({ looks: 10 });
    let looks = 0;
    const result = await run((input) => {
      if (input.action === 'check-alarms' && input.index === 1 && ++looks === 2) return { status: 'alarm', cause: 'alarm web-5xx is ALARM', done: input.done };
      return base(input);
    });

    expect(result.error).toEqual({ name: RolloutErrorName.Failed, cause: 'rolled back: alarm web-5xx is ALARM' });
    expect(result.calls.filter((c) => c.action === 'check-alarms' && c.index === 1)).toHaveLength(2);
  });

  it('a dry run stops after the plan and returns it', async () => {
    const result = await run(scripted({ plan: { dryRun: true } }));

    expect(result.output).toMatchObject({ percents: [25, 50, 100], dryRun: true });
    expect(result.calls.map((c) => c.action)).toEqual(['plan']);
  });

  it('an alarm in the second bake rolls back and fails with the cause', async () => {
    const result = await run(scripted({ alarmAt: 1, rollbackPolls: 2 }));

    expect(result.error).toEqual({ name: RolloutErrorName.Failed, cause: 'rolled back: step 2 (50%): alarm web-5xx entered ALARM' });
    expect(result.calls.map((c) => c.action).slice(-4)).toEqual(['check-alarms', 'rollback', 'check-rollback', 'check-rollback']);
    expect(result.calls.filter((c) => c.action === 'apply')).toHaveLength(2);
  });

  it('a failed deployment rolls back', async () => {
    const result = await run(scripted({ deploymentFailsAt: 0 }));

    expect(result.error?.name).toBe(RolloutErrorName.Failed);
    expect(result.error?.cause).toBe('rolled back: deployment ecs-svc/1 FAILED: circuit breaker');
  });

  it('a handler error rolls back with the error name kept', async () => {
    const base = scripted();
    const result = await run((input) => {
      if (input.action === 'apply' && input.index === 1) {
        const error = new Error('updating prod/web: AccessDeniedException');
        error.name = 'PermanentError';
        throw error;
      }
      return base(input);
    });

    expect(result.error).toEqual({ name: 'PermanentError', cause: 'rolled back: updating prod/web: AccessDeniedException' });
  });

  it('retries a RetryableError, then goes on', async () => {
    const base = scripted();
    let failures = 2;
    const result = await run((input) => {
      if (input.action === 'apply' && failures > 0) {
        failures -= 1;
        const error = new Error('ThrottlingException: Rate exceeded');
        error.name = 'RetryableError';
        throw error;
      }
      return base(input);
    });

    expect(result.error).toBeUndefined();
    expect(result.calls.filter((c) => c.action === 'apply')).toHaveLength(5);
  });

  it('a refused plan fails at once, without a rollback', async () => {
    const result = await run((input) => {
      if (input.action === 'plan') {
        const error = new Error('service: prod/web uses the CODE_DEPLOY deployment controller');
        error.name = 'RolloutInputError';
        throw error;
      }
      throw new Error('not reached');
    });

    expect(result.error).toEqual({ name: 'RolloutInputError', cause: 'service: prod/web uses the CODE_DEPLOY deployment controller' });
    expect(result.calls.map((c) => c.action)).toEqual(['plan']);
  });

  it('manual approval pauses before each step with the task token and the step', async () => {
    const result = await run(scripted({ plan: { approval: 'manual' } }));

    const approvals = result.calls.filter((c) => c.action === 'await-approval');
    expect(approvals.map((c) => ({ index: c.index, percent: c.percent, token: c.taskToken }))).toEqual([
      { index: 0, percent: 25, token: 'local-token' },
      { index: 1, percent: 50, token: 'local-token' },
      { index: 2, percent: 100, token: 'local-token' },
    ]);
    expect(result.error).toBeUndefined();
  });

  it('an abort at an approval rolls back as ABORTED', async () => {
    const base = scripted({ plan: { approval: 'manual' } });
    const result = await run((input) => {
      if (input.action === 'await-approval' && input.index === 1) {
        const error = new Error('aborted by the operator');
        error.name = RolloutErrorName.Aborted;
        throw error;
      }
      return base(input);
    });

    expect(result.error).toEqual({ name: RolloutErrorName.Aborted, cause: 'rolled back: aborted by the operator' });
  });

  it('onAlarm pause waits for the operator, then bakes the step again', async () => {
    let alarmed = false;
    const base = scripted({ plan: { onAlarm: 'pause' } });
    const result = await run((input) => {
      if (input.action === 'check-alarms' && input.index === 1 && !alarmed) {
        alarmed = true;
        return { status: 'alarm', cause: 'alarm web-5xx is ALARM', done: input.done };
      }
      return base(input);
    });

    expect(result.error).toBeUndefined();
    expect(result.calls.map((c) => c.action).filter((a) => a !== 'check-deployment')).toEqual([
      'plan', 'apply', 'check-alarms', 'apply', 'check-alarms', 'await-resume', 'restart-bake', 'check-alarms', 'apply', 'check-alarms',
    ]);
    expect(result.calls.find((c) => c.action === 'await-resume')).toMatchObject({ cause: 'alarm web-5xx is ALARM', index: 1 });
  });
});

describe('execution history', () => {
  it('the worst-case estimate matches a local run that polls every deployment and watches every bake to the limit', async () => {
    const shape = { steps: 3, pollsPerDeployment: 4, bakeChecks: 5, manualApproval: true };

    const result = await run(scripted({ plan: { approval: 'manual' }, polls: 4, looks: 5, alarmAt: 2, rollbackPolls: 4 }));

    expect(result.error?.name).toBe(RolloutErrorName.Failed);
    expect(result.events).toBe(worstCaseHistoryEvents(shape));
  });

  it('a bake minute costs 9 events (Wait, Task, Choice) while alarms are watched: a 10-minute bake 90, not 2', async () => {
    const one = await run(scripted({ looks: 1 }));
    const ten = await run(scripted({ looks: 10 }));

    expect((ten.events - one.events) / (3 * 9)).toBe(9);
  });

  it('default rollouts (4 steps, 10-minute bakes watched, 30 s polls for 30 min) stay under a seventh of the limit', () => {
    const input = parseRolloutInput({ cluster: 'c', service: 's', from: 'a', to: 'b', alarms: ['x'] });
    const events = worstCaseHistoryEvents({ steps: input.steps.length, pollsPerDeployment: input.deploymentTimeoutSeconds / input.pollSeconds, bakeChecks: bakeChecks(input.bakeSeconds, 1), manualApproval: true, resumes: MAX_RESUMES });

    expect(events).toBeLessThan(HISTORY_EVENT_LIMIT / 7);
  });

  it('the largest inputs the parser accepts stay under 80% of the limit, and one minute more of bake is refused', () => {
    // For each shape, the longest watched bake the parser accepts: the worst case stays within the budget.
    for (const steps of [1, 4, 10, MAX_ROLLOUT_STEPS]) {
      const base = { cluster: 'c', service: 's', from: 'a', to: 'b', linear: steps, alarms: ['x'], approval: 'manual', onAlarm: 'pause', pollSeconds: 18, deploymentTimeoutSeconds: 18 * MAX_POLLS_PER_DEPLOYMENT };
      const accepts = (bakeSeconds: number) => {
        try {
          parseRolloutInput({ ...base, bakeSeconds });
          return true;
        } catch (error) {
          if (error instanceof ValidationError) return false;
          throw error;
        }
      };
      let low = 0;
      let high = MAX_BAKE_SECONDS;
      while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (accepts(mid)) low = mid;
        else high = mid - 1;
      }
      const worst = worstCaseHistoryEvents({ steps, pollsPerDeployment: MAX_POLLS_PER_DEPLOYMENT, bakeChecks: bakeChecks(low, 1), manualApproval: true, resumes: MAX_RESUMES, retries: RETRY_RESERVE });

      expect(low, `${steps} steps`).toBeGreaterThanOrEqual(60);
      expect(worst, `${steps} steps, bake ${low} s`).toBeLessThanOrEqual(HISTORY_EVENT_BUDGET);
      expect(accepts(low + 60), `${steps} steps, bake ${low + 60} s`).toBe(false);
    }
  });
});
