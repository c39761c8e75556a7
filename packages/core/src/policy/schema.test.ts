import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { defaultPolicyFor, parsePolicy } from './schema.js';

function problemsOf(input: unknown): string[] {
  try {
    parsePolicy(input);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected the policy to be rejected');
}

describe('parsePolicy', () => {
  it('fills in every documented default', () => {
    // Act
    const policy = parsePolicy({ clusters: { prod: { fallback: { to: 'od' } } } });
    // Assess
    expect(policy).toEqual({
      clusters: { prod: { services: ['*'], providers: {}, fallback: { alarms: [], to: 'od', minSeconds: 600 } } },
      actions: {
        'spot-interruption': 'drain',
        'rebalance-recommendation': 'drain',
        'instance-state': 'drain',
        'scheduled-change': 'drain',
        'capacity-reservation-interruption': 'drain',
      },
      guardrails: { maxDrainingFraction: 0.3 },
      dryRun: false,
    });
  });

  it('keeps a cluster without fallback without one', () => {
    expect(parsePolicy({ clusters: { prod: {} } }).clusters.prod?.fallback).toBeUndefined();
  });

  it.each([
    ['a provider kind that is not spot or on-demand', { clusters: { prod: { providers: { 'spot-arm64': 'spotty' } } } }, 'clusters.prod.providers.spot-arm64: expected "spot" or "on-demand"'],
    ['an action that is not drain or none', { clusters: {}, actions: { 'spot-interruption': 'ignore' } }, 'actions.spot-interruption: expected "drain" or "none"'],
    ['an unknown action kind', { clusters: {}, actions: { 'spot-interuption': 'drain' } }, 'actions.spot-interuption: unknown key'],
    ['a typo in a cluster key', { clusters: { prod: { fallbak: { to: 'od' } } } }, 'clusters.prod.fallbak: unknown key'],
    ['a typo at the top level', { clusters: {}, dryrun: true }, 'dryrun: unknown key'],
    ['a fraction above 1', { clusters: {}, guardrails: { maxDrainingFraction: 1.5 } }, 'guardrails.maxDrainingFraction: Too big: expected number to be <=1'],
    ['a negative minSeconds', { clusters: { prod: { fallback: { to: 'od', minSeconds: -1 } } } }, 'clusters.prod.fallback.minSeconds: Too small: expected number to be >=0'],
    ['a fallback without a target', { clusters: { prod: { fallback: { alarms: ['a'] } } } }, 'clusters.prod.fallback.to: required'],
    ['missing clusters', {}, 'clusters: required'],
    ['a fallback onto a Spot provider', { clusters: { prod: { providers: { s: 'spot' }, fallback: { to: 's' } } } }, 'clusters.prod.fallback.to: "s" is a Spot provider: fallback must go to on-demand'],
    ['a fallback onto FARGATE_SPOT', { clusters: { prod: { fallback: { to: 'FARGATE_SPOT' } } } }, 'clusters.prod.fallback.to: "FARGATE_SPOT" is a Spot provider: fallback must go to on-demand'],
  ])('rejects %s, naming the path', (_name, input, expected) => {
    expect(problemsOf(input)).toContain(expected);
  });

  it('reports every problem of an invalid policy at once', () => {
    const problems = problemsOf({ clusters: { prod: { providers: { a: 'x' }, services: [] } }, dryRun: 'yes' });
    expect(problems).toHaveLength(3);
  });
});

describe('defaultPolicyFor', () => {
  it('manages every given cluster with every service and the default actions', () => {
    const policy = defaultPolicyFor(['a', 'b']);
    expect(Object.keys(policy.clusters)).toEqual(['a', 'b']);
    expect(policy.clusters.a?.services).toEqual(['*']);
    expect(policy.actions['rebalance-recommendation']).toBe('drain');
  });
});
