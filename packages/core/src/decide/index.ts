export { decide, decideBatch } from './decide.js';
export type { SignalFailure } from './decide.js';
export { foreignReason, ownValue } from './context.js';
export { planLoad } from './load.js';
export type { LoadRequest } from './load.js';
