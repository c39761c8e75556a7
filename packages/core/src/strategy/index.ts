export { MAX_BASE, MAX_STRATEGY_ITEMS, MAX_WEIGHT, sameStrategy, strategyProblems } from './validate.js';
export { fallbackStrategy, isSpotProvider } from './fallback.js';
export type { FallbackTargets } from './fallback.js';
export { restoreStrategy } from './restore.js';
export { expectedTaskSplit, stepStrategy, weightScale } from './step.js';
