import type { Strategy } from '../model/strategy.js';

/**
 * The strategy that ends a fallback: exactly the baseline recorded when it began, whatever
 * the current strategy holds. A fallback provider that the baseline did not name is dropped,
 * and weights scaled during the fallback come back as they were. The result is a copy.
 */
export function restoreStrategy(baseline: Strategy): Strategy {
  return baseline.map((item) => ({ ...item }));
}
