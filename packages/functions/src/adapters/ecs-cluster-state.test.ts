import { describe, expect, it } from 'vitest';
import { providerState, withArchitectures } from './ecs-cluster-state.js';

describe('providers as ClusterState holds them', () => {
  it.each([
    [
      'an Auto Scaling provider names its group (the last part of the ARN)',
      { name: 'spot-arm64', autoScalingGroupProvider: { autoScalingGroupArn: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:5f0c1d2e-aaaa-bbbb-cccc-0123456789ab:autoScalingGroupName/prod-spot-arm64' } },
      { name: 'spot-arm64', type: 'EC2_AUTOSCALING', autoScalingGroup: 'prod-spot-arm64' },
    ],
    [
      'a Managed Instances provider carries its capacityOptionType',
      { name: 'mi-spot', type: 'MANAGED_INSTANCES', managedInstancesProvider: { instanceLaunchTemplate: { capacityOptionType: 'SPOT' } } },
      { name: 'mi-spot', type: 'MANAGED_INSTANCES', capacityOptionType: 'SPOT' },
    ],
    ['FARGATE_SPOT as declared', { name: 'FARGATE_SPOT', type: 'FARGATE_SPOT' }, { name: 'FARGATE_SPOT', type: 'FARGATE_SPOT' }],
  ] as const)('%s', (_name, provider, expected) => {
    expect(providerState(provider as never)).toEqual(expected);
  });

  it('a provider has the architecture its instances report when they agree, none when they differ', () => {
    const providers = [
      { name: 'a', type: 'EC2_AUTOSCALING' as const },
      { name: 'b', type: 'EC2_AUTOSCALING' as const },
    ];
    const instance = (arn: string, capacityProvider: string) => ({ arn, ec2InstanceId: 'i-0aaaaaaaaaaaaaaa1', capacityProvider, status: 'ACTIVE' as const, runningTasks: 0 });
    const instances = [instance('1', 'a'), instance('2', 'a'), instance('3', 'b'), instance('4', 'b')];
    const arch = new Map([['1', 'arm64'], ['2', 'arm64'], ['3', 'arm64'], ['4', 'x86_64']]);
    expect(withArchitectures(providers, instances, arch)).toEqual([{ name: 'a', type: 'EC2_AUTOSCALING', architecture: 'arm64' }, { name: 'b', type: 'EC2_AUTOSCALING' }]);
  });
});
