import { classifyError, isRetryable } from '../errors.js';
import type { DecisionEvent, DecisionPublisher, PublishResult } from '../ports.js';
import { chunk } from '../chunks.js';
import type { SignedJsonClient } from './signed-request.js';

export const DECISION_SOURCE = 'ecs-rebalancer';
export const DECISION_DETAIL_TYPE = 'Rebalancer Decision';
// PutEvents takes at most 10 entries per call and answers per entry: FailedEntryCount and an
// ErrorCode on each entry it did not accept, while the call itself succeeds.
const ENTRIES_MAX = 10;

/** A PutEvents entry on the wire (AWS JSON 1.1: `Time` in epoch seconds). */
interface PutEventsRequestEntry {
  Source: string;
  DetailType: string;
  EventBusName: string;
  Time: number;
  Detail: string;
}
/** PutEvents' answer, as far as it is read: one entry per entry sent, in order. */
interface PutEventsOutput {
  FailedEntryCount?: number;
  Entries?: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[];
}

export interface PublisherOptions {
  eventBus: string;
  /** Further tries for entries that failed for a passing reason (throttling, internal failure). */
  entryRetries?: number;
  /** Waits between those tries; tests pass a no-op. */
  sleep?: (ms: number) => Promise<void>;
  /** The back-off's jitter in [0, 1); defaults to Math.random. */
  random?: () => number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Publishes one `Rebalancer Decision` event per action (source `ecs-rebalancer`, detail = the
 * action, its outcome and the dryRun flag), 10 per PutEvents call. Entries rejected for a
 * passing reason are sent again with jittered backoff; what still fails is returned, never
 * thrown: a decision that was carried out stays carried out when its report is lost.
 */
export class EventBridgeDecisionPublisher implements DecisionPublisher {
  private readonly entryRetries: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly eventBridge: SignedJsonClient,
    private readonly options: PublisherOptions,
  ) {
    this.entryRetries = options.entryRetries ?? 2;
    this.sleep = options.sleep ?? defaultSleep;
  }

  async publish(events: readonly DecisionEvent[]): Promise<PublishResult> {
    const result: PublishResult = { published: 0, failed: [] };
    for (const piece of chunk(events, ENTRIES_MAX)) {
      let pending = [...piece];
      for (let attempt = 0; pending.length > 0; attempt++) {
        const retry: DecisionEvent[] = [];
        try {
          const out = await this.eventBridge.call<PutEventsOutput>('PutEvents', { Entries: pending.map((e) => this.entry(e)) });
          pending.forEach((event, i) => {
            const code = out.Entries?.[i]?.ErrorCode;
            if (!code) result.published += 1;
            else if (isRetryable({ name: code }) && attempt < this.entryRetries) retry.push(event);
            else result.failed.push({ event, reason: `${code}: ${out.Entries?.[i]?.ErrorMessage ?? ''}`.trim() });
          });
        } catch (error) {
          const failed = classifyError(error, `publishing ${pending.length} decision events to ${this.options.eventBus}`);
          for (const event of pending) result.failed.push({ event, reason: failed.message });
        }
        pending = retry;
        if (pending.length > 0) await this.sleep((this.options.random ?? Math.random)() * 100 * 2 ** attempt);
      }
    }
    return result;
  }

  private entry(event: DecisionEvent): PutEventsRequestEntry {
    return {
      Source: DECISION_SOURCE,
      DetailType: DECISION_DETAIL_TYPE,
      EventBusName: this.options.eventBus,
      Time: Date.parse(event.time) / 1000,
      Detail: JSON.stringify(event),
    };
  }
}
