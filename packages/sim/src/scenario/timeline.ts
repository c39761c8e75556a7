// What a scenario's timeline does to the world, entry by entry, and the rollouts it starts.
import type { EventBridgeEvent } from '../model/events.js';
import type { Simulation } from '../model/simulation.js';
import type { HandlerEnvironment, RolloutDriver, RolloutOutcome } from './runner.js';
import type { ScenarioTimelineEntry } from './schema.js';
import type { VirtualScheduler } from './virtual-time.js';

/**
 * Rollouts run concurrently with everything else; between their tasks they wait only on the
 * virtual clock (`waitUntil`), and their SDK calls go through `requestHandler`, so the runner
 * knows when every rollout waits on virtual time: `settled()`.
 */
export class RolloutTracker {
  readonly #scheduler: VirtualScheduler;
  readonly #promises: Promise<RolloutOutcome>[] = [];
  #running = 0;
  #waiting = 0;
  #requests = 0;

  constructor(scheduler: VirtualScheduler) {
    this.#scheduler = scheduler;
  }

  /** No rollout is running. */
  idle(): boolean {
    return this.#running === 0;
  }

  settled(): boolean {
    return this.#running <= this.#waiting + this.#requests;
  }

  /** Counts a rollout's SDK request (the rollout environment's request handler calls it). */
  onRequest(started: boolean): void {
    this.#requests += started ? 1 : -1;
  }

  start(driver: RolloutDriver, entry: Record<string, unknown>, env: HandlerEnvironment, log: (line: string) => void, say: (line: string) => void): void {
    this.#running++;
    const waitUntil = async (at: number) => {
      this.#waiting++;
      try {
        await this.#scheduler.sleep(at - this.#scheduler.now());
      } finally {
        this.#waiting--;
      }
    };
    this.#promises.push(
      driver(entry, { ...env, waitUntil })
        .then((outcome) => {
          for (const step of outcome.steps as { percent?: number; runningTasks?: Record<string, number>; completedAt?: string }[]) {
            const running = Object.entries(step.runningTasks ?? {}).map(([p, n]) => `${p} ${n}`).join(', ');
            log(`            rollout step ${String(step.percent)}%: ${running ? `running ${running}` : 'applied'}${step.completedAt ? ` (baked, ${step.completedAt})` : ''}`);
          }
          say(`rollout: ${outcome.service} ${outcome.status}${outcome.cause ? ` — ${outcome.cause}` : ''}`);
          return outcome;
        })
        .catch((error: unknown) => ({
          cluster: String(entry.cluster),
          service: String(entry.service),
          status: 'FAILED' as const,
          steps: [],
          cause: error instanceof Error ? error.message : String(error),
        }))
        .finally(() => this.#running--),
    );
  }

  outcomes(): Promise<RolloutOutcome[]> {
    return Promise.all(this.#promises);
  }
}

export interface TimelineContext {
  sim: Simulation;
  say: (line: string) => void;
  /** Starts a rollout entry, or says why it is not started. */
  rollout: (entry: Record<string, unknown>) => void;
}

export function applyEntry(entry: ScenarioTimelineEntry, { sim, say, rollout }: TimelineContext): void {
  if ('interrupt' in entry) {
    const { cluster, capacityProvider, count } = entry.interrupt;
    const events = sim.interrupt(cluster, capacityProvider, count);
    const ids = events.map((e) => (e.detail as { 'instance-id'?: string })['instance-id']).filter(Boolean);
    say(`interrupt: ${events.length} instance(s) of ${capacityProvider} in ${cluster} get the two-minute warning${ids.length ? ` (${ids.join(', ')})` : ''}`);
  } else if ('alarm' in entry) {
    sim.setAlarm(entry.alarm.name, entry.alarm.state, entry.alarm.reason);
    say(`alarm: ${entry.alarm.name} → ${entry.alarm.state}`);
  } else if ('capacity' in entry) {
    sim.setCapacityAvailable(entry.capacity.cluster, entry.capacity.capacityProvider, entry.capacity.available);
    say(`capacity: ${entry.capacity.capacityProvider} in ${entry.capacity.cluster} ${entry.capacity.available ? 'available again' : 'has no capacity'}`);
  } else if ('event' in entry) {
    const stopping = sim.putAwsEvent(entry.event as unknown as EventBridgeEvent);
    const detail = entry.event.detail as { startTime?: unknown } | undefined;
    say(`event: ${String(entry.event['detail-type'] ?? entry.event.source ?? 'event')} injected${stopping.length ? ` (${stopping.join(', ')} stop at ${String(detail?.startTime)})` : ''}`);
  } else if ('rollout' in entry) {
    rollout(entry.rollout);
  }
}
