import { GetExecutionHistoryCommand, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { RolloutErrorName, isRolloutExecutionOf } from '@ecs-rebalancer/core';
import type { Strategy } from '@ecs-rebalancer/core';
import { attempt } from '../errors.js';
import { SfnRolloutExecutions, parseJson } from './sfn-rollout-executions.js';
import type { ExecutionSummary } from './sfn-rollout-executions.js';

/** A pause waiting on the operator: its task token and what the Lambda was told. */
export interface PendingPause {
  action: 'await-approval' | 'await-resume';
  taskToken: string;
  index?: number;
  percent?: number;
  cause?: string;
}

const PAUSES: ReadonlySet<string> = new Set(['await-approval', 'await-resume']);
// While a .waitForTaskToken task waits, these are the last events of the history.
const WAITING_EVENTS: ReadonlySet<string> = new Set(['TaskSubmitted', 'TaskStarted']);

/**
 * What the operator's CLI does with the rollout state machine's executions, on top of
 * reading them: start one, find a pause's task token in the history (the TaskScheduled
 * event's parameters hold the resolved payload), approve, abort, stop. These run with the
 * operator's credentials (states:StartExecution, GetExecutionHistory, SendTaskSuccess,
 * SendTaskFailure, StopExecution); the rollout function never imports this module, and its
 * role allows none of them.
 */
export class SfnRolloutOperator extends SfnRolloutExecutions {
  /** The newest execution named for this service, running or not. */
  async latestOf(stateMachineArn: string, cluster: string, service: string): Promise<ExecutionSummary | undefined> {
    return (await this.list(stateMachineArn)).find((e) => isRolloutExecutionOf(e.name, cluster, service));
  }

  async start(stateMachineArn: string, name: string, input: unknown): Promise<string> {
    const out = await attempt(`starting rollout ${name}`, () => this.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) })));
    return out.executionArn as string;
  }

  /** The pause the execution waits in now, if it does (an approval or an alarm pause). */
  async pendingPause(executionArn: string): Promise<PendingPause | undefined> {
    const out = await attempt(`reading the history of ${executionArn}`, () =>
      this.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 10, includeExecutionData: true })),
    );
    for (const event of out.events ?? []) {
      if (event.type && WAITING_EVENTS.has(event.type)) continue;
      if (event.type !== 'TaskScheduled') return undefined;
      return pauseOf(event);
    }
    return undefined;
  }

  /** The strategy the rollout started from, as its Plan step computed it (for an abort outside a pause). */
  async startStrategy(executionArn: string): Promise<Strategy | undefined> {
    let nextToken: string | undefined;
    do {
      const out = await attempt(`reading the history of ${executionArn}`, () =>
        this.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, includeExecutionData: true, nextToken })),
      );
      for (const event of out.events ?? []) {
        if (event.type === 'TaskStateExited' && event.stateExitedEventDetails?.name === 'Plan') {
          const output = parseJson(event.stateExitedEventDetails.output) as { plan?: { start?: Strategy } } | undefined;
          return output?.plan?.start;
        }
      }
      nextToken = out.nextToken;
    } while (nextToken);
    return undefined;
  }

  async approve(taskToken: string): Promise<void> {
    await attempt('approving the rollout step', () => this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ decision: 'approve' }) })));
  }

  async abort(taskToken: string, reason?: string): Promise<void> {
    await attempt('aborting the rollout', () =>
      this.sfn.send(new SendTaskFailureCommand({ taskToken, error: RolloutErrorName.Aborted, ...(reason ? { cause: reason } : {}) })),
    );
  }

  async stop(executionArn: string, cause: string): Promise<void> {
    await attempt(`stopping ${executionArn}`, () => this.sfn.send(new StopExecutionCommand({ executionArn, error: RolloutErrorName.Aborted, cause })));
  }
}

function pauseOf(event: HistoryEvent): PendingPause | undefined {
  const parameters = parseJson(event.taskScheduledEventDetails?.parameters) as { Payload?: Record<string, unknown> } | undefined;
  const payload = parameters?.Payload;
  if (!payload || typeof payload.action !== 'string' || !PAUSES.has(payload.action) || typeof payload.taskToken !== 'string') return undefined;
  return {
    action: payload.action as PendingPause['action'],
    taskToken: payload.taskToken,
    ...(typeof payload.index === 'number' ? { index: payload.index } : {}),
    ...(typeof payload.percent === 'number' ? { percent: payload.percent } : {}),
    ...(typeof payload.cause === 'string' ? { cause: payload.cause } : {}),
  };
}
