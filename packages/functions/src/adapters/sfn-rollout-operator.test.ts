import { GetExecutionHistoryCommand, ListExecutionsCommand, SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { rolloutExecutionName } from '@ecs-rebalancer/core';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { PermanentError } from '../errors.js';
import { SfnRolloutOperator } from './sfn-rollout-operator.js';

const sfn = mockClient(SFNClient);
const client = new SFNClient({ region: 'us-east-1' });
const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:rollout';
const EXEC = 'arn:aws:states:us-east-1:123456789012:execution:rollout:x';
const at = (n: number) => new Date(Date.UTC(2025, 0, 1, 0, n));
const scheduled = (payload: Record<string, unknown>): HistoryEvent => ({
  id: 5,
  timestamp: at(5),
  type: 'TaskScheduled',
  taskScheduledEventDetails: { resourceType: 'lambda', resource: 'invoke.waitForTaskToken', region: 'us-east-1', parameters: JSON.stringify({ FunctionName: 'fn', Payload: payload }) },
});

beforeEach(() => sfn.reset());

describe('SfnRolloutOperator', () => {
  it('finds the newest execution of a service by its name', async () => {
    const older = rolloutExecutionName('prod', 'web', '2025-01-01T00:00:00Z');
    const newer = rolloutExecutionName('prod', 'web', '2025-01-02T00:00:00Z');
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: 'arn:old', name: older, status: 'FAILED', startDate: at(1), stateMachineArn: SM },
        { executionArn: 'arn:api', name: rolloutExecutionName('prod', 'api', '2025-01-03T00:00:00Z'), status: 'RUNNING', startDate: at(3), stateMachineArn: SM },
        { executionArn: 'arn:new', name: newer, status: 'SUCCEEDED', startDate: at(2), stateMachineArn: SM },
      ],
    });

    const latest = await new SfnRolloutOperator(client).latestOf(SM, 'prod', 'web');

    expect(latest?.executionArn).toBe('arn:new');
  });

  it('finds the task token of the pause an execution waits in', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        { id: 7, timestamp: at(7), type: 'TaskSubmitted' },
        { id: 6, timestamp: at(6), type: 'TaskStarted' },
        scheduled({ action: 'await-approval', taskToken: 'AAAA', index: 1, percent: 50 }),
      ],
    });

    const pause = await new SfnRolloutOperator(client).pendingPause(EXEC);

    expect(pause).toEqual({ action: 'await-approval', taskToken: 'AAAA', index: 1, percent: 50 });
    expect(sfn.commandCalls(GetExecutionHistoryCommand)[0]!.args[0].input).toMatchObject({ reverseOrder: true, includeExecutionData: true });
  });

  it.each([
    { name: 'past the pause', events: [{ id: 9, timestamp: at(9), type: 'WaitStateEntered' }, scheduled({ action: 'await-approval', taskToken: 'AAAA' })] },
    { name: 'in a task that is not a pause', events: [scheduled({ action: 'apply' })] },
  ])('finds no pause when the execution is $name', async ({ events }) => {
    sfn.on(GetExecutionHistoryCommand).resolves({ events: events as HistoryEvent[] });

    expect(await new SfnRolloutOperator(client).pendingPause(EXEC)).toBeUndefined();
  });

  it("reads the starting strategy from the Plan state's output", async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        { id: 1, timestamp: at(0), type: 'ExecutionStarted' },
        { id: 4, timestamp: at(1), type: 'TaskStateExited', stateExitedEventDetails: { name: 'Plan', output: JSON.stringify({ plan: { start: [{ capacityProvider: 'od-x86', base: 0, weight: 1 }] }, index: 0 }) } },
      ],
    });

    expect(await new SfnRolloutOperator(client).startStrategy(EXEC)).toEqual([{ capacityProvider: 'od-x86', base: 0, weight: 1 }]);
  });

  it('aborts a pause with RolloutAbortedError', async () => {
    sfn.on(SendTaskFailureCommand).resolves({});

    await new SfnRolloutOperator(client).abort('AAAA', 'latency regression');

    expect(sfn.commandCalls(SendTaskFailureCommand)[0]!.args[0].input).toEqual({ taskToken: 'AAAA', error: 'RolloutAbortedError', cause: 'latency regression' });
  });

  it('approves a pause with SendTaskSuccess', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});

    await new SfnRolloutOperator(client).approve('AAAA');

    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input).toEqual({ taskToken: 'AAAA', output: JSON.stringify({ decision: 'approve' }) });
  });

  it('stops an execution with RolloutAbortedError and the cause', async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: at(9) });

    await new SfnRolloutOperator(client).stop(EXEC, 'aborted with rebalancer rollout abort');

    expect(sfn.commandCalls(StopExecutionCommand)[0]!.args[0].input).toEqual({ executionArn: EXEC, error: 'RolloutAbortedError', cause: 'aborted with rebalancer rollout abort' });
  });

  it('a duplicate name is a permanent error', async () => {
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('Execution Already Exists'), { name: 'ExecutionAlreadyExists', $metadata: { httpStatusCode: 400 } }));

    const failure = await new SfnRolloutOperator(client).start(SM, 'n', {}).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(PermanentError);
    expect((failure as PermanentError).code).toBe('ExecutionAlreadyExists');
  });
});
