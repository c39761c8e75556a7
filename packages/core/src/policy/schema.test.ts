import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { InstanceSignalKind } from '../model/signal.js';
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
    const policy = parsePolicy({ clusters: { prod: { providers: { od: 'on-demand' }, fallback: { to: 'od' } } } });
    // Assess
    expect(policy).toEqual({
      clusters: { prod: { services: ['*'], providers: { od: 'on-demand' }, fallback: { alarms: [], to: 'od', minSeconds: 600, okSeconds: 300, restoreAtOnce: 5 } } },
      actions: {
        'spot-interruption': 'drain',
        'rebalance-recommendation': 'drain',
        'instance-state': 'drain',
        'scheduled-change': 'drain',
        'capacity-reservation-interruption': 'drain',
      },
      guardrails: { maxDrainingFraction: 0.3 },
      scheduledChange: { drainBeforeSeconds: 3600 },
      dryRun: false,
    });
  });

  it('derives the action keys from the drain signal kinds', () => {
    expect(Object.keys(parsePolicy({ clusters: {} }).actions).sort()).toEqual([...Object.values(InstanceSignalKind)].sort());
  });

  it('takes fallback.to as a map from each Spot provider to its on-demand target', () => {
    const policy = parsePolicy({
      clusters: { prod: { providers: { 'spot-x86': 'spot', 'spot-arm': 'spot', 'od-x86': 'on-demand', 'od-arm': 'on-demand' }, fallback: { to: { 'spot-x86': 'od-x86', 'spot-arm': 'od-arm' } } } },
    });
    expect(policy.clusters.prod?.fallback?.to).toEqual({ 'spot-x86': 'od-x86', 'spot-arm': 'od-arm' });
  });

  it('takes accounts, regions and scheduledChange at the top level', () => {
    const policy = parsePolicy({ clusters: {}, accounts: ['123456789012'], regions: ['eu-west-1'], scheduledChange: { drainBeforeSeconds: 600 } });
    expect(policy).toMatchObject({ accounts: ['123456789012'], regions: ['eu-west-1'], scheduledChange: { drainBeforeSeconds: 600 } });
    expect(parsePolicy({ clusters: {} })).not.toHaveProperty('accounts');
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
    [
      'a typo in fallback.to',
      { clusters: { prod: { providers: { 'spot-arm': 'spot', 'od-arm': 'on-demand' }, fallback: { to: 'od-armm' } } } },
      'clusters.prod.fallback.to: "od-armm" is not declared "on-demand" in clusters.prod.providers (declared on-demand: od-arm)',
    ],
    [
      'a typo in one target of a fallback.to map',
      { clusters: { prod: { providers: { 'spot-x86': 'spot', 'spot-arm': 'spot', 'od-x86': 'on-demand', 'od-arm': 'on-demand' }, fallback: { to: { 'spot-x86': 'od-x86', 'spot-arm': 'od-armm' } } } } },
      'clusters.prod.fallback.to.spot-arm: "od-armm" is not declared "on-demand" in clusters.prod.providers (declared on-demand: od-x86, od-arm)',
    ],
    [
      'a fallback.to map key that is not a Spot provider',
      { clusters: { prod: { providers: { 'spot-arm': 'spot', 'od-arm': 'on-demand' }, fallback: { to: { 'spot-armm': 'od-arm' } } } } },
      'clusters.prod.fallback.to.spot-armm: "spot-armm" is not declared "spot" in clusters.prod.providers',
    ],
    ['fallback.to neither a name nor a map', { clusters: { prod: { fallback: { to: 7 } } } }, 'clusters.prod.fallback.to: expected a provider name or a map from each Spot provider to its on-demand provider'],
    ['a restoreAtOnce of 0', { clusters: { prod: { providers: { od: 'on-demand' }, fallback: { to: 'od', restoreAtOnce: 0 } } } }, 'clusters.prod.fallback.restoreAtOnce: Too small: expected number to be >=1'],
    ['an account that is not 12 digits', { clusters: {}, accounts: ['1234'] }, 'accounts[0]: expected a 12-digit AWS account id'],
    ['a region that is not one', { clusters: {}, regions: ['europe'] }, 'regions[0]: expected an AWS region such as us-east-1'],
    ['a typo in scheduledChange', { clusters: {}, scheduledChange: { drainBefore: 60 } }, 'scheduledChange.drainBefore: unknown key'],
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
