// Interruption storms end to end: the real react handler, configured as deployed (batch size
// and window from infra/settings.ts), fed through fauxqs, against the ECS simulator with
// ECS's throttle buckets; side by side with a naive drain handler (bench/naive-drain-handler.ts)
// and, when the simulator offers it, ECS's own Spot draining. Figures on the virtual clock are
// the simulator's; wall times are this machine's.
import { localHandlers } from '@ecs-rebalancer/cli';
import { BASELINES, runScenario } from '@ecs-rebalancer/sim';
import type { RunOptions, RunResult } from '@ecs-rebalancer/sim';
import { isQuick, printTable, runIfMain } from './benchmark.js';
import type { Benchmark, BenchmarkResult, Headline } from './benchmark.js';
import { naiveHandlers } from './naive-drain-handler.js';
import { stormBound, stormFigures } from './storm-figures.js';
import type { StormBound, StormFigures } from './storm-figures.js';
import { buildStorm } from './storm.js';
import type { StormSpec } from './storm.js';
import { formatNumber } from './table.js';

const FULL: StormSpec[] = [
  { messages: 100, mix: 'spot' },
  { messages: 1000, mix: 'spot' },
  { messages: 5000, mix: 'spot' },
  { messages: 15000, mix: 'mixed' },
];
const QUICK: StormSpec[] = [{ messages: 100, mix: 'spot' }];
/**
 * The naive handler is run where its run stays short enough to be worth the wait: its
 * one-by-one calls, each a virtual round trip, make a 5,000 storm take most of an hour here.
 */
const NAIVE_UP_TO = 1000;

/** BENCH_STORMS=100,1000,15000m picks storms (m: the mixed one); default all, or the quick set. */
function selectedStorms(): StormSpec[] {
  const wanted = process.env['BENCH_STORMS'];
  if (!wanted) return isQuick() ? QUICK : FULL;
  return wanted.split(',').map((w) => ({ messages: Number(w.replace(/m$/, '')), mix: w.endsWith('m') ? ('mixed' as const) : ('spot' as const) }));
}

interface Peer {
  name: string;
  options: Partial<RunOptions>;
}

/** ECS's own Spot draining as the simulator models it (the agent's ECS_ENABLE_SPOT_INSTANCE_DRAINING). */
const ECS_OWN: Peer | undefined = (BASELINES as readonly string[]).includes('ecs-spot-draining')
  ? { name: 'ECS own draining', options: { baseline: 'ecs-spot-draining' as RunOptions['baseline'] } }
  : undefined;

function desiredTasks(spec: ReturnType<typeof buildStorm>): number {
  return spec.scenario.clusters.reduce((n, c) => n + c.services.reduce((m, s) => m + s.desiredCount, 0), 0);
}

function ratio(a: number, b: number): string {
  if (b === 0) return a === 0 ? '1' : '∞';
  return formatNumber(a / b, 2);
}

