import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { aCluster, aService } from '../test-support/builders.js';
import { parseClusterState } from './cluster-state-schema.js';

function problemsOf(input: unknown): string[] {
  try {
    parseClusterState(input);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected the cluster state to be rejected');
}

describe('parseClusterState', () => {
  it('takes the optional fields that make decisions safer', () => {
    const input = {
      ...aCluster(),
      capacityProviders: [
        { name: 'spot-arm64', type: 'EC2_AUTOSCALING', architecture: 'arm64', autoScalingGroup: 'spot-arm64-asg' },
        { name: 'od-arm64', type: 'MANAGED_INSTANCES', capacityOptionType: 'ON_DEMAND', architecture: 'arm64' },
      ],
      services: [aService({ cpuArchitectures: ['arm64'], lastRestoredAt: '2024-05-01T11:00:00Z', recentFallbacks: ['2024-05-01T10:30:00Z'], fallbackPhase: 'active' })],
      alarmsChangedAt: { 'prod-spot-interruptions': '2024-05-01T10:00:00+02:00' },
    };
    expect(parseClusterState(input)).toMatchObject({ services: [{ cpuArchitectures: ['arm64'], fallbackPhase: 'active' }], alarmsChangedAt: input.alarmsChangedAt });
  });

  it.each([
    ['an architecture ECS does not have', { capacityProviders: [{ name: 'a', type: 'EC2_AUTOSCALING', architecture: 'arm' }] }, 'capacityProviders[0].architecture'],
    ['a capacity option type that does not exist', { capacityProviders: [{ name: 'a', type: 'MANAGED_INSTANCES', capacityOptionType: 'CHEAP' }] }, 'capacityProviders[0].capacityOptionType'],
    ['a calendar date that does not exist', { services: [aService({ lastRestoredAt: '2024-02-30T00:00:00Z' })] }, 'services[0].lastRestoredAt'],
    ['hour 24', { services: [aService({ fallbackSince: '2024-05-01T24:00:00Z' })] }, 'services[0].fallbackSince'],
    ['an offset out of range', { alarmsChangedAt: { a: '2024-05-01T10:00:00+25:00' } }, 'alarmsChangedAt.a'],
  ])('rejects %s with its path', (_name, change, path) => {
    expect(problemsOf({ ...aCluster(), ...change }).map((p) => p.split(':')[0])).toContain(path);
  });

  // A cluster file is checked as the deploy checks a policy: what ECS would refuse is an error with its path.
  it.each([
    ['two providers with base > 0', [{ capacityProvider: 'spot-arm64', base: 1, weight: 1 }, { capacityProvider: 'od-arm64', base: 1, weight: 1 }], 'more than one provider has base > 0'],
    ['no weight', [{ capacityProvider: 'spot-arm64', base: 1, weight: 0 }], 'no provider has weight > 0'],
    ['a weight above 1000', [{ capacityProvider: 'spot-arm64', base: 0, weight: 1001 }], '[0].weight 1001 is not an integer in 0–1000'],
    ['a provider not attached', [{ capacityProvider: 'od-armm', base: 0, weight: 1 }], 'provider od-armm is not attached to the cluster'],
  ])('rejects a strategy ECS would refuse (%s) at services[i].strategy', (_name, strategy, message) => {
    const input = { ...aCluster(), services: [aService(), aService({ name: 'api', strategy })] };
    expect(problemsOf(input)).toContain(`services[1].strategy: ECS would refuse it: ${message}`);
  });

  it('accepts a service with no strategy (launch type or cluster default)', () => {
    expect(parseClusterState({ ...aCluster(), services: [aService({ strategy: [] })] }).services[0]?.strategy).toEqual([]);
  });

  it('rejects a provider listed twice', () => {
    expect(problemsOf({ ...aCluster(), capacityProviders: [{ name: 'a', type: 'FARGATE' }, { name: 'a', type: 'FARGATE' }], services: [] })).toEqual(['capacityProviders[1].name: "a" appears twice']);
  });
});
