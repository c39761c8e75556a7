export * from './strategy.js';
export * from './cluster-state.js';
export * from './signal.js';
export * from './plan.js';
export { clusterStateProblems, clusterStateSchema, parseClusterState, serviceStateSchema, strategySchema } from './cluster-state-schema.js';
