// The rollout state machine (JSONPath ASL), shared by the deployed app (infra/state-machine.ts,
// a raw aws.sfn.StateMachine) and local runs (aws-local-stepfunctions, packages/cli
// rollout-local.ts); pure data, so it lives in the core where both may import it. It holds
// the state; every decision is made by the rollout Lambda, which
// takes an `action` and answers with data the Choice states route on.
//
// State data: { plan, index, done, deployment, failure, rollback }; `deployment` watches the
// step: its deployment (status wait/done/failed/timeout), then its bake (baking/passed/alarm).
// - Task states use the function ARN as Resource, so their output is the function's return
//   value (no Payload wrapper) in AWS and locally alike. The two pauses use
//   lambda:invoke.waitForTaskToken: the function only logs the token; `rebalancer rollout
//   approve|abort` finds it in the execution history (TaskScheduled parameters) and answers
//   with SendTaskSuccess / SendTaskFailure(RolloutAbortedError).
// - Every Wait is followed by a Task that receives the seconds just waited as `waitedSeconds`:
//   the handler adds them to the deployment's elapsed time (no clock arithmetic in the state
//   machine), and the local runner advances the simulator's virtual clock by them while the
//   Wait itself is overridden to 0 ms.
// - History: a deployment poll and a look at the alarms during a bake are each Wait + Task +
//   Choice (9 events). ./history.ts bounds the total, and the input parser refuses a rollout
//   whose worst case passes 80% of 25,000 events.

import { RolloutErrorName } from './types.js';

export interface RolloutDefinitionOptions {
  /** ARN of the rollout Lambda (the handler in packages/functions/src/handlers/rollout.ts). */
  functionArn: string;
  /** How long a manual approval or an alarm pause may wait for the operator. Default 7 days. */
  approvalTimeoutSeconds?: number;
}

export const DEFAULT_APPROVAL_TIMEOUT_SECONDS = 7 * 24 * 3600;

/** Transient failures worth retrying: our adapters' RetryableError (throttling, 5xx) and Lambda's own. */
export const RETRY = [
  {
    ErrorEquals: ['RetryableError', 'ThrottlingException'],
    IntervalSeconds: 2,
    BackoffRate: 2,
    MaxAttempts: 6,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  },
  {
    ErrorEquals: [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
      'Lambda.ClientExecutionTimeoutException',
      'Lambda.Unknown',
    ],
    IntervalSeconds: 2,
    BackoffRate: 2,
    MaxAttempts: 4,
    MaxDelaySeconds: 30,
    JitterStrategy: 'FULL',
  },
] as const;

/**
 * The rollout state machine: Plan → for each step [approval] → Apply → poll the deployment →
 * bake, looking at the alarms at least every 60 s → next step; any failure → Rollback → poll
 * → Fail with the cause.
 */
