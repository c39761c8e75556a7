// What one storm run cost ECS and how well it drained, read from the simulator's report, and
// the lower bounds a run is measured against.
import { DEFAULT_BUCKET_LIMITS, ECS_ACTION_BUCKET } from '@ecs-rebalancer/sim';
import type { RunResult } from '@ecs-rebalancer/sim';
import { summarize } from './measure.js';
import type { Storm } from './storm.js';
import { STORM_START_SECONDS } from './storm.js';

// ECS API limits the bound uses: UpdateContainerInstancesState 10 instances per call,
// ListContainerInstances pages of 100, DescribeContainerInstances 100 per call.
const DRAIN_PER_CALL = 10;
const LIST_PAGE = 100;
const DESCRIBE_PER_CALL = 100;

export interface StormBound {
  /** Per cluster ceil(n/10) drains + ceil(instances/100) list pages + ceil(n/100) describes. */
  calls: number;
  drains: number;
  reads: number;
  perTargetedInstance: number;
  /** Seconds after the storm's first message by which the last drain call can have been made: arrivals and the write bucket (100 burst, 40/s). */
  lastDrainingSeconds: number;
}

/** The fewest ECS calls and the earliest last drain any handler could achieve for the storm. */
export function stormBound(storm: Storm): StormBound {
  let drains = 0;
  let reads = 0;
  for (const c of storm.perCluster) {
    drains += Math.ceil(c.targeted / DRAIN_PER_CALL);
    reads += Math.ceil(c.instances / LIST_PAGE) + Math.ceil(c.targeted / DESCRIBE_PER_CALL);
  }
  const targeted = storm.perCluster.reduce((n, c) => n + c.targeted, 0);
  // A drain call of a cluster is ready once its tenth instance (or its last) has arrived.
  const ready: number[] = [];
  for (const c of storm.perCluster) {
    const times = storm.arrivals.filter((a) => a.cluster === c.cluster).flatMap((a) => Array.from({ length: a.count }, () => a.at)).sort((a, b) => a - b);
    for (let k = DRAIN_PER_CALL; k < times.length + DRAIN_PER_CALL; k += DRAIN_PER_CALL) ready.push(times[Math.min(k, times.length) - 1] ?? 0);
  }
  ready.sort((a, b) => a - b);
  const { burst, perSecond } = DEFAULT_BUCKET_LIMITS['container-instance-write'];
  let tokens = burst;
  let at = ready[0] ?? STORM_START_SECONDS;
  for (const r of ready) {
    if (r > at) {
      tokens = Math.min(burst, tokens + (r - at) * perSecond);
      at = r;
    }
    if (tokens < 1) {
      at += (1 - tokens) / perSecond;
      tokens = 1;
    }
    tokens -= 1;
  }
  return { calls: drains + reads, drains, reads, perTargetedInstance: (drains + reads) / targeted, lastDrainingSeconds: at - STORM_START_SECONDS };
}

export interface StormFigures {
  storm: string;
  handler: string;
  messages: number;
  /** Instances the storm names (Spot warnings, scheduled changes, state changes). */
  targeted: number;
  spotWarnings: number;
  ecsCalls: number;
  callsByAction: Record<string, number>;
  callsPerTargetedInstance: number;
  throttled: number;
  throttledByAction: Record<string, number>;
  /**
   * Seconds from a Spot warning to its instance going DRAINING (virtual): the issue's
   * "warning → DRAINING", the one with a two-minute deadline.
   */
  warningToDraining: DelayStats | null;
  /**
   * The same from the other messages' arrival, by kind: scheduled changes (AWS Health, starting
   * 30 min later: discretionary, paced by the draining guardrail) and EC2 state changes; and
   * over every message together.
   */
  namedToDraining: { scheduled: DelayStats | null; state: DelayStats | null; all: DelayStats | null };
  /** Seconds between DRAINING and the Spot termination (virtual). */
  drainLead: { p50: number; min: number } | null;
  deadlinesMissed: number;
  tasksLost: number;
  /** Running tasks over the desired count at the start, time-weighted from the storm's start to the end; and the lowest. */
  availability: { mean: number; lowest: number };
  /** Seconds after the first message of the last DRAINING (virtual). */
  lastDrainingSeconds: number | null;
  handlerWallMs: number;
  runWallMs: number;
  invocations: number;
  /** Lambda execution environments the react function ran in (each with its own caches). */
  environments: number;
  /** Messages ÷ handler wall time, and ÷ the whole run's wall time (simulator and queue included). */
  messagesPerSecond: { handler: number; endToEnd: number };
  queue: RunResult['queue'];
  /** DynamoDB calls (the shared instance index) by operation, and those throttled. */
  dynamodb: { calls: Record<string, number>; throttled: number };
}

/** Delays in seconds: median, p99 (nearest rank), max, and how many were drained. */
export interface DelayStats {
  p50: number;
  p99: number;
  max: number;
  drained: number;
}

