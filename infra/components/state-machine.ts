// The rollout state machine: a Standard workflow (bake times run longer than an Express
// workflow's five minutes) whose Task states invoke the rollout function.
import type { AccountScope } from '../arns.js';
import { assumeRolePolicy, stateMachineStatements } from '../iam-statements.js';
import { stateMachineDefinition } from '../state-machine.js';

// `name` is rolloutStateMachineName(...): the rollout function's role names it, so it is set
// here rather than generated.
export function createStateMachine(opts: { scope: $util.Output<AccountScope>; rollout: sst.aws.Function; name: string }) {
  const role = new aws.iam.Role('RolloutStateMachineRole', {
    assumeRolePolicy: opts.scope.apply((s) => JSON.stringify(assumeRolePolicy('states.amazonaws.com', s.account))),
  });
  new aws.iam.RolePolicy('RolloutStateMachinePolicy', {
    role: role.name,
    policy: opts.rollout.arn.apply((functionArn) =>
      JSON.stringify({ Version: '2012-10-17', Statement: stateMachineStatements({ functionArn }) }),
    ),
  });
  return new aws.sfn.StateMachine('RolloutStateMachine', {
    name: opts.name,
    type: 'STANDARD',
    roleArn: role.arn,
    definition: opts.rollout.arn.apply((functionArn) => stateMachineDefinition(functionArn)),
  });
}
