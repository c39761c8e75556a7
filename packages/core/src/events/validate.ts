import * as z from 'zod/mini';
import { MalformedEventError, formatPath } from '../errors.js';
import type { JsonPath } from '../errors.js';
import { englishMessage } from '../zod-problems.js';

/**
 * Checks `value` against `schema` and returns the parsed value, or throws a
 * `MalformedEventError` naming the dotted JSON path of the first problem, prefixed with `at`
 * (for example `['detail']` gives `detail.instance-id`). Schemas here use `z.object`, which
 * ignores keys it does not know: AWS adds fields to events without notice.
 */
export function checkShape<S extends z.core.$ZodType>(schema: S, value: unknown, at: JsonPath = []): z.output<S> {
  const result = z.safeParse(schema, value, { error: describeIssue });
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

const describeIssue: z.core.$ZodErrorMap = (issue) => ourMessage(issue) ?? englishMessage(issue);

function ourMessage(issue: z.core.$ZodRawIssue): string | undefined {
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

export const nonEmptyString = z.string().check(z.minLength(1));

/** ISO 8601 with a `Z` or numeric offset; CloudWatch writes `+0000` without a colon. */
const ISO_TIMESTAMP = /^((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?)(Z|([+-])(\d{2}):?(\d{2}))$/;

const DAYS_IN_MONTH: readonly number[] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

/**
 * True for an ISO 8601 timestamp that names a real instant (`2019-10-02T17:04:40.989+0000`,
 * `2019-10-02T17:04:40Z`): a calendar date that exists (no 2019-02-30), a time of day up to
 * 23:59:59 (no `T24:00:00`, which Date.parse would take as the next day) and an offset of at
 * most ±23:59 (`+25:00` and `-99:99` would make Date throw RangeError further on).
 */
export function isTimestamp(value: string): boolean {
  const m = ISO_TIMESTAMP.exec(value);
  if (m === null) return false;
  const year = Number(m[2]);
  const month = Number(m[3]);
  const day = Number(m[4]);
  const hour = Number(m[5]);
  const minute = Number(m[6]);
  const second = Number(m[7]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[8] !== 'Z' && (Number(m[10]) > 23 || Number(m[11]) > 59)) return false;
  return !Number.isNaN(Date.parse(`${m[1]}Z`));
}

export const timestampSchema = z.string().check(
  z.refine(isTimestamp, { error: 'expected an ISO 8601 time such as 2019-10-02T17:04:40Z (a real date, time and offset)' }),
);

/**
 * Normalises an ISO 8601 timestamp to UTC with a `Z` suffix, so that times from different
 * sources compare as strings: `2019-10-02T17:04:40.989+0000` becomes
 * `2019-10-02T17:04:40.989Z`; a `Z` time is returned unchanged; a non-zero offset is converted
 * to UTC. A value that is not a valid ISO timestamp (isTimestamp) is returned unchanged; it
 * never throws.
 */
export function isoTimestamp(value: string): string {
  if (!isTimestamp(value)) return value;
  const match = ISO_TIMESTAMP.exec(value) as RegExpExecArray;
  const local = match[1] as string;
  const offset = match[8] as string;
  const colonOffset = offset === 'Z' ? 'Z' : `${offset.slice(0, 3)}:${offset.slice(-2)}`;
  if (colonOffset === 'Z' || colonOffset === '+00:00' || colonOffset === '-00:00') return `${local}Z`;
  return new Date(Date.parse(`${local}${colonOffset}`)).toISOString();
}

/** RFC 7231 date as the AWS Health event writes `startTime`: `Sat, 05 Jun 2016 15:10:09 GMT`. */
const HTTP_DATE = /^[A-Z][a-z]{2}, (\d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}) GMT$/;

/**
 * Converts an ISO 8601 or RFC 7231 (`Sat, 05 Jun 2016 15:10:09 GMT`) time to ISO UTC, or
 * returns undefined when the value is neither or names no real instant (30 Feb, hour 24).
 */
export function anyTimeToIso(value: string): string | undefined {
  if (isTimestamp(value)) return isoTimestamp(value);
  const match = HTTP_DATE.exec(value);
  if (match) {
    // ECMAScript requires Date.parse to read back the toUTCString() format, which is RFC 7231;
    // reading it back again rejects a date that Date.parse rolled over (31 Feb → 3 Mar).
    const ms = Date.parse(value);
    if (!Number.isNaN(ms) && new Date(ms).toUTCString().slice(5, -4) === match[1]) return new Date(ms).toISOString();
  }
  return undefined;
}

/**
 * A string read into another value by `read`; a string it cannot read (undefined) is refused
 * with `message` at the value's path.
 */
export function stringRead<T>(read: (value: string) => T | undefined, message: string) {
  return z.pipe(
    z.string(),
    z.transform((value: string, ctx): T => {
      const out = read(value);
      if (out !== undefined) return out;
      ctx.issues.push({ code: 'custom', message, input: value });
      return z.NEVER;
    }),
  );
}

/** An ISO 8601 or RFC 7231 time, read as ISO UTC; anything else is refused with the path. */
export const anyTimeSchema = stringRead(anyTimeToIso, 'expected an ISO 8601 or RFC 7231 time (Sat, 05 Jun 2016 15:10:09 GMT) that exists');

/** An EC2 instance id: `i-` and 8 (older instances) or 17 hex digits. */
const EC2_ID = String.raw`i-(?:[0-9a-f]{8}|[0-9a-f]{17})`;
const EC2_INSTANCE_ID = new RegExp(`^${EC2_ID}$`);

/** True when `value` has the form of an EC2 instance id (`i-0b662ef9931388ba0`, `i-abcd1111`). */
export function isEc2InstanceId(value: string): boolean {
  return EC2_INSTANCE_ID.test(value);
}

/** An EC2 instance ARN in any partition: `arn:aws:ec2:us-east-1:123456789012:instance/i-…`, `arn:aws-cn:…`. */
const EC2_INSTANCE_ARN = new RegExp(String.raw`^arn:aws(?:-[a-z]+)*:ec2:[a-z0-9-]*:\d{12}:instance/(${EC2_ID})$`);

/** The instance id of an EC2 instance id or instance ARN, or undefined when the value is neither. */
export function ec2InstanceIdOf(value: string): string | undefined {
  if (isEc2InstanceId(value)) return value;
  return EC2_INSTANCE_ARN.exec(value)?.[1];
}

export const ec2InstanceIdSchema = z.string().check(z.refine(isEc2InstanceId, { error: 'expected an EC2 instance id (i- and 8 or 17 hex digits)' }));
