// The pure core's hot path, as the react and tick handlers run it for one SQS batch:
// JSON.parse of each record body → parseEvent → planLoad → decide. The cluster state given to
// decide is the whole cluster (every container instance), the most the loader can return, so
// the figures are an upper bound for a batch against that cluster.
import { decide, parseEvent, parsePolicy, planLoad } from '@ecs-rebalancer/core';
import type { ClusterState, Plan, Policy, Signal } from '@ecs-rebalancer/core';
import { aScheduledEvent, aSpotWarning, anAlarmStateChange } from '@ecs-rebalancer/core/test-support';
import { isQuick, printTable, runIfMain } from './benchmark.js';
import type { Benchmark, BenchmarkResult, Headline } from './benchmark.js';
import { aFleetCluster, activeSpotInstances, ec2InstanceId, eventId, FALLBACK_ALARM_SUFFIX, fleetClusterPolicy, seededRandom } from './fleet.js';
import { measureSync } from './measure.js';
import type { MeasureOptions, Stats } from './measure.js';
import { formatBytes, formatMicros, formatNumber } from './table.js';

const NOW = '2024-05-01T12:00:00Z';
const NOW_MS = Date.parse(NOW);
const CLUSTER = 'prod';
const BIG_CLUSTER = { instances: 2000, services: 200 };
const TICK_FLEET = { clusters: 50, instancesPerCluster: 200, servicesPerCluster: 40 };

const QUICK = isQuick();
const TOTAL_RUNS: MeasureOptions = QUICK
  ? { warmupRuns: 5, warmupMs: 50, budgetMs: 300, maxSamples: 100, minSamples: 10 }
  : { warmupRuns: 20, warmupMs: 300, budgetMs: 1500, maxSamples: 400, minSamples: 30 };
const PART_RUNS: MeasureOptions = QUICK
  ? { warmupRuns: 3, warmupMs: 20, budgetMs: 100, maxSamples: 50, minSamples: 5 }
  : { warmupRuns: 10, warmupMs: 100, budgetMs: 400, maxSamples: 200, minSamples: 20 };

interface Case {
  name: string;
  description: string;
  /** SQS record bodies: what the handler JSON.parses. */
  records: string[];
  states: ClusterState[];
  policy: Policy;
  now: string;
  /** A problem with the plan, so the benchmark never times a decision that does nothing. */
  check(plan: Plan): string | undefined;
}

function body(event: unknown): string {
  return JSON.stringify(event);
}

/**
 * `size` Spot warnings as a storm delivers them: ~96 % for distinct Spot instances of the
 * cluster (some already DRAINING), ~2 % duplicate deliveries (at-least-once), ~2 % for
 * instances in no managed cluster; spread over the two minutes before `NOW`.
 */
function spotStorm(state: ClusterState, size: number, seed: number): string[] {
  const random = seededRandom(seed);
  const spot = state.containerInstances.filter((ci) => (ci.capacityProvider ?? '').startsWith('spot-'));
  const duplicates = size >= 50 ? Math.round(size * 0.02) : 0;
  const foreign = size >= 50 ? Math.round(size * 0.02) : 0;
  const distinct = size - duplicates - foreign;
  if (distinct > spot.length) throw new RangeError(`a storm of ${size} needs ${distinct} Spot instances, the cluster has ${spot.length}`);
  const warning = (instanceId: string): string =>
    body(aSpotWarning({ id: eventId(random), instanceId, time: new Date(NOW_MS - Math.floor(random() * 120_000)).toISOString().replace('.000', '') }));
  const records = spot.slice(0, distinct).map((ci) => warning(ci.ec2InstanceId));
  for (let i = 0; i < foreign; i++) records.push(warning(ec2InstanceId(random)));
  for (let i = 0; i < duplicates; i++) records.push(records[Math.floor(random() * distinct)] ?? '');
  // Interleave, as SQS delivers without order.
  return records.map((r) => ({ r, k: random() })).sort((a, b) => a.k - b.k).map(({ r }) => r);
}

function cloudWatchTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

function alarmRecord(cluster: string, state: 'ALARM' | 'OK', seed: number): string {
  return body(
    anAlarmStateChange({
      id: eventId(seededRandom(seed)),
      alarmName: `${cluster}-${FALLBACK_ALARM_SUFFIX}`,
      state,
      previousState: state === 'ALARM' ? 'OK' : 'ALARM',
      time: NOW,
      timestamp: cloudWatchTimestamp(NOW_MS - 1500),
    }),
  );
}

const count = (plan: Plan, type: Plan['actions'][number]['type']): number => plan.actions.filter((a) => a.type === type).length;
const drained = (plan: Plan): number => plan.actions.reduce((n, a) => n + (a.type === 'drain' ? a.containerInstances.length : 0), 0);
// Fargate Spot services are left out on purpose: a fallback onto an Auto Scaling group
// provider would mix Fargate and ASG providers in one strategy, which ECS rejects, so the core
// skips them with a reason.
const asgSpotServices = (state: ClusterState): number =>
  state.services.filter(
    (s) => (s.deploymentController ?? 'ECS') === 'ECS' && s.baseline === null && s.strategy.some((i) => i.weight > 0 && i.capacityProvider.startsWith('spot-')),
  ).length;

