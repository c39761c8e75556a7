export * from './builders.js';
export * from './events.js';
export * from './fixtures.js';
export * from './signals.js';
