// Generates bench/README.md from bench/results/latest.json: how to run and read the
// benchmarks, where the project stands against each target, and the figures. `npm run bench`
// calls it after a full run; `npx tsx bench/readme.ts` regenerates it from the file alone.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatBytes, formatNumber } from './table.js';
import type { Cell } from './table.js';
import type { StormBound, StormFigures } from './storm-figures.js';

export const LATEST_FILE = fileURLToPath(new URL('./results/latest.json', import.meta.url));
const README_FILE = fileURLToPath(new URL('./README.md', import.meta.url));
const KIB = 1024;

interface Latest {
  environment: Record<string, unknown>;
  timings: { benchmark: string; seconds: number }[];
  results: Record<string, { notes: string[]; data: unknown }>;
}

interface StormData {
  bounds: Record<string, StormBound>;
  figures: StormFigures[];
  latencyModel?: boolean;
}
interface DecideData {
  cells: { instances: number; signals: number; us: { median: number; p95: number } }[];
  growth: { from: string; to: string; size: number; time: number }[];
}
interface BundleData {
  coldStarts: number;
  bundles: { name: string; variant: string; bytes: number; gzipBytes: number; coldStart: { importMs: { median: number } | null; processMs: { median: number } | null } }[];
}

function table(headers: string[], rows: Cell[][]): string {
  // Markdown: the plain table's header line and body, with pipes.
  const line = (cells: readonly Cell[]) => `| ${cells.map((c) => (typeof c === 'number' ? formatNumber(c) : c)).join(' | ')} |`;
  return [line(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

const ms = (us: number) => formatNumber(us / 1000, 2);

function verdict(met: boolean | undefined): string {
  return met === undefined ? 'not measured' : met ? '**met**' : '**missed**';
}

/** The README text for a latest.json. */
export function renderReadme(latest: Latest): string {
  const storm = latest.results['interruption-storm']?.data as StormData | undefined;
  const decide = latest.results['decide-scaling']?.data as DecideData | undefined;
  const bundles = latest.results['bundle-size']?.data as BundleData | undefined;
  const env = latest.environment;
  const ours = (name: string) => storm?.figures.find((f) => f.storm === name && f.handler === 'rebalancer');
  const s1000 = ours('spot-storm-1000');
  const s5000 = ours('spot-storm-5000');
  const m15000 = ours('mixed-storm-15000');
  const react = bundles?.bundles.find((b) => b.name === 'react' && b.variant === 'sdk-bundled');
  const cell = decide?.cells.find((c) => c.instances === 5000 && c.signals === 1000);
  const instanceGrowth = decide?.growth.filter((g) => g.from.endsWith('×1000') && g.to.endsWith('×1000')) ?? [];
  const lastVsBound = (f: StormFigures | undefined) => {
    const b = f ? storm?.bounds[f.storm] : undefined;
    return f && b && f.lastDrainingSeconds !== null ? f.lastDrainingSeconds / b.lastDrainingSeconds : undefined;
  };
  const fmt = (n: number | undefined, d = 2) => (n === undefined ? '–' : formatNumber(n, d));
  const latency = storm?.latencyModel
    ? 'with the simulator’s latency model on (event delivery, every AWS call’s round trip, cold starts, concurrent pollers: packages/sim/README.md)'
    : 'without the latency model (virtual time stands still while a handler runs: the figure is the batching alone)';

  const targets: Cell[][] = [
    // Exact ratios: the stored figure is rounded to 3 decimals.
    ['ECS calls per interrupted instance ≤ 0.15 at N = 1,000', s1000 ? `${fmt(s1000.ecsCalls / s1000.targeted, 4)} (${s1000.ecsCalls} calls)` : '–', verdict(s1000 ? s1000.ecsCalls / s1000.targeted <= 0.15 : undefined)],
    ['ECS calls per interrupted instance ≤ 0.15 at N = 5,000', s5000 ? `${fmt(s5000.ecsCalls / s5000.targeted, 4)} (${s5000.ecsCalls} calls)` : '–', verdict(s5000 ? s5000.ecsCalls / s5000.targeted <= 0.15 : undefined)],
    ['no deadline missed at N = 5,000', s5000 ? String(s5000.deadlinesMissed) : '–', verdict(s5000 ? s5000.deadlinesMissed === 0 : undefined)],
    ['no deadline missed, mixed 15,000', m15000 ? String(m15000.deadlinesMissed) : '–', verdict(m15000 ? m15000.deadlinesMissed === 0 : undefined)],
    [
      `warning → DRAINING p99 ≤ 10 s (${storm?.latencyModel ? 'latency model on' : 'latency model not in the simulator yet'})`,
      s5000?.warningToDraining ? `${fmt(s5000.warningToDraining.p99)} s at 5,000` : '–',
      storm?.latencyModel ? verdict(s5000?.warningToDraining ? s5000.warningToDraining.p99 <= 10 : undefined) : 'not measurable yet',
    ],
    [
      'warning → DRAINING p99 ≤ 10 s, mixed 15,000 (Spot warnings)',
      m15000?.warningToDraining
        ? `${fmt(m15000.warningToDraining.p99)} s (other messages, not a target: scheduled changes ${fmt(m15000.namedToDraining?.scheduled?.p99)} s, paced by the guardrail; state changes ${fmt(m15000.namedToDraining?.state?.p99)} s)`
        : '–',
      verdict(m15000?.warningToDraining ? m15000.warningToDraining.p99 <= 10 : undefined),
    ],
    ['last DRAINING within 1.5 × bound (N = 5,000)', fmt(lastVsBound(s5000)), verdict(lastVsBound(s5000) === undefined ? undefined : (lastVsBound(s5000) ?? 9) <= 1.5)],
    ['last DRAINING within 1.5 × bound (mixed 15,000)', fmt(lastVsBound(m15000)), verdict(lastVsBound(m15000) === undefined ? undefined : (lastVsBound(m15000) ?? 9) <= 1.5)],
    ['`simulate` of the 5,000 storm ≤ 30 s wall (sim-model)', s5000 ? `${fmt(s5000.runWallMs / 1000, 0)} s` : '–', verdict(s5000 ? s5000.runWallMs <= 30_000 : undefined)],
    ['decide() 5,000 instances × 1,000 signals ≤ 15 ms', cell ? `${ms(cell.us.median)} ms` : '–', verdict(cell ? cell.us.median <= 15_000 : undefined)],
    [
      'decide() linear in instances (1,000 signals)',
      instanceGrowth.map((g) => `×${formatNumber(g.size, 0)} → ×${formatNumber(g.time, 1)}`).join(', ') || '–',
      verdict(instanceGrowth.length ? instanceGrowth.every((g) => g.time <= g.size * 1.5) : undefined),
    ],
    ['react bundle ≤ 350 KiB minified, SDK bundled', react ? formatBytes(react.bytes) : '–', verdict(react ? react.bytes <= 350 * KIB : undefined)],
    ['react module init ≤ 60 ms', react?.coldStart.importMs ? `${fmt(react.coldStart.importMs.median, 1)} ms` : '–', verdict(react?.coldStart.importMs ? react.coldStart.importMs.median <= 60 : undefined)],
  ];

  const stormRows: Cell[][] = (storm?.figures ?? []).map((f) => {
    const b = storm?.bounds[f.storm];
    return [
      f.storm,
      f.handler,
      f.ecsCalls,
      fmt(f.callsPerTargetedInstance, 3),
      b ? fmt(b.perTargetedInstance, 3) : '–',
      f.throttled,
      f.warningToDraining ? `${fmt(f.warningToDraining.p50, 1)} / ${fmt(f.warningToDraining.p99, 1)}` : '–',
      f.namedToDraining?.scheduled || f.namedToDraining?.state ? `${fmt(f.namedToDraining.scheduled?.p99, 1)} / ${fmt(f.namedToDraining.state?.p99, 1)}` : '–',
      f.drainLead ? fmt(f.drainLead.p50, 0) : '–',
      f.deadlinesMissed,
      f.tasksLost,
      `${fmt(f.availability.mean * 100, 1)} %`,
      f.lastDrainingSeconds === null ? '–' : `${fmt(f.lastDrainingSeconds, 1)} (${b ? fmt(b.lastDrainingSeconds, 1) : '–'})`,
      f.environments ?? '–',
      f.handlerWallMs,
      f.messagesPerSecond.handler,
      f.messagesPerSecond.endToEnd,
      `${fmt(f.runWallMs / 1000, 1)} s`,
    ];
  });
  const actions = [...new Set((storm?.figures ?? []).flatMap((f) => Object.keys(f.callsByAction)))].sort();
  const actionRows: Cell[][] = (storm?.figures ?? []).map((f) => [f.storm, f.handler, ...actions.map((a) => f.callsByAction[a] ?? 0)]);
  const decideRows: Cell[][] = [...new Set(decide?.cells.map((c) => c.instances) ?? [])].map((i) => [
    i,
    ...[10, 100, 1000].map((s) => {
      const c = decide?.cells.find((x) => x.instances === i && x.signals === s);
      return c ? `${ms(c.us.median)} / ${ms(c.us.p95)}` : '–';
    }),
  ]);
  const bundleRows: Cell[][] = (bundles?.bundles ?? []).map((b) => [
    b.name,
    b.variant,
    formatBytes(b.bytes),
    formatBytes(b.gzipBytes),
    b.coldStart.importMs ? `${fmt(b.coldStart.importMs.median, 1)} ms` : 'failed',
    b.coldStart.processMs ? `${fmt(b.coldStart.processMs.median, 1)} ms` : 'failed',
  ]);
  const notes = Object.entries(latest.results).flatMap(([name, r]) => r.notes.map((n) => `- ${name}: ${n}`));

  return `<!-- Generated by bench/readme.ts from bench/results/latest.json: edit the generator, not this file. -->
# Benchmarks

Speed, ECS calls and size are measured here, by programs that print figures, never by timed
tests; CI runs the quick form so the benchmarks keep working, and never fails on a figure.

\`\`\`sh
npm run bench                              # everything; writes bench/results/latest.json and this README
npm run bench -- --quick                   # the small cases only (CI, under two minutes)
npm run bench -- --only interruption-storm # one benchmark (repeat --only, or NAME,NAME)
npm run bench -- --list                    # names and descriptions
npx tsx bench/readme.ts                    # this README again from latest.json
\`\`\`

Measured on ${String(env['cpu'])} × ${String(env['cores'])}, ${String(env['platform'])}, Node ${String(env['node'])}, ${String(env['date'])}${env['loadAverage1m'] !== undefined ? `, load average ${String(env['loadAverage1m'])} when the last benchmark started` : ''}.
The machine is shared (2 cores, several jobs at once): wall times, µs and ms figures are
inflated by whatever else runs (a load average well above the core count means several times
slower); call counts, deadlines and virtual times do not move (every input is seeded).

## Where we stand

${table(['target', 'measured', 'verdict'], targets)}

## How to read the figures

- **Storms** (\`interruption-storm\`): N Spot warnings spread evenly over one minute across 5
  clusters of 1.2 × N/5 container instances (\`bench/storm.ts\`), delivered by the simulator to
  fauxqs as the EventBridge rule would, consumed by the real react handler wired as deployed
  (\`localHandlers\`) through the runner's model of Lambda's event source mapping as
  \`infra/settings.ts\` deploys it (batches of up to 100, a 5 s batching window, concurrent
  pollers), against the ECS simulator with ECS's throttle buckets. The mixed
  storm is Karpenter's interruption benchmark mix: a third AWS Health scheduled changes, a
  third Spot warnings, the rest EC2 state changes (stopping / stopped / shutting-down /
  terminated), each for an instance of its own. Virtual seconds are the simulator's clock;
  "handler ms" is the virtual time the react invocations ran, summed (their AWS round trips
  included); "msg/s" is messages ÷ that time; "msg/s wall" is messages ÷ the run's real time
  (simulator, queue and handler on this machine); "environments" counts the react function's
  Lambda execution environments, each with its own module scope and caches.
  The runs are ${latency}.
- **ECS calls** count every request the simulator answered (throttled attempts included);
  **per instance** divides by the instances the storm names. The **bound** is what any handler
  needs at least: per cluster ⌈n/10⌉ UpdateContainerInstancesState, ⌈instances/100⌉
  ListContainerInstances pages and ⌈n/100⌉ DescribeContainerInstances. **last DRAINING** is
  seconds after the first warning; its bound is set by the arrivals (a drain call is ready
  when its tenth instance has arrived) and the write bucket (100 burst, 40/s).
- **→ DRAINING**: seconds from a message's arrival to its instance going DRAINING, for Spot
  warnings (the two-minute deadline: the target) and, apart, for scheduled changes (AWS
  Health, starting 30 minutes later: discretionary drains that the draining guardrail paces by
  design, so their p99 is how long the pacing took) and EC2 state changes (any of the four
  leaving states: drained at once when the instance is still ACTIVE). Until this split (2026-12-02) the figure mixed all three.
- **missed**: interrupted instances not DRAINING when EC2 terminated them; **tasks lost**:
  tasks still RUNNING on an instance at its termination; **availability**: RUNNING tasks ÷
  desired, time-weighted from the first warning to the end.
- **Peers**: \`naive\` is \`bench/naive-drain-handler.ts\`, written as existing ECS drain functions
  are (one event at a time: ListContainerInstances in each cluster, DescribeContainerInstances,
  UpdateContainerInstancesState); it is never part of the product. ECS's own Spot draining is
  the simulator's \`ecs-spot-draining\` baseline, compared when the runner has it.
- **decide()** (\`decide-scaling\`): one cluster (services = instances / 10), Spot warnings
  parsed beforehand; median and p95 of repeated runs after a warm-up (\`measure.ts\`).
  Growth factors: time ratio when one dimension grows.
- **Cold start** (\`bundle-size\`): each handler bundled by \`scripts/bundle.ts\` exactly as
  deployed (esbuild, node24 ESM, minified, SDK bundled or left to the runtime), imported in a
  fresh \`node\` with a Lambda-like environment${bundles ? `, median of ${bundles.coldStarts}` : ''}; "init" is
  \`await import(bundle)\` inside the child, "process" spawn to exit.
- \`core-decide\` (the pure hot path per batch on a 2,000-instance cluster) and \`simulator-storm\`
  (the shipped scenarios end to end) are in latest.json too.

## Storms

${table(['storm', 'handler', 'ECS calls', 'per instance', 'bound', 'throttled', 'Spot warning → DRAINING p50 / p99 s', 'scheduled / state change → DRAINING p99 s', 'lead p50 s', 'missed', 'tasks lost', 'availability', 'last DRAINING s (bound)', 'environments', 'handler ms', 'msg/s', 'msg/s wall', 'run wall'], stormRows)}

ECS calls by action:

${table(['storm', 'handler', ...actions], actionRows)}

## decide()

Milliseconds per batch, median / p95:

${table(['instances', '10 signals', '100 signals', '1,000 signals'], decideRows)}

## Bundles and cold start

${table(['bundle', 'AWS SDK', 'minified', 'gzip', 'init (median)', 'process (median)'], bundleRows)}

Bundles are written under \`bench/results/bundles/\`; for deployment:
\`npx tsx scripts/bundle.ts [--outdir dist/functions] [--external-aws-sdk] [--handler react]\`
writes \`<outdir>/<name>/index.mjs\` and esbuild's metafile beside it.

## Adding a benchmark

Write \`bench/NAME.bench.ts\` whose default export is a \`Benchmark\` (\`benchmark.ts\`), end it
with \`runIfMain(import.meta.url, benchmark)\`, honour \`isQuick()\`, and add one line to
\`BENCHMARKS\` in \`run.ts\`.
${notes.length > 0 ? `\n## Notes of the last run\n\n${notes.join('\n')}\n` : ''}`;
}

/** Writes bench/README.md from latest.json; returns its path. */
export function writeReadme(): string {
  const latest = JSON.parse(readFileSync(LATEST_FILE, 'utf8')) as Latest;
  writeFileSync(README_FILE, renderReadme(latest));
  return README_FILE;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`wrote ${writeReadme()}`);
}
