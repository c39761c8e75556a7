import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SfnRolloutExecutions } from './sfn-rollout-executions.js';

const sfn = mockClient(SFNClient);
const client = new SFNClient({ region: 'us-east-1' });
const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:rollout';
const EXEC = 'arn:aws:states:us-east-1:123456789012:execution:rollout:x';
const at = (n: number) => new Date(Date.UTC(2025, 0, 1, 0, n));

beforeEach(() => sfn.reset());

describe('SfnRolloutExecutions', () => {
  it('lists RUNNING executions over pages', async () => {
    sfn.on(ListExecutionsCommand).callsFake((input: { nextToken?: string }) =>
      input.nextToken
        ? { executions: [{ executionArn: 'arn:2', name: 'b', status: 'RUNNING', startDate: at(2), stateMachineArn: SM }] }
        : { executions: [{ executionArn: 'arn:1', name: 'a', status: 'RUNNING', startDate: at(1), stateMachineArn: SM }], nextToken: 'n' },
    );

    const running = await new SfnRolloutExecutions(client).running(SM);

    expect(running).toEqual([
      { executionArn: 'arn:2', name: 'b' },
      { executionArn: 'arn:1', name: 'a' },
    ]);
    expect(sfn.commandCalls(ListExecutionsCommand)[0]!.args[0].input).toMatchObject({ stateMachineArn: SM, statusFilter: 'RUNNING' });
  });

  it('describes an execution with its input and output parsed', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: EXEC, stateMachineArn: SM, name: 'x', status: 'FAILED', startDate: at(0), input: '{"cluster":"prod"}', error: 'RolloutFailedError', cause: 'alarm' });

    expect(await new SfnRolloutExecutions(client).describe(EXEC)).toMatchObject({ status: 'FAILED', input: { cluster: 'prod' }, error: 'RolloutFailedError', cause: 'alarm' });
  });

  it("reads an execution's input, and keeps an input that is not JSON as text", async () => {
    const running = { executionArn: EXEC, stateMachineArn: SM, name: 'x', status: 'RUNNING' as const, startDate: at(0) };
    sfn.on(DescribeExecutionCommand).resolvesOnce({ ...running, input: '{"cluster":"prod","service":"web"}' }).resolvesOnce({ ...running, input: 'not json' });
    const executions = new SfnRolloutExecutions(client);

    expect(await executions.input(EXEC)).toEqual({ cluster: 'prod', service: 'web' });
    expect(await executions.input(EXEC)).toBe('not json');
  });
});
