// Rollouts started from a scenario's timeline (`{"at", "rollout"}`) run beside the react and
// tick handlers on the scenario runner's virtual clock; their outcomes land in `rollouts`.
import { localHandlers, rolloutDriver } from '@ecs-rebalancer/cli';
import { parseScenario, runScenario } from '@ecs-rebalancer/sim';
import { describe, expect, it } from 'vitest';

const host = (provider: string, prefix: string, i: number, tasks: number, instanceType: string) => ({
  arn: `arn:aws:ecs:us-east-1:123456789012:container-instance/prod/${prefix}${i}`,
  ec2InstanceId: `i-${prefix}${String(i).padStart(4, '0')}`,
  capacityProvider: provider,
  status: 'ACTIVE',
  runningTasks: tasks,
  instanceType,
});

function aScenario(timeline: unknown[]) {
  return parseScenario({
    name: 'graviton-migration',
    start: '2026-01-05T09:00:00Z',
    policy: { clusters: { prod: {} } },
    clusters: [
      {
        cluster: 'prod',
        capacityProviders: [
          { name: 'od-x86', type: 'EC2_AUTOSCALING' },
          { name: 'od-arm', type: 'EC2_AUTOSCALING' },
        ],
        services: [
          { name: 'web', desiredCount: 8, runningCount: 8, strategy: [{ capacityProvider: 'od-x86', base: 0, weight: 1 }], minimumHealthyPercent: 50, maximumPercent: 200 },
        ],
        containerInstances: [0, 1, 2, 3].flatMap((i) => [host('od-x86', 'a', i, 2, 'm5.large'), host('od-arm', 'b', i, 0, 'm7g.large')]),
        alarms: { 'web-5xx': 'OK' },
      },
    ],
    durationSeconds: 1500,
    timeline,
  });
}

const rollout = { cluster: 'prod', service: 'web', from: 'od-x86', to: 'od-arm', steps: [25, 50, 100], bakeSeconds: 300, alarms: ['web-5xx'] };

describe('rollouts in a scenario timeline', () => {
  it('a rollout runs to the end and is reported with its steps', async () => {
    const result = await runScenario({ scenario: aScenario([{ at: 10, rollout }]), handlers: localHandlers, rollouts: rolloutDriver });

    expect(result.rollouts).toHaveLength(1);
    expect(result.rollouts[0]).toMatchObject({ cluster: 'prod', service: 'web', status: 'SUCCEEDED' });
    expect((result.rollouts[0]!.steps as { percent: number }[]).map((s) => s.percent)).toEqual([25, 50, 100]);
    expect(result.report.strategies['prod/web']).toEqual([
      { capacityProvider: 'od-x86', base: 0, weight: 0 },
      { capacityProvider: 'od-arm', base: 0, weight: 4 },
    ]);
  });

  it('an alarm during the second bake rolls the service back and the rollout is FAILED with the alarm named', async () => {
    // Step 1 is applied at t≈10 and baked until t≈345; step 2's bake runs t≈380–680.
    const result = await runScenario({
      scenario: aScenario([{ at: 10, rollout }, { at: 500, alarm: { name: 'web-5xx', state: 'ALARM' } }]),
      handlers: localHandlers,
      rollouts: rolloutDriver,
    });

    expect(result.rollouts[0]).toMatchObject({ status: 'FAILED' });
    expect(result.rollouts[0]!.cause).toMatch(/^step 2 of 3 .*alarm web-5xx/);
    expect(result.report.strategies['prod/web']).toEqual([{ capacityProvider: 'od-x86', base: 0, weight: 1 }]);
  });
});
