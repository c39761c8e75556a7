import { DescribeServicesCommand, ECSClient, TagResourceCommand, UntagResourceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { recordTags } from '@ecs-rebalancer/functions';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { rolloutExecutionName } from '@ecs-rebalancer/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GRAVITON_CLUSTER } from '../test-support/graviton-cluster.js';
import { runCli } from '../test-support/run-cli.js';
import { tempFiles } from '../test-support/temp-files.js';

const sfn = mockClient(SFNClient);
const ecs = mockClient(ECSClient);
const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:ecs-rebalancer-rollout';
const RUNNING_NAME = rolloutExecutionName('prod', 'web', '2025-01-01T00:00:00Z');
const RUNNING_ARN = `arn:aws:states:us-east-1:123456789012:execution:ecs-rebalancer-rollout:${RUNNING_NAME}`;

const clusterState = GRAVITON_CLUSTER;
const scratch = tempFiles('rebalancer-rollout-');
const tmpFile = (name: string, content: unknown): string => scratch(name, typeof content === 'string' ? content : JSON.stringify(content));

const base = ['--cluster', 'prod', '--service', 'web', '--from', 'od-x86', '--to', 'od-arm'];
const awsCalls = () => sfn.calls().length + ecs.calls().length;

beforeEach(() => {
  sfn.reset();
  ecs.reset();
});
afterEach(() => {
  delete process.env.REBALANCER_STATE_MACHINE_ARN;
});

describe('rebalancer rollout start --dry-run', () => {
  it('prints each step, its strategy and the expected task split, without any AWS call', async () => {
    const result = await runCli(['rollout', 'start', ...base, '--steps', '25,50,100', '--bake', '10m', '--alarm', 'web-5xx', '--dry-run', '--cluster-file', tmpFile('cluster.json', clusterState)]);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('rollout prod/web: od-x86 → od-arm in 3 step(s), bake 600 s, alarms: web-5xx');
    const rows = result.stdout.split('\n').filter((l) => /^(start|\d) /.test(l)).map((l) => l.replace(/\s+/g, ' ').trim());
    expect(rows).toEqual([
      'start od-x86:0:1 od-x86 8',
      '1 25% od-x86:0:3 od-arm:0:1 od-x86 6, od-arm 2',
      '2 50% od-x86:0:2 od-arm:0:2 od-x86 4, od-arm 4',
      '3 100% od-x86:0:0 od-arm:0:4 od-x86 0, od-arm 8',
    ]);
    expect(awsCalls()).toBe(0);
  });

  it('--json prints the plan itself', async () => {
    const result = await runCli(['rollout', 'start', ...base, '--linear', '4', '--dry-run', '--json', '--cluster-file', tmpFile('cluster.json', clusterState)]);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ percents: [25, 50, 75, 100], start: [{ capacityProvider: 'od-x86', base: 0, weight: 1 }], dryRun: true });
  });

  it.each([
    { name: 'steps out of order', args: ['--steps', '10,5,100'], line: 'rebalancer: rollout start: --steps (steps[1]): must be greater than steps[0] (10)' },
    { name: 'a step that is not a number', args: ['--steps', '10,x,100'], line: 'rebalancer: rollout start: --steps (steps[1]): "x" is not a number' },
    { name: 'a bad bake time', args: ['--bake', 'ten minutes'], line: 'rebalancer: rollout start: --bake: "ten minutes" is not a duration (90, 90s, 10m, 1h, 1h30m)' },
    { name: 'a bad approval', args: ['--approval', 'auto'], line: 'rebalancer: rollout start: --approval: expected "none" or "manual"' },
    { name: 'a provider not in the strategy', args: ['--from', 'od-arm', '--to', 'od-x86'], line: 'rebalancer: rollout start: --from: od-arm is not in the strategy of prod/web (providers: od-x86)' },
    { name: 'an unattached target', args: ['--to', 'od-graviton'], line: 'rebalancer: rollout start: --to: capacity provider od-graviton is not attached to cluster prod' },
  ])('refuses $name with one line naming the option', async ({ args, line }) => {
    const result = await runCli(['rollout', 'start', ...base, ...args, '--dry-run', '--cluster-file', tmpFile('cluster.json', clusterState)]);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${line}\n`);
    expect(awsCalls()).toBe(0);
  });

  it('names the file and the JSON path of a bad cluster file', async () => {
    const broken = structuredClone(clusterState) as { services: { desiredCount: unknown }[] };
    broken.services[0]!.desiredCount = 'eight';
    const file = tmpFile('cluster.json', broken);

    const result = await runCli(['rollout', 'start', ...base, '--dry-run', '--cluster-file', file]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^rebalancer: ${file}: services\\[0\\]\\.desiredCount: .+\\n$`));
  });

  it('a missing required option is named', async () => {
    const result = await runCli(['rollout', 'start', '--cluster', 'prod', '--service', 'web', '--from', 'od-x86', '--dry-run']);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe('rebalancer: rollout start: --to is required\n');
  });
});

