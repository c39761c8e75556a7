import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `<repo>/fixtures/events`: the sample events exactly as EventBridge delivers them. */
export const EVENT_FIXTURES_DIR = fileURLToPath(new URL('../../../../fixtures/events/', import.meta.url));

/** A raw event as JSON gives it: loose on purpose, so tests can remove and change fields. */
export type RawEvent = Record<string, any>;

/** The names of the sample events (`ec2-spot-instance-interruption-warning`, …), without `.json`. */
export function eventFixtureNames(): string[] {
  return readdirSync(EVENT_FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** A fresh copy of one sample event, by name with or without `.json`; safe to mutate. */
export function loadEvent(name: string): RawEvent {
  const file = name.endsWith('.json') ? name : `${name}.json`;
  return JSON.parse(readFileSync(`${EVENT_FIXTURES_DIR}${file}`, 'utf8')) as RawEvent;
}
