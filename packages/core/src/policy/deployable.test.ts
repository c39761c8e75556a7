import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { MAX_POLICY_ENV_BYTES, parseDeployablePolicy, policyEnvironmentBytes } from './deployable.js';
import { parsePolicy } from './schema.js';

function problemsOf(input: unknown): string[] {
  try {
    parseDeployablePolicy(input);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
    throw error;
  }
  throw new Error('expected the policy to be rejected');
}

const cluster = (alarm: string) => ({ providers: { spot: 'spot', od: 'on-demand' }, fallback: { alarms: [alarm], to: 'od' } });

describe('parseDeployablePolicy: every check the deploy makes, as validate makes it', () => {
  it('accepts a policy the deploy accepts, with defaults filled in', () => {
    expect(parseDeployablePolicy({ clusters: { prod: cluster('prod-spot') } })).toEqual(parsePolicy({ clusters: { prod: cluster('prod-spot') } }));
  });

  it('refuses a policy with no cluster', () => {
    expect(problemsOf({ clusters: {} })).toEqual(['clusters: the policy manages no cluster']);
  });

  it('refuses two clusters sharing their first fallback alarm', () => {
    expect(problemsOf({ clusters: { a: cluster('spot'), b: cluster('spot') } })).toEqual(['clusters.b.fallback.alarms[0]: "spot" is already the fallback alarm of cluster a']);
  });

  it('refuses a policy too large for the Lambda environment, saying its size', () => {
    const services = Array.from({ length: 300 }, (_, i) => `service-${i}`);
    const input = { clusters: { prod: { ...cluster('prod-spot'), services } } };
    const bytes = policyEnvironmentBytes(parsePolicy(input));
    expect(bytes).toBeGreaterThan(MAX_POLICY_ENV_BYTES);
    expect(problemsOf(input)).toEqual([
      `the policy is ${bytes} bytes as JSON; Lambda environment variables hold at most 4 KB in all (keep it under ${MAX_POLICY_ENV_BYTES})`,
    ]);
  });

  it('refuses what parsePolicy refuses, with the same message', () => {
    expect(problemsOf({ clusters: { prod: { providers: { od: 'on-demand' }, fallback: { to: 'od-armm' } } } })).toEqual([
      'clusters.prod.fallback.to: "od-armm" is not declared "on-demand" in clusters.prod.providers (declared on-demand: od)',
    ]);
  });
});
