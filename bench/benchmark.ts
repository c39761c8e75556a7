// What every benchmark module exports, and how its result is stored and printed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable } from './table.js';
import type { Cell } from './table.js';

/** `<repo>/bench/results/`: git-ignored; one JSON file per benchmark. */
export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

/** One line of the final summary `bench/run.ts` prints: a headline figure of a benchmark. */
export interface Headline {
  case: string;
  metric: string;
  value: string;
}

export interface BenchmarkResult {
  /** Headline figures for the summary table. */
  headlines: Headline[];
  /** Everything measured, written to bench/results/<name>.json. */
  data: unknown;
  /** Things the reader must know (a skipped input, a failed load). */
  notes: string[];
}

export interface Benchmark {
  /** Kebab-case; the JSON file and `--only` use it. */
  name: string;
  description: string;
  /** Prints its own tables as it goes and returns the result. */
  run(): Promise<BenchmarkResult>;
}

/** `--quick` (or BENCH_QUICK=1): the small cases only, for CI (under two minutes in all). */
export function isQuick(): boolean {
  return process.argv.includes('--quick') || process.env['BENCH_QUICK'] === '1';
}

/** The machine a result was measured on, stored beside the figures. */
export function environment(): Record<string, unknown> {
  const cpu = cpus();
  return {
    node: process.version,
    platform: `${platform()} ${release()}`,
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    // Other jobs on the machine: timings taken at a load above the core count are inflated.
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 10) / 10,
    date: new Date().toISOString(),
  };
}

/** Writes bench/results/<name>.json and returns its path. */
export function writeResult(name: string, result: BenchmarkResult, elapsedMs: number): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}${name}.json`;
  const body = { benchmark: name, environment: environment(), elapsedMs: Math.round(elapsedMs), notes: result.notes, headlines: result.headlines, data: result.data };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}

/** Prints a titled table. */
export function printTable(title: string, headers: readonly string[], rows: readonly (readonly Cell[])[]): void {
  console.log(`\n${title}\n${formatTable(headers, rows)}`);
}

/** Runs one benchmark, writes its JSON and prints its notes; returns the result and the time it took. */
export async function runBenchmark(benchmark: Benchmark): Promise<{ result: BenchmarkResult; elapsedMs: number; file: string }> {
  console.log(`\n=== ${benchmark.name}: ${benchmark.description}`);
  const start = performance.now();
  const result = await benchmark.run();
  const elapsedMs = performance.now() - start;
  for (const note of result.notes) console.log(`note: ${note}`);
  const file = writeResult(benchmark.name, result, elapsedMs);
  console.log(`\n${benchmark.name}: ${(elapsedMs / 1000).toFixed(1)} s, wrote ${file}`);
  return { result, elapsedMs, file };
}

/**
 * Lets a benchmark file run on its own (`npx tsx bench/core-decide.bench.ts`) as well as from
 * bench/run.ts: runs it when `moduleUrl` is the script node was started with.
 */
export function runIfMain(moduleUrl: string, benchmark: Benchmark): void {
  const entry = process.argv[1];
  if (entry === undefined || fileURLToPath(moduleUrl) !== resolve(entry)) return;
  runBenchmark(benchmark).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