function buildCases(): Case[] {
  const prod = aFleetCluster({ cluster: CLUSTER, ...BIG_CLUSTER, seed: 1 });
  const prodPolicy = parsePolicy({ clusters: { [CLUSTER]: fleetClusterPolicy(CLUSTER) } });
  // The restore cases measure the whole restore (every service due at once): with the defaults an
  // OK event restores nothing before okSeconds (300) and a plan restores at most 5 per cluster.
  const everyRestore = { okSeconds: 0, restoreAtOnce: 100_000 };
  const restorePolicy = parsePolicy({ clusters: { [CLUSTER]: fleetClusterPolicy(CLUSTER, everyRestore) } });
  const activeSpot = new Set(activeSpotInstances(prod).map((ci) => ci.ec2InstanceId));
  const expectDrains = (records: string[]) => (plan: Plan): string | undefined => {
    const wanted = new Set(records.map((r) => (JSON.parse(r) as { detail: { 'instance-id': string } }).detail['instance-id']).filter((id) => activeSpot.has(id)));
    return drained(plan) === wanted.size ? undefined : `drained ${drained(plan)} instances, expected ${wanted.size}`;
  };
  const storm = (name: string, size: number, seed: number, description: string): Case => {
    const records = spotStorm(prod, size, seed);
    return { name, description, records, states: [prod], policy: prodPolicy, now: NOW, check: expectDrains(records) };
  };

  // The same cluster after an alarm fallback an hour ago: every ECS service that gave weight to Spot.
  const fallenBack = aFleetCluster({ cluster: CLUSTER, ...BIG_CLUSTER, seed: 1, fallbackShare: 1, fallbackAgeSeconds: 3600, now: NOW });

  const tickStates: ClusterState[] = [];
  const tickPolicies: Record<string, ReturnType<typeof fleetClusterPolicy>> = {};
  for (let i = 0; i < TICK_FLEET.clusters; i++) {
    const name = `${['prod', 'staging', 'batch', 'edge', 'ml'][i % 5]}-${String(i).padStart(2, '0')}`;
    tickStates.push(
      aFleetCluster({
        cluster: name,
        instances: TICK_FLEET.instancesPerCluster,
        services: TICK_FLEET.servicesPerCluster,
        seed: 100 + i,
        driftShare: 0.05,
        fallbackShare: 0.1,
        fallbackAgeSeconds: 1800,
        now: NOW,
      }),
    );
    tickPolicies[name] = fleetClusterPolicy(name, everyRestore);
  }
  const tickPolicy = parsePolicy({ clusters: tickPolicies });
  const dueRestores = tickStates.reduce((n, s) => n + s.services.filter((svc) => svc.baseline !== null).length, 0);

  return [
    storm('spot-batch-10', 10, 11, `10 Spot warnings (one SQS batch at the default batch size) vs ${BIG_CLUSTER.instances} instances / ${BIG_CLUSTER.services} services`),
    storm('spot-storm-200', 200, 12, '200 Spot warnings in one batch (2 % duplicates, 2 % foreign instances)'),
    storm('spot-storm-1000', 1000, 13, '1000 Spot warnings in one batch (2 % duplicates, 2 % foreign instances)'),
    {
      name: 'alarm-fallback-200',
      description: `fallback alarm goes to ALARM: fall back every Spot-weighted service of ${BIG_CLUSTER.services}`,
      records: [alarmRecord(CLUSTER, 'ALARM', 21)],
      states: [prod],
      policy: prodPolicy,
      now: NOW,
      check: (plan) => {
        const want = asgSpotServices(prod);
        return count(plan, 'set-strategy') === want ? undefined : `${count(plan, 'set-strategy')} set-strategy actions, expected ${want}`;
      },
    },
    {
      name: 'alarm-restore-200',
      description: `fallback alarm back to OK an hour after the fallback: restore every service of ${BIG_CLUSTER.services} in fallback`,
      records: [alarmRecord(CLUSTER, 'OK', 22)],
      states: [fallenBack],
      policy: restorePolicy,
      now: NOW,
      check: (plan) => {
        const want = fallenBack.services.filter((s) => s.baseline !== null).length;
        return count(plan, 'set-strategy') === want && want > 0 ? undefined : `${count(plan, 'set-strategy')} restores, expected ${want}`;
      },
    },
    {
      name: 'tick-50-clusters',
      description: `schedule tick over ${TICK_FLEET.clusters} clusters (${TICK_FLEET.instancesPerCluster} instances, ${TICK_FLEET.servicesPerCluster} services each): due restores + drift checks`,
      records: [body(aScheduledEvent({ id: eventId(seededRandom(31)), time: NOW }))],
      states: tickStates,
      policy: tickPolicy,
      now: NOW,
      check: (plan) => (count(plan, 'set-strategy') === dueRestores && plan.drift.length > 0 ? undefined : `${count(plan, 'set-strategy')} restores (expected ${dueRestores}), ${plan.drift.length} drift entries`),
    },
  ];
}

