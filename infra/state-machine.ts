// The rollout state machine as deployed. The ASL comes from ./rollout/definition.ts, the
// same builder the local runs (aws-local-stepfunctions) and the CLI use, so what runs in
// AWS is what the tests ran. It is JSONPath ASL: sst.aws.StepFunctions would emit JSONata,
// which the local runner cannot run, so the wiring uses a raw aws.sfn.StateMachine.
import { rolloutDefinition } from './rollout/definition.js';

/** The definition string for aws.sfn.StateMachine, with Task states bound to `functionArn`. */
export function stateMachineDefinition(functionArn: string): string {
  return JSON.stringify(rolloutDefinition({ functionArn }));
}
