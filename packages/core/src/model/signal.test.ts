import { describe, expect, expectTypeOf, it } from 'vitest';
import { policySchema } from '../policy/schema.js';
import { DRAIN_URGENCY, InstanceSignalKind } from './signal.js';
import type { InstanceSignal, ScheduledChangeSignal, SpotInterruptionSignal } from './signal.js';

describe('instance signals: one type per kind', () => {
  it('every instance kind has a drain urgency and a policy action, and nothing else has', () => {
    const kinds = Object.values(InstanceSignalKind).sort();

    expect([...DRAIN_URGENCY].sort()).toEqual(kinds);
    expect(Object.keys(policySchema.parse({ clusters: {} }).actions).sort()).toEqual(kinds);
  });

  it('the kind says which fields a signal has (checked by tsc)', () => {
    const signal = { kind: 'spot-interruption', eventId: 'e1', time: '2024-05-01T12:00:00Z', ec2InstanceId: 'i-0b662ef9931388ba0', instanceAction: 'terminate' } as InstanceSignal;

    if (signal.kind === 'spot-interruption') expectTypeOf(signal).toEqualTypeOf<SpotInterruptionSignal>();
    if (signal.kind === 'scheduled-change') expectTypeOf(signal.startTime).toEqualTypeOf<string | undefined>();
    // @ts-expect-error a Spot warning carries no Health startTime
    expect(signal.kind === 'spot-interruption' && signal.startTime).toBe(undefined);
    // @ts-expect-error a scheduled change has no instance-action
    const noAction: ScheduledChangeSignal = { kind: 'scheduled-change', eventId: 'e2', time: '2024-05-01T12:00:00Z', ec2InstanceId: 'i-0b662ef9931388ba0', instanceAction: 'stop' };
    expect(noAction.kind).toBe('scheduled-change');
  });
});