function parseRecords(records: readonly string[]): Signal[] {
  return records.flatMap((r) => parseEvent(JSON.parse(r)));
}

function runPipeline(c: Case): Plan {
  const signals = parseRecords(c.records);
  const loads = planLoad(signals, c.policy);
  // The loader returns a state only for the clusters planLoad asked for.
  const wanted = new Set(loads.map((l) => l.cluster));
  return decide(signals, c.states.filter((s) => wanted.has(s.cluster)), c.policy, c.now);
}

interface CaseResult {
  name: string;
  description: string;
  records: number;
  signals: number;
  clusters: number;
  containerInstances: number;
  services: number;
  totalUs: Stats;
  parseUs: Stats;
  planLoadUs: Stats;
  decideUs: Stats;
  signalsPerSecond: number;
  plan: { actions: number; drains: number; drainedInstances: number; setStrategy: number; metrics: number; skipped: number; warnings: number; drift: number; jsonBytes: number };
}

function measureCase(c: Case): CaseResult {
  const plan = runPipeline(c);
  const problem = c.check(plan);
  if (problem !== undefined) throw new Error(`core-decide ${c.name}: the plan is not what the case expects: ${problem}`);

  const signals = parseRecords(c.records);
  const loads = planLoad(signals, c.policy);
  const wanted = new Set(loads.map((l) => l.cluster));
  const states = c.states.filter((s) => wanted.has(s.cluster));

  const totalUs = measureSync(() => runPipeline(c), TOTAL_RUNS);
  const parseUs = measureSync(() => parseRecords(c.records), PART_RUNS);
  const planLoadUs = measureSync(() => planLoad(signals, c.policy), PART_RUNS);
  const decideUs = measureSync(() => decide(signals, states, c.policy, c.now), PART_RUNS);

  return {
    name: c.name,
    description: c.description,
    records: c.records.length,
    signals: signals.length,
    clusters: states.length,
    containerInstances: states.reduce((n, s) => n + s.containerInstances.length, 0),
    services: states.reduce((n, s) => n + s.services.length, 0),
    totalUs,
    parseUs,
    planLoadUs,
    decideUs,
    signalsPerSecond: signals.length / (totalUs.median / 1e6),
    plan: {
      actions: plan.actions.length,
      drains: count(plan, 'drain'),
      drainedInstances: drained(plan),
      setStrategy: count(plan, 'set-strategy'),
      metrics: count(plan, 'metric'),
      skipped: plan.skipped.length,
      warnings: plan.warnings.length,
      drift: plan.drift.length,
      jsonBytes: Buffer.byteLength(JSON.stringify(plan)),
    },
  };
}

const benchmark: Benchmark = {
  name: 'core-decide',
  description: 'pure core hot path per SQS batch: JSON.parse + parseEvent + planLoad + decide',
  async run(): Promise<BenchmarkResult> {
    const results = buildCases().map(measureCase);

    printTable(
      'Time per batch (JSON.parse + parseEvent + planLoad + decide); parts are medians',
      ['case', 'records', 'signals', 'median', 'p95', 'signals/s', 'parse', 'planLoad', 'decide', 'runs'],
      results.map((r) => [
        r.name,
        r.records,
        r.signals,
        formatMicros(r.totalUs.median),
        formatMicros(r.totalUs.p95),
        r.signals > 1 ? formatNumber(Math.round(r.signalsPerSecond)) : '-',
        formatMicros(r.parseUs.median),
        formatMicros(r.planLoadUs.median),
        formatMicros(r.decideUs.median),
        r.totalUs.samples,
      ]),
    );
    printTable(
      'Input and Plan size',
      ['case', 'clusters', 'instances', 'services', 'actions', 'drained', 'set-strategy', 'metrics', 'skipped', 'warnings', 'drift', 'plan JSON'],
      results.map((r) => [
        r.name,
        r.clusters,
        r.containerInstances,
        r.services,
        r.plan.actions,
        r.plan.drainedInstances,
        r.plan.setStrategy,
        r.plan.metrics,
        r.plan.skipped,
        r.plan.warnings,
        r.plan.drift,
        formatBytes(r.plan.jsonBytes),
      ]),
    );
    for (const r of results) console.log(`  ${r.name}: ${r.description}`);

    const headlines: Headline[] = results.flatMap((r) => [
      { case: r.name, metric: 'median / p95 per batch', value: `${formatMicros(r.totalUs.median)} / ${formatMicros(r.totalUs.p95)}` },
      ...(r.signals > 1 ? [{ case: r.name, metric: 'signals/s', value: formatNumber(Math.round(r.signalsPerSecond)) }] : []),
    ]);
    return { headlines, data: { now: NOW, cases: results }, notes: [] };
  },
};

export default benchmark;
runIfMain(import.meta.url, benchmark);
