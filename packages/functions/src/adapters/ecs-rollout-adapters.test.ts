import {
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { Service } from '@aws-sdk/client-ecs';
import { RolloutInputError } from '@ecs-rebalancer/core';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../errors.js';
import { recordTags } from './ecs-service-tags.js';
import { EcsRolloutServiceReader } from './ecs-rollout-service-reader.js';
import { EcsRolloutStrategyWriter } from './ecs-rollout-strategy-writer.js';
import { EcsRolloutTaskCounter } from './ecs-rollout-task-counter.js';

const ecs = mockClient(ECSClient);
const client = new ECSClient({ region: 'us-east-1' });
const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/prod/web';
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
const denied = () => Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });

function anEcsService(overrides: Partial<Service> = {}): Service {
  return {
    serviceName: 'web',
    serviceArn: SERVICE_ARN,
    status: 'ACTIVE',
    desiredCount: 8,
    runningCount: 8,
    capacityProviderStrategy: [{ capacityProvider: 'od-x86', base: 0, weight: 1 }],
    deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 200 },
    deploymentController: { type: 'ECS' },
    deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', desiredCount: 8, runningCount: 3 }, { id: 'ecs-svc/1', status: 'ACTIVE', rolloutState: 'COMPLETED', runningCount: 5 }],
    ...overrides,
  };
}

beforeEach(() => ecs.reset());

describe('EcsRolloutServiceReader', () => {
  it('reads the service, its record and deployments, and the attached providers', async () => {
    const baseline = [{ capacityProvider: 'spot-x86', base: 0, weight: 1 }];
    const { tags } = recordTags({ baseline, fallbackSince: '2025-01-01T00:00:00Z', applied: null });
    ecs.on(DescribeServicesCommand).resolves({ services: [anEcsService({ tags })] });
    ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: 'prod', status: 'ACTIVE', capacityProviders: ['od-x86', 'mi-spot', 'FARGATE'] }] });
    ecs.on(DescribeCapacityProvidersCommand).resolves({
      capacityProviders: [
        { name: 'od-x86', autoScalingGroupProvider: { autoScalingGroupArn: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/prod-od-x86' } },
        { name: 'mi-spot', type: 'MANAGED_INSTANCES', managedInstancesProvider: { instanceLaunchTemplate: { capacityOptionType: 'SPOT' } } } as never,
      ],
    });

    const read = await new EcsRolloutServiceReader(client).read('prod', 'web');

    // The cluster reader's provider reading: a Managed Instances Spot provider is Spot to the plan.
    expect(read.cluster.capacityProviders).toEqual([
      { name: 'od-x86', type: 'EC2_AUTOSCALING', autoScalingGroup: 'prod-od-x86' },
      { name: 'mi-spot', type: 'MANAGED_INSTANCES', capacityOptionType: 'SPOT' },
      { name: 'FARGATE', type: 'FARGATE' },
    ]);
    expect(ecs.commandCalls(DescribeCapacityProvidersCommand)[0]!.args[0].input).toEqual({ capacityProviders: ['od-x86', 'mi-spot'] });
    expect(read.service).toMatchObject({ name: 'web', desiredCount: 8, strategy: [{ capacityProvider: 'od-x86', base: 0, weight: 1 }], baseline, fallbackSince: '2025-01-01T00:00:00Z' });
    expect(read.deployments).toEqual([
      { id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', desiredCount: 8, runningCount: 3 },
      { id: 'ecs-svc/1', status: 'ACTIVE', rolloutState: 'COMPLETED', runningCount: 5 },
    ]);
    expect(ecs.commandCalls(DescribeServicesCommand)[0]!.args[0].input).toEqual({ cluster: 'prod', services: ['web'], include: ['TAGS'] });
  });

  it('reads deployments with one DescribeServices call', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [anEcsService()] });

    const read = await new EcsRolloutServiceReader(client).deployments('prod', 'web');

    expect(read.strategy).toEqual([{ capacityProvider: 'od-x86', base: 0, weight: 1 }]);
    expect(ecs.commandCalls(DescribeClustersCommand)).toHaveLength(0);
  });

  it.each([
    { name: 'a missing service', services: { services: [], failures: [{ arn: SERVICE_ARN, reason: 'MISSING' }] }, clusters: { clusters: [{ clusterName: 'prod', status: 'ACTIVE' }] }, message: /service web in cluster prod cannot be rolled out \(MISSING\)/ },
    { name: 'a draining service', services: { services: [anEcsService({ status: 'DRAINING' })] }, clusters: { clusters: [{ clusterName: 'prod', status: 'ACTIVE' }] }, message: /\(DRAINING\)/ },
    { name: 'a missing cluster', services: { services: [anEcsService()] }, clusters: { clusters: [], failures: [{ reason: 'MISSING' }] }, message: /cluster prod does not exist or is INACTIVE/ },
    {
      name: 'a service whose record cannot be read',
      services: { services: [anEcsService({ tags: [{ key: 'ecs-rebalancer:baseline', value: 'n=1 not a strategy' }] })] },
      clusters: { clusters: [{ clusterName: 'prod', status: 'ACTIVE' }] },
      message: /the rebalancer's record on service web in prod is unreadable \(.*\): fix or remove the ecs-rebalancer:\* tags first/,
    },
  ])('refuses $name as the operator’s mistake', async ({ services, clusters, message }) => {
    ecs.on(DescribeServicesCommand).resolves(services);
    ecs.on(DescribeClustersCommand).resolves(clusters);

    await expect(new EcsRolloutServiceReader(client).read('prod', 'web')).rejects.toThrow(RolloutInputError);
    await expect(new EcsRolloutServiceReader(client).read('prod', 'web')).rejects.toThrow(message);
  });

  it.each([
    { name: 'throttling is retryable', error: throttled, type: RetryableError },
    { name: 'access denied is permanent', error: denied, type: PermanentError },
  ])('$name', async ({ error, type }) => {
    ecs.on(DescribeServicesCommand).rejects(error());

    const failure = await new EcsRolloutServiceReader(client).deployments('prod', 'web').catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(type);
    expect((failure as Error).message).toMatch(/^describing service web in prod: /);
  });
});

