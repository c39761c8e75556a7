import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { parseRolloutInput } from './input.js';
import { exponentialSteps, linearSteps } from './schedule.js';

const minimal = { cluster: 'prod', service: 'web', from: 'od-x86', to: 'od-arm' };

function problemsOf(raw: unknown): string[] {
  try {
    parseRolloutInput(raw);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('parseRolloutInput', () => {
  it('fills in the defaults', () => {
    expect(parseRolloutInput(minimal)).toEqual({
      ...minimal,
      steps: [10, 25, 50, 100],
      schedule: 'default',
      bakeSeconds: 600,
      alarms: [],
      approval: 'none',
      onAlarm: 'rollback',
      dryRun: false,
      pollSeconds: 30,
      deploymentTimeoutSeconds: 1800,
    });
  });

  it.each([
    { name: 'explicit steps', extra: { steps: [25, 50, 100] }, steps: [25, 50, 100], schedule: 'steps' },
    { name: 'linear', extra: { linear: 4 }, steps: [25, 50, 75, 100], schedule: 'linear' },
    { name: 'exponential', extra: { exponential: { start: 10 } }, steps: [10, 20, 40, 80, 100], schedule: 'exponential' },
    { name: 'exponential ×3', extra: { exponential: { start: 5, factor: 3 } }, steps: [5, 15, 45, 100], schedule: 'exponential' },
  ])('resolves $name', ({ extra, steps, schedule }) => {
    const input = parseRolloutInput({ ...minimal, ...extra });

    expect(input.steps).toEqual(steps);
    expect(input.schedule).toBe(schedule);
  });

  it.each([
    { name: 'a missing field', raw: { cluster: 'prod', service: 'web', from: 'od-x86' }, problem: 'to: required' },
    { name: 'an unknown key', raw: { ...minimal, bake: 10 }, problem: 'bake: unknown key' },
    { name: 'from equal to to', raw: { ...minimal, to: 'od-x86' }, problem: 'to: must differ from "from" (od-x86)' },
    { name: 'steps not increasing', raw: { ...minimal, steps: [50, 25, 100] }, problem: 'steps[1]: must be greater than steps[0] (50)' },
    { name: 'steps not ending at 100', raw: { ...minimal, steps: [10, 50] }, problem: 'steps[1]: the last step must be 100' },
    { name: 'a step above 100', raw: { ...minimal, steps: [10, 150] }, problem: 'steps[1]: Too big: expected number to be <=100' },
    { name: 'two schedules', raw: { ...minimal, steps: [100], linear: 2 }, problem: 'linear: give one of steps, linear or exponential, not steps and linear' },
    { name: 'a bad approval', raw: { ...minimal, approval: 'auto' }, problem: 'approval: expected "none" or "manual"' },
    { name: 'a bad onAlarm', raw: { ...minimal, onAlarm: 'ignore' }, problem: 'onAlarm: expected "rollback" or "pause"' },
    { name: 'an alarm twice', raw: { ...minimal, alarms: ['a', 'a'] }, problem: 'alarms[1]: "a" is listed twice' },
    {
      name: 'too many polls',
      raw: { ...minimal, pollSeconds: 5, deploymentTimeoutSeconds: 3600 },
      problem: 'deploymentTimeoutSeconds: allows 720 polls every 5 s; at most 100 (raise pollSeconds)',
    },
  ])('rejects $name with its path', ({ raw, problem }) => {
    expect(problemsOf(raw)).toContain(problem);
  });

  it('rejects a non-object', () => {
    expect(() => parseRolloutInput('prod/web')).toThrow(ValidationError);
  });
});

describe('step schedules', () => {
  it.each([
    { count: 1, steps: [100] },
    { count: 3, steps: [33, 67, 100] },
    { count: 10, steps: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100] },
  ])('linear $count', ({ count, steps }) => {
    expect(linearSteps(count)).toEqual(steps);
  });

  it('exponential steps are strictly increasing and end at 100', () => {
    expect(exponentialSteps(1, 1.5)).toEqual([1, 2, 3, 5, 8, 11, 17, 26, 38, 58, 86, 100]);
    expect(exponentialSteps(60)).toEqual([60, 100]);
  });

  it('refuses a rollout whose watched bakes could pass 80% of the 25,000-event history, naming bakeSeconds', () => {
    const raw = { ...minimal, linear: 20, alarms: ['web-5xx'], bakeSeconds: 3600 };

    expect(problemsOf(raw)).toEqual([expect.stringMatching(/^bakeSeconds: 20 step\(s\) baking 3600 s each, watched every 60 s, may write \d+ Step Functions history events; at most 20000/)]);
  });

  it('accepts the same bakes when no alarm is watched (one Wait per bake)', () => {
    expect(problemsOf({ ...minimal, linear: 20, bakeSeconds: 3600 })).toEqual([]);
  });

  it('accepts a day-long bake of one step with alarms, refuses it with alarm pauses (each resume bakes again)', () => {
    expect(problemsOf({ ...minimal, steps: [100], alarms: ['a'], bakeSeconds: 12 * 3600 })).toEqual([]);
    expect(problemsOf({ ...minimal, steps: [100], alarms: ['a'], bakeSeconds: 12 * 3600, onAlarm: 'pause' })[0]).toMatch(/^bakeSeconds: /);
  });
});

