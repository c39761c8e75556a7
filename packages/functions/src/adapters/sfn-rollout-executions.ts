import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { RolloutErrorName, isRolloutExecutionOf } from '@ecs-rebalancer/core';
import type { Strategy } from '@ecs-rebalancer/core';
import { attempt } from '../errors.js';
import type { RolloutExecutions, RunningExecution } from '../rollout-ports.js';

export interface ExecutionSummary {
  executionArn: string;
  name: string;
  status: string;
  startDate?: string;
  stopDate?: string;
}

export interface ExecutionDetail extends ExecutionSummary {
  input: unknown;
  output: unknown;
  error?: string;
  cause?: string;
}

/** A pause waiting on the operator: its task token and what the Lambda was told. */
export interface PendingPause {
  action: 'await-approval' | 'await-resume';
  taskToken: string;
  index?: number;
  percent?: number;
  cause?: string;
}

const PAGE = 100;
const PAUSES: ReadonlySet<string> = new Set(['await-approval', 'await-resume']);
// While a .waitForTaskToken task waits, these are the last events of the history.
const WAITING_EVENTS: ReadonlySet<string> = new Set(['TaskSubmitted', 'TaskStarted']);

/**
 * The rollout state machine's executions, through Step Functions: the running ones (for the
 * one-rollout-per-service rule; ListExecutions cannot filter by name, so names are matched
 * here), and what the CLI does with them — start, describe, find a pause's task token in the
 * history (the TaskScheduled event's parameters hold the resolved payload), approve, abort,
 * stop.
 */
export class SfnRolloutExecutions implements RolloutExecutions {
  constructor(private readonly sfn: SFNClient) {}

  async running(stateMachineArn: string): Promise<RunningExecution[]> {
    return (await this.list(stateMachineArn, 'RUNNING')).map(({ executionArn, name }) => ({ executionArn, name }));
  }

  async input(executionArn: string): Promise<unknown> {
    return (await this.describe(executionArn)).input;
  }

  /** Executions of the state machine, newest first (optionally of one status). */
  async list(stateMachineArn: string, status?: 'RUNNING'): Promise<ExecutionSummary[]> {
    const found: ExecutionSummary[] = [];
    let nextToken: string | undefined;
    do {
      const out = await attempt('listing rollout executions', () =>
        this.sfn.send(new ListExecutionsCommand({ stateMachineArn, ...(status ? { statusFilter: status } : {}), maxResults: PAGE, nextToken })),
      );
      for (const e of out.executions ?? []) {
        if (!e.executionArn || !e.name) continue;
        found.push({
          executionArn: e.executionArn,
          name: e.name,
          status: e.status ?? 'UNKNOWN',
          ...(e.startDate ? { startDate: e.startDate.toISOString() } : {}),
          ...(e.stopDate ? { stopDate: e.stopDate.toISOString() } : {}),
        });
      }
      nextToken = out.nextToken;
    } while (nextToken);
    return found.sort((a, b) => (b.startDate ?? '').localeCompare(a.startDate ?? ''));
  }

  /** The newest execution named for this service, running or not. */
  async latestOf(stateMachineArn: string, cluster: string, service: string): Promise<ExecutionSummary | undefined> {
    return (await this.list(stateMachineArn)).find((e) => isRolloutExecutionOf(e.name, cluster, service));
  }

  async start(stateMachineArn: string, name: string, input: unknown): Promise<string> {
    const out = await attempt(`starting rollout ${name}`, () => this.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) })));
    return out.executionArn as string;
  }

  async describe(executionArn: string): Promise<ExecutionDetail> {
    const out = await attempt(`describing execution ${executionArn}`, () => this.sfn.send(new DescribeExecutionCommand({ executionArn })));
    return {
      executionArn,
      name: out.name ?? '',
      status: out.status ?? 'UNKNOWN',
      ...(out.startDate ? { startDate: out.startDate.toISOString() } : {}),
      ...(out.stopDate ? { stopDate: out.stopDate.toISOString() } : {}),
      input: parseJson(out.input),
      output: parseJson(out.output),
      ...(out.error ? { error: out.error } : {}),
      ...(out.cause ? { cause: out.cause } : {}),
    };
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

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
