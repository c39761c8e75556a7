import { describe, expect, it } from 'vitest';
import { VirtualClock } from './clock.js';
import { ThrottleBuckets } from './throttle.js';

describe('ThrottleBuckets', () => {
  it('allows the burst, then refills at the sustained rate on the virtual clock', () => {
    // Prepare: cluster writes are 20 burst, 1 per second.
    const clock = new VirtualClock(0);
    const buckets = new ThrottleBuckets(() => clock.now());

    // Act
    const burst = Array.from({ length: 21 }, () => buckets.take('PutClusterCapacityProviders'));
    clock.advance(0.5);
    const halfSecond = buckets.take('PutClusterCapacityProviders');
    clock.advance(0.5);
    const oneSecond = buckets.take('PutClusterCapacityProviders');

    // Assess
    expect(burst.filter(Boolean)).toHaveLength(20);
    expect(burst[20]).toBe(false);
    expect(halfSecond).toBe(false);
    expect(oneSecond).toBe(true);
  });

  it('keeps buckets apart: draining service writes leaves container-instance writes alone', () => {
    const clock = new VirtualClock(0);
    const buckets = new ThrottleBuckets(() => clock.now());
    for (let i = 0; i < 50; i++) buckets.take('UpdateService');
    expect(buckets.take('UpdateService')).toBe(false);
    expect(buckets.take('TagResource')).toBe(false);
    expect(buckets.take('UpdateContainerInstancesState')).toBe(true);
    clock.advance(0.2);
    expect(buckets.take('UpdateService')).toBe(true);
  });

  it('never refills beyond the burst', () => {
    const clock = new VirtualClock(0);
    const buckets = new ThrottleBuckets(() => clock.now(), { 'service-read': { burst: 2, perSecond: 20 } });
    clock.advance(3600);
    expect([buckets.take('DescribeServices'), buckets.take('DescribeServices'), buckets.take('DescribeServices')]).toEqual([true, true, false]);
  });
});