describe('rebalancer rollout start (AWS)', () => {
  it('needs the state machine ARN', async () => {
    const result = await runCli(['rollout', 'start', ...base]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--state-machine ARN or REBALANCER_STATE_MACHINE_ARN is required/);
  });

  it('starts an execution named for the service, with the validated input', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:new', startDate: new Date() });
    process.env.REBALANCER_STATE_MACHINE_ARN = SM;

    const result = await runCli(['rollout', 'start', ...base, '--steps', '25,50,100', '--alarm', 'web-5xx']);

    expect(result.code).toBe(0);
    const call = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(call.stateMachineArn).toBe(SM);
    expect(call.name).toMatch(/^rollout-[0-9a-f]{8}-prod\.web-\d{8}T\d{6}Z$/);
    expect(JSON.parse(call.input!)).toMatchObject({ cluster: 'prod', service: 'web', from: 'od-x86', to: 'od-arm', steps: [25, 50, 100], alarms: ['web-5xx'] });
    expect(JSON.parse(result.stdout)).toMatchObject({ executionArn: 'arn:new' });
  });

  it('refuses a duplicate start while a rollout of the same service runs', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [{ executionArn: RUNNING_ARN, name: RUNNING_NAME, status: 'RUNNING', startDate: new Date(), stateMachineArn: SM }] });

    const result = await runCli(['rollout', 'start', ...base, '--state-machine', SM]);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`rebalancer: rollout start: another rollout of prod/web is running: ${RUNNING_ARN} (see rebalancer rollout status)\n`);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

