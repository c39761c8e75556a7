import type { ClusterState, Strategy } from '@ecs-rebalancer/core';
import { ECS_HANDLERS } from '../server/ecs.js';
import type { Availability } from './availability.js';
import type { Baseline, RolloutOutcome, RunResult } from './runner.js';
import type { Scenario } from './schema.js';

/** The `--json` summary of one run (the contract of `rebalancer simulate --json`). */
export interface RunSummary {
  scenario: string;
  withRebalancer: boolean;
  tasksLost: number;
  tasksLostByService: Record<string, number>;
  /** EC2 ids that got a Spot interruption warning. */
  interrupted: string[];
  /** EC2 ids that were DRAINING before their termination, whoever drained them (the rebalancer, the ECS agent). */
  drained: string[];
  /** For each interrupted instance, seconds between its drain and its termination (null: never drained). */
  drainLeadSeconds: Record<string, number | null>;
  /** Seconds from DRAINING to termination, over the interrupted instances that were drained (null: none). */
  drainLead: { min: number; p50: number; p99: number } | null;
  /** Seconds from the interruption warning to DRAINING, over the drained ones. */
  warningToDraining: { p50: number; p99: number; max: number } | null;
  availability: Availability;
  /** Forced deployments (strategy changes, forceNewDeployment) per `cluster/service`. */
  redeploys: Record<string, number>;
  /** Tasks that failed to start (wrong CPU architecture, circuit breaker), from the model. */
  tasksFailedToStart: number;
  /** Seconds from the first `EC2 Instance Launch Unsuccessful` to the next strategy change (null: no failure, or no change after it). */
  launchFailureToStrategyChange: number | null;
  /** Scenario seconds at which the rebalancer (not the ECS agent, not managed draining) drained each EC2 instance, first time. */
  rebalancerDrainsAt: Record<string, number>;
  /** ECS actions only (apiCalls also counts CloudWatch and EventBridge). */
  ecsCalls: number;
  /** The baseline this run is, or null for the rebalancer's run. */
  baseline: Baseline | null;
  /** Each baseline's run of the same scenario (`simulate` without --baseline). */
  baselines?: Partial<Record<Baseline, RunSummary>>;
  /** = baselines.nothing (kept for readers of earlier summaries). */
  without?: RunSummary;
  faultsInjected: Record<string, number>;
  strategies: Record<string, Strategy>;
  strategyChanges: { time: string; service: string; strategy: Strategy }[];
  apiCalls: Record<string, number>;
  throttled: number;
  rollouts: RolloutOutcome[];
  queue: RunResult['queue'];
  invocations: { react: number; tick: number; records: number; failedRecords: number; coldStarts: number; reactMs: { p50: number; max: number } | null };
  virtualSeconds: number;
  wallMs: number;
  expectations: { passed: boolean; failures: string[] };
}

export function summarize(result: RunResult, scenario: Scenario, without?: RunSummary): RunSummary {
  const { report } = result;
  const leads = report.interruptions.flatMap((i) => (i.secondsBeforeTermination === null ? [] : [i.secondsBeforeTermination]));
  const toDraining = report.interruptions.flatMap((i) => (i.drainedAt === null ? [] : [(Date.parse(i.drainedAt) - Date.parse(i.warnedAt)) / 1000]));
  const redeploys: Record<string, number> = {};
  for (const d of report.deployments) redeploys[`${d.cluster}/${d.service}`] = (redeploys[`${d.cluster}/${d.service}`] ?? -1) + 1;
  const reactMs = result.invocations.filter((i) => i.kind === 'react').map((i) => i.ms);
  const firstFailure = report.launchFailures[0] ? Date.parse(report.launchFailures[0].time) : undefined;
  const changeAfter = firstFailure === undefined ? undefined : report.strategyChanges.map((c) => Date.parse(c.time)).find((t) => t >= firstFailure);
  const rebalancerDrainsAt: Record<string, number> = {};
  for (const d of report.drains) if (d.by === 'api' && !(d.ec2InstanceId in rebalancerDrainsAt)) rebalancerDrainsAt[d.ec2InstanceId] = round((Date.parse(d.time) - Date.parse(report.start)) / 1000);
  const failedToStart = (report as { tasksFailedToStart?: number | { total?: number } }).tasksFailedToStart;
  const summary: RunSummary = {
    scenario: result.scenario,
    withRebalancer: result.withRebalancer,
    tasksLost: report.tasksLost.total,
    tasksLostByService: report.tasksLost.byService,
    interrupted: report.interruptions.map((i) => i.ec2InstanceId),
    drained: [...new Set(report.drains.map((d) => d.ec2InstanceId))],
    drainLeadSeconds: Object.fromEntries(report.interruptions.map((i) => [i.ec2InstanceId, i.secondsBeforeTermination])),
    drainLead: leads.length ? { min: round(Math.min(...leads)), p50: percentile(leads, 50), p99: percentile(leads, 99) } : null,
    warningToDraining: toDraining.length ? { p50: percentile(toDraining, 50), p99: percentile(toDraining, 99), max: round(Math.max(...toDraining)) } : null,
    availability: result.availability,
    redeploys,
    tasksFailedToStart: typeof failedToStart === 'number' ? failedToStart : (failedToStart?.total ?? 0),
    launchFailureToStrategyChange: firstFailure === undefined || changeAfter === undefined ? null : round((changeAfter - firstFailure) / 1000),
    rebalancerDrainsAt,
    ecsCalls: Object.entries(report.apiCalls).reduce((n, [action, count]) => n + (action in ECS_HANDLERS ? count : 0), 0),
    baseline: result.baseline,
    faultsInjected: result.faultsInjected,
    strategies: report.strategies,
    strategyChanges: report.strategyChanges.map((c) => ({ time: c.time, service: `${c.cluster}/${c.service}`, strategy: c.strategy })),
    apiCalls: report.apiCalls,
    throttled: report.throttled,
    rollouts: result.rollouts,
    queue: result.queue,
    invocations: {
      react: result.invocations.filter((i) => i.kind === 'react').length,
      tick: result.invocations.filter((i) => i.kind === 'tick').length,
      records: result.invocations.reduce((n, i) => n + i.records, 0),
      failedRecords: result.invocations.reduce((n, i) => n + i.failures, 0),
      coldStarts: result.invocations.filter((i) => i.cold).length,
      reactMs: reactMs.length ? { p50: percentile(reactMs, 50), max: round(Math.max(...reactMs)) } : null,
    },
    virtualSeconds: report.elapsedSeconds,
    wallMs: Math.round(result.wallMs),
    expectations: { passed: true, failures: [] },
  };
  // Baselines are held to the same expectations: a scenario whose expectations a baseline
  // meets proves nothing about the rebalancer.
  const failures = checkExpectations(summary, scenario, without);
  summary.expectations = { passed: failures.length === 0, failures };
  return summary;
}