describe('EcsRolloutStrategyWriter', () => {
  const strategy = [
    { capacityProvider: 'od-x86', base: 0, weight: 3 },
    { capacityProvider: 'od-arm', base: 0, weight: 1 },
  ];

  it('updates the strategy with forceNewDeployment and records it as applied, keeping the baseline tags', async () => {
    const { tags } = recordTags({ baseline: null, fallbackSince: null, applied: [{ capacityProvider: 'od-x86', base: 0, weight: 1 }] });
    ecs.on(UpdateServiceCommand).resolves({ service: anEcsService() });
    ecs.on(DescribeServicesCommand).resolves({ services: [anEcsService({ tags })] });
    ecs.on(TagResourceCommand).resolves({});
    ecs.on(UntagResourceCommand).resolves({});

    const result = await new EcsRolloutStrategyWriter(client).apply({ cluster: 'prod', service: 'web', serviceArn: SERVICE_ARN, strategy });

    expect(result).toEqual({ deploymentId: 'ecs-svc/2' });
    expect(ecs.commandCalls(UpdateServiceCommand)[0]!.args[0].input).toEqual({ cluster: 'prod', service: 'web', capacityProviderStrategy: strategy, forceNewDeployment: true });
    const tagged = ecs.commandCalls(TagResourceCommand)[0]!.args[0].input;
    expect(tagged.tags).toEqual([{ key: 'ecs-rebalancer:applied', value: 'n=1 od-x86:0:3 od-arm:0:1' }]);
    // The applied strategy had one piece and keeps one: there is no key to remove.
    expect(ecs.commandCalls(UntagResourceCommand)).toHaveLength(0);
  });

  it('a throttled UpdateService is retryable and says what it was doing', async () => {
    ecs.on(UpdateServiceCommand).rejects(throttled());

    const failure = await new EcsRolloutStrategyWriter(client).apply({ cluster: 'prod', service: 'web', serviceArn: SERVICE_ARN, strategy }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(RetryableError);
    expect((failure as Error).message).toBe('setting the capacity provider strategy of web in prod: ThrottlingException: Rate exceeded');
  });

  it('a failure to tag does not fail the step: the strategy is in place', async () => {
    ecs.on(UpdateServiceCommand).resolves({ service: anEcsService() });
    ecs.on(DescribeServicesCommand).resolves({ services: [anEcsService()] });
    ecs.on(TagResourceCommand).rejects(denied());
    const warnings: string[] = [];

    const result = await new EcsRolloutStrategyWriter(client, { debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} }).apply({
      cluster: 'prod',
      service: 'web',
      serviceArn: SERVICE_ARN,
      strategy,
    });

    expect(result.deploymentId).toBe('ecs-svc/2');
    expect(warnings).toHaveLength(1);
  });
});

