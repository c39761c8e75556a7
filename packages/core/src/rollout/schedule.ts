/** Step Functions keeps 25,000 history events; the step count bounds a rollout's history (infra/rollout). */
export const MAX_ROLLOUT_STEPS = 20;

/** The schedule used when the input names none (DESIGN.md's example). */
export const DEFAULT_STEPS: readonly number[] = [10, 25, 50, 100];

/**
 * `count` equal steps ending at 100 (4 → 25, 50, 75, 100), each percentage rounded to an
 * integer; steps that would round to the same percentage are merged.
 */
export function linearSteps(count: number): number[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`step count ${count} is not a positive integer`);
  const steps = Array.from({ length: count }, (_, i) => Math.round((100 * (i + 1)) / count));
  return [...new Set(steps)];
}

/**
 * Steps that grow by `factor` from `start` percent, then 100 (10, ×2 → 10, 20, 40, 80, 100),
 * each rounded to an integer and strictly greater than the one before.
 */
export function exponentialSteps(start: number, factor = 2): number[] {
  if (!(start >= 1 && start <= 100)) throw new RangeError(`start ${start} is not in 1–100`);
  if (!(factor > 1)) throw new RangeError(`factor ${factor} is not greater than 1`);
  const steps: number[] = [];
  for (let p = start; p < 100; p *= factor) {
    const rounded = Math.round(p);
    if (rounded >= 100) break;
    if (steps.length === 0 || rounded > steps[steps.length - 1]!) steps.push(rounded);
  }
  steps.push(100);
  return steps;
}
