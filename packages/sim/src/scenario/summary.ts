import type { Strategy } from '@ecs-rebalancer/core';
import type { RolloutOutcome, RunResult } from './runner.js';
import type { Scenario } from './schema.js';

/** The `--json` summary of one run (the contract of `rebalancer simulate --json`). */
export interface RunSummary {
  scenario: string;
  withRebalancer: boolean;
  tasksLost: number;
  tasksLostByService: Record<string, number>;
  /** EC2 ids that got a Spot interruption warning. */
  interrupted: string[];
  /** EC2 ids the rebalancer drained. */
  drained: string[];
  /** For each interrupted instance, seconds between its drain and its termination (null: never drained). */
  drainLeadSeconds: Record<string, number | null>;
  strategies: Record<string, Strategy>;
  strategyChanges: { time: string; service: string; strategy: Strategy }[];
  apiCalls: Record<string, number>;
  throttled: number;
  rollouts: RolloutOutcome[];
  queue: RunResult['queue'];
  invocations: { react: number; tick: number; records: number; failedRecords: number };
  virtualSeconds: number;
  wallMs: number;
  expectations: { passed: boolean; failures: string[] };
}

export function summarize(result: RunResult, scenario: Scenario, without?: RunSummary): RunSummary {
  const { report } = result;
  const summary: RunSummary = {
    scenario: result.scenario,
    withRebalancer: result.withRebalancer,
    tasksLost: report.tasksLost.total,
    tasksLostByService: report.tasksLost.byService,
    interrupted: report.interruptions.map((i) => i.ec2InstanceId),
    drained: [...new Set(report.drains.map((d) => d.ec2InstanceId))],
    drainLeadSeconds: Object.fromEntries(report.interruptions.map((i) => [i.ec2InstanceId, i.secondsBeforeTermination])),
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
    },
    virtualSeconds: report.elapsedSeconds,
    wallMs: Math.round(result.wallMs),
    expectations: { passed: true, failures: [] },
  };
  if (result.withRebalancer) {
    const failures = checkExpectations(summary, scenario, without);
    summary.expectations = { passed: failures.length === 0, failures };
  }
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
  return failures;
}

function canonical(strategy: Strategy): string {
  return [...strategy]
    .sort((a, b) => a.capacityProvider.localeCompare(b.capacityProvider))
    .map((s) => `${s.capacityProvider}:${s.base}/${s.weight}`)
    .join(' ');
}

/** The side-by-side text table of a run with and without the rebalancer. */
export function comparisonTable(withIt: RunSummary, without?: RunSummary): string {
  const rows: [string, (s: RunSummary) => string][] = [
    ['tasks lost', (s) => String(s.tasksLost)],
    ['instances interrupted', (s) => String(s.interrupted.length)],
    ['drained before termination', (s) => `${Object.values(s.drainLeadSeconds).filter((v) => v !== null).length}/${s.interrupted.length}`],
    ['median drain lead (s)', (s) => median(Object.values(s.drainLeadSeconds).filter((v): v is number => v !== null))],
    ['strategy changes', (s) => String(s.strategyChanges.length)],
    ['ECS calls', (s) => String(Object.entries(s.apiCalls).filter(([k]) => !/^(DescribeAlarms|DescribeAlarmHistory|PutEvents)$/.test(k)).reduce((n, [, v]) => n + v, 0))],
    ['throttled calls', (s) => String(s.throttled)],
    ['records retried / in DLQ', (s) => `${s.queue.retried} / ${s.queue.dlq}`],
  ];
  const header = ['', withIt.withRebalancer ? 'with rebalancer' : 'without rebalancer', ...(without ? ['without'] : [])];
  const body = rows.map(([name, f]) => [name, f(withIt), ...(without ? [f(without)] : [])]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function median(values: number[]): string {
  if (values.length === 0) return '-';
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const m = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return String(Math.round(m));
}