export function rolloutDefinition(opts: RolloutDefinitionOptions): Record<string, unknown> {
  const fn = opts.functionArn;
  const approvalTimeout = opts.approvalTimeoutSeconds ?? DEFAULT_APPROVAL_TIMEOUT_SECONDS;
  const task = (parameters: Record<string, unknown>, rest: Record<string, unknown>) => ({
    Type: 'Task',
    Resource: fn,
    Parameters: parameters,
    Retry: RETRY,
    ...rest,
  });
  const toRollback = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Rollback' }];
  const pause = (action: string, extra: Record<string, unknown>, resultPath: string, next: string) => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Parameters: {
      FunctionName: fn,
      Payload: {
        action,
        'taskToken.$': '$$.Task.Token',
        'executionArn.$': '$$.Execution.Id',
        'cluster.$': '$.plan.cluster',
        'service.$': '$.plan.service',
        'index.$': '$.index',
        'percent.$': 'States.ArrayGetItem($.plan.percents, $.index)',
        ...extra,
      },
    },
    TimeoutSeconds: approvalTimeout,
    ResultPath: resultPath,
    Retry: RETRY,
    Catch: toRollback,
    Next: next,
  });

  return {
    Comment: 'ecs-rebalancer rollout: move a service from one capacity provider to another in alarm-gated steps',
    StartAt: 'Plan',
    States: {
      Plan: task(
        { action: 'plan', 'input.$': '$', 'executionArn.$': '$$.Execution.Id', 'stateMachineArn.$': '$$.StateMachine.Id' },
        // No ResultPath: the default, "$", makes the result the whole state (aws-local-stepfunctions
        // 3.0 mishandles an explicit "$").
        { Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Refused' }], Next: 'IsDryRun' },
      ),
      Refused: { Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' },
      IsDryRun: {
        Type: 'Choice',
        Choices: [{ Variable: '$.plan.dryRun', BooleanEquals: true, Next: 'DryRunDone' }],
        Default: 'MoreSteps',
      },
      DryRunDone: { Type: 'Succeed', OutputPath: '$.plan' },
      MoreSteps: {
        Type: 'Choice',
        Choices: [{ Variable: '$.index', NumericLessThanPath: '$.plan.stepCount', Next: 'NeedsApproval' }],
        Default: 'Succeeded',
      },
      NeedsApproval: {
        Type: 'Choice',
        Choices: [{ Variable: '$.plan.approval', StringEquals: 'manual', Next: 'AwaitApproval' }],
        Default: 'Apply',
      },
      AwaitApproval: pause('await-approval', {}, '$.approval', 'Apply'),
      Apply: task(
        { action: 'apply', 'plan.$': '$.plan', 'index.$': '$.index' },
        { ResultPath: '$.deployment', Catch: toRollback, Next: 'WaitForDeployment' },
      ),
      WaitForDeployment: { Type: 'Wait', SecondsPath: '$.deployment.waitSeconds', Next: 'CheckDeployment' },
      CheckDeployment: task(
        {
          action: 'check-deployment',
          'plan.$': '$.plan',
          'index.$': '$.index',
          'deployment.$': '$.deployment',
          'waitedSeconds.$': '$.deployment.waitSeconds',
        },
        { ResultPath: '$.deployment', Catch: toRollback, Next: 'DeploymentDone' },
      ),
      DeploymentDone: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.deployment.status', StringEquals: 'wait', Next: 'WaitForDeployment' },
          { Variable: '$.deployment.status', StringEquals: 'done', Next: 'Bake' },
        ],
        Default: 'DeploymentFailed',
      },
      DeploymentFailed: {
        Type: 'Pass',
        Parameters: { Error: RolloutErrorName.Failed, 'Cause.$': '$.deployment.cause' },
        ResultPath: '$.failure',
        Next: 'Rollback',
      },
      // The bake: Waits of at most 60 s, each followed by a look at the alarms, so an alarm
      // entering ALARM stops the step within 60 s (9 history events per look; with no alarms
      // to watch, one Wait of the whole bake). The look's answer replaces $.deployment.
      Bake: { Type: 'Wait', SecondsPath: '$.deployment.waitSeconds', Next: 'CheckAlarms' },
      CheckAlarms: task(
        {
          action: 'check-alarms',
          'plan.$': '$.plan',
          'index.$': '$.index',
          'deployment.$': '$.deployment',
          'done.$': '$.done',
          'waitedSeconds.$': '$.deployment.waitSeconds',
        },
        { ResultPath: '$.deployment', Catch: toRollback, Next: 'BakeDone' },
      ),
      BakeDone: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.deployment.status', StringEquals: 'baking', Next: 'Bake' },
          { Variable: '$.deployment.status', StringEquals: 'passed', Next: 'NextStep' },
          {
            And: [
              { Variable: '$.deployment.status', StringEquals: 'alarm' },
              { Variable: '$.plan.onAlarm', StringEquals: 'pause' },
            ],
            Next: 'AwaitResume',
          },
        ],
        Default: 'AlarmFailed',
      },
      AlarmFailed: {
        Type: 'Pass',
        Parameters: { Error: RolloutErrorName.Failed, 'Cause.$': '$.deployment.cause' },
        ResultPath: '$.failure',
        Next: 'Rollback',
      },
      AwaitResume: pause('await-resume', { 'cause.$': '$.deployment.cause' }, '$.resume', 'RestartBake'),
      RestartBake: task(
        { action: 'restart-bake', 'plan.$': '$.plan', 'index.$': '$.index', 'deployment.$': '$.deployment' },
        { ResultPath: '$.deployment', Catch: toRollback, Next: 'Bake' },
      ),
      NextStep: {
        Type: 'Pass',
        Parameters: { 'plan.$': '$.plan', 'index.$': 'States.MathAdd($.index, 1)', 'done.$': '$.deployment.done' },
        Next: 'MoreSteps',
      },
      Succeeded: {
        Type: 'Pass',
        Parameters: { 'cluster.$': '$.plan.cluster', 'service.$': '$.plan.service', status: 'SUCCEEDED', 'steps.$': '$.done' },
        End: true,
      },
      Rollback: task(
        { action: 'rollback', 'plan.$': '$.plan', 'index.$': '$.index', 'failure.$': '$.failure' },
        { ResultPath: '$.rollback', Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.rollbackError', Next: 'RollbackError' }], Next: 'WaitForRollback' },
      ),
      WaitForRollback: { Type: 'Wait', SecondsPath: '$.rollback.waitSeconds', Next: 'CheckRollback' },
      CheckRollback: task(
        { action: 'check-rollback', 'plan.$': '$.plan', 'rollback.$': '$.rollback', 'waitedSeconds.$': '$.rollback.waitSeconds' },
        { ResultPath: '$.rollback', Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.rollbackError', Next: 'RollbackError' }], Next: 'RollbackDone' },
      ),
      RollbackDone: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.rollback.status', StringEquals: 'wait', Next: 'WaitForRollback' },
          { Variable: '$.rollback.status', StringEquals: 'done', Next: 'RolledBack' },
        ],
        Default: 'RollbackIncomplete',
      },
      RolledBack: { Type: 'Fail', ErrorPath: '$.rollback.error', CausePath: '$.rollback.cause' },
      RollbackIncomplete: { Type: 'Fail', Error: RolloutErrorName.RollbackFailed, CausePath: '$.rollback.cause' },
      RollbackError: { Type: 'Fail', Error: RolloutErrorName.RollbackFailed, CausePath: '$.rollbackError.Cause' },
    },
  };
}
