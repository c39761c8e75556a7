import type { AlarmStateValue } from '../model/cluster-state.js';
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
