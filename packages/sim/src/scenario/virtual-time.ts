// One virtual clock for the whole path. The runner is a discrete-event loop: it moves the
// simulation's clock to the next thing due (a model timer, a delivery, a window closing, a
// call's round trip ending), runs it, then waits until every handler is blocked on virtual
// time again before it moves on. A handler is blocked on virtual time when each of its
// outstanding AWS calls is held by the simulator's wire for its modelled round trip, or when
// it sleeps through `sleep` (SDK back-off, in-handler waits). So a slow handler is late in
// virtual time, and terminations happen while it is still working.
//
// The accounting that makes "blocked" observable: the handlers' SDK clients send through
// `requestHandler()` (counts requests between send and full response), and the wire counts
// what it holds. Every request is held ⇔ the handlers wait on virtual time only.

interface Timer {
  at: number;
  seq: number;
  fire: () => void | Promise<void>;
  /** A handler waiting (sleep, hold), as opposed to the runner's own work. */
  wake: boolean;
}

/** A guard against a handler waiting on something the runner cannot see (real timers, other I/O). */
const SETTLE_LIMIT_MS = 120_000;

export class VirtualScheduler {
  readonly #now: () => number;
  #timers: Timer[] = [];
  #seq = 0;
  #held = 0;
  #inflight = 0;
  #version = 0;
  #wake: (() => void)[] = [];
  #stopped = false;

  /** @param now the simulation's virtual clock (epoch ms). */
  constructor(now: () => number) {
    this.#now = now;
  }

  now(): number {
    return this.#now();
  }

  /** Runs `fire` when virtual time reaches `at` (the runner awaits it if it returns a promise). */
  at(at: number, fire: () => void | Promise<void>): void {
    if (this.#stopped) return;
    this.#timers.push({ at: Math.max(at, this.#now()), seq: this.#seq++, fire, wake: false });
  }

  /** Resolves when `ms` of virtual time have passed (at once after `stop`). */
  sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => this.#timers.push({ at: this.#now() + Math.max(0, ms), seq: this.#seq++, fire: resolve, wake: true }));
  }

  /** The end of the run: waiting handlers go on with time standing still; the runner's own work is dropped. */
  stop(): void {
    this.#stopped = true;
    const timers = this.#timers.splice(0);
    for (const t of timers) if (t.wake) void t.fire();
  }

  /** Holds a wire call on the virtual clock for `ms` (the call counts as waiting on virtual time). */
  async hold(ms: number): Promise<void> {
    this.#held++;
    this.#changed();
    try {
      await this.sleep(ms);
    } finally {
      this.#held--;
      this.#changed();
    }
  }

  /** Counts a handler's request from send to full response. */
  async track<T>(request: Promise<T>): Promise<T> {
    this.#inflight++;
    this.#changed();
    try {
      return await request;
    } finally {
      this.#inflight--;
      this.#changed();
    }
  }

  /** When the next runner timer is due, if any. */
  nextAt(): number | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers) if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best?.at;
  }

  /** Runs the earliest timer due at or before now; false when none is due. */
  async fireNext(): Promise<boolean> {
    const now = this.#now();
    let index = -1;
    for (let i = 0; i < this.#timers.length; i++) {
      const t = this.#timers[i]!;
      if (t.at > now) continue;
      const best = index >= 0 ? this.#timers[index]! : undefined;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) index = i;
    }
    if (index < 0) return false;
    const [timer] = this.#timers.splice(index, 1);
    await timer!.fire();
    return true;
  }

  /**
   * Waits until every handler request is held on the virtual clock (or none is out) and
   * `ready()` holds, stable across two turns of the event loop. `idle()` says that no handler
   * or rollout is running at all (then nothing can be in flight).
   */
  async settle(ready: () => boolean = () => true, idle: () => boolean = () => false): Promise<void> {
    // Nothing running that could still make a call: no need to let the event loop turn.
    if (this.#inflight === 0 && this.#held === 0 && idle()) return;
    const started = performance.now();
    for (;;) {
      if (this.#inflight <= this.#held && ready()) {
        const version = this.#version;
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setImmediate(r));
        if (version === this.#version && this.#inflight <= this.#held && ready()) return;
        continue;
      }
      if (performance.now() - started > SETTLE_LIMIT_MS) {
        throw new Error(`the handlers waited ${SETTLE_LIMIT_MS / 1000}s of real time on something other than the simulator (${this.#inflight} requests out, ${this.#held} held)`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5);
        this.#wake.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  #changed(): void {
    this.#version++;
    for (const wake of this.#wake.splice(0)) wake();
  }
}
