export * from './model/index.js';
export * from './errors.js';
export * from './policy/index.js';
export * from './strategy/index.js';
export * from './events/index.js';
export * from './decide/index.js';
export * from './rollout/index.js';
export { zodProblems } from './zod-problems.js';
