import { SimApiError } from '../errors.js';
import type { Simulation } from '../model/simulation.js';
import { compact, readTimestamp, type Input } from './protocol.js';

/** `X-Amz-Target` prefix of EventBridge (AWS JSON 1.1). */
export const EVENTBRIDGE_TARGET_PREFIX = 'AWSEvents.';

interface EntryResult {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

/**
 * PutEvents: 1–10 entries per call (more is a ValidationException for the whole call). Each
 * entry needs Source, DetailType and Detail, and Detail must be a JSON object; a bad entry
 * fails alone (InvalidArgument / MalformedDetail) and counts in FailedEntryCount.
 */
function putEvents(sim: Simulation, input: Input): unknown {
  const entries = input.Entries;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
    const n = Array.isArray(entries) ? entries.length : 0;
    throw new SimApiError(
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10 (got ${n})`,
    );
  }
  const results: EntryResult[] = entries.map((raw) => {
    const e = (raw ?? {}) as Record<string, unknown>;
    for (const field of ['Source', 'DetailType', 'Detail'] as const) {
      if (typeof e[field] !== 'string' || e[field] === '') {
        return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
      }
    }
    let detail: unknown;
    try {
      detail = JSON.parse(e.Detail as string);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    let time: number;
    try {
      time = readTimestamp(e.Time, 'Time', 'ValidationException') ?? sim.clock.now();
    } catch {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Time is not valid.' };
    }
    const eventId = sim.newPutEventId();
    sim.decisionEvents.push({
      eventId,
      time: new Date(time).toISOString(),
      source: e.Source as string,
      detailType: e.DetailType as string,
      detail,
      resources: Array.isArray(e.Resources) ? (e.Resources as unknown[]).map(String) : [],
      eventBusName: typeof e.EventBusName === 'string' ? e.EventBusName : 'default',
    });
    return { EventId: eventId };
  });
  return {
    FailedEntryCount: results.filter((r) => r.ErrorCode).length,
    Entries: results.map((r) => compact({ ...r })),
  };
}

/** Runs one EventBridge action (counted, not throttled). */
export function handleEventBridge(sim: Simulation, action: string, input: Input): unknown {
  sim.recordApiCall(action, false);
  if (action === 'PutEvents') return putEvents(sim, input);
  throw new SimApiError('UnknownOperationException', `The simulator does not implement EventBridge ${action}.`);
}
