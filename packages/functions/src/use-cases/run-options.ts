import type { Policy } from '@ecs-rebalancer/core';
import type { KillSwitch, Log } from '../ports.js';
import type { RunOptions } from './decide-in-isolation.js';

/** Reads the kill switch and folds in the policy's dryRun. */
export async function runOptions(deps: { killSwitch?: KillSwitch; policy: Policy; log: Log }): Promise<Omit<RunOptions, 'now'>> {
  const read = deps.killSwitch ? await deps.killSwitch.mode() : { mode: 'active' as const, source: 'none' };
  if (read.mode === 'paused') {
    deps.log.warn('the kill switch is set to paused: no action is carried out', { killSwitch: read.source });
    return { dryRun: true, paused: `paused by the kill switch (${read.source})` };
  }
  return { dryRun: deps.policy.dryRun || read.mode === 'dry-run' };
}