function delayStats(delays: readonly number[]): DelayStats | null {
  if (delays.length === 0) return null;
  const sorted = [...delays].sort((a, b) => a - b);
  const stats = summarize(sorted);
  return { p50: round(stats.median), p99: round(sorted[Math.max(0, Math.ceil(0.99 * sorted.length) - 1)] ?? 0), max: round(stats.max), drained: sorted.length };
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function stormFigures(storm: Storm, handler: string, result: RunResult, desiredAtStart: number): StormFigures {
  const { report } = result;
  const startMs = Date.parse(storm.scenario.start);
  const seconds = (iso: string): number => (Date.parse(iso) - startMs) / 1000;
  const callsByAction = Object.fromEntries(Object.entries(report.apiCalls).filter(([k]) => k in ECS_ACTION_BUCKET).sort(([a], [b]) => (a < b ? -1 : 1)));
  const ecsCalls = Object.values(callsByAction).reduce((n, v) => n + v, 0);
  const targeted = storm.perCluster.reduce((n, c) => n + c.targeted, 0);

  // Arrival → DRAINING: Spot warnings from the interruption records, the others from the first drain of their instance.
  const firstDrain = new Map<string, number>();
  for (const d of report.drains) if (!firstDrain.has(d.ec2InstanceId)) firstDrain.set(d.ec2InstanceId, seconds(d.time));
  const spot: number[] = [];
  for (const i of report.interruptions) if (i.drainedAt !== null) spot.push(seconds(i.drainedAt) - seconds(i.warnedAt));
  const named = { scheduled: [] as number[], state: [] as number[] };
  for (const [id, { at, kind }] of storm.namedAt) {
    const drained = firstDrain.get(id);
    if (drained !== undefined) named[kind].push(Math.max(0, drained - at));
  }
  const leads = report.interruptions.flatMap((i) => (i.secondsBeforeTermination === null ? [] : [i.secondsBeforeTermination]));
  const leadStats = leads.length > 0 ? summarize(leads) : undefined;
  const drainTimes = [...firstDrain.values()];
  const handlerWallMs = result.invocations.filter((i) => i.kind === 'react').reduce((n, i) => n + i.ms, 0);

  return {
    storm: storm.name,
    handler,
    messages: storm.spotWarnings + storm.scheduledChanges + storm.stateChanges,
    targeted,
    spotWarnings: storm.spotWarnings,
    ecsCalls,
    callsByAction,
    callsPerTargetedInstance: round(ecsCalls / targeted, 3),
    throttled: report.throttled,
    throttledByAction: report.throttledByAction,
    warningToDraining: delayStats(spot),
    namedToDraining: { scheduled: delayStats(named.scheduled), state: delayStats(named.state), all: delayStats([...spot, ...named.scheduled, ...named.state]) },
    drainLead: leadStats ? { p50: round(leadStats.median), min: round(leadStats.min) } : null,
    deadlinesMissed: report.interruptions.filter((i) => i.secondsBeforeTermination === null).length,
    tasksLost: report.tasksLost.total,
    availability: availability(report.running, desiredAtStart, STORM_START_SECONDS, report.elapsedSeconds),
    lastDrainingSeconds: drainTimes.length > 0 ? round(Math.max(...drainTimes) - STORM_START_SECONDS) : null,
    handlerWallMs: Math.round(handlerWallMs),
    runWallMs: Math.round(result.wallMs),
    invocations: result.invocations.filter((i) => i.kind === 'react').length,
    environments: new Set(result.invocations.filter((i) => i.kind === 'react').map((i) => i.environment)).size,
    messagesPerSecond: {
      handler: handlerWallMs > 0 ? Math.round((storm.spotWarnings + storm.scheduledChanges + storm.stateChanges) / (handlerWallMs / 1000)) : 0,
      endToEnd: Math.round((storm.spotWarnings + storm.scheduledChanges + storm.stateChanges) / (result.wallMs / 1000)),
    },
    queue: result.queue,
    dynamodb: { calls: { ...(result.dynamodb?.calls ?? {}) }, throttled: result.dynamodb?.throttled ?? 0 },
  };
}

/** Time-weighted share of the desired tasks RUNNING over [from, to] seconds, summed over clusters, and its lowest value. */
export function availability(
  running: Record<string, { t: number; byProvider: Record<string, number> }[]>,
  desired: number,
  from: number,
  to: number,
): { mean: number; lowest: number } {
  const series = Object.values(running);
  const times = [...new Set(series.flatMap((s) => s.map((p) => p.t)).filter((t) => t > from && t < to))].sort((a, b) => a - b);
  // Times only grow: each series keeps its position, so the sweep is linear.
  const position = series.map(() => 0);
  const value = series.map(() => 0);
  const at = (t: number): number => {
    let sum = 0;
    series.forEach((samples, k) => {
      let i = position[k] ?? 0;
      while (i < samples.length && (samples[i]?.t ?? Infinity) <= t) {
        value[k] = Object.values(samples[i]?.byProvider ?? {}).reduce((n, v) => n + v, 0);
        i++;
      }
      position[k] = i;
      sum += value[k] ?? 0;
    });
    return sum;
  };
  const points = [from, ...times, to];
  let area = 0;
  let lowest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i] ?? from;
    const b = points[i + 1] ?? to;
    const share = Math.min(1, at(a) / desired);
    lowest = Math.min(lowest, share);
    area += share * (b - a);
  }
  return { mean: round(area / Math.max(1, to - from), 4), lowest: round(lowest === Number.POSITIVE_INFINITY ? 1 : lowest, 4) };
}
