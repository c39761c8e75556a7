import * as z from 'zod/mini';
import { ValidationError, type Problem } from '../errors.js';
import { safeParseEnglish, zodProblems } from '../zod-problems.js';
import { HISTORY_EVENT_BUDGET, MAX_RESUMES, RETRY_RESERVE, bakeChecks, worstCaseHistoryEvents } from './history.js';
import { DEFAULT_STEPS, MAX_ROLLOUT_STEPS, exponentialSteps, linearSteps } from './schedule.js';
import type { RolloutInput, StepSchedule } from './types.js';

export const DEFAULT_BAKE_SECONDS = 600;
export const DEFAULT_POLL_SECONDS = 30;
export const DEFAULT_DEPLOYMENT_TIMEOUT_SECONDS = 1800;
/** Looks at one deployment: bounded so that a rollout's history stays well under 25,000 events. */
export const MAX_POLLS_PER_DEPLOYMENT = 100;
/**
 * A day. Bakes are watched every 60 s, so the history budget (below) is what really bounds
 * them: steps × bake minutes, with room for the resumes.
 */
export const MAX_BAKE_SECONDS = 24 * 3600;

/** An integer from `min` to `max`. */
const intIn = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));
const nonEmpty = z.string().check(z.minLength(1));

export const rolloutInputSchema = z.strictObject({
  cluster: nonEmpty,
  service: nonEmpty,
  from: nonEmpty,
  to: nonEmpty,
  steps: z.optional(z.array(intIn(1, 100)).check(z.minLength(1), z.maxLength(MAX_ROLLOUT_STEPS))),
  linear: z.optional(intIn(1, MAX_ROLLOUT_STEPS)),
  exponential: z.optional(z.strictObject({ start: intIn(1, 99), factor: z._default(z.number().check(z.gt(1), z.lte(10)), 2) })),
  bakeSeconds: z._default(intIn(0, MAX_BAKE_SECONDS), DEFAULT_BAKE_SECONDS),
  alarms: z._default(z.array(nonEmpty).check(z.maxLength(100)), []),
  approval: z._default(z.enum(['none', 'manual'], { error: () => 'expected "none" or "manual"' }), 'none'),
  onAlarm: z._default(z.enum(['rollback', 'pause'], { error: () => 'expected "rollback" or "pause"' }), 'rollback'),
  dryRun: z._default(z.boolean(), false),
  pollSeconds: z._default(intIn(5, 3600), DEFAULT_POLL_SECONDS),
  deploymentTimeoutSeconds: z._default(intIn(60, 86_400), DEFAULT_DEPLOYMENT_TIMEOUT_SECONDS),
});

/** A rollout request as written by the operator (defaults may be missing). */
export type RolloutInputRaw = z.input<typeof rolloutInputSchema>;

/**
 * Validates a rollout request (the state machine's execution input, or what the CLI built
 * from its options) and fills in the defaults: bake 600 s, no alarms, approval none, onAlarm
 * rollback, polls every 30 s for up to 1800 s, steps 10, 25, 50, 100. The schedule is one of
 * `steps` (explicit percentages, strictly increasing, ending at 100), `linear` (a step count)
 * or `exponential` (`{start, factor}`), resolved here to percentages. Unknown keys are
 * rejected, and so is a rollout whose worst case (every deployment polled to its timeout,
 * every bake watched minute by minute to its end, MAX_RESUMES resumes, a rollback) would
 * write more than 80% of Step Functions' 25,000 history events. Throws a ValidationError naming every problem's path (`steps[2]`, `to`).
 */
export function parseRolloutInput(raw: unknown): RolloutInput {
  const result = safeParseEnglish(rolloutInputSchema, raw);
  if (!result.success) throw new ValidationError('invalid rollout input', zodProblems(result.error));
  const input = result.data;
  const problems: Problem[] = [];
  if (input.from === input.to) problems.push({ path: 'to', message: `must differ from "from" (${input.from})` });
  const given = (['steps', 'linear', 'exponential'] as const).filter((key) => input[key] !== undefined);
  if (given.length > 1) problems.push({ path: given[1]!, message: `give one of steps, linear or exponential, not ${given.join(' and ')}` });

  let steps: number[];
  let schedule: StepSchedule;
  if (input.steps) {
    schedule = 'steps';
    steps = input.steps;
    steps.forEach((p, i) => {
      if (i > 0 && p <= steps[i - 1]!) problems.push({ path: `steps[${i}]`, message: `must be greater than steps[${i - 1}] (${steps[i - 1]})` });
    });
    if (steps[steps.length - 1] !== 100) problems.push({ path: `steps[${steps.length - 1}]`, message: 'the last step must be 100' });
  } else if (input.linear !== undefined) {
    schedule = 'linear';
    steps = linearSteps(input.linear);
  } else if (input.exponential) {
    schedule = 'exponential';
    steps = exponentialSteps(input.exponential.start, input.exponential.factor);
    if (steps.length > MAX_ROLLOUT_STEPS) problems.push({ path: 'exponential', message: `gives ${steps.length} steps; at most ${MAX_ROLLOUT_STEPS}` });
  } else {
    schedule = 'default';
    steps = [...DEFAULT_STEPS];
  }
  if (input.deploymentTimeoutSeconds / input.pollSeconds > MAX_POLLS_PER_DEPLOYMENT) {
    problems.push({
      path: 'deploymentTimeoutSeconds',
      message: `allows ${Math.ceil(input.deploymentTimeoutSeconds / input.pollSeconds)} polls every ${input.pollSeconds} s; at most ${MAX_POLLS_PER_DEPLOYMENT} (raise pollSeconds)`,
    });
  }
  if (problems.length === 0) {
    const events = worstCaseHistoryEvents({
      steps: steps.length,
      pollsPerDeployment: Math.ceil(input.deploymentTimeoutSeconds / input.pollSeconds),
      bakeChecks: bakeChecks(input.bakeSeconds, input.alarms.length),
      manualApproval: input.approval === 'manual',
      resumes: input.onAlarm === 'pause' ? MAX_RESUMES : 0,
      retries: RETRY_RESERVE,
    });
    if (events > HISTORY_EVENT_BUDGET) {
      problems.push({
        path: 'bakeSeconds',
        message: `${steps.length} step(s) baking ${input.bakeSeconds} s each, watched every 60 s, may write ${events} Step Functions history events; at most ${HISTORY_EVENT_BUDGET} (80% of 25,000): shorten the bake or use fewer steps`,
      });
    }
  }
  const alarmSeen = new Set<string>();
  input.alarms.forEach((name, i) => {
    if (alarmSeen.has(name)) problems.push({ path: `alarms[${i}]`, message: `"${name}" is listed twice` });
    alarmSeen.add(name);
  });
  if (problems.length > 0) throw new ValidationError('invalid rollout input', problems);

  return {
    cluster: input.cluster,
    service: input.service,
    from: input.from,
    to: input.to,
    steps,
    schedule,
    bakeSeconds: input.bakeSeconds,
    alarms: input.alarms,
    approval: input.approval,
    onAlarm: input.onAlarm,
    dryRun: input.dryRun,
    pollSeconds: input.pollSeconds,
    deploymentTimeoutSeconds: input.deploymentTimeoutSeconds,
  };
}
