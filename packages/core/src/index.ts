export * from './model/index.js';
export * from './errors.js';
export * from './policy/index.js';
export { strategyProblems, isValidStrategy, sameStrategy, MAX_BASE, MAX_WEIGHT, MAX_STRATEGY_ITEMS } from './strategy/validate.js';
