// Lambda entry of the rollout function (infra points the state machine's Task states at
// `packages/functions/src/handlers/rollout.handler`). Clients are built at module scope (each
// on first use) and reused across invocations. The function reads its service with the
// cluster reader (the ECS read actions of the other functions, scoped to the managed
// clusters), and needs ecs:UpdateService, TagResource, UntagResource, cloudwatch:DescribeAlarms,
// DescribeAlarmHistory, and states:ListExecutions, DescribeExecution on the rollout state
// machine and its executions (one rollout per service): infra/iam-statements.ts.
// The policy (REBALANCER_POLICY, as for the other functions) is read at cold start: under its
// `dryRun` every rollout only plans.
// The kill switch (REBALANCER_KILL_SWITCH_PARAMETER, ssm:GetParameter) is read as by the
// other functions, with the same 30 s cache.
import { createRolloutClients } from '../adapters/rollout-clients.js';
import { SsmKillSwitch } from '../adapters/ssm-kill-switch.js';
import { loadConfig } from '../config.js';
import { composeRolloutDeps, createRolloutHandler } from './create-rollout-handler.js';

const config = loadConfig();
const clients = createRolloutClients({ maxAttempts: config.maxAttempts });
const killSwitch = config.killSwitchParameter ? new SsmKillSwitch(clients.ssm, config.killSwitchParameter) : undefined;

export const handler = createRolloutHandler(composeRolloutDeps({ clients, policy: config.policy, ...(killSwitch ? { killSwitch } : {}) }));
