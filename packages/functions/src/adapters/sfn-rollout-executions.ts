import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';
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

const PAGE = 100;

/**
 * The rollout state machine's executions, read through Step Functions: what the rollout
 * function needs for the one-rollout-per-service rule (ListExecutions cannot filter by name,
 * so names are matched by the caller; an execution not named by us is told by its input).
 * Only states:ListExecutions and states:DescribeExecution: the operator's calls (start,
 * history, approve, abort, stop) are in SfnRolloutOperator, outside the function's code.
 */
export class SfnRolloutExecutions implements RolloutExecutions {
  constructor(protected readonly sfn: SFNClient) {}

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
}

/** A JSON document Step Functions holds as text; what does not parse is kept as text. */
export function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
