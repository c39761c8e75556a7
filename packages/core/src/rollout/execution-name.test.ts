import { describe, expect, it } from 'vitest';
import { isRolloutExecutionOf, rolloutExecutionName, rolloutExecutionPrefix } from './execution-name.js';

// Step Functions' rules for execution names.
const VALID_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]{1,80}$/u;

describe('rollout execution names', () => {
  it('derives the name from cluster, service and start time', () => {
    const name = rolloutExecutionName('prod', 'web', '2025-03-04T05:06:07.890Z');

    expect(name).toMatch(/^rollout-[0-9a-f]{8}-prod\.web-20250304T050607Z$/);
    expect(name).toMatch(VALID_NAME);
    expect(isRolloutExecutionOf(name, 'prod', 'web')).toBe(true);
  });

  it.each([
    { name: 'another service', cluster: 'prod', service: 'api' },
    { name: 'a service whose name extends this one', cluster: 'prod', service: 'web-2' },
    { name: 'the same service in another cluster', cluster: 'staging', service: 'web' },
  ])('does not match $name', ({ cluster, service }) => {
    expect(isRolloutExecutionOf(rolloutExecutionName(cluster, service, '2025-01-01T00:00:00Z'), 'prod', 'web')).toBe(false);
  });

  it('keeps long names within 80 characters and distinct', () => {
    const long = 'c'.repeat(255);
    const a = rolloutExecutionName(long, 'service-a', '2025-01-01T00:00:00Z');
    const b = rolloutExecutionName(long, 'service-b', '2025-01-01T00:00:00Z');

    expect(a).toMatch(VALID_NAME);
    expect(a).not.toBe(b);
    expect(rolloutExecutionPrefix(long, 'service-a')).not.toBe(rolloutExecutionPrefix(long, 'service-b'));
  });
});
