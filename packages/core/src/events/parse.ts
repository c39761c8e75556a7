import { MalformedEventError } from '../errors.js';
import type { Signal } from '../model/index.js';
import { isAlarmActionPayload, parseAlarmAction } from './alarm-state-change.js';
import { ignoredSignal, parseEnvelope } from './envelope.js';
import { findEventParser } from './registry.js';

/**
 * Turns one EventBridge event, or one direct alarm-action payload, into the signals it
 * carries. The envelope is checked once, then the parser registered for its (source,
 * detail-type) reads the detail. A well-formed event of a kind or variant the rebalancer does
 * not act on (an unknown source, a `running` instance, a Health event of another service)
 * gives one `ignored` signal with the reason. Throws `MalformedEventError` whose `path` is the
 * dotted JSON path of the first problem (`detail.instance-id`) when the event is malformed.
 */
export function parseEvent(raw: unknown): Signal[] {
  if (isAlarmActionPayload(raw)) return parseAlarmAction(raw);
  const event = parseEnvelope(raw);
  const parse = findEventParser(event.source, event.detailType);
  if (parse === undefined) {
    return [ignoredSignal(event, `no parser for source ${event.source}, detail-type ${event.detailType}`)];
  }
  return parse(event);
}

/**
 * Like `parseEvent`, for input that holds one event or an array of events (the CLI's
 * `--event` file); the signals come in the order of the events. A malformed event throws
 * `MalformedEventError` whose path starts with the event's index (`[3].detail.instance-id`);
 * no signal is returned for any event then, since the whole file is rejected.
 */
export function parseEvents(raw: unknown): Signal[] {
  if (!Array.isArray(raw)) return parseEvent(raw);
  return raw.flatMap((event, index) => {
    try {
      return parseEvent(event);
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      throw new MalformedEventError(indexedPath(index, error.path), messageOf(error), { cause: error });
    }
  });
}

function indexedPath(index: number, path: string): string {
  if (path === '') return `[${index}]`;
  return path.startsWith('[') ? `[${index}]${path}` : `[${index}].${path}`;
}

/** The error's own message without its path prefix, so that the new path is not repeated. */
function messageOf(error: MalformedEventError): string {
  const prefix = `${error.path}: `;
  return error.path !== '' && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}
