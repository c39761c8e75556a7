/** A timer waiting on the virtual clock. */
interface Timer {
  at: number;
  seq: number;
  fire: () => void;
  cancelled: boolean;
}

/** Cancels a scheduled timer; calling it after the timer fired does nothing. */
export type CancelTimer = () => void;

/**
 * Simulated time. Nothing moves until `advance` is called: timers due inside the advanced
 * window fire in time order (ties in the order they were scheduled), and `now()` reads the
 * timer's own time while it runs, so a 30-minute scenario runs in milliseconds.
 */
export class VirtualClock {
  readonly start: number;
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];

  /** @param start ISO 8601 time or epoch milliseconds the clock starts at. */
  constructor(start: string | number = '2025-01-01T00:00:00.000Z') {
    const ms = typeof start === 'number' ? start : Date.parse(start);
    if (!Number.isFinite(ms)) throw new RangeError(`invalid start time: ${String(start)}`);
    this.start = ms;
    this.#now = ms;
  }

  /** Current virtual time, epoch milliseconds. */
  now(): number {
    return this.#now;
  }

  /** Current virtual time as ISO 8601. */
  iso(): string {
    return new Date(this.#now).toISOString();
  }

  /** Seconds elapsed since the clock started. */
  elapsedSeconds(): number {
    return (this.#now - this.start) / 1000;
  }

  /** Runs `fire` when the clock reaches `now() + delaySeconds` (at once on the next advance if ≤ 0). */
  schedule(delaySeconds: number, fire: () => void): CancelTimer {
    return this.scheduleAt(this.#now + Math.max(0, delaySeconds) * 1000, fire);
  }

  /** Runs `fire` when the clock reaches `at` (epoch milliseconds). */
  scheduleAt(at: number, fire: () => void): CancelTimer {
    const timer: Timer = { at: Math.max(at, this.#now), seq: this.#seq++, fire, cancelled: false };
    this.#timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** When the next timer is due (epoch ms), if any: the scenario runner stops there. */
  nextDueAt(): number | undefined {
    return this.#nextDue(Number.POSITIVE_INFINITY)?.at;
  }

  /** How many timers are still waiting. */
  pending(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /**
   * Moves time forward by `seconds`, firing every timer due up to the new time, including
   * timers that earlier timers schedule inside the window. `onTick` runs once after all the
   * timers due at one instant have fired (so a batch of task starts is settled together).
   */
  advance(seconds: number, onTick?: () => void): void {
    if (!(seconds >= 0)) throw new RangeError(`cannot advance by ${seconds} seconds`);
    const target = this.#now + seconds * 1000;
    for (;;) {
      const next = this.#nextDue(target);
      if (!next) break;
      this.#timers.splice(this.#timers.indexOf(next), 1);
      this.#now = next.at;
      next.fire();
      if (this.#nextDue(next.at)?.at !== next.at) onTick?.();
    }
    this.#timers = this.#timers.filter((t) => !t.cancelled);
    this.#now = target;
  }

  #nextDue(target: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers) {
      if (t.cancelled || t.at > target) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
