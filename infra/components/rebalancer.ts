// The whole app for one validated policy: what sst.config.ts deploys.
import type { Policy } from '@ecs-rebalancer/core';
import { rolloutStateMachineName } from '../state-machine.js';
import { accountScope } from './account.js';
import { createAlarms } from './alarms.js';
import { createFunctions } from './functions.js';
import { createQueues } from './queue.js';
import { createRules } from './rules.js';
import { createStateMachine } from './state-machine.js';

export function createRebalancer(opts: { policy: Policy; policyFile: string }) {
  const scope = accountScope();
  const stateMachineName = rolloutStateMachineName($app.name, $app.stage);
  const { queue, deadLetterQueue } = createQueues();
  createRules({ scope, policy: opts.policy, queue });
  const { react, rollout } = createFunctions({ scope, policy: opts.policy, policyFile: opts.policyFile, queue, deadLetterQueue, stateMachineName });
  const stateMachine = createStateMachine({ scope, rollout, name: stateMachineName });
  createAlarms({ policy: opts.policy, queue, deadLetterQueue, react });
  return {
    queueUrl: queue.url,
    deadLetterQueueUrl: deadLetterQueue.url,
    reactFunction: react.name,
    rolloutStateMachineArn: stateMachine.arn,
  };
}
