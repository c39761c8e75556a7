export * from './strategy.js';
export * from './cluster-state.js';
export * from './signal.js';
export * from './plan.js';
export { clusterStateSchema, parseClusterState } from './cluster-state-schema.js';
