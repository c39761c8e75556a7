export { parseScenario, scenarioSchema } from './schema.js';
export type { Scenario, ScenarioExpectations, ScenarioTimelineEntry } from './schema.js';
export { runScenario } from './runner.js';
export type { HandlerEnvironment, HandlersFactory, Invocation, RebalancerHandlers, RolloutDriver, RolloutOutcome, RunOptions, RunResult } from './runner.js';
export { checkExpectations, comparisonTable, summarize } from './summary.js';
export type { RunSummary } from './summary.js';
export { runningTasksChart } from './chart.js';
