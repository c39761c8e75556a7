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
//
// Same seed → same run, however loaded the machine: nothing may depend on the order in which
// real I/O completes. So each request is numbered when the handler sends it (the handlers run
// one at a time between two settles, so the numbering is the program's own order), and the
// wire acts on none until every request sent has arrived: then it admits them in that order
// (each draws its round trip and takes its place among the timers). Timers fire one at a
// time, each followed by a settle, so whatever one wakes has finished with the real world
// before the next runs.

import { AsyncLocalStorage } from 'node:async_hooks';

/** One invocation (a task the runner started): how many of its waits are on virtual time. */
interface Actor {
  waits: number;
  /** performance.now() when its last wait ended (it has been running since). */
  since: number;
}

/**
 * How long an invocation with no virtual wait out is taken to be running real code. Past it,
 * it is taken to wait on something the accounting cannot attribute to it (a promise another
 * invocation's context started, such as a cache shared by an environment), and time may move.
 */
const RUNNING_GRACE_MS = 50;

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
  #sent = 0;
  /** Requests at the wire waiting for the others sent with them (see `admit`). */
  #arrived: { seq: number; start: () => void }[] = [];
  #version = 0;
  #wake: (() => void)[] = [];
  #stopped = false;
  /** The invocations running, each known to its own async context. */
  readonly #actors = new Set<Actor>();
  readonly #actor = new AsyncLocalStorage<Actor>();

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

  /** Resolves when `ms` of virtual time have passed (after `stop`: in turn, with time standing still). */
  sleep(ms: number): Promise<void> {
    const at = this.#stopped ? this.#now() : this.#now() + Math.max(0, ms);
    const actor = this.#waiting();
    return new Promise((resolve) =>
      this.#timers.push({
        at,
        seq: this.#seq++,
        fire: () => {
          this.#resumed(actor);
          resolve();
        },
        wake: true,
      }),
    );
  }

  /**
   * Runs `task` as an invocation: until it ends, the clock moves only while it waits on
   * virtual time (a `sleep`, or a request through `track`). Between two such waits it is
   * running, however many turns of the event loop its code takes (a handler's tail after its
   * last call, say), and `settle` waits for it.
   */
  run(task: () => Promise<void>): Promise<void> {
    const actor: Actor = { waits: 0, since: performance.now() };
    this.#actors.add(actor);
    this.#changed();
    return this.#actor.run(actor, task).finally(() => {
      this.#actors.delete(actor);
      this.#changed();
    });
  }

  #waiting(): Actor | undefined {
    const actor = this.#actor.getStore();
    if (actor) actor.waits++;
    return actor;
  }

  #resumed(actor: Actor | undefined): void {
    if (!actor) return;
    actor.waits--;
    actor.since = performance.now();
    this.#changed();
  }

  /** An invocation with no wait on virtual time out is running real code (for RUNNING_GRACE_MS at most). */
  #running(): boolean {
    const now = performance.now();
    for (const actor of this.#actors) if (actor.waits <= 0 && now - actor.since < RUNNING_GRACE_MS) return true;
    return false;
  }

  /**
   * The end of the run: the runner's own work is dropped; waiting handlers go on with time
   * standing still, woken one at a time in the order they would have been (`finish`).
   */
  stop(): void {
    this.#stopped = true;
    this.#timers = this.#timers.filter((t) => t.wake);
  }

  /** After `stop`: wakes the waiting handlers in turn, settling after each, until none waits. */
  async finish(ready: () => boolean = () => true, idle: () => boolean = () => false): Promise<void> {
    for (;;) {
      await this.settle(ready, idle);
      if (!(await this.fireNext(true))) return;
    }
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

  /**
   * Counts a handler's request from send to full response; `send` gets the request's number
   * (its place in the order the handlers sent their requests), which the wire passes to `admit`.
   */
  async track<T>(send: (seq: number) => Promise<T>): Promise<T> {
    this.#inflight++;
    const actor = this.#waiting();
    this.#changed();
    try {
      return await send(this.#sent++);
    } finally {
      this.#inflight--;
      this.#resumed(actor);
    }
  }

  /**
   * The wire's first step for request `seq`: `start` (which draws the round trip and holds the
   * call) runs only once every request sent has arrived, in the order they were sent, so
   * neither the draws nor the timers' order depend on which arrived first. A call without a
   * number (a client not built on `requestHandler()`) starts at once.
   */
  admit(seq: number | undefined, start: () => Promise<void>): Promise<void> {
    if (seq === undefined) return start();
    return new Promise<void>((resolve, reject) => {
      this.#arrived.push({ seq, start: () => void start().then(resolve, reject) });
      this.#changed();
    });
  }

  /** When the next runner timer is due, if any. */
  nextAt(): number | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers) if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best?.at;
  }

  /** Runs the earliest timer due at or before now (`any`: the earliest of all); false when none is. */
  async fireNext(any = false): Promise<boolean> {
    const now = this.#now();
    let index = -1;
    for (let i = 0; i < this.#timers.length; i++) {
      const t = this.#timers[i]!;
      if (t.at > now && !any) continue;
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
   * `ready()` holds, stable across two turns of the event loop; on the way, admits the
   * requests that arrived at the wire once all those sent are there. `idle()` says that no
   * handler or rollout is running at all (then nothing can be in flight).
   */
  async settle(ready: () => boolean = () => true, idle: () => boolean = () => false): Promise<void> {
    // Nothing running that could still make a call: no need to let the event loop turn.
    if (this.#inflight === 0 && this.#held === 0 && this.#arrived.length === 0 && this.#actors.size === 0 && idle()) return;
    const started = performance.now();
    const atWire = () => this.#inflight <= this.#held + this.#arrived.length && !this.#running() && ready();
    for (;;) {
      if (atWire()) {
        const version = this.#version;
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setImmediate(r));
        if (version !== this.#version || !atWire()) continue;
        if (this.#arrived.length === 0) return;
        // Every request sent has arrived: admit them in the order they were sent.
        const arrived = this.#arrived.splice(0).sort((a, b) => a.seq - b.seq);
        for (const a of arrived) a.start();
        this.#changed();
        continue;
      }
      if (performance.now() - started > SETTLE_LIMIT_MS) {
        throw new Error(`the handlers waited ${SETTLE_LIMIT_MS / 1000}s of real time on something other than the simulator (${this.#inflight} requests out, ${this.#held} held, ${this.#arrived.length} at the wire)`);
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