describe('EcsRolloutStrategyWriter.rebaseFallback', () => {
  const start = [{ capacityProvider: 'spot', base: 0, weight: 3 }, { capacityProvider: 'od-x86', base: 2, weight: 1 }];
  const mid = [{ capacityProvider: 'spot', base: 0, weight: 6 }, { capacityProvider: 'od-x86', base: 2, weight: 1 }, { capacityProvider: 'od-arm', base: 0, weight: 1 }];
  const since = '2026-01-05T09:05:00.000Z';

  it('writes the starting strategy as the baseline of the fallback still recorded, nothing else', async () => {
    // Prepare
    const { tags } = recordTags({ baseline: mid, fallbackSince: since, applied: [{ capacityProvider: 'spot', base: 0, weight: 0 }, { capacityProvider: 'od-arm', base: 2, weight: 7 }] });
    ecs.on(DescribeServicesCommand).resolves({ services: [anEcsService({ tags })] });
    ecs.on(TagResourceCommand).resolves({});
    // Act
    const rebased = await new EcsRolloutStrategyWriter(client).rebaseFallback({ cluster: 'prod', service: 'web', serviceArn: SERVICE_ARN, baseline: start, fallbackSince: since });
    // Assess
    expect(rebased).toBe(true);
    expect(ecs.commandCalls(TagResourceCommand).map((c) => c.args[0].input.tags)).toEqual([[{ key: 'ecs-rebalancer:baseline', value: 'n=1 spot:0:3 od-x86:2:1' }]]);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('writes nothing when the record changed since the decision (restored, or another fallback)', async () => {
    // Prepare
    const { tags } = recordTags({ baseline: mid, fallbackSince: '2026-01-05T09:30:00.000Z', applied: null });
    ecs.on(DescribeServicesCommand).resolvesOnce({ services: [anEcsService({ tags })] }).resolvesOnce({ services: [anEcsService({ tags: [] })] });
    const writer = new EcsRolloutStrategyWriter(client);
    // Act
    const later = await writer.rebaseFallback({ cluster: 'prod', service: 'web', serviceArn: SERVICE_ARN, baseline: start, fallbackSince: since });
    const restored = await writer.rebaseFallback({ cluster: 'prod', service: 'web', serviceArn: SERVICE_ARN, baseline: start, fallbackSince: since });
    // Assess
    expect([later, restored]).toEqual([false, false]);
    expect(ecs.commandCalls(TagResourceCommand)).toHaveLength(0);
  });
});

describe('EcsRolloutTaskCounter', () => {
  it('counts RUNNING tasks per provider over pages and 100-task describes', async () => {
    const arns = Array.from({ length: 150 }, (_, i) => `arn:task/${i}`);
    ecs.on(ListTasksCommand).callsFake((input: { nextToken?: string }) => (input.nextToken ? { taskArns: arns.slice(100) } : { taskArns: arns.slice(0, 100), nextToken: 'p2' }));
    ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
      tasks: input.tasks.map((arn, i) => ({ taskArn: arn, lastStatus: i === 0 ? 'PENDING' : 'RUNNING', capacityProviderName: Number(arn.split('/')[1]) % 2 === 0 ? 'od-x86' : 'od-arm' })),
    }));

    const counts = await new EcsRolloutTaskCounter(client).runningByProvider('prod', 'web');

    expect(ecs.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input.tasks!.length)).toEqual([100, 50]);
    // 150 tasks, even ones on od-x86; tasks 0 and 100 (first of each describe) are still PENDING.
    expect(counts).toEqual({ 'od-x86': 73, 'od-arm': 75 });
  });
});
