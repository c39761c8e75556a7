import type { ClusterState, ContainerInstanceState, ServiceState, Strategy } from '@ecs-rebalancer/core';

/** A real sample event from fixtures/events, by file name without `.json`. */
export { loadEvent as fixtureEvent } from '@ecs-rebalancer/fixtures';

export function aService(overrides: Partial<ServiceState> & { name?: string } = {}): ServiceState {
  return {
    name: 'web',
    desiredCount: 10,
    runningCount: 10,
    strategy: [
      { capacityProvider: 'spot', base: 0, weight: 3 },
      { capacityProvider: 'od', base: 2, weight: 1 },
    ],
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    deploymentController: 'ECS',
    baseline: null,
    fallbackSince: null,
    ...overrides,
  };
}

/** `count` ACTIVE m7g.large instances (4 task slots each) of one provider. */
export function instances(cluster: string, provider: string, count: number, prefix = provider): ContainerInstanceState[] {
  return Array.from({ length: count }, (_, i) => ({
    arn: `arn:aws:ecs:us-east-1:123456789012:container-instance/${cluster}/${prefix}${String(i).padStart(4, '0')}`,
    ec2InstanceId: `i-${prefix}${String(i).padStart(4, '0')}`,
    capacityProvider: provider,
    status: 'ACTIVE' as const,
    runningTasks: 0,
    availabilityZone: ['us-east-1a', 'us-east-1b', 'us-east-1c'][i % 3] as string,
    instanceType: 'm7g.large',
  }));
}

/**
 * A cluster `prod` with providers `spot` and `od` (both ASG), service `web` (10 tasks:
 * od base 2, spot:od 3:1), 3 spot and 3 od instances of 4 slots each.
 */
export function aCluster(overrides: Partial<ClusterState> = {}): ClusterState {
  return {
    cluster: 'prod',
    capacityProviders: [
      { name: 'spot', type: 'EC2_AUTOSCALING' },
      { name: 'od', type: 'EC2_AUTOSCALING' },
    ],
    services: [aService()],
    containerInstances: [...instances('prod', 'spot', 3), ...instances('prod', 'od', 3)],
    alarms: { 'prod-spot-interruptions': 'OK' },
    ...overrides,
  };
}

export const onDemandOnly: Strategy = [
  { capacityProvider: 'spot', base: 0, weight: 0 },
  { capacityProvider: 'od', base: 2, weight: 4 },
];
