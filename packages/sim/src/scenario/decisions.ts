// The timeline's decision lines: what the rebalancer published (its decision events) since
// the last line, in words.
import type { Simulation } from '../model/simulation.js';

/** Prints the decision events the handler published since the last call. */
export function reportDecisions(
  sim: Simulation,
  seen: { count: number },
  say: (line: string) => void,
  records: number,
  failures: number,
  kind = 'react',
): void {
  const fresh = sim.decisionEvents.items.slice(seen.count);
  seen.count = sim.decisionEvents.items.length;
  const summary = fresh.map((d) => describeDecision(d.detail)).filter((s) => s.length > 0);
  if (kind === 'react') {
    say(`react: batch of ${records} record(s)${failures ? `, ${failures} to retry` : ''}${summary.length ? ` → ${summary.join('; ')}` : ''}`);
  } else if (summary.length > 0) {
    say(`tick → ${summary.join('; ')}`);
  }
}

function describeDecision(detail: unknown): string {
  const d = (detail ?? {}) as Record<string, unknown>;
  const action = (d.action ?? d) as Record<string, unknown>;
  const outcome = typeof d.outcome === 'string' ? d.outcome : typeof (d.outcome as { status?: string })?.status === 'string' ? (d.outcome as { status: string }).status : undefined;
  const suffix = `${outcome && outcome !== 'done' ? ` [${outcome}]` : ''}${d.dryRun === true ? ' [dry run]' : ''}`;
  switch (action.type) {
    case 'drain': {
      const ids = (action.ec2InstanceIds as string[] | undefined) ?? (action.containerInstances as string[] | undefined) ?? [];
      return `drain ${ids.length} in ${String(action.cluster)} (${String(action.reason)})${suffix}`;
    }
    case 'set-strategy': {
      const strategy = (action.strategy as { capacityProvider: string; base: number; weight: number }[] | undefined) ?? [];
      const text = strategy.map((s) => `${s.capacityProvider} ${s.base}/${s.weight}`).join(', ');
      return `${String(action.change ?? 'set-strategy')} ${String(action.cluster)}/${String(action.service)} → [${text}]${suffix}`;
    }
    case 'metric':
      return '';
    default:
      return typeof action.type === 'string' ? `${action.type}${suffix}` : '';
  }
}
