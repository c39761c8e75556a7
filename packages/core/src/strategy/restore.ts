import type { Strategy } from '../model/strategy.js';

/**
 * The strategy that ends a fallback: exactly the baseline recorded when it began, whatever
 * the current strategy holds. A fallback provider that the baseline did not name is dropped,
 * and weights scaled during the fallback come back as they were. `current` is taken so the
 * call reads as a transition; it does not shape the result. The result is a copy.
 */
export function restoreStrategy(current: Strategy, baseline: Strategy): Strategy {
  void current;
  return baseline.map((item) => ({ ...item }));
}
