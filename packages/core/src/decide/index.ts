export { decide } from './decide.js';
export { planLoad } from './load.js';
export type { LoadRequest } from './load.js';
