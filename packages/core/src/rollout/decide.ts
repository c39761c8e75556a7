import type { AlarmStateValue } from '../model/cluster-state.js';
import type { Strategy } from '../model/strategy.js';
import { sameStrategy } from '../strategy/validate.js';
import { BAKE_WATCH_SECONDS } from './history.js';
import type { AlarmCheck, AlarmTransition, DeploymentVerdict, ServiceDeployment } from './types.js';

/**
 * Whether a rollout step's deployment is over, from the service's deployments as
 * DescribeServices lists them. Only the PRIMARY deployment (the newest, the one with the
 * step's strategy) counts:
 *
 * | PRIMARY                                   | elapsed ≥ timeout | verdict  |
 * |-------------------------------------------|-------------------|----------|
 * | rolloutState FAILED (circuit breaker)     | any               | failed   |
 * | rolloutState COMPLETED                    | any               | done     |
 * | no rolloutState, running = desired, alone | any               | done     |
 * | anything else, or no PRIMARY yet          | no                | wait     |
 * | anything else, or no PRIMARY yet          | yes               | timeout  |
 *
 * ECS sets COMPLETED once the service reached a steady state with the new deployment.
 */
export function decideDeploymentWait(deployments: readonly ServiceDeployment[], elapsedSeconds: number, timeoutSeconds: number): DeploymentVerdict {
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  if (primary?.rolloutState === 'FAILED') return 'failed';
  if (primary?.rolloutState === 'COMPLETED') return 'done';
  if (
    primary &&
    primary.rolloutState === undefined &&
    deployments.length === 1 &&
    primary.desiredCount !== undefined &&
    primary.runningCount === primary.desiredCount
  ) {
    return 'done';
  }
  return elapsedSeconds >= timeoutSeconds ? 'timeout' : 'wait';
}

/**
 * Whether a bake passed. Every watched alarm (the keys of `states`, in order) must be OK now
 * — missing (deleted or misspelt), INSUFFICIENT_DATA and ALARM all fail — and none may have
 * entered ALARM at or after `bakeStart` (an alarm that flapped to ALARM and back during the
 * bake fails it too: `history` holds the StateUpdate items since the bake began). The
 * answer lists each failing alarm once, with every reason.
 */
export function decideAlarmCheck(
  states: Readonly<Record<string, AlarmStateValue | undefined>>,
  history: readonly AlarmTransition[],
  bakeStart: string,
): AlarmCheck {
  const since = Date.parse(bakeStart);
  const alarms: string[] = [];
  const reasons: string[] = [];
  for (const [name, state] of Object.entries(states)) {
    const own: string[] = [];
    if (state === undefined) own.push(`alarm ${name} does not exist`);
    else if (state !== 'OK') own.push(`alarm ${name} is ${state}`);
    const entered = history
      .filter((h) => h.alarmName === name && h.newState === 'ALARM' && Date.parse(h.timestamp) >= since)
      .map((h) => h.timestamp)
      .sort();
    if (entered.length > 0 && state !== 'ALARM') own.push(`alarm ${name} entered ALARM at ${entered[0]} during the bake`);
    else if (entered.length > 0) own[own.length - 1] = `alarm ${name} is ALARM (entered at ${entered[0]}, during the bake)`;
    if (own.length > 0) {
      alarms.push(name);
      reasons.push(...own);
    }
  }
  return alarms.length === 0 ? { ok: true } : { ok: false, alarms, reasons };
}

/** Where a bake stands after one look at its alarms. */
export type BakeVerdict =
  | { status: 'baking'; waitSeconds: number }
  | { status: 'passed' }
  | { status: 'alarm'; alarms: string[]; reasons: string[] };

/**
 * How long the next Wait of a bake lasts: what remains of the bake, at most BAKE_WATCH_SECONDS
 * (60 s) while alarms are watched, so that an alarm entering ALARM is seen within 60 s; with
 * no alarms to watch, the whole remainder at once (one Wait, two history events).
 */
export function bakeWaitSeconds(bakedSeconds: number, bakeSeconds: number, alarmCount: number): number {
  const remaining = Math.max(0, bakeSeconds - bakedSeconds);
  return alarmCount === 0 ? remaining : Math.min(BAKE_WATCH_SECONDS, remaining);
}

/**
 * One look at a bake, every ≤ 60 s while it lasts:
 *
 * | alarm check (decideAlarmCheck) | baked ≥ bakeSeconds | verdict                       |
 * |--------------------------------|---------------------|-------------------------------|
 * | fails                          | any                 | alarm (the step stops now)    |
 * | ok                             | yes                 | passed                        |
 * | ok                             | no                  | baking, wait bakeWaitSeconds  |
 */