describe('rebalancer rollout approve | abort | status', () => {
  const waitingHistory = {
    events: [
      { id: 9, timestamp: new Date(), type: 'TaskSubmitted' as const },
      {
        id: 8,
        timestamp: new Date(),
        type: 'TaskScheduled' as const,
        taskScheduledEventDetails: {
          resourceType: 'lambda',
          resource: 'invoke.waitForTaskToken',
          region: 'us-east-1',
          parameters: JSON.stringify({ FunctionName: 'fn', Payload: { action: 'await-approval', taskToken: 'TOKEN-1', index: 1, percent: 50 } }),
        },
      },
    ],
  };
  beforeEach(() => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [{ executionArn: RUNNING_ARN, name: RUNNING_NAME, status: 'RUNNING', startDate: new Date(), stateMachineArn: SM }] });
  });

  it('approve answers the pending approval with its task token', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves(waitingHistory);
    sfn.on(SendTaskSuccessCommand).resolves({});

    const result = await runCli(['rollout', 'approve', '--cluster', 'prod', '--service', 'web', '--state-machine', SM]);

    expect(result.code).toBe(0);
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.taskToken).toBe('TOKEN-1');
    expect(result.stdout).toContain('approved step 2 (50%)');
  });

  it('approve refuses when nothing waits for an answer', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [{ id: 3, timestamp: new Date(), type: 'WaitStateEntered' }] });

    const result = await runCli(['rollout', 'approve', '--cluster', 'prod', '--service', 'web', '--state-machine', SM]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not waiting for an answer/);
  });

  it('abort at a pause fails the task with RolloutAbortedError (the state machine rolls back)', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves(waitingHistory);
    sfn.on(SendTaskFailureCommand).resolves({});

    const result = await runCli(['rollout', 'abort', '--cluster', 'prod', '--service', 'web', '--state-machine', SM, '--reason', 'p99 too high']);

    expect(result.code).toBe(0);
    expect(sfn.commandCalls(SendTaskFailureCommand)[0]!.args[0].input).toEqual({ taskToken: 'TOKEN-1', error: 'RolloutAbortedError', cause: 'p99 too high' });
  });

  it('abort mid-step stops the execution and puts the starting strategy back', async () => {
    const start = [{ capacityProvider: 'od-x86', base: 0, weight: 1 }];
    sfn.on(GetExecutionHistoryCommand).callsFake((input: { reverseOrder?: boolean }) =>
      input.reverseOrder
        ? { events: [{ id: 12, timestamp: new Date(), type: 'WaitStateEntered' }] }
        : { events: [{ id: 4, timestamp: new Date(), type: 'TaskStateExited', stateExitedEventDetails: { name: 'Plan', output: JSON.stringify({ plan: { start }, index: 0 }) } }] },
    );
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'web', serviceArn: 'arn:svc', status: 'ACTIVE', capacityProviderStrategy: [], deployments: [] }] });
    ecs.on(UpdateServiceCommand).resolves({ service: { deployments: [{ id: 'ecs-svc/9', status: 'PRIMARY' }] } });

    const result = await runCli(['rollout', 'abort', '--cluster', 'prod', '--service', 'web', '--state-machine', SM]);

    expect(result.code).toBe(0);
    expect(sfn.commandCalls(StopExecutionCommand)[0]!.args[0].input).toMatchObject({ executionArn: RUNNING_ARN, error: 'RolloutAbortedError' });
    expect(ecs.commandCalls(UpdateServiceCommand)[0]!.args[0].input).toEqual({ cluster: 'prod', service: 'web', capacityProviderStrategy: start, forceNewDeployment: true });
  });

  it('abort mid-step during an active Spot fallback takes the core rollback: no Spot weight back, the fallback now restores the start', async () => {
    // Prepare: started from spot 3 + od-x86 1; a fallback moved the Spot weight onto od-arm mid-rollout.
    const start = [{ capacityProvider: 'spot', base: 0, weight: 3 }, { capacityProvider: 'od-x86', base: 0, weight: 1 }];
    const mid = [{ capacityProvider: 'spot', base: 0, weight: 6 }, { capacityProvider: 'od-x86', base: 0, weight: 1 }, { capacityProvider: 'od-arm', base: 0, weight: 1 }];
    sfn.on(GetExecutionHistoryCommand).callsFake((input: { reverseOrder?: boolean }) =>
      input.reverseOrder
        ? { events: [{ id: 12, timestamp: new Date(), type: 'WaitStateEntered' }] }
        : { events: [{ id: 4, timestamp: new Date(), type: 'TaskStateExited', stateExitedEventDetails: { name: 'Plan', output: JSON.stringify({ plan: { start }, index: 0 }) } }] },
    );
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    const { tags } = recordTags({ baseline: mid, fallbackSince: '2025-01-01T00:03:00.000Z', applied: null });
    ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: 'web',
          serviceArn: 'arn:svc',
          status: 'ACTIVE',
          capacityProviderStrategy: [{ capacityProvider: 'spot', base: 0, weight: 0 }, { capacityProvider: 'od-x86', base: 0, weight: 1 }, { capacityProvider: 'od-arm', base: 0, weight: 7 }],
          deployments: [{ id: 'ecs-svc/3', status: 'PRIMARY', rolloutState: 'COMPLETED' }],
          tags,
        },
      ],
    });
    ecs.on(UpdateServiceCommand).resolves({ service: { deployments: [{ id: 'ecs-svc/9', status: 'PRIMARY' }] } });

    // Act
    const result = await runCli(['rollout', 'abort', '--cluster', 'prod', '--service', 'web', '--state-machine', SM]);

    // Assess
    expect(result.code).toBe(0);
    expect(ecs.commandCalls(UpdateServiceCommand)[0]!.args[0].input.capacityProviderStrategy).toEqual([{ capacityProvider: 'spot', base: 0, weight: 0 }, { capacityProvider: 'od-x86', base: 0, weight: 1 }]);
    // The baseline becomes the rollout's start (what the later restore brings back); fallbackSince is kept.
    const written = ecs.commandCalls(TagResourceCommand).flatMap((c) => c.args[0].input.tags ?? []);
    expect(written.filter((t) => t.key?.startsWith('ecs-rebalancer:baseline'))).toEqual([{ key: 'ecs-rebalancer:baseline', value: 'n=1 spot:0:3 od-x86:0:1' }]);
    expect(written.some((t) => t.key === 'ecs-rebalancer:fallback-since')).toBe(false);
    expect(ecs.commandCalls(UntagResourceCommand).flatMap((c) => c.args[0].input.tagKeys ?? []).filter((k) => !k.startsWith('ecs-rebalancer:applied'))).toEqual([]);
    expect(result.stdout).toContain('spot held at 0; its restore returns to the starting strategy');
  });

  it('status shows the execution, the pause it waits in and a readable cause', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: RUNNING_ARN,
      stateMachineArn: SM,
      name: RUNNING_NAME,
      status: 'RUNNING',
      startDate: new Date('2025-01-01T00:00:00Z'),
      input: '{}',
    });
    sfn.on(GetExecutionHistoryCommand).resolves(waitingHistory);

    const result = await runCli(['rollout', 'status', '--cluster', 'prod', '--service', 'web', '--state-machine', SM]);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'RUNNING', waiting: { for: 'approval', step: 2, percent: 50 } });
  });

  it('an AWS failure is one line and exit 1, not a stack trace', async () => {
    sfn.on(ListExecutionsCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));

    const result = await runCli(['rollout', 'status', '--cluster', 'prod', '--service', 'web', '--state-machine', SM]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe('rebalancer: rollout status: listing rollout executions: AccessDeniedException: User is not authorized\n');
  });
});
