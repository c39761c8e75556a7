// The rollout state machine as deployed. The ASL comes from @ecs-rebalancer/core (rollout/definition.ts), the
// same builder the local runs (aws-local-stepfunctions) and the CLI use, so what runs in
// AWS is what the tests ran. It is JSONPath ASL: sst.aws.StepFunctions would emit JSONata,
// which the local runner cannot run, so the wiring uses a raw aws.sfn.StateMachine.
import { rolloutDefinition } from '@ecs-rebalancer/core';

/** The definition string for aws.sfn.StateMachine, with Task states bound to `functionArn`. */
export function stateMachineDefinition(functionArn: string): string {
  return JSON.stringify(rolloutDefinition({ functionArn }));
}

/** Step Functions: a state machine's name is 1–80 characters; ARNs and CloudWatch want these. */
const STATE_MACHINE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The rollout state machine's name: explicit and derived from the app and the stage, so the
 * rollout function's role can name the state machine and its executions before the state
 * machine exists (its ARN would make the role and the state machine depend on each other:
 * the state machine invokes the function). Names are unique per account and region, and so
 * is an app's stage.
 */
export function rolloutStateMachineName(app: string, stage: string): string {
  const name = `${app}-${stage}-rollout`;
  if (!STATE_MACHINE_NAME.test(name)) {
    throw new Error(`the rollout state machine name "${name}" is not 1-80 letters, digits, "-" or "_": choose a shorter or plainer stage name`);
  }
  return name;
}
