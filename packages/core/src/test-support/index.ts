export * from './builders.js';
export * from './events.js';
export * from '@ecs-rebalancer/fixtures';
export * from './signals.js';
