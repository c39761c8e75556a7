// The three functions: react (consumes the queue), tick (the schedule) and rollout (the
// state machine's tasks). Each gets the IAM statements of ../iam-statements.ts and nothing
// else; SST adds the AWS managed AWSLambdaBasicExecutionRole for its logs.
import type { Policy } from '@ecs-rebalancer/core';
import type { AccountScope } from '../arns.js';
import { alarmActionPermission, fallbackAlarmNames, reactStatements, rolloutStatements, tickStatements } from '../iam-statements.js';
import { toFunctionPermissions } from '../iam-types.js';
import { policyEnvironmentValue } from '../policy-file.js';
import {
  BATCH,
  DLQ_URL_ENV,
  FUNCTION_DEFAULTS,
  HANDLERS,
  INDEX_TABLE_ENV,
  KILL_SWITCH_ENV,
  MAX_RECEIVE_COUNT_ENV,
  POLICY_ENV,
  QUEUE,
  QUEUE_URL_ENV,
  REACT_TIMEOUT_SECONDS,
  ROLLOUT_TIMEOUT_SECONDS,
  TICK_SCHEDULE,
  TICK_TIMEOUT_SECONDS,
} from '../settings.js';

export function createFunctions(opts: {
  scope: $util.Output<AccountScope>;
  policy: Policy;
  policyFile: string;
  queue: sst.aws.Queue;
  deadLetterQueue: sst.aws.Queue;
  /** The rollout state machine's explicit name: the rollout function's role reads its executions. */
  stateMachineName: string;
  /** The kill switch's SSM parameter name: every function reads it. */
  killSwitchParameter: string;
  /** The instance index's table: react and tick read and publish it. */
  instanceIndex: sst.aws.Dynamo;
}) {
  const { scope, policy } = opts;
  const policyJson = policyEnvironmentValue(policy, opts.policyFile);

  const react = new sst.aws.Function('React', {
    ...FUNCTION_DEFAULTS,
    handler: HANDLERS.react,
    timeout: `${REACT_TIMEOUT_SECONDS} seconds`,
    environment: {
      [POLICY_ENV]: policyJson,
      [DLQ_URL_ENV]: opts.deadLetterQueue.url,
      [QUEUE_URL_ENV]: opts.queue.url,
      [MAX_RECEIVE_COUNT_ENV]: String(QUEUE.maxReceiveCount),
      [KILL_SWITCH_ENV]: opts.killSwitchParameter,
      [INDEX_TABLE_ENV]: opts.instanceIndex.name,
    },
    permissions: $util.all([scope, opts.queue.arn, opts.deadLetterQueue.arn, opts.instanceIndex.arn]).apply(([s, queueArn, deadLetterQueueArn, instanceIndexTableArn]) =>
      toFunctionPermissions(reactStatements(s, policy, { queueArn, deadLetterQueueArn, killSwitchParameter: opts.killSwitchParameter, instanceIndexTableArn })),
    ),
  });
  // A direct alarm-action invocation is asynchronous: after Lambda's two retries it would be
  // dropped. The on-failure destination keeps it, with the error, in the DLQ (the role may
  // send there already, for the quarantine).
  const directFailures = new aws.lambda.FunctionEventInvokeConfig('ReactDirectInvokeFailures', {
    functionName: react.name,
    maximumRetryAttempts: 2,
    destinationConfig: { onFailure: { destination: opts.deadLetterQueue.arn } },
  });
  // Subscribing by ARN: the function and its role are ours, so every permission it has is
  // in reactStatements. Without partialResponses Lambda ignores batchItemFailures and
  // retries the whole batch.
  // SST's subscribe has no argument for Lambda's ScalingConfig.MaximumConcurrency: its
  // transform of the event source mapping sets it (settings.ts BATCH says why this value).
  const subscription = opts.queue.subscribe(react.arn, {
    batch: { size: BATCH.size, window: `${BATCH.windowSeconds} seconds`, partialResponses: BATCH.partialResponses },
    transform: { eventSourceMapping: { scalingConfig: { maximumConcurrency: BATCH.maximumConcurrency } } },
  });

  // A fallback alarm may also name the react function as its alarm action: CloudWatch then
  // invokes it asynchronously with the alarm's own payload, which the handler reads as one
  // event. Lambda's resource policy must allow each such alarm (one statement per ARN).
  const alarmActions = fallbackAlarmNames(policy).map((alarmName, i) => {
    const permission = scope.apply((s) => alarmActionPermission(s, alarmName));
    return new aws.lambda.Permission(`ReactAlarmAction${i + 1}`, {
      function: react.name,
      action: permission.action,
      principal: permission.principal,
      sourceAccount: permission.sourceAccount,
      sourceArn: permission.sourceArn,
    });
  });

  // sst.aws.Cron puts an EventBridge schedule rule in front of the function, which delivers
  // the `Scheduled Event` (source aws.events, with its `time`) that the tick parser reads;
  // CronV2 uses EventBridge Scheduler, which sends a fixed payload without the time.
  const tick = new sst.aws.Cron('Tick', {
    schedule: TICK_SCHEDULE,
    function: {
      ...FUNCTION_DEFAULTS,
      handler: HANDLERS.tick,
      timeout: `${TICK_TIMEOUT_SECONDS} seconds`,
      environment: { [POLICY_ENV]: policyJson, [KILL_SWITCH_ENV]: opts.killSwitchParameter, [INDEX_TABLE_ENV]: opts.instanceIndex.name },
      permissions: $util
        .all([scope, opts.instanceIndex.arn])
        .apply(([s, instanceIndexTableArn]) => toFunctionPermissions(tickStatements(s, policy, { killSwitchParameter: opts.killSwitchParameter, instanceIndexTableArn }))),
    },
  });

  const rollout = new sst.aws.Function('Rollout', {
    ...FUNCTION_DEFAULTS,
    handler: HANDLERS.rollout,
    timeout: `${ROLLOUT_TIMEOUT_SECONDS} seconds`,
    environment: { [POLICY_ENV]: policyJson, [KILL_SWITCH_ENV]: opts.killSwitchParameter },
    permissions: scope.apply((s) => toFunctionPermissions(rolloutStatements(s, policy, { stateMachineName: opts.stateMachineName, killSwitchParameter: opts.killSwitchParameter }))),
  });

  return { react, subscription, alarmActions, directFailures, tick, rollout };
}
