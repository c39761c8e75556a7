import * as z from 'zod/mini';
import type { IgnoredSignal, Signal } from '../model/index.js';
import { checkShape, isoTimestamp, nonEmptyString, timestampSchema } from './validate.js';

// The EventBridge envelope, common to every event:
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
// `id` and `account` are any non-empty string: the AWS Health sample has `account: "account id"`
// and an `id` with non-hex characters, and nothing here depends on their form.
const envelopeSchema = z.object({
  // AWS documents some events without it (the EC2 state-change sample): not needed here.
  version: z.optional(z.string()),
  id: nonEmptyString,
  'detail-type': z.string(),
  source: nonEmptyString,
  account: z.optional(nonEmptyString),
  time: timestampSchema,
  region: z.optional(nonEmptyString),
  // AWS documents `resources` as an array of ARNs, but its own Capacity Reservation
  // interruption sample shows a bare string: accept one rather than quarantine an
  // interruption warning over the envelope.
  resources: z.optional(z.pipe(z.transform((r: unknown) => (typeof r === 'string' ? [r] : r)), z.array(z.string()))),
  detail: z.looseObject({}),
});

/** One EventBridge event whose envelope has been checked; `detail` is still unchecked. */
export interface EventEnvelope {
  /** Absent when the event has none. */
  version?: string;
  id: string;
  detailType: string;
  source: string;
  account?: string;
  /** ISO 8601 UTC (`…Z`). */
  time: string;
  region?: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** Reads one event's detail into signals; throws `MalformedEventError` with a `detail.…` path. */
export type EventParser = (event: EventEnvelope) => Signal[];

/** One line of the registry: the EventBridge (source, detail-type) pair and its parser. */
export interface EventRegistryEntry {
  source: string;
  detailType: string;
  parse: EventParser;
}

/**
 * Checks the EventBridge envelope of `raw` (version, id, detail-type, source, account, time,
 * region, resources, detail) and returns it with `time` normalised to ISO UTC. Throws
 * `MalformedEventError` naming the first missing or mistyped field; unknown fields are kept
 * out of the result but never rejected.
 */
export function parseEnvelope(raw: unknown): EventEnvelope {
  const e = checkShape(envelopeSchema, raw);
  return {
    ...(e.version !== undefined && { version: e.version }),
    id: e.id,
    detailType: e['detail-type'],
    source: e.source,
    ...(e.account !== undefined && { account: e.account }),
    time: isoTimestamp(e.time),
    ...(e.region !== undefined && { region: e.region }),
    resources: e.resources ?? [],
    detail: e.detail,
  };
}

/** The fields every signal takes from its event: id, time, and region and account when present. */
export function signalBase(event: EventEnvelope): { eventId: string; time: string; region?: string; account?: string } {
  return {
    eventId: event.id,
    time: event.time,
    ...(event.region !== undefined && { region: event.region }),
    ...(event.account !== undefined && { account: event.account }),
  };
}

/** The value for a well-formed event we do not act on: acknowledged, counted, never retried. */
export function ignoredSignal(event: EventEnvelope, reason: string): IgnoredSignal {
  return { kind: 'ignored', ...signalBase(event), source: event.source, detailType: event.detailType, reason };
}
