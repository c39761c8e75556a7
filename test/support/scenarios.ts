import { readFileSync } from 'node:fs';
import { localHandlers } from '@ecs-rebalancer/cli';
import { loadEvent } from '@ecs-rebalancer/core/test-support';
import { parseScenario, runScenario, type RunResult, type Scenario } from '@ecs-rebalancer/sim';

export const REPO = new URL('../../', import.meta.url).pathname;

export function scenarioFile(name: string): unknown {
  return JSON.parse(readFileSync(`${REPO}scenarios/${name}.json`, 'utf8')) as unknown;
}

/** Runs a scenario with the real handlers (or without any, for comparison). */
export async function run(scenario: Scenario, withRebalancer = true): Promise<RunResult> {
  return runScenario({ scenario, ...(withRebalancer ? { handlers: localHandlers } : {}) });
}

export { loadEvent, parseScenario };

const ARN = 'arn:aws:ecs:us-east-1:123456789012:container-instance';

/**
 * Two clusters holding the EC2 instances the sample events in fixtures/events name, so that
 * every sample event can travel the real path: `prod` (EC2 providers, Spot and on-demand) and
 * `default` (Fargate, the placement-failure sample's cluster and service).
 */
export function sampleWorld(overrides: { policy?: Record<string, unknown>; timeline?: unknown[]; durationSeconds?: number } = {}): Scenario {
  const instance = (id: string, provider: string, i: number) => ({
    arn: `${ARN}/prod/${String(i).padStart(32, '0')}`,
    ec2InstanceId: id,
    capacityProvider: provider,
    status: 'ACTIVE',
    runningTasks: 0,
    availabilityZone: 'us-east-1b',
    instanceType: 'm7g.large',
  });
  const spotIds = ['i-0b662ef9931388ba0', 'i-abcd1111', 'i-12345678', 'i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2', 'i-0aaaaaaaaaaaaaaa3'];
  const odIds = ['i-0bbbbbbbbbbbbbbb1', 'i-0bbbbbbbbbbbbbbb2', 'i-0bbbbbbbbbbbbbbb3', 'i-0bbbbbbbbbbbbbbb4'];
  return parseScenario({
    name: 'sample-world',
    policy: overrides.policy ?? {
      clusters: {
        prod: {
          providers: { 'spot-arm64': 'spot', 'od-arm64': 'on-demand' },
          fallback: { alarms: ['ServerCpuTooHigh'], to: 'od-arm64', minSeconds: 600 },
        },
        default: { fallback: { to: 'FARGATE', minSeconds: 600 } },
      },
      guardrails: { maxDrainingFraction: 1 },
    },
    clusters: [
      {
        cluster: 'prod',
        capacityProviders: [
          { name: 'spot-arm64', type: 'EC2_AUTOSCALING' },
          { name: 'od-arm64', type: 'EC2_AUTOSCALING' },
        ],
        services: [
          {
            name: 'web',
            desiredCount: 8,
            runningCount: 8,
            strategy: [
              { capacityProvider: 'spot-arm64', base: 0, weight: 3 },
              { capacityProvider: 'od-arm64', base: 2, weight: 1 },
            ],
            minimumHealthyPercent: 50,
            maximumPercent: 200,
          },
        ],
        containerInstances: [...spotIds.map((id, i) => instance(id, 'spot-arm64', i)), ...odIds.map((id, i) => instance(id, 'od-arm64', 100 + i))],
        alarms: { ServerCpuTooHigh: 'OK' },
      },
      {
        cluster: 'default',
        capacityProviders: [
          { name: 'FARGATE', type: 'FARGATE' },
          { name: 'FARGATE_SPOT', type: 'FARGATE_SPOT' },
        ],
        services: [
          {
            name: 'servicetest',
            desiredCount: 4,
            runningCount: 4,
            strategy: [
              { capacityProvider: 'FARGATE_SPOT', base: 0, weight: 4 },
              { capacityProvider: 'FARGATE', base: 1, weight: 1 },
            ],
            minimumHealthyPercent: 100,
            maximumPercent: 200,
          },
        ],
      },
    ],
    providers: { 'prod/od-arm64': { maxSize: 20 }, 'prod/spot-arm64': { maxSize: 20 } },
    durationSeconds: overrides.durationSeconds ?? 60,
    timeline: overrides.timeline ?? [],
  });
}
