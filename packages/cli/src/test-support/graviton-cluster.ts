/** A ClusterState (the `--cluster-file` shape) for the Graviton rollout: `web`, 8 tasks on od-x86, with od-arm attached and empty. */
export const GRAVITON_CLUSTER = {
  cluster: 'prod',
  capacityProviders: [
    { name: 'od-x86', type: 'EC2_AUTOSCALING' },
    { name: 'od-arm', type: 'EC2_AUTOSCALING' },
  ],
  services: [{ name: 'web', desiredCount: 8, runningCount: 8, strategy: [{ capacityProvider: 'od-x86', base: 0, weight: 1 }], minimumHealthyPercent: 50, maximumPercent: 200 }],
  containerInstances: [0, 1, 2, 3].flatMap((i) => [host('od-x86', 'a', i, 2, 'm5.large'), host('od-arm', 'b', i, 0, 'm7g.large')]),
  alarms: { 'web-5xx': 'OK' },
};

function host(provider: string, prefix: string, i: number, tasks: number, instanceType: string) {
  return {
    arn: `arn:aws:ecs:us-east-1:123456789012:container-instance/prod/${prefix}${i}`,
    ec2InstanceId: `i-${prefix}${String(i).padStart(4, '0')}`,
    capacityProvider: provider,
    status: 'ACTIVE',
    runningTasks: tasks,
    instanceType,
  };
}
