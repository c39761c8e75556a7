// The whole app for one validated policy: what sst.config.ts deploys.
import type { Policy } from '@ecs-rebalancer/core';
import { killSwitchParameterName } from '../settings.js';
import { rolloutStateMachineName } from '../state-machine.js';
import { accountScope } from './account.js';
import { createAlarms } from './alarms.js';
import { createFunctions } from './functions.js';
import { createInstanceIndexTable } from './instance-index.js';
import { createQueues } from './queue.js';
import { createRules } from './rules.js';
import { createStateMachine } from './state-machine.js';

export function createRebalancer(opts: { policy: Policy; policyFile: string }) {
  const scope = accountScope();
  const stateMachineName = rolloutStateMachineName($app.name, $app.stage);
  const { queue, deadLetterQueue } = createQueues();
  const killSwitch = new aws.ssm.Parameter(
    'KillSwitch',
    { name: killSwitchParameterName($app.name, $app.stage), type: 'String', value: 'active', description: 'ecs-rebalancer kill switch: active, paused or dry-run' },
    // The value is the operator's from the first deploy on: a redeploy must not un-pause.
    { ignoreChanges: ['value'] },
  );
  const instanceIndex = createInstanceIndexTable();
  const { react, rollout } = createFunctions({
    scope,
    policy: opts.policy,
    policyFile: opts.policyFile,
    queue,
    deadLetterQueue,
    stateMachineName,
    killSwitchParameter: killSwitchParameterName($app.name, $app.stage),
    instanceIndex,
  });
  createRules({ scope, policy: opts.policy, queue, senderRoleArns: [react.nodes.role.arn] });
  const stateMachine = createStateMachine({ scope, rollout, name: stateMachineName });
  createAlarms({ policy: opts.policy, queue, deadLetterQueue, react });
  return {
    queueUrl: queue.url,
    deadLetterQueueUrl: deadLetterQueue.url,
    reactFunction: react.name,
    killSwitchParameter: killSwitch.name,
    instanceIndexTable: instanceIndex.name,
    rolloutStateMachineArn: stateMachine.arn,
  };
}
