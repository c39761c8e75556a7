// How decide() grows: one cluster of 100 to 10,000 container instances, 10 to 1,000 Spot
// warnings in the batch (parsed beforehand: only decide is timed). Warnings beyond the
// cluster's ACTIVE Spot instances name instances in no managed cluster, as a storm's foreign
// ids do. Growth factors: median at 10 × the instances (or signals) ÷ median before.
import { decide, parseEvent, parsePolicy } from '@ecs-rebalancer/core';
import type { Signal } from '@ecs-rebalancer/core';
import { aSpotWarning } from '@ecs-rebalancer/core/test-support';
import { isQuick, printTable, runIfMain } from './benchmark.js';
import type { Benchmark, BenchmarkResult, Headline } from './benchmark.js';
import { aFleetCluster, activeSpotInstances, ec2InstanceId, eventId, fleetClusterPolicy, seededRandom } from './fleet.js';
import { measureSync } from './measure.js';
import type { MeasureOptions, Stats } from './measure.js';
import { formatNumber } from './table.js';

const INSTANCES = [100, 1000, 5000, 10000] as const;
const SIGNALS = [10, 100, 1000] as const;
const NOW = '2024-05-01T12:00:00Z';
const RUNS: MeasureOptions = isQuick()
  ? { warmupRuns: 5, warmupMs: 50, budgetMs: 250, maxSamples: 100, minSamples: 15 }
  : { warmupRuns: 20, warmupMs: 200, budgetMs: 1200, maxSamples: 400, minSamples: 30 };

interface Cell {
  instances: number;
  signals: number;
  services: number;
  drained: number;
  us: Stats;
}

function warnings(ids: readonly string[], count: number, seed: number): Signal[] {
  const random = seededRandom(seed);
  const out: Signal[] = [];
  for (let i = 0; i < count; i++) {
    const instanceId = ids[i] ?? ec2InstanceId(random);
    out.push(...parseEvent(aSpotWarning({ id: eventId(random), instanceId, time: NOW })));
  }
  return out;
}

const benchmark: Benchmark = {
  name: 'decide-scaling',
  description: 'decide() for 100–10,000 instances × 10–1,000 Spot warnings: median, p95 and growth factors',
  async run(): Promise<BenchmarkResult> {
    const policy = parsePolicy({ clusters: { prod: fleetClusterPolicy('prod') } });
    const cells: Cell[] = [];
    for (const instances of INSTANCES) {
      const services = Math.max(10, Math.round(instances / 10));
      const state = aFleetCluster({ cluster: 'prod', instances, services, seed: instances });
      const ids = activeSpotInstances(state).map((ci) => ci.ec2InstanceId);
      for (const count of SIGNALS) {
        const signals = warnings(ids, count, instances + count);
        const plan = decide(signals, [state], policy, NOW);
        const drained = plan.actions.reduce((n, a) => n + (a.type === 'drain' ? a.containerInstances.length : 0), 0);
        const expected = Math.min(count, ids.length);
        if (drained !== expected) throw new Error(`decide-scaling ${instances}×${count}: drained ${drained}, expected ${expected}`);
        cells.push({ instances, signals: count, services, drained, us: measureSync(() => decide(signals, [state], policy, NOW), RUNS) });
      }
    }
    const at = (i: number, s: number) => cells.find((c) => c.instances === i && c.signals === s);
    const ms = (us: number) => formatNumber(us / 1000, 2);
    printTable(
      'decide() per batch, ms (median / p95); one cluster, services = instances / 10',
      ['instances', ...SIGNALS.map((s) => `${s} signals`)],
      INSTANCES.map((i) => [i, ...SIGNALS.map((s) => { const c = at(i, s); return c ? `${ms(c.us.median)} / ${ms(c.us.p95)}` : '-'; })]),
    );
    // Growth: how the median moves when one dimension grows and the other stays.
    const growth: { from: string; to: string; size: number; time: number }[] = [];
    for (const s of SIGNALS) {
      for (let k = 1; k < INSTANCES.length; k++) {
        const a = at(INSTANCES[k - 1] ?? 0, s);
        const b = at(INSTANCES[k] ?? 0, s);
        if (a && b) growth.push({ from: `${a.instances}×${s}`, to: `${b.instances}×${s}`, size: b.instances / a.instances, time: b.us.median / a.us.median });
      }
    }
    for (const i of INSTANCES) {
      for (let k = 1; k < SIGNALS.length; k++) {
        const a = at(i, SIGNALS[k - 1] ?? 0);
        const b = at(i, SIGNALS[k] ?? 0);
        if (a && b) growth.push({ from: `${i}×${a.signals}`, to: `${i}×${b.signals}`, size: b.signals / a.signals, time: b.us.median / a.us.median });
      }
    }
    printTable(
      'Growth factors (linear: time factor ≈ size factor)',
      ['from', 'to', 'size ×', 'time ×'],
      growth.map((g) => [g.from, g.to, formatNumber(g.size, 1), formatNumber(g.time, 2)]),
    );
    const target = at(5000, 1000);
    const headlines: Headline[] = target ? [{ case: '5,000 instances × 1,000 signals', metric: 'decide median / p95', value: `${ms(target.us.median)} / ${ms(target.us.p95)} ms` }] : [];
    return { headlines, data: { now: NOW, cells, growth }, notes: [] };
  },
};

export default benchmark;
runIfMain(import.meta.url, benchmark);
