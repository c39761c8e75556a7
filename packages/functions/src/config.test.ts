import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ATTEMPTS, loadConfig } from './config.js';
import { ConfigError } from './errors.js';

const POLICY = JSON.stringify({ clusters: { prod: { providers: { 'spot-arm64': 'spot', 'od-arm64': 'on-demand' } } } });

describe('loadConfig', () => {
  it('reads the policy with its defaults and the documented defaults of the rest', () => {
    const config = loadConfig({ REBALANCER_POLICY: POLICY, REBALANCER_DLQ_URL: 'https://sqs/dlq' });

    expect(config).toMatchObject({ dlqUrl: 'https://sqs/dlq', eventBus: 'default', maxAttempts: DEFAULT_MAX_ATTEMPTS, serviceName: 'ecs-rebalancer', metricsNamespace: 'EcsRebalancer' });
    expect(config.policy.clusters['prod']?.services).toEqual(['*']);
    expect(config.policy.dryRun).toBe(false);
    expect(config.instanceIndexTable).toBeUndefined();
    expect(loadConfig({ REBALANCER_POLICY: POLICY, REBALANCER_INDEX_TABLE: ' rebalancer-index ' }).instanceIndexTable).toBe('rebalancer-index');
  });

  it.each([
    { name: 'no policy', env: {}, message: 'REBALANCER_POLICY is not set' },
    { name: 'a policy that is not JSON', env: { REBALANCER_POLICY: '{clusters' }, message: 'REBALANCER_POLICY is not JSON' },
    { name: 'a policy with a typo', env: { REBALANCER_POLICY: JSON.stringify({ clusters: {}, dryrun: true }) }, message: 'REBALANCER_POLICY is invalid' },
    { name: 'a provider kind that does not exist', env: { REBALANCER_POLICY: JSON.stringify({ clusters: { prod: { providers: { a: 'cheap' } } } }) }, message: 'clusters.prod.providers.a' },
    { name: 'a bad attempt count', env: { REBALANCER_POLICY: POLICY, REBALANCER_MAX_ATTEMPTS: 'many' }, message: 'REBALANCER_MAX_ATTEMPTS' },
  ])('fails loudly on $name', ({ env, message }) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
