// The live path under a storm: the real react handler, fauxqs and the ECS simulator on the
// wire. Counts what the rebalancer costs ECS (calls by bucket, throttled calls) and how long
// the simulated minutes take on this machine. Every run is the same (seeded simulator).
import { readFileSync } from 'node:fs';
import { localHandlers } from '@ecs-rebalancer/cli';
import { parseScenario, runScenario, summarize } from '@ecs-rebalancer/sim';
import type { Benchmark, BenchmarkResult, Headline } from './benchmark.js';
import { isQuick, printTable } from './benchmark.js';

const SCENARIOS = isQuick() ? (['spot-storm'] as const) : (['spot-storm', 'storm-200'] as const);
// The quick form (CI) runs the smaller shipped scenario once.
const RUNS = isQuick() ? 1 : 3;
const CONTAINER_INSTANCE_CALLS = ['ListContainerInstances', 'DescribeContainerInstances', 'UpdateContainerInstancesState'];

const benchmark: Benchmark = {
  name: 'simulator-storm',
  description: 'shipped scenarios end to end (react handler + fauxqs + ECS simulator): ECS calls, tasks lost, wall time',
  async run(): Promise<BenchmarkResult> {
    const rows: (string | number)[][] = [];
    const headlines: Headline[] = [];
    const data: Record<string, unknown> = {};
    for (const name of SCENARIOS) {
      const scenario = parseScenario(JSON.parse(readFileSync(new URL(`../scenarios/${name}.json`, import.meta.url), 'utf8')));
      const walls: number[] = [];
      let summary;
      let without;
      for (let i = 0; i < RUNS; i++) {
        without = summarize(await runScenario({ scenario }), scenario);
        const result = await runScenario({ scenario, handlers: localHandlers });
        walls.push(result.wallMs);
        summary = summarize(result, scenario, without);
      }
      walls.sort((a, b) => a - b);
      const median = walls[Math.floor(walls.length / 2)]!;
      const s = summary!;
      const ecsCalls = Object.entries(s.apiCalls).filter(([k]) => !['DescribeAlarms', 'DescribeAlarmHistory', 'PutEvents', 'GetItem', 'PutItem', 'BatchGetItem', 'DescribeTable'].includes(k));
      const total = ecsCalls.reduce((n, [, v]) => n + v, 0);
      const ci = CONTAINER_INSTANCE_CALLS.reduce((n, k) => n + (s.apiCalls[k] ?? 0), 0);
      rows.push([name, s.interrupted.length, `${s.tasksLost} / ${without!.tasksLost}`, total, ci, s.throttled, `${s.virtualSeconds}`, `${Math.round(median)}`, `${Math.round(s.virtualSeconds / (median / 1000))}×`]);
      headlines.push(
        { case: name, metric: 'tasks lost (with / without)', value: `${s.tasksLost} / ${without!.tasksLost}` },
        { case: name, metric: 'ECS calls (container-instance)', value: `${total} (${ci})` },
        { case: name, metric: `wall time (median of ${RUNS})`, value: `${Math.round(median)} ms for ${s.virtualSeconds} s simulated` },
      );
      data[name] = { wallMs: walls, summary: s, without: { tasksLost: without!.tasksLost } };
    }
    printTable(
      `Scenarios end to end (median wall time of ${RUNS} run${RUNS === 1 ? '' : 's'})`,
      ['scenario', 'interrupted', 'tasks lost with/without', 'ECS calls', 'container-instance calls', 'throttled', 'simulated s', 'wall ms', 'speed-up'],
      rows,
    );
    return { headlines, data, notes: [] };
  },
};

export default benchmark;
