import * as z from 'zod';
import { MalformedEventError, formatPath } from '../errors.js';
import type { JsonPath } from '../errors.js';

/**
 * Checks `value` against `schema` and returns the parsed value, or throws a
 * `MalformedEventError` naming the dotted JSON path of the first problem, prefixed with `at`
 * (for example `['detail']` gives `detail.instance-id`). Schemas here use `z.object`, which
 * ignores keys it does not know: AWS adds fields to events without notice.
 */
export function checkShape<S extends z.ZodType>(schema: S, value: unknown, at: JsonPath = []): z.output<S> {
  const result = schema.safeParse(value, { error: describeIssue });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new MalformedEventError(formatPath([...at, ...(issue?.path ?? [])]), issue?.message ?? 'invalid');
}

const nouns: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
};

function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = nouns[issue.expected] ?? issue.expected;
      return issue.input === undefined ? `required: expected ${expected}` : `expected ${expected}`;
    }
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' ? 'expected a non-empty string' : undefined;
    default:
      return undefined;
  }
}

export const nonEmptyString = z.string().min(1);

/** ISO 8601 with a `Z` or numeric offset; CloudWatch writes `+0000` without a colon. */
const ISO_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})$/;

/** True for an ISO 8601 timestamp that names a real instant (`2019-10-02T17:04:40.989+0000`, `2019-10-02T17:04:40Z`). */
export function isTimestamp(value: string): boolean {
  const match = ISO_TIMESTAMP.exec(value);
  return match !== null && !Number.isNaN(Date.parse(`${match[1]}Z`));
}

export const timestampSchema = z.string().refine(isTimestamp, {
  error: 'expected an ISO 8601 time such as 2019-10-02T17:04:40Z',
});

/**
 * Normalises an ISO 8601 timestamp to UTC with a `Z` suffix, so that times from different
 * sources compare as strings: `2019-10-02T17:04:40.989+0000` becomes
 * `2019-10-02T17:04:40.989Z`; a `Z` time is returned unchanged; a non-zero offset is converted
 * to UTC. A value that is not an ISO timestamp is returned unchanged.
 */
export function isoTimestamp(value: string): string {
  const match = ISO_TIMESTAMP.exec(value);
  if (!match) return value;
  const [, local = '', offset = 'Z'] = match;
  const colonOffset = offset === 'Z' ? 'Z' : `${offset.slice(0, 3)}:${offset.slice(-2)}`;
  if (colonOffset === 'Z' || colonOffset === '+00:00' || colonOffset === '-00:00') return `${local}Z`;
  return new Date(Date.parse(`${local}${colonOffset}`)).toISOString();
}

/** RFC 7231 date as the AWS Health event writes `startTime`: `Sat, 05 Jun 2016 15:10:09 GMT`. */
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Converts an ISO 8601 or RFC 7231 (`Sat, 05 Jun 2016 15:10:09 GMT`) time to ISO UTC; any
 * other string is returned as given, since the callers only carry it for information.
 */
export function anyTimeToIso(value: string): string {
  if (isTimestamp(value)) return isoTimestamp(value);
  // ECMAScript requires Date.parse to read back the toUTCString() format, which is RFC 7231.
  if (HTTP_DATE.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  return value;
}

/** An EC2 instance id: `i-` and 8 (older instances) or 17 hex digits. */
const EC2_INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** True when `value` has the form of an EC2 instance id (`i-0b662ef9931388ba0`, `i-abcd1111`). */
export function isEc2InstanceId(value: string): boolean {
  return EC2_INSTANCE_ID.test(value);
}

export const ec2InstanceIdSchema = z.string().refine(isEc2InstanceId, {
  error: 'expected an EC2 instance id (i- and 8 or 17 hex digits)',
});
