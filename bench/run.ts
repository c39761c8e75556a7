// Runs the benchmarks in sequence and prints a summary of their headline figures.
//
//   npm run bench                          every benchmark; writes bench/results/latest.json
//                                          and regenerates bench/README.md from it
//   npm run bench -- --quick               the small cases only (CI; under two minutes)
//   npm run bench -- --only core-decide    one (repeat --only for several)
//   npm run bench -- --list                names and descriptions
//
// Adding a benchmark: write bench/NAME.bench.ts whose default export is a Benchmark, and add
// its line to BENCHMARKS. Modules load lazily, so `--only` never pays for the others.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { RESULTS_DIR, environment, printTable, runBenchmark } from './benchmark.js';
import { LATEST_FILE, writeReadme } from './readme.js';
import type { Benchmark, Headline } from './benchmark.js';

interface Entry {
  name: string;
  load: () => Promise<{ default: Benchmark }>;
}

const BENCHMARKS: readonly Entry[] = [
  { name: 'interruption-storm', load: () => import('./interruption-storm.bench.js') },
  { name: 'decide-scaling', load: () => import('./decide-scaling.bench.js') },
  { name: 'bundle-size', load: () => import('./bundle-size.bench.js') },
  { name: 'core-decide', load: () => import('./core-decide.bench.js') },
  { name: 'simulator-storm', load: () => import('./simulator-storm.bench.js') },
];

function parseArgs(argv: readonly string[]): { only: string[]; list: boolean; quick: boolean } | string {
  const only: string[] = [];
  let list = false;
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--list') list = true;
    else if (arg === '--quick') quick = true;
    else if (arg === '--only' && argv[i + 1] !== undefined) only.push(...(argv[++i] ?? '').split(','));
    else if (arg?.startsWith('--only=')) only.push(...arg.slice('--only='.length).split(','));
    else return `unknown or incomplete argument "${arg}" (usage: bench/run.ts [--quick] [--only NAME[,NAME]] [--list])`;
  }
  const names = BENCHMARKS.map((b) => b.name);
  const unknown = only.filter((n) => !names.includes(n));
  if (unknown.length > 0) return `no benchmark named ${unknown.join(', ')} (known: ${names.join(', ')})`;
  return { only, list, quick };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(`bench: ${args}`);
    return 2;
  }
  const selected = BENCHMARKS.filter((b) => args.only.length === 0 || args.only.includes(b.name));
  if (args.list) {
    for (const entry of selected) console.log(`${entry.name.padEnd(16)} ${(await entry.load()).default.description}`);
    return 0;
  }

  const env = environment();
  console.log(`node ${String(env['node'])} · ${String(env['cpu'])} × ${String(env['cores'])} · ${String(env['platform'])}`);
  const summary: (Headline & { benchmark: string })[] = [];
  const results: Record<string, unknown> = {};
  const timings: { benchmark: string; seconds: number; ok: boolean; error?: string }[] = [];
  for (const entry of selected) {
    const start = performance.now();
    try {
      const benchmark = (await entry.load()).default;
      const { result } = await runBenchmark(benchmark);
      summary.push(...result.headlines.map((h) => ({ benchmark: entry.name, ...h })));
      results[entry.name] = { notes: result.notes, data: result.data };
      timings.push({ benchmark: entry.name, seconds: (performance.now() - start) / 1000, ok: true });
    } catch (error) {
      // One broken benchmark must not hide the others' figures.
      console.error(`\n${entry.name} failed:`, error);
      timings.push({ benchmark: entry.name, seconds: (performance.now() - start) / 1000, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }

  printTable('=== Summary', ['benchmark', 'case', 'metric', 'value'], summary.map((s) => [s.benchmark, s.case, s.metric, s.value]));
  const failed = timings.filter((t) => !t.ok);
  const total = timings.reduce((n, t) => n + t.seconds, 0);
  const ran = timings.length - failed.length;
  console.log(`\n${ran} benchmark${ran === 1 ? '' : 's'} ran, ${failed.length} failed, in ${total.toFixed(1)} s${failed.length > 0 ? ` (failed: ${failed.map((f) => f.benchmark).join(', ')})` : ''}`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const body = `${JSON.stringify({ environment: env, quick: args.quick, timings, summary, results }, null, 2)}\n`;
  writeFileSync(`${RESULTS_DIR}summary.json`, body);
  // Full-size runs stand for the project's figures (committed; the README is made from them):
  // an --only run replaces the figures of the benchmarks it ran and keeps the others'.
  if (!args.quick) {
    const previous = existsSync(LATEST_FILE) ? (JSON.parse(readFileSync(LATEST_FILE, 'utf8')) as { results?: Record<string, unknown>; timings?: typeof timings }) : {};
    const ok = new Set(timings.filter((t) => t.ok).map((t) => t.benchmark));
    const merged = {
      environment: env,
      timings: [...(previous.timings ?? []).filter((t) => !ok.has(t.benchmark)), ...timings.filter((t) => t.ok)],
      summary,
      results: { ...(previous.results ?? {}), ...Object.fromEntries(Object.entries(results).filter(([name]) => ok.has(name))) },
    };
    writeFileSync(LATEST_FILE, `${JSON.stringify(merged, null, 2)}\n`);
    console.log(`wrote ${LATEST_FILE} and ${writeReadme()}`);
  }
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
