import {
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import type { ContainerInstance, Task } from '@aws-sdk/client-ecs';
import type { LoadRequest } from '@ecs-rebalancer/core';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EcsClusterReader } from './ecs-cluster-reader.js';
import { recordTags } from './ecs-service-tags.js';

// A mixed cluster: spot-x86 (1, 2), spot-arm (3), od-arm (4, idle); report-worker runs on x86
// only, web on both, idle has no placed task (PROVISIONING).
const ecs = mockClient(ECSClient);
const client = new ECSClient({ region: 'us-east-1' });
const ciArn = (n: number): string => `arn:aws:ecs:us-east-1:123456789012:container-instance/prod/${n.toString(16).padStart(32, '0')}`;
const taskArn = (n: number): string => `arn:aws:ecs:us-east-1:123456789012:task/prod/${n.toString(16).padStart(32, '0')}`;
const PROVIDER_OF: Record<number, [string, string]> = { 1: ['spot-x86', 'x86_64'], 2: ['spot-x86', 'x86_64'], 3: ['spot-arm', 'arm64'], 4: ['od-arm', 'arm64'] };
const strategy = [{ capacityProvider: 'spot-x86', base: 0, weight: 1 }];

function anInstance(n: number): ContainerInstance {
  const [provider, arch] = PROVIDER_OF[n]!;
  return {
    containerInstanceArn: ciArn(n),
    ec2InstanceId: `i-${n.toString(16).padStart(17, '0')}`,
    capacityProviderName: provider,
    status: 'ACTIVE',
    runningTasksCount: 1,
    attributes: [{ name: 'ecs.cpu-architecture', value: arch }],
  };
}
const TASKS: Task[] = [
  { taskArn: taskArn(1), group: 'service:report-worker', containerInstanceArn: ciArn(1) },
  { taskArn: taskArn(2), group: 'service:report-worker', containerInstanceArn: ciArn(2) },
  { taskArn: taskArn(3), group: 'service:web', containerInstanceArn: ciArn(2) },
  { taskArn: taskArn(4), group: 'service:web', containerInstanceArn: ciArn(3) },
  { taskArn: taskArn(5), group: 'service:idle' },
  { taskArn: taskArn(6), group: 'family:standalone', containerInstanceArn: ciArn(4) },
];
const aRequest = (overrides: Partial<LoadRequest> = {}): LoadRequest => ({
  cluster: 'prod',
  ec2InstanceIds: [],
  services: ['report-worker', 'web', 'idle'],
  alarms: [],
  full: false,
  guardrail: false,
  ...overrides,
});

beforeEach(() => {
  ecs.reset();
  ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: 'prod', status: 'ACTIVE', capacityProviders: ['spot-x86', 'spot-arm', 'od-arm'] }] });
  ecs.on(DescribeCapacityProvidersCommand).resolves({
    capacityProviders: ['spot-x86', 'spot-arm', 'od-arm'].map((name) => ({ name, autoScalingGroupProvider: { autoScalingGroupArn: `arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/${name}-asg` } })),
  });
  ecs.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({
    services: input.services.map((name) => ({ serviceName: name, serviceArn: `arn:aws:ecs:us-east-1:123456789012:service/prod/${name}`, status: 'ACTIVE', desiredCount: 2, runningCount: 2, capacityProviderStrategy: strategy, tags: [] })),
  }));
  ecs.on(ListContainerInstancesCommand).resolvesOnce({ containerInstanceArns: [ciArn(1), ciArn(2), ciArn(3)], nextToken: 'p2' }).resolvesOnce({ containerInstanceArns: [ciArn(4)] });
  ecs.on(DescribeContainerInstancesCommand).callsFake((input: { containerInstances: string[] }) => ({
    containerInstances: input.containerInstances.map((arn) => anInstance(parseInt(arn.slice(arn.lastIndexOf('/') + 1), 16))),
  }));
  ecs.on(ListTasksCommand).resolves({ taskArns: TASKS.map((t) => t.taskArn!) });
  ecs.on(DescribeTasksCommand).resolves({ tasks: TASKS });
});

describe('EcsClusterReader architectures', () => {
  it('fills provider architectures, service cpuArchitectures and group names when a fallback may be decided', async () => {
    // Act
    const [snapshot] = await new EcsClusterReader(client).load([aRequest({ architectures: true })]);

    // Assess
    expect(snapshot?.state.capacityProviders).toEqual([
      { name: 'spot-x86', type: 'EC2_AUTOSCALING', autoScalingGroup: 'spot-x86-asg', architecture: 'x86_64' },
      { name: 'spot-arm', type: 'EC2_AUTOSCALING', autoScalingGroup: 'spot-arm-asg', architecture: 'arm64' },
      { name: 'od-arm', type: 'EC2_AUTOSCALING', autoScalingGroup: 'od-arm-asg', architecture: 'arm64' },
    ]);
    const archs = Object.fromEntries((snapshot?.state.services ?? []).map((s) => [s.name, s.cpuArchitectures]));
    expect(archs).toEqual({ 'report-worker': ['x86_64'], web: ['arm64', 'x86_64'], idle: undefined });
    expect(ecs.commandCalls(ListTasksCommand)[0]?.args[0].input).toMatchObject({ cluster: 'prod', desiredStatus: 'RUNNING' });
    expect(ecs.commandCalls(ListContainerInstancesCommand).map((c) => c.args[0].input.nextToken)).toEqual([undefined, 'p2']);
  });

  it('names the services on each loaded instance when the tasks were read', async () => {
    // Prepare
    ecs.on(ListContainerInstancesCommand, { filter: 'ec2InstanceId in [i-00000000000000002]' }).resolves({ containerInstanceArns: [ciArn(2)] });

    // Act
    const [snapshot] = await new EcsClusterReader(client, undefined, { cacheTtlMs: 0 }).load([aRequest({ architectures: true, ec2InstanceIds: ['i-00000000000000002'] })]);

    // Assess
    expect(snapshot?.state.containerInstances.map((i) => [i.arn, i.services])).toEqual([[ciArn(2), ['report-worker', 'web']]]);
  });

  it('reads nothing more for a load that decides no fallback', async () => {
    // Act
    const [snapshot] = await new EcsClusterReader(client).load([aRequest()]);

    // Assess
    expect(ecs.commandCalls(ListTasksCommand)).toHaveLength(0);
    expect(ecs.commandCalls(ListContainerInstancesCommand)).toHaveLength(0);
    expect(snapshot?.state.services.every((s) => s.cpuArchitectures === undefined)).toBe(true);
  });

  it('reads them for a tick that finds a fallback pending (its record kept, its strategy not changed)', async () => {
    // Prepare
    const { tags } = recordTags({ baseline: strategy, fallbackSince: '2024-03-01T11:00:00.000Z', applied: [{ capacityProvider: 'od-arm', base: 0, weight: 1 }] });
    ecs.on(DescribeServicesCommand).resolves({
      services: [{ serviceName: 'report-worker', serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/report-worker', status: 'ACTIVE', capacityProviderStrategy: strategy, tags }],
    });

    // Act
    const [snapshot] = await new EcsClusterReader(client).load([aRequest({ services: ['report-worker'] })]);

    // Assess
    expect(snapshot?.state.services[0]?.cpuArchitectures).toEqual(['x86_64']);
  });
});
