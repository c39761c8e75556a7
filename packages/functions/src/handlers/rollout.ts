// Lambda entry of the rollout function (infra points the state machine's Task states at
// `packages/functions/src/handlers/rollout.handler`). Clients are built at module scope and
// reused across invocations. The function needs ecs:DescribeServices, DescribeClusters,
// UpdateService, ListTasks, DescribeTasks, TagResource, UntagResource (scoped to the managed
// clusters), cloudwatch:DescribeAlarms, DescribeAlarmHistory, and states:ListExecutions,
// DescribeExecution on the rollout state machine and its executions (one rollout per service).
// The policy (REBALANCER_POLICY, as for the other functions) is read at cold start: under its
// `dryRun` every rollout only plans.
import { createRolloutClients } from '../adapters/rollout-clients.js';
import { loadConfig } from '../config.js';
import { composeRolloutDeps, createRolloutHandler } from './create-rollout-handler.js';

const config = loadConfig();

export const handler = createRolloutHandler(composeRolloutDeps({ clients: createRolloutClients({ maxAttempts: config.maxAttempts }), policy: config.policy }));
