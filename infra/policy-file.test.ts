import { parsePolicy } from '@ecs-rebalancer/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY_FILE,
  PolicyFileError,
  fallbackAlarmsByCluster,
  loadPolicyFile,
  managedClusters,
  parsePolicyText,
  policyEnvironmentValue,
} from './policy-file.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function problemsOf(text: string): string[] {
  try {
    parsePolicyText(text, 'rebalancer.policy.json');
  } catch (error) {
    if (error instanceof PolicyFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the policy to be rejected');
}

describe('the policy file in the repository', () => {
  it('is valid, and is what a deploy would use', () => {
    // Act
    const policy = loadPolicyFile(DEFAULT_POLICY_FILE, repoRoot);
    // Assess
    expect(managedClusters(policy)).toEqual(['prod']);
    expect(fallbackAlarmsByCluster(policy)).toEqual([{ cluster: 'prod', alarms: ['prod-spot-interruptions'] }]);
  });
});

describe('parsePolicyText', () => {
  it.each([
    ['text that is not JSON', '{"clusters": ', /^not valid JSON: /],
    ['a provider kind the core rejects', '{"clusters": {"prod": {"providers": {"spot-arm64": "spotty"}}}}', /^clusters\.prod\.providers\.spot-arm64: expected "spot" or "on-demand"$/],
    ['a typo the core rejects', '{"clusters": {"prod": {"fallbak": {"to": "od"}}}}', /^clusters\.prod\.fallbak: unknown key$/],
    ['a policy that manages no cluster', '{"clusters": {}}', /^clusters: the policy manages no cluster$/],
    [
      'two clusters with one fallback alarm',
      '{"clusters": {"a": {"providers": {"od": "on-demand"}, "fallback": {"to": "od", "alarms": ["spot"]}}, "b": {"providers": {"od": "on-demand"}, "fallback": {"to": "od", "alarms": ["spot"]}}}}',
      /^clusters\.b\.fallback\.alarms\[0\]: "spot" is already the fallback alarm of cluster a$/,
    ],
  ])('rejects %s with the message', (_name, text, expected) => {
    expect(problemsOf(text)).toEqual([expect.stringMatching(expected)]);
  });

  it('reports every problem the core finds, and names the file', () => {
    // Prepare
    const text = '{"clusters": {"prod": {"providers": {"a": "x"}, "services": []}}, "dryRun": "yes"}';
    // Act
    const error = (() => {
      try {
        parsePolicyText(text, 'my-policy.json');
      } catch (e) {
        return e as PolicyFileError;
      }
      throw new Error('expected a PolicyFileError');
    })();
    // Assess
    expect(error.name).toBe('PolicyFileError');
    expect(error.problems).toHaveLength(3);
    expect(error.message).toMatch(/^my-policy\.json: /);
  });

  it('fills in the core defaults', () => {
    const policy = parsePolicyText('{"clusters": {"prod": {}}}', 'p.json');
    expect(policy.guardrails.maxDrainingFraction).toBe(0.3);
    expect(policy.clusters.prod?.services).toEqual(['*']);
  });
});

describe('loadPolicyFile', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));
  it('names a file it cannot read', () => {
    const root = mkdtempSync(join(tmpdir(), 'policy-'));
    roots.push(root);
    expect(() => loadPolicyFile('missing.json', root)).toThrow(/^missing\.json: cannot be read: /);
  });

  it('reads another file when asked', () => {
    const root = mkdtempSync(join(tmpdir(), 'policy-'));
    roots.push(root);
    writeFileSync(join(root, 'staging.json'), '{"clusters": {"staging": {}}}');
    expect(managedClusters(loadPolicyFile('staging.json', root))).toEqual(['staging']);
  });
});

describe('policyEnvironmentValue', () => {
  it('is the validated policy as JSON', () => {
    const policy = parsePolicyText('{"clusters": {"prod": {}}}', 'p.json');
    expect(JSON.parse(policyEnvironmentValue(policy))).toEqual(policy);
  });

  it('fails the deploy for a policy too large for a Lambda environment, already when the file is read (as validate does)', () => {
    const clusters = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`cluster-with-a-long-name-${i}`, { services: ['web', 'api'] }]));
    expect(() => parsePolicyText(JSON.stringify({ clusters }), 'big.json')).toThrow(/^big\.json: the policy is \d+ bytes as JSON/);
    const policy = parsePolicy({ clusters });
    expect(() => policyEnvironmentValue(policy, 'big.json')).toThrow(/^big\.json: the policy is \d+ bytes as JSON/);
  });
});
