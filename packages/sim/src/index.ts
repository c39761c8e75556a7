export { SimApiError } from './errors.js';
export { VirtualClock } from './model/clock.js';
export type { CancelTimer } from './model/clock.js';
export { SeededRandom } from './model/random.js';
export { EventSink } from './model/events.js';
export type { EventBridgeEvent, EventListener } from './model/events.js';
export { Simulation, createSimulation } from './model/simulation.js';
export type {
  InstanceStateFailure,
  ProviderOptions,
  PutEventRecord,
  ServiceUpdate,
  SimulationOptions,
} from './model/simulation.js';
export { ThrottleBucket, DEFAULT_BUCKET_LIMITS, ECS_ACTION_BUCKET, ThrottleBuckets } from './model/throttle.js';
export type { BucketLimits } from './model/throttle.js';
export { chooseProvider, splitByStrategy, slotsForInstanceType } from './model/placement.js';
export { strategyRejection } from './model/strategy-rules.js';
export { parseClusterQuery, QuerySyntaxError } from './model/query-language.js';
export { RolloutState, TaskStatus } from './model/types.js';
export type {
  AlarmChangeRecord,
  DeploymentRecord,
  DrainRecord,
  InterruptionRecord,
  PlacementFailureRecord,
  RunningSample,
  ScaleOutRecord,
  SimCluster,
  SimDeployment,
  SimInstance,
  SimProvider,
  SimReport,
  SimService,
  SimTask,
  StrategyChangeRecord,
} from './model/types.js';
export { startSimServer } from './server/server.js';
export type { ControlHandler, SimServer, SimServerOptions, WireCall, WireOutcome } from './server/server.js';
export { FaultInjector, FaultKind, faultSchema } from './server/faults.js';
export { DYNAMODB_TARGET_PREFIX, DynamoDbTables } from './server/dynamodb.js';
export type { DynamoDbOptions, DynamoDbStats, TableDefinition } from './server/dynamodb.js';
export { INSTANCE_INDEX_TABLE_NAME, instanceIndexTables } from './scenario/instance-index.js';
export type { Fault } from './server/faults.js';
export { simControl } from './server/control.js';
export {
  BASELINES,
  Baseline,
  DEFAULT_LATENCY,
  DEPLOYED_EVENT_SOURCE,
  VirtualRetryStrategy,
  checkExpectations,
  comparisonTable,
  latencySchema,
  parseScenario,
  runName,
  runScenario,
  renderReport,
  runChart,
  splitApiCalls,
  vacuousExpectations,
  scenarioSchema,
  scenarioWorld,
  summarize,
} from './scenario/index.js';
export type {
  Availability,
  EventSourceSettings,
  LatencyOptions,
  ServiceAvailability,
  SimRequestHandler,
  HandlerEnvironment,
  HandlersFactory,
  Invocation,
  ReportRun,
  RebalancerHandlers,
  RolloutDriver,
  RolloutOutcome,
  RunOptions,
  RunResult,
  RunSummary,
  Scenario,
  ScenarioExpectations,
  ScenarioTimelineEntry,
} from './scenario/index.js';
