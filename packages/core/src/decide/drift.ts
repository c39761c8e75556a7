import type { DecideContext, Decision } from './context.js';
import { emptyDecision } from './context.js';
import { sameStrategy } from '../strategy/validate.js';

/**
 * Reports drift on a tick: someone changed a strategy the rebalancer set.
 *
 * | condition | outcome |
 * |---|---|
 * | no tick in the batch | nothing |
 * | managed service with `applied` null or absent | nothing (the rebalancer never set it) |
 * | managed service whose strategy is not `sameStrategy` as `applied` | `drift` entry and a warning |
 *
 * Drift is only reported: the operator's hand wins until the next fallback or restore.
 */
export function decideDrift(ctx: DecideContext): Decision {
  const decision = emptyDecision();
  if (!ctx.signals.some((s) => s.kind === 'tick')) return decision;
  for (const cluster of ctx.clusters) {
    for (const service of cluster.services) {
      const applied = service.applied;
      if (!applied || sameStrategy(applied, service.strategy)) continue;
      decision.drift.push({ cluster: cluster.name, service: service.name, expected: applied.map((i) => ({ ...i })), actual: service.strategy.map((i) => ({ ...i })) });
      decision.warnings.push(`service ${service.name} in ${cluster.name} drifted: its strategy is not the one the rebalancer set`);
    }
  }
  return decision;
}
