// What `rebalancer rollout …` prints: the dry run's plan table and an execution's cause.
import { expectedTaskSplit } from '@ecs-rebalancer/core';
import type { RolloutPlan, Strategy } from '@ecs-rebalancer/core';

/** A Lambda error's Cause is JSON; what the operator needs is its message. */
export function readableCause(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed?.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // plain text already
  }
  return cause;
}

export function formatStrategy(strategy: Strategy): string {
  return strategy.map((i) => `${i.capacityProvider}:${i.base}:${i.weight}`).join(' ');
}

function formatSplit(split: Record<string, number>): string {
  return Object.entries(split)
    .map(([p, n]) => `${p} ${n}`)
    .join(', ');
}

/** The dry run's table: each step's strategy (provider:base:weight) and the task split expected. */
export function formatPlan(plan: RolloutPlan): string {
  const rows = [
    { step: 'start', percent: '', strategy: formatStrategy(plan.start), tasks: formatSplit(expectedTaskSplit(plan.start, plan.desiredCount)) },
    ...plan.steps.map((s) => ({ step: String(s.index + 1), percent: `${s.percent}%`, strategy: formatStrategy(s.strategy), tasks: formatSplit(s.expectedTasks) })),
  ];
  const width = Math.max(8, ...rows.map((r) => r.strategy.length));
  const header = [
    `rollout ${plan.cluster}/${plan.service}: ${plan.from} → ${plan.to} in ${plan.stepCount} step(s), bake ${plan.bakeSeconds} s, alarms: ${plan.alarms.join(', ') || 'none'}`,
    `approval: ${plan.approval}, on alarm: ${plan.onAlarm}, ${plan.desiredCount} desired task(s), weights ×${Number.isInteger(plan.weightScale) ? plan.weightScale : plan.weightScale.toFixed(3)}`,
    '',
    `${'step'.padEnd(6)}${'share'.padEnd(7)}${'strategy (provider:base:weight)'.padEnd(width + 2)}expected tasks`,
  ];
  const body = rows.map((r) => `${r.step.padEnd(6)}${r.percent.padEnd(7)}${r.strategy.padEnd(width + 2)}${r.tasks}`);
  return `${[...header, ...body].join('\n')}\n`;
}
