// Lambda entry of the rollout function (infra points the state machine's Task states at
// `packages/functions/src/handlers/rollout.handler`). Clients are built at module scope and
// reused across invocations. The function needs ecs:DescribeServices, DescribeClusters,
// UpdateService, ListTasks, DescribeTasks, TagResource, UntagResource (scoped to the managed
// clusters), cloudwatch:DescribeAlarms, DescribeAlarmHistory, and states:ListExecutions,
// DescribeExecution on the rollout state machine and its executions (one rollout per service).
// The policy (REBALANCER_POLICY, as for the other functions) is read at cold start: under its
// `dryRun` every rollout only plans.
// The kill switch (REBALANCER_KILL_SWITCH_PARAMETER, ssm:GetParameter) is read as by the
// other functions, with the same 30 s cache.
import { SSMClient } from '@aws-sdk/client-ssm';
import { createRolloutClients } from '../adapters/rollout-clients.js';
import { SsmKillSwitch } from '../adapters/ssm-kill-switch.js';
import { loadConfig } from '../config.js';
import { composeRolloutDeps, createRolloutHandler } from './create-rollout-handler.js';

const config = loadConfig();
const killSwitch = config.killSwitchParameter ? new SsmKillSwitch(new SSMClient({ maxAttempts: config.maxAttempts }), config.killSwitchParameter) : undefined;

export const handler = createRolloutHandler(
  composeRolloutDeps({ clients: createRolloutClients({ maxAttempts: config.maxAttempts }), policy: config.policy, ...(killSwitch ? { killSwitch } : {}) }),
);
