import { SimApiError } from '../errors.js';

/** A parsed JSON-protocol request body. */
export type Input = Record<string, unknown>;

/** Timestamps travel as epoch seconds (with fractions) in AWS JSON 1.0 / 1.1. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/** Reads an epoch-seconds timestamp from a JSON request (the SDK sends numbers; strings are tolerated). */
export function readTimestamp(value: unknown, field: string, errorCode = 'InvalidParameterValue'): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value * 1000;
  if (typeof value === 'string') {
    const asNumber = Number(value);
    const ms = Number.isFinite(asNumber) ? asNumber * 1000 : Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  throw new SimApiError(errorCode, `${field} is not a valid timestamp.`);
}

export function optionalString(input: Input, field: string, errorCode = 'InvalidParameterException'): string | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new SimApiError(errorCode, `${field} must be a string.`);
  return v;
}

export function requiredString(input: Input, field: string, errorCode = 'InvalidParameterException'): string {
  const v = optionalString(input, field, errorCode);
  if (v === undefined || v === '') throw new SimApiError(errorCode, `${field} can not be blank.`);
  return v;
}

export function stringList(input: Input, field: string, errorCode = 'InvalidParameterException'): string[] | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new SimApiError(errorCode, `${field} must be a list of strings.`);
  return v as string[];
}

export function optionalInteger(input: Input, field: string, errorCode = 'InvalidParameterException'): number | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new SimApiError(errorCode, `${field} must be an integer.`);
  return v;
}

/**
 * Offset pagination with an opaque token bound to the query that produced it, so a token
 * replayed against another query is rejected as AWS does.
 */
export function paginate<T>(
  items: readonly T[],
  opts: { maxResults: number; nextToken: string | undefined; query: string; errorCode: string },
): { page: T[]; nextToken: string | undefined } {
  let offset = 0;
  if (opts.nextToken !== undefined) {
    try {
      const decoded = JSON.parse(Buffer.from(opts.nextToken, 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
      if (typeof decoded.o !== 'number' || decoded.q !== opts.query) throw new Error('mismatch');
      offset = decoded.o;
    } catch {
      throw new SimApiError(opts.errorCode, 'The specified nextToken is invalid.');
    }
  }
  const page = items.slice(offset, offset + opts.maxResults);
  const next = offset + opts.maxResults;
  return {
    page,
    nextToken: next < items.length ? Buffer.from(JSON.stringify({ o: next, q: opts.query }), 'utf8').toString('base64url') : undefined,
  };
}

/** Drops undefined members so the JSON body carries only what is set. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