export function decideBake(bakedSeconds: number, bakeSeconds: number, alarmCount: number, check: AlarmCheck): BakeVerdict {
  if (!check.ok) return { status: 'alarm', alarms: check.alarms, reasons: check.reasons };
  if (bakedSeconds >= bakeSeconds) return { status: 'passed' };
  return { status: 'baking', waitSeconds: bakeWaitSeconds(bakedSeconds, bakeSeconds, alarmCount) };
}

/**
 * What a rollback does to the service. `baseline`, when present, is what the active Spot
 * fallback's record must hold from now on (the rollout's starting strategy): the adapters
 * write it in place of the recorded baseline, keeping `fallbackSince`.
 */
export type RollbackDecision =
  | { type: 'none'; reason: string; baseline?: Strategy }
  | { type: 'set-strategy'; strategy: Strategy; reason: string; heldAtZero: string[]; baseline?: Strategy };

/** What decideRollback reads of the service now. */
export interface RollbackSubject {
  strategy: Strategy;
  /** The active fallback's record (null when none). */
  baseline: Strategy | null;
  fallbackSince: string | null;
  deployments: readonly ServiceDeployment[];
}

/**
 * The rollback of a rollout that started from `start`. A rollback never puts weight back on a
 * provider an active Spot fallback holds at zero: the fallback's restore stays in charge of the
 * return to Spot. The providers the fallback holds are those its baseline gives base or weight
 * and the current strategy gives neither (a fallback keeps its Spot providers at base 0,
 * weight 0).
 *
 * A rollout never starts while a fallback is active (planRollout refuses), so a fallback
 * active at the rollback began during the rollout, and its recorded baseline is a mid-rollout
 * mix of `from` and `to`. Rolling back means the operator wants what they had before the
 * rollout: the record's baseline becomes `start` (returned as `baseline`; `fallbackSince`
 * stays), so the later restore returns there instead of to the mix. A fallback recorded but
 * not yet applied is completed from that baseline too (decidePendingFallbacks), so it then
 * falls back from `start`.
 *
 * | fallback record | current vs target                         | decision | record's baseline |
 * |-----------------|-------------------------------------------|----------|-------------------|
 * | none            | current = start, PRIMARY not FAILED       | none (nothing to undo) | – |
 * | none            | otherwise                                 | set-strategy start | – |
 * | active          | no provider held at zero (not yet applied)| none: the pending fallback decides | start |
 * | active          | start without the held providers places nothing | none: the fallback's strategy stays | start |
 * | active          | current = held start, PRIMARY not FAILED  | none | start |
 * | active          | otherwise                                 | set-strategy: start, held providers at base 0 / weight 0 | start |
 *
 * `baseline` is left out when the record already holds `start`.
 */
export function decideRollback(start: Strategy, service: RollbackSubject): RollbackDecision {
  const failed = service.deployments.find((d) => d.status === 'PRIMARY')?.rolloutState === 'FAILED';
  if (service.baseline === null) {
    if (sameStrategy(service.strategy, start) && !failed) return { type: 'none', reason: 'the service is on its starting strategy' };
    return { type: 'set-strategy', strategy: start.map((i) => ({ ...i })), reason: 'back to the starting strategy', heldAtZero: [] };
  }
  const rebased = sameStrategy(service.baseline, start) ? {} : { baseline: start.map((i) => ({ ...i })) };
  const restoreNote = 'baseline' in rebased ? '; its restore returns to the starting strategy' : '';
  const since = `a Spot fallback is active (since ${service.fallbackSince ?? 'unknown'})`;
  const placed = new Map(service.strategy.map((i) => [i.capacityProvider, i.base > 0 || i.weight > 0]));
  const held = service.baseline.filter((i) => (i.base > 0 || i.weight > 0) && placed.get(i.capacityProvider) !== true).map((i) => i.capacityProvider);
  if (held.length === 0) return { type: 'none', reason: `${since} but not yet applied: the service is left to it${restoreNote}`, ...rebased };
  const heldSet = new Set(held);
  const target = start.map((i) => (heldSet.has(i.capacityProvider) ? { capacityProvider: i.capacityProvider, base: 0, weight: 0 } : { ...i }));
  const heldNames = held.join(', ');
  if (!target.some((i) => i.weight > 0)) {
    return { type: 'none', reason: `${since}: the starting strategy places nothing without ${heldNames}, so the fallback's strategy stays${restoreNote}`, ...rebased };
  }
  if (sameStrategy(service.strategy, target) && !failed) {
    return { type: 'none', reason: `${since}: the service is on its starting strategy with ${heldNames} held at 0${restoreNote}`, ...rebased };
  }
  return { type: 'set-strategy', strategy: target, reason: `${since}: back to the starting strategy with ${heldNames} held at 0${restoreNote}`, heldAtZero: held, ...rebased };
}
