import { runLocalRollout } from '@ecs-rebalancer/cli';
import { createSimulation } from '@ecs-rebalancer/sim';
const hosts = (provider: string, prefix: string, count: number, tasks: number[], instanceType: string) => Array.from({ length: count }, (_, i) => ({
    arn: `arn:aws:ecs:us-east-1:123456789012:container-instance/prod/${prefix}${i}`,
    ec2InstanceId: `i-${prefix}${String(i).padStart(4, '0')}`,
    capacityProvider: provider, status: 'ACTIVE' as const, runningTasks: tasks[i] ?? 0, availabilityZone: 'us-east-1a', instanceType }));
const sim = createSimulation({ clusters: [{ cluster: 'prod', capacityProviders: [{ name: 'od-x86', type: 'EC2_AUTOSCALING' }, { name: 'od-arm', type: 'EC2_AUTOSCALING' }],
  services: [{ name: 'web', desiredCount: 8, runningCount: 8, strategy: [{ capacityProvider: 'od-x86', base: 0, weight: 1 }], minimumHealthyPercent: 50, maximumPercent: 200, deploymentController: 'ECS', baseline: null, fallbackSince: null }],
  containerInstances: [...hosts('od-x86', 'a', 4, [2, 2, 2, 2], 'm5.large'), ...hosts('od-arm', 'b', 4, [], 'm7g.large')], alarms: { 'web-5xx': 'OK' } }], start: '2025-01-01T00:00:00Z', seed: 7 });
const s = await runLocalRollout(sim, { cluster: 'prod', service: 'web', from: 'od-x86', to: 'od-arm', steps: [25, 50, 100], bakeSeconds: 300, alarms: ['web-5xx'], ...(process.argv[2] ? JSON.parse(process.argv[2]) : {}) }, { log: (l) => console.log(l) });
console.log(JSON.stringify({ ...s, plan: undefined }, null, 1));