/** Each expectation the scenario states and the run did not meet, as a sentence. */
export function checkExpectations(summary: RunSummary, scenario: Scenario, without?: RunSummary): string[] {
  const expect = scenario.expect;
  const failures: string[] = [];
  if (expect.tasksLostAtMost !== undefined && summary.tasksLost > expect.tasksLostAtMost) {
    failures.push(`tasksLost ${summary.tasksLost} > ${expect.tasksLostAtMost}`);
  }
  if (expect.drainedAtLeastSecondsBeforeTermination !== undefined) {
    for (const [id, lead] of Object.entries(summary.drainLeadSeconds)) {
      if (lead === null) failures.push(`${id} was interrupted and never drained`);
      else if (lead < expect.drainedAtLeastSecondsBeforeTermination) failures.push(`${id} drained only ${lead}s before termination (< ${expect.drainedAtLeastSecondsBeforeTermination}s)`);
    }
  }
  for (const [key, wanted] of Object.entries(expect.strategies ?? {})) {
    const actual = summary.strategies[key];
    if (!actual) failures.push(`strategy of ${key}: no such service`);
    else if (canonical(actual) !== canonical(wanted)) failures.push(`strategy of ${key} is ${canonical(actual)}, expected ${canonical(wanted)}`);
  }
  for (const point of expect.strategiesAt ?? []) {
    const at = Date.parse(scenario.start) + point.atSeconds * 1000;
    for (const [key, wanted] of Object.entries(point.strategies)) {
      const initial = startingStrategy(scenario, key);
      const actual = summary.strategyChanges.filter((c) => c.service === key && Date.parse(c.time) <= at).at(-1)?.strategy ?? initial;
      if (!actual) failures.push(`strategy of ${key} at ${point.atSeconds}s: no such service`);
      else if (canonical(actual) !== canonical(wanted)) failures.push(`strategy of ${key} at ${point.atSeconds}s is ${canonical(actual)}, expected ${canonical(wanted)}`);
    }
  }
  if (expect.throttledAtMost !== undefined && summary.throttled > expect.throttledAtMost) {
    failures.push(`throttled ${summary.throttled} > ${expect.throttledAtMost}`);
  }
  if (expect.queueEmpty && (summary.queue.remaining > 0 || summary.queue.dlq > 0)) {
    failures.push(`queue not empty at the end: ${summary.queue.remaining} in the queue, ${summary.queue.dlq} in the DLQ`);
  }
  for (const wanted of expect.rollouts ?? []) {
    const got = summary.rollouts.find((r) => r.service === wanted.service);
    if (!got) failures.push(`rollout of ${wanted.service}: never ran`);
    else if (got.status !== wanted.status) failures.push(`rollout of ${wanted.service} is ${got.status}, expected ${wanted.status}${got.cause ? ` (${got.cause})` : ''}`);
  }
  if (expect.fewerTasksLostThanWithout && without && !(summary.tasksLost < without.tasksLost)) {
    failures.push(`tasksLost ${summary.tasksLost} is not fewer than without the rebalancer (${without.tasksLost})`);
  }
  if (expect.lowestRunningFractionAtLeast !== undefined && summary.availability.lowestRunningFraction < expect.lowestRunningFractionAtLeast) {
    failures.push(`lowest running fraction ${summary.availability.lowestRunningFraction} < ${expect.lowestRunningFractionAtLeast}`);
  }
  if (expect.taskSecondsBelowDesiredAtMost !== undefined && summary.availability.taskSecondsBelowDesired > expect.taskSecondsBelowDesiredAtMost) {
    failures.push(`task-seconds below desired ${summary.availability.taskSecondsBelowDesired} > ${expect.taskSecondsBelowDesiredAtMost}`);
  }
  if (expect.tasksFailedToStartAtMost !== undefined && summary.tasksFailedToStart > expect.tasksFailedToStartAtMost) {
    failures.push(`tasks failed to start ${summary.tasksFailedToStart} > ${expect.tasksFailedToStartAtMost}`);
  }
  const within = expect.fallbackWithinSecondsOfLaunchFailure;
  if (within !== undefined) {
    const seconds = summary.launchFailureToStrategyChange;
    if (seconds === null) failures.push(`no strategy change after the first launch failure (expected within ${within}s)`);
    else if (seconds > within) failures.push(`first strategy change ${seconds}s after the first launch failure (> ${within}s)`);
  }
  const drained = expect.drainedByRebalancer;
  for (const id of drained?.instances ?? []) {
    const at = summary.rebalancerDrainsAt[id];
    if (at === undefined) failures.push(`${id} was never drained by the rebalancer`);
    else if (drained?.notBeforeSeconds !== undefined && at < drained.notBeforeSeconds) failures.push(`${id} drained at ${at}s, before ${drained.notBeforeSeconds}s`);
    else if (drained?.notAfterSeconds !== undefined && at > drained.notAfterSeconds) failures.push(`${id} drained at ${at}s, after ${drained.notAfterSeconds}s`);
  }
  return failures;
}

