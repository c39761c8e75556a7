// Property-based fuzzing of every event parser, through parseEvent as the react handler calls
// it (the SQS body is JSON text, so each case goes through JSON.stringify / JSON.parse): every
// sample event and builder variant, with fields replaced, removed or given prototype names.
// Invariant: a list of signals comes back (each with the event's id and a kind), or a
// MalformedEventError naming the JSON path; never another error, never a crash.
import { MalformedEventError, parseEvent } from '@ecs-rebalancer/core';
import { aCapacityReservationWarning, aFargateSpotInterruption, aLaunchFailure, anAlarmAction, eventFixtureNames, loadEvent } from '@ecs-rebalancer/core/test-support';
import fc from 'fast-check';
import type { AttackResult } from './attacks.js';

type Json = Record<string, unknown>;

const EVENTS: { name: string; event: Json }[] = [
  ...eventFixtureNames().map((name) => ({ name, event: loadEvent(name) as Json })),
  { name: 'capacity-reservation-warning', event: aCapacityReservationWarning() as Json },
  { name: 'fargate-spot-interruption', event: aFargateSpotInterruption() as Json },
  { name: 'launch-failure', event: aLaunchFailure() as Json },
  { name: 'alarm-action', event: anAlarmAction() as Json },
];

/** Every path into the event (object keys and array indices). */
function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

const aValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constantFrom('', ' ', '__proto__', 'constructor', 'toString', '2024-03-01T12:00:00+25:00', '2024-03-01T12:00:00-99:99', '2019-02-30T12:00:00Z', '2024-03-01T24:00:00Z', 'Sat, 05 Jun 2016 15:10:09 GMT'),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'a', 'state'), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
);

const aCase = fc.integer({ min: 0, max: EVENTS.length - 1 }).chain((i) => {
  const paths = pathsOf(EVENTS[i]!.event);
  return fc.record({ i: fc.constant(i), edits: fc.array(fc.record({ path: fc.constantFrom(...paths), value: aValue }), { minLength: 1, maxLength: 4 }) });
});

function edited(event: Json, edits: readonly { path: string[]; value: unknown }[]): string {
  const copy = structuredClone(event);
  for (const { path, value } of edits) {
    let node: unknown = copy;
    for (const key of path.slice(0, -1)) node = typeof node === 'object' && node !== null && Object.hasOwn(node, key) ? (node as Json)[key] : undefined;
    if (typeof node !== 'object' || node === null) continue;
    const last = path.at(-1) as string;
    if (value === undefined) delete (node as Json)[last];
    else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  }
  return JSON.stringify(copy);
}

/** Runs `cases` mutated events through parseEvent; returns the counts and the first problems. */
export async function fuzzParsers(cases: number, seed = 20261202): Promise<AttackResult> {
  let parsed = 0;
  let malformed = 0;
  const problems: string[] = [];
  fc.assert(
    fc.property(aCase, ({ i, edits }) => {
      const { name, event } = EVENTS[i]!;
      const body = edited(event, edits);
      try {
        const signals = parseEvent(JSON.parse(body));
        if (!Array.isArray(signals) || signals.length === 0 || signals.some((s) => typeof s.kind !== 'string' || typeof s.eventId !== 'string')) problems.push(`${name}: parseEvent gave ${JSON.stringify(signals).slice(0, 80)}`);
        parsed += 1;
      } catch (error) {
        if (error instanceof MalformedEventError && typeof error.path === 'string') malformed += 1;
        else problems.push(`${name}: ${(error as Error).name}: ${(error as Error).message.slice(0, 100)} for ${body.slice(0, 120)}`);
      }
    }),
    { numRuns: cases, seed },
  );
  return {
    finding: '9 (all parsers)',
    attack: `property-based fuzzing of every event parser: ${EVENTS.length} sample events and variants with up to 4 fields replaced, removed or given prototype names, impossible times`,
    tried: `${cases.toLocaleString('en-US')} events`,
    result: `${parsed} parsed, ${malformed} rejected with a MalformedEventError naming the path; ${problems.length} other outcomes${problems.length > 0 ? ` (${problems.slice(0, 2).join('; ')})` : ''}`,
    passed: problems.length === 0,
    figures: { 'parser fuzz cases': cases, 'parser fuzz: untyped errors or empty results': problems.length },
  };
}
