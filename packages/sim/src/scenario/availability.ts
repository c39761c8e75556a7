// How far each service fell below its desired count, and for how long: sampled whenever the
// runner moves time (every model timer, delivery and call), integrated as a step function.
import type { Simulation } from '../model/simulation.js';

export interface ServiceAvailability {
  /** Lowest RUNNING / desired seen (1 when never below). */
  lowestRunningFraction: number;
  /** ∫ max(0, desired − RUNNING) dt, in task-seconds. */
  taskSecondsBelowDesired: number;
}

export interface Availability extends ServiceAvailability {
  services: Record<string, ServiceAvailability>;
}

export class AvailabilityMeter {
  readonly #sim: Simulation;
  #lastAt: number | undefined;
  #last = new Map<string, { running: number; desired: number }>();
  readonly #services = new Map<string, ServiceAvailability>();
  #overall: ServiceAvailability = { lowestRunningFraction: 1, taskSecondsBelowDesired: 0 };

  constructor(sim: Simulation) {
    this.#sim = sim;
  }

  sample(): void {
    const now = this.#sim.clock.now();
    if (this.#lastAt !== undefined && now > this.#lastAt) {
      const dt = (now - this.#lastAt) / 1000;
      let missing = 0;
      for (const [key, { running, desired }] of this.#last) {
        const gap = Math.max(0, desired - running) * dt;
        this.#services.get(key)!.taskSecondsBelowDesired += gap;
        missing += gap;
      }
      this.#overall.taskSecondsBelowDesired += missing;
    }
    this.#lastAt = now;
    const current = new Map<string, { running: number; desired: number }>();
    let running = 0;
    let desired = 0;
    for (const cluster of this.#sim.clusters.values()) {
      for (const svc of cluster.services.values()) {
        const key = `${cluster.name}/${svc.name}`;
        const counts = { running: this.#sim.serviceRunning(svc), desired: svc.desiredCount };
        current.set(key, counts);
        const entry = this.#services.get(key) ?? { lowestRunningFraction: 1, taskSecondsBelowDesired: 0 };
        this.#services.set(key, entry);
        if (counts.desired > 0) entry.lowestRunningFraction = Math.min(entry.lowestRunningFraction, counts.running / counts.desired);
        running += counts.running;
        desired += counts.desired;
      }
    }
    if (desired > 0) this.#overall.lowestRunningFraction = Math.min(this.#overall.lowestRunningFraction, running / desired);
    this.#last = current;
  }

  result(): Availability {
    const round = (a: ServiceAvailability): ServiceAvailability => ({
      lowestRunningFraction: Math.round(a.lowestRunningFraction * 1000) / 1000,
      taskSecondsBelowDesired: Math.round(a.taskSecondsBelowDesired),
    });
    return { ...round(this.#overall), services: Object.fromEntries([...this.#services].map(([k, v]) => [k, round(v)])) };
  }
}