/** The strategy `cluster/service` starts the scenario with. */
export function startingStrategy(scenario: { clusters: readonly ClusterState[] }, key: string): Strategy | undefined {
  const [cluster, service] = key.split('/');
  return scenario.clusters.find((c) => c.cluster === cluster)?.services.find((s) => s.name === service)?.strategy;
}

export function canonical(strategy: Strategy): string {
  return [...strategy]
    .sort((a, b) => a.capacityProvider.localeCompare(b.capacityProvider))
    .map((s) => `${s.capacityProvider}:${s.base}/${s.weight}`)
    .join(' ');
}

/** The side-by-side text table of runs: the rebalancer's (if any) and each baseline's. */
export function comparisonTable(primary: RunSummary, ...others: (RunSummary | undefined)[]): string {
  const runs = [primary, ...others.filter((s): s is RunSummary => s !== undefined)];
  const stat = (v: { [k: string]: number } | null, keys: string[]) => (v ? keys.map((k) => String(v[k])).join(' / ') : '-');
  const rows: [string, (s: RunSummary) => string][] = [
    ['tasks lost', (s) => String(s.tasksLost)],
    ['instances interrupted', (s) => String(s.interrupted.length)],
    ['drained before termination', (s) => `${Object.values(s.drainLeadSeconds).filter((v) => v !== null).length}/${s.interrupted.length}`],
    ['drain lead min / p50 / p99 (s)', (s) => stat(s.drainLead, ['min', 'p50', 'p99'])],
    ['warning → DRAINING p50 / p99 / max (s)', (s) => stat(s.warningToDraining, ['p50', 'p99', 'max'])],
    ['lowest running fraction', (s) => String(s.availability.lowestRunningFraction)],
    ['task-seconds below desired', (s) => String(s.availability.taskSecondsBelowDesired)],
    ['redeploys', (s) => String(Object.values(s.redeploys).reduce((a, b) => a + b, 0))],
    ['tasks failed to start', (s) => String(s.tasksFailedToStart)],
    ['strategy changes', (s) => String(s.strategyChanges.length)],
    ['ECS calls', (s) => String(s.ecsCalls)],
    ['throttled calls', (s) => String(s.throttled)],
    ['records retried / in DLQ', (s) => `${s.queue.retried} / ${s.queue.dlq}`],
    ['expectations', (s) => (s.expectations.passed ? 'passed' : `FAILED (${s.expectations.failures.length})`)],
  ];
  const header = ['', ...runs.map(runName)];
  const body = rows.map(([name, f]) => [name, ...runs.map(f)]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** How a run is named in the table and the timeline. */
export function runName(s: RunSummary): string {
  if (s.baseline === null) return 'rebalancer';
  return s.baseline === 'nothing' ? 'nothing reacts' : 'ECS Spot draining';
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!);
}
