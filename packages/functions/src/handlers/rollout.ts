// Lambda entry of the rollout function (infra points the state machine's Task states at
// `packages/functions/src/handlers/rollout.handler`). Clients are built at module scope and
// reused across invocations. The function needs ecs:DescribeServices, DescribeClusters,
// UpdateService, ListTasks, DescribeTasks, TagResource, UntagResource (scoped to the managed
// clusters), cloudwatch:DescribeAlarms, DescribeAlarmHistory, and states:ListExecutions,
// DescribeExecution on the rollout state machine and its executions (one rollout per service).
import { createRolloutClients } from '../adapters/rollout-clients.js';
import { composeRolloutDeps, createRolloutHandler } from './create-rollout-handler.js';

export const handler = createRolloutHandler(composeRolloutDeps({ clients: createRolloutClients() }));
