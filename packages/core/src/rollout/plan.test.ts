import { describe, expect, it } from 'vitest';
import { RolloutInputError } from '../errors.js';
import type { CapacityProviderState, ServiceState } from '../model/cluster-state.js';
import { aService } from '../test-support/builders.js';
import { parseRolloutInput } from './input.js';
import { planRollout } from './plan.js';

const providers: CapacityProviderState[] = [
  { name: 'od-x86', type: 'EC2_AUTOSCALING' },
  { name: 'od-arm', type: 'EC2_AUTOSCALING' },
  { name: 'spot-x86', type: 'EC2_AUTOSCALING' },
  { name: 'FARGATE', type: 'FARGATE' },
];
const cluster = { cluster: 'prod', capacityProviders: providers };
const x86Service = (overrides: Partial<ServiceState> = {}): ServiceState =>
  aService({ desiredCount: 8, strategy: [{ capacityProvider: 'od-x86', base: 0, weight: 1 }], ...overrides });
const input = (extra: Record<string, unknown> = {}) => parseRolloutInput({ cluster: 'prod', service: 'web', from: 'od-x86', to: 'od-arm', steps: [25, 50, 100], ...extra });

describe('planRollout', () => {
  it('plans each step with its strategy and the expected task split', () => {
    const plan = planRollout(input({ alarms: ['web-5xx'], bakeSeconds: 300 }), x86Service(), cluster);

    expect(plan.steps.map((s) => ({ percent: s.percent, strategy: s.strategy, tasks: s.expectedTasks }))).toEqual([
      {
        percent: 25,
        strategy: [
          { capacityProvider: 'od-x86', base: 0, weight: 3 },
          { capacityProvider: 'od-arm', base: 0, weight: 1 },
        ],
        tasks: { 'od-x86': 6, 'od-arm': 2 },
      },
      {
        percent: 50,
        strategy: [
          { capacityProvider: 'od-x86', base: 0, weight: 2 },
          { capacityProvider: 'od-arm', base: 0, weight: 2 },
        ],
        tasks: { 'od-x86': 4, 'od-arm': 4 },
      },
      {
        percent: 100,
        strategy: [
          { capacityProvider: 'od-x86', base: 0, weight: 0 },
          { capacityProvider: 'od-arm', base: 0, weight: 4 },
        ],
        tasks: { 'od-x86': 0, 'od-arm': 8 },
      },
    ]);
    expect(plan).toMatchObject({
      start: [{ capacityProvider: 'od-x86', base: 0, weight: 1 }],
      percents: [25, 50, 100],
      stepCount: 3,
      weightScale: 4,
      bakeSeconds: 300,
      alarms: ['web-5xx'],
      desiredCount: 8,
    });
  });

  it.each([
    { name: 'a CODE_DEPLOY service', service: x86Service({ deploymentController: 'CODE_DEPLOY' }), extra: {}, path: 'service', message: /CODE_DEPLOY deployment controller/ },
    { name: 'an EXTERNAL service', service: x86Service({ deploymentController: 'EXTERNAL' }), extra: {}, path: 'service', message: /EXTERNAL/ },
    {
      name: 'a service with an active fallback',
      service: x86Service({ baseline: [{ capacityProvider: 'od-x86', base: 0, weight: 1 }], fallbackSince: '2025-01-01T00:00:00Z' }),
      extra: {},
      path: 'service',
      message: /active Spot fallback/,
    },
    { name: 'an unattached target', service: x86Service(), extra: { to: 'od-graviton' }, path: 'to', message: /od-graviton is not attached to cluster prod/ },
    { name: 'an unattached source', service: x86Service(), extra: { from: 'gone' }, path: 'from', message: /gone is not attached/ },
    { name: 'from not in the strategy', service: x86Service(), extra: { from: 'spot-x86' }, path: 'from', message: /spot-x86 is not in the strategy of prod\/web \(providers: od-x86\)/ },
    {
      name: 'from holding nothing',
      service: x86Service({ strategy: [{ capacityProvider: 'od-x86', base: 0, weight: 0 }, { capacityProvider: 'spot-x86', base: 0, weight: 1 }] }),
      extra: {},
      path: 'from',
      message: /nothing to move/,
    },
    { name: 'Fargate mixed with ASG providers', service: x86Service(), extra: { to: 'FARGATE' }, path: 'steps[0]', message: /Fargate and Auto Scaling group providers are mixed/ },
  ])('refuses $name', ({ service, extra, path, message }) => {
    let caught: unknown;
    try {
      planRollout(input(extra), service, cluster);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(RolloutInputError);
    expect((caught as RolloutInputError).path).toBe(path);
    expect((caught as RolloutInputError).message).toMatch(message);
  });

  it('moves the base of from to to at the last step only', () => {
    const service = x86Service({ desiredCount: 10, strategy: [{ capacityProvider: 'od-x86', base: 2, weight: 1 }] });

    const plan = planRollout(input(), service, cluster);

    expect(plan.steps.map((s) => s.expectedTasks)).toEqual([
      { 'od-x86': 8, 'od-arm': 2 },
      { 'od-x86': 6, 'od-arm': 4 },
      { 'od-x86': 0, 'od-arm': 10 },
    ]);
    expect(plan.steps[2]!.strategy).toEqual([
      { capacityProvider: 'od-x86', base: 0, weight: 0 },
      { capacityProvider: 'od-arm', base: 2, weight: 4 },
    ]);
  });
});
