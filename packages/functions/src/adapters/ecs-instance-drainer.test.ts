import { ECSClient, UpdateContainerInstancesStateCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../errors.js';
import { EcsInstanceDrainer } from './ecs-instance-drainer.js';

const ecs = mockClient(ECSClient);
const drainer = new EcsInstanceDrainer(new ECSClient({ region: 'us-east-1' }));
const arn = (n: number): string => `arn:aws:ecs:us-east-1:123456789012:container-instance/prod/${String(n).padStart(32, '0')}`;
const arns = (count: number): string[] => Array.from({ length: count }, (_, i) => arn(i));

const drainsEverything = (input: { containerInstances: string[] }) => ({
  containerInstances: input.containerInstances.map((a) => ({ containerInstanceArn: a, status: 'DRAINING' })),
  failures: [],
});

beforeEach(() => ecs.reset());

describe('EcsInstanceDrainer', () => {
  it('drains by 10 per call: 25 instances take 3 calls', async () => {
    ecs.on(UpdateContainerInstancesStateCommand).callsFake(drainsEverything);

    const results = await drainer.drain('prod', arns(25));

    const calls = ecs.commandCalls(UpdateContainerInstancesStateCommand).map((c) => c.args[0].input);
    expect(calls.map((i) => i.containerInstances?.length)).toEqual([10, 10, 5]);
    expect(calls.every((i) => i.status === 'DRAINING' && i.cluster === 'prod')).toBe(true);
    expect(results.map((r) => r.status)).toEqual(Array(25).fill('draining'));
  });

  it('reads failures[]: already DRAINING is done, MISSING and other reasons are reported', async () => {
    // Prepare
    ecs.on(UpdateContainerInstancesStateCommand).resolves({
      containerInstances: [{ containerInstanceArn: arn(0), status: 'DRAINING' }],
      failures: [
        { arn: arn(1), reason: 'INVALID_STATE', detail: 'Container instance is already in DRAINING state' },
        { arn: arn(2), reason: 'MISSING' },
        { arn: arn(3), reason: 'INACTIVE', detail: 'The container instance is deregistered.' },
      ],
    });

    // Act
    const results = await drainer.drain('prod', arns(5));

    // Assess
    expect(results.map((r) => [r.status, r.reason])).toEqual([
      ['draining', undefined],
      ['already-draining', 'INVALID_STATE: Container instance is already in DRAINING state'],
      ['missing', 'MISSING'],
      ['refused', 'INACTIVE: The container instance is deregistered.'],
      ['failed', 'not in the UpdateContainerInstancesState answer'],
    ]);
    expect(results[4]?.error).toBeInstanceOf(RetryableError);
  });

  it('marks the ten instances of a throttled call as failed and retryable while the other chunks go on', async () => {
    // Prepare
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    ecs.on(UpdateContainerInstancesStateCommand).callsFake((input: { containerInstances: string[] }) => {
      if (input.containerInstances.includes(arn(10))) throw throttled;
      return drainsEverything(input);
    });

    // Act
    const results = await drainer.drain('prod', arns(25));

    // Assess
    const failed = results.filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.containerInstanceArn)).toEqual(arns(20).slice(10));
    expect(failed.every((r) => r.error instanceof RetryableError)).toBe(true);
    expect(failed[0]?.reason).toBe('draining 10 container instances in prod: ThrottlingException: Rate exceeded');
    expect(results.filter((r) => r.status === 'draining')).toHaveLength(15);
  });

  it('marks a call refused for good as a permanent failure', async () => {
    ecs.on(UpdateContainerInstancesStateCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));

    const [result] = await drainer.drain('prod', arns(1));

    expect(result?.error).toBeInstanceOf(PermanentError);
  });
});
