// A small timing harness: warm-up, then repeated runs until a sample count or a time budget is
// reached, summarised as median and p95. Medians and p95s, not means, because a 2-core CI
// box has GC pauses and noisy neighbours that drag a mean around.

/** Summary of repeated measurements, all in the unit they were taken in. */
export interface Stats {
  samples: number;
  median: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
}

export interface MeasureOptions {
  /** Runs discarded before measuring, so the JIT has compiled the hot path. */
  warmupRuns?: number;
  /** Keep warming up at least this long (ms). */
  warmupMs?: number;
  /** Stop after this many samples… */
  maxSamples?: number;
  /** …or when this much time (ms) has been spent measuring, but not before `minSamples`. */
  budgetMs?: number;
  minSamples?: number;
}

const DEFAULTS: Required<MeasureOptions> = { warmupRuns: 20, warmupMs: 200, maxSamples: 500, budgetMs: 1500, minSamples: 30 };

// Results go here so the optimiser cannot drop a call whose value is never read.
let sink: unknown;
/** The last value a measured function returned (read it to keep the work observable). */
export const lastResult = (): unknown => sink;

/** Times `fn` synchronously and returns its per-call statistics in microseconds. */
export function measureSync(fn: () => unknown, options: MeasureOptions = {}): Stats {
  const o = { ...DEFAULTS, ...options };
  const warmupEnd = performance.now() + o.warmupMs;
  for (let i = 0; i < o.warmupRuns || performance.now() < warmupEnd; i++) sink = fn();

  const samples: number[] = [];
  const end = performance.now() + o.budgetMs;
  while (samples.length < o.maxSamples && (samples.length < o.minSamples || performance.now() < end)) {
    const start = process.hrtime.bigint();
    sink = fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return summarize(samples);
}

/** Median, p95 (nearest rank), mean, min and max of a non-empty list of values. */
export function summarize(values: readonly number[]): Stats {
  if (values.length === 0) throw new RangeError('summarize needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
  return {
    samples: sorted.length,
    median,
    p95: at(0.95),
    mean: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}
