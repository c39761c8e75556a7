// Time on the whole path from an AWS event to the handler's last call. Each figure has its
// source in packages/sim/README.md ("Time on the path"); the event source mapping itself is
// read from infra/settings.ts, as deployed.
import * as z from 'zod';
import { BATCH, QUEUE, REACT_TIMEOUT_SECONDS } from '@ecs-rebalancer/infra/settings';
import { SeededRandom } from '../model/random.js';

const range = z.strictObject({ minMs: z.number().min(0), maxMs: z.number().min(0) }).refine((r) => r.maxMs >= r.minMs, { message: 'maxMs must be ≥ minMs' });

export const latencySchema = z.strictObject({
  /** EventBridge rule → SQS queue, per event (uniform in the range, seeded). */
  eventDelivery: range.default({ minMs: 100, maxMs: 500 }),
  /** One AWS API call's round trip as the handler sees it, per call (uniform, seeded); per action overrides in `calls`. */
  call: range.default({ minMs: 20, maxMs: 80 }),
  calls: z.record(z.string(), range).default({}),
  /** Init of a new execution environment (runtime start + module scope of the bundle). */
  coldStartMs: z.number().min(0).default(600),
  /** An execution environment idle longer than this is gone; the next invocation starts cold. */
  keepWarmSeconds: z.number().min(0).default(300),
  /** Lambda's SQS pollers: concurrent batches at first, added per minute while messages wait, at most. */
  pollers: z
    .strictObject({ initial: z.number().int().min(1).default(5), addPerMinute: z.number().int().min(0).default(300), max: z.number().int().min(1).default(1000) })
    .default({ initial: 5, addPerMinute: 300, max: 1000 }),
});

export type LatencyOptions = z.output<typeof latencySchema>;
export const DEFAULT_LATENCY: LatencyOptions = latencySchema.parse({});

/** The event source mapping and the queue as infra deploys them. */
export interface EventSourceSettings {
  batchSize: number;
  windowSeconds: number;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  functionTimeoutSeconds: number;
  /** ScalingConfig.MaximumConcurrency (2–1,000): at most this many invocations at once; undefined: Lambda's own ceiling (`pollers.max`). */
  maximumConcurrency?: number | undefined;
}

export const DEPLOYED_EVENT_SOURCE: EventSourceSettings = {
  batchSize: BATCH.size,
  windowSeconds: BATCH.windowSeconds,
  visibilityTimeoutSeconds: QUEUE.visibilityTimeoutSeconds,
  maxReceiveCount: QUEUE.maxReceiveCount,
  functionTimeoutSeconds: REACT_TIMEOUT_SECONDS,
  maximumConcurrency: BATCH.maximumConcurrency,
};

/** Draws the modelled delays from their own seeded stream, so they do not shift the model's ids. */
export class LatencyModel {
  readonly options: LatencyOptions;
  readonly #rng: SeededRandom;

  constructor(options: LatencyOptions, seed: number) {
    this.options = options;
    this.#rng = new SeededRandom((seed ^ 0x1a7e) >>> 0);
  }

  #draw(r: { minMs: number; maxMs: number }): number {
    return r.minMs + (r.maxMs - r.minMs) * this.#rng.next();
  }

  eventDeliveryMs(): number {
    return this.#draw(this.options.eventDelivery);
  }

  callMs(action: string): number {
    return this.#draw(this.options.calls[action] ?? this.options.call);
  }

  /** A float in [0, 1) from the latency stream (the SDK back-off's jitter in sim runs). */
  random(): number {
    return this.#rng.next();
  }
}
