import { describe, expect, it } from 'vitest';
import { VirtualClock } from './clock.js';

describe('VirtualClock', () => {
  it('fires due timers in time order, ties in scheduling order, each at its own time', () => {
    // Prepare
    const clock = new VirtualClock('2025-01-01T00:00:00Z');
    const fired: string[] = [];
    clock.schedule(30, () => fired.push(`b@${clock.elapsedSeconds()}`));
    clock.schedule(10, () => fired.push(`a@${clock.elapsedSeconds()}`));
    clock.schedule(30, () => fired.push(`c@${clock.elapsedSeconds()}`));
    clock.schedule(31, () => fired.push('late'));

    // Act
    clock.advance(30);

    // Assess
    expect(fired).toEqual(['a@10', 'b@30', 'c@30']);
    expect(clock.iso()).toBe('2025-01-01T00:00:30.000Z');
    expect(clock.pending()).toBe(1);
  });

  it('fires timers that other timers schedule inside the window', () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    clock.schedule(5, () => {
      fired.push(clock.elapsedSeconds());
      clock.schedule(5, () => fired.push(clock.elapsedSeconds()));
    });
    clock.advance(10);
    expect(fired).toEqual([5, 10]);
  });

  it('ticks once per instant, after every timer due at that instant', () => {
    const clock = new VirtualClock(0);
    const log: string[] = [];
    clock.schedule(1, () => log.push('a'));
    clock.schedule(1, () => log.push('b'));
    clock.schedule(2, () => log.push('c'));
    clock.advance(5, () => log.push(`tick@${clock.elapsedSeconds()}`));
    expect(log).toEqual(['a', 'b', 'tick@1', 'c', 'tick@2']);
  });

  it('does not fire a cancelled timer', () => {
    const clock = new VirtualClock(0);
    let fired = false;
    const cancel = clock.schedule(1, () => {
      fired = true;
    });
    cancel();
    clock.advance(2);
    expect(fired).toBe(false);
  });

  it('rejects an invalid start and a negative advance', () => {
    expect(() => new VirtualClock('not a time')).toThrow(RangeError);
    expect(() => new VirtualClock(0).advance(-1)).toThrow(RangeError);
  });
});