const benchmark: Benchmark = {
  name: 'interruption-storm',
  description: 'Spot storms of 100–5,000 and a mixed storm of 15,000 through fauxqs and the react handler against the ECS simulator; naive handler and ECS’s own draining as peers',
  async run(): Promise<BenchmarkResult> {
    const specs = selectedStorms();
    const ecsOwn = ECS_OWN;
    const figures: StormFigures[] = [];
    const bounds: Record<string, StormBound> = {};
    const notes: string[] = [];
    if (!ecsOwn) notes.push('ECS’s own Spot draining is not compared: the scenario runner has no `ecs-spot-draining` baseline yet');
    notes.push(
      'the tick runs once, at 0 s (60 s before the first warning), and lists every cluster into the shared instance index (DynamoDB): its ECS calls are counted with the storm’s; react environments read the index (DynamoDB calls column) before listing anything themselves',
    );
    notes.push(
      'each Lambda execution environment has its own module scope (its own instance directory and cluster cache): the runner builds the handlers at every cold start; runs before 2026-12-02 shared one scope across all pollers, which flattered the directory (N = 5,000: 0.1502 calls per instance, p99 3.3 s then)',
    );
    for (const spec of specs) {
      const storm = buildStorm(spec);
      bounds[storm.name] = stormBound(storm);
      const desired = desiredTasks(storm);
      const peers: Peer[] = [
        { name: 'rebalancer', options: { handlers: localHandlers } },
        // The naive handler's thousands of one-by-one calls take long: the quick form leaves it out.
        ...(spec.messages <= NAIVE_UP_TO && !isQuick() ? [{ name: 'naive', options: { handlers: naiveHandlers } }] : []),
        ...(ecsOwn ? [ecsOwn] : []),
      ];
      for (const peer of peers) {
        const started = performance.now();
        // The event source mapping and the queue are the runner's defaults: as deployed (infra/settings.ts).
        const result: RunResult = await runScenario({ scenario: storm.scenario, ...peer.options });
        const f = stormFigures(storm, peer.name, result, desired);
        figures.push(f);
        console.log(`  ${storm.name} · ${peer.name}: ${f.ecsCalls} ECS calls, ${f.deadlinesMissed} deadlines missed, ${Math.round((performance.now() - started) / 1000)} s wall`);
      }
    }

    const byStorm = (name: string, handler: string) => figures.find((f) => f.storm === name && f.handler === handler);
    printTable(
      'Storms (virtual seconds; calls include throttled attempts)',
      ['storm', 'handler', 'ECS calls', 'per instance', 'bound', 'throttled', 'DynamoDB calls', 'Spot → DRAINING p50/p99 s', 'scheduled/state p99 s', 'lead p50 s', 'missed', 'tasks lost', 'availability', 'last DRAINING s (bound)', 'handler ms', 'msg/s handler'],
      figures.map((f) => {
        const b = bounds[f.storm];
        return [
          f.storm,
          f.handler,
          f.ecsCalls,
          formatNumber(f.callsPerTargetedInstance, 3),
          b ? formatNumber(b.perTargetedInstance, 3) : '-',
          f.throttled,
          Object.values(f.dynamodb.calls).reduce((n, v) => n + v, 0),
          f.warningToDraining ? `${formatNumber(f.warningToDraining.p50)} / ${formatNumber(f.warningToDraining.p99)}` : '-',
          f.namedToDraining.scheduled || f.namedToDraining.state ? `${f.namedToDraining.scheduled ? formatNumber(f.namedToDraining.scheduled.p99) : '-'} / ${f.namedToDraining.state ? formatNumber(f.namedToDraining.state.p99) : '-'}` : '-',
          f.drainLead ? formatNumber(f.drainLead.p50) : '-',
          f.deadlinesMissed,
          f.tasksLost,
          `${formatNumber(f.availability.mean * 100, 1)} %`,
          `${f.lastDrainingSeconds === null ? '-' : formatNumber(f.lastDrainingSeconds)} (${b ? formatNumber(b.lastDrainingSeconds) : '-'})`,
          f.handlerWallMs,
          f.messagesPerSecond.handler,
        ];
      }),
    );
    const actions = [...new Set(figures.flatMap((f) => Object.keys(f.callsByAction)))].sort();
    printTable(
      'ECS calls by action',
      ['storm', 'handler', ...actions],
      figures.map((f) => [f.storm, f.handler, ...actions.map((a) => f.callsByAction[a] ?? 0)]),
    );
    const ratios = figures
      .filter((f) => f.handler === 'rebalancer')
      .flatMap((ours) =>
        ['naive', ecsOwn?.name].flatMap((peer) => {
          const other = peer ? byStorm(ours.storm, peer) : undefined;
          if (!other) return [];
          return [[ours.storm, `ours / ${peer}`, ratio(ours.ecsCalls, other.ecsCalls), ratio(ours.deadlinesMissed, other.deadlinesMissed), ratio(ours.tasksLost, other.tasksLost), ratio(ours.availability.mean, other.availability.mean)]];
        }),
      );
    printTable('Ratios', ['storm', 'ratio', 'ECS calls', 'deadlines missed', 'tasks lost', 'availability'], ratios);

    const headlines: Headline[] = figures
      .filter((f) => f.handler === 'rebalancer')
      .flatMap((f) => [
        { case: f.storm, metric: 'ECS calls per instance (bound)', value: `${formatNumber(f.callsPerTargetedInstance, 3)} (${formatNumber(bounds[f.storm]?.perTargetedInstance ?? 0, 3)})` },
        { case: f.storm, metric: 'deadlines missed · tasks lost', value: `${f.deadlinesMissed} · ${f.tasksLost}` },
        { case: f.storm, metric: 'Spot warning → DRAINING p99', value: f.warningToDraining ? `${formatNumber(f.warningToDraining.p99)} s` : '-' },
      ]);
    const latencyModel = 'latency' in (buildStorm(specs[0] ?? { messages: 100, mix: 'spot' }).scenario as object);
    return { headlines, data: { bounds, figures, ratios, latencyModel }, notes };
  },
};

export default benchmark;
runIfMain(import.meta.url, benchmark);
