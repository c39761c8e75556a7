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
  /** A binary min-heap on (at, seq): O(log n) per timer, so a storm's thousands of timers stay cheap. */
  #heap: Timer[] = [];
  #live = 0;

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
    this.#push(timer);
    this.#live++;
    return () => {
      if (timer.cancelled) return;
      timer.cancelled = true;
      this.#live--;
    };
  }

  /** When the next timer is due (epoch ms), if any: the scenario runner stops there. */
  nextDueAt(): number | undefined {
    return this.#nextDue(Number.POSITIVE_INFINITY)?.at;
  }

  /** How many timers are still waiting. */
  pending(): number {
    return this.#live;
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
      this.#pop();
      next.cancelled = true;
      this.#live--;
      this.#now = next.at;
      next.fire();
      if (this.#nextDue(next.at)?.at !== next.at) onTick?.();
    }
    this.#now = target;
  }

  /** The earliest live timer due by `target`, dropping cancelled ones from the top. */
  #nextDue(target: number): Timer | undefined {
    let top = this.#heap[0];
    while (top?.cancelled) {
      this.#pop();
      top = this.#heap[0];
    }
    return top && top.at <= target ? top : undefined;
  }

  #before(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  #push(timer: Timer): void {
    const h = this.#heap;
    h.push(timer);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  #pop(): void {
    const h = this.#heap;
    const last = h.pop();
    if (h.length === 0 || !last) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.#before(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.#before(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
