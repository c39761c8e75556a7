export { MAX_BASE, MAX_STRATEGY_ITEMS, MAX_WEIGHT, isValidStrategy, sameStrategy, strategyProblems } from './validate.js';
