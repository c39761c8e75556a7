// A matcher of EventBridge event-pattern semantics, for tests: no such package exists on
// the registry, and the TestEventPattern API needs AWS.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
// - Every field named in the pattern must be in the event, at the same nesting (AND across
//   fields); a leaf is an array of matchers, any of which may match (OR).
// - When the event's value is an array, the leaf matches if any element matches.
// - Exact matchers compare strings case-sensitively, numbers numerically, and match true,
//   false and null as JSON values; a missing field matches nothing but `exists: false`.
// - `$or` takes an array of sub-patterns at the level where it appears.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const MISSING = Symbol('missing');
type Value = Json | typeof MISSING;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function wildcardRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 's');
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function matchesNumeric(spec: readonly unknown[], value: number): boolean {
  for (let i = 0; i < spec.length; i += 2) {
    const op = spec[i];
    const bound = spec[i + 1] as number;
    const ok =
      op === '=' ? value === bound
      : op === '<' ? value < bound
      : op === '<=' ? value <= bound
      : op === '>' ? value > bound
      : op === '>=' ? value >= bound
      : false;
    if (!ok) return false;
  }
  return true;
}

/** Matches one scalar event value against one matcher of a leaf. */
function matchesOne(matcher: unknown, value: Value): boolean {
  if (!isObject(matcher)) {
    if (value === MISSING) return false;
    if (typeof matcher === 'number' && typeof value === 'number') return matcher === value;
    return matcher === value;
  }
  const [op, arg] = Object.entries(matcher)[0] ?? [];
  if (op === 'exists') return (value !== MISSING) === arg;
  if (value === MISSING) return false;
  switch (op) {
    case 'prefix':
      if (typeof value !== 'string') return false;
      if (isObject(arg)) return value.toLowerCase().startsWith(String(arg['equals-ignore-case']).toLowerCase());
      return value.startsWith(String(arg));
    case 'suffix':
      if (typeof value !== 'string') return false;
      if (isObject(arg)) return value.toLowerCase().endsWith(String(arg['equals-ignore-case']).toLowerCase());
      return value.endsWith(String(arg));
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === String(arg).toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && wildcardRegExp(String(arg)).test(value);
    case 'numeric':
      return typeof value === 'number' && matchesNumeric(arg as unknown[], value);
    case 'cidr': {
      const [net, bits] = String(arg).split('/');
      const ip = typeof value === 'string' ? ipv4ToInt(value) : undefined;
      const base = ipv4ToInt(net ?? '');
      if (ip === undefined || base === undefined) return false;
      const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
      return ((ip & mask) >>> 0) === ((base & mask) >>> 0);
    }
    case 'anything-but': {
      if (isObject(arg)) return !matchesOne(arg, value);
      const excluded = Array.isArray(arg) ? arg : [arg];
      return !excluded.some((x) => matchesOne(x, value));
    }
    default:
      throw new Error(`unsupported pattern operator ${String(op)}`);
  }
}

function matchesLeaf(matchers: readonly unknown[], value: Value): boolean {
  if (Array.isArray(value)) {
    // EventBridge reads an array as several values of the field: the leaf matches if any
    // element matches (anything-but too: one element outside the excluded set is enough).
    // `exists` is about the field itself.
    return matchers.some((m) => (isObject(m) && 'exists' in m ? matchesOne(m, value) : value.some((v) => matchesOne(m, v))));
  }
  return matchers.some((m) => matchesOne(m, value));
}

function matchesObject(pattern: Record<string, unknown>, event: Value): boolean {
  return Object.entries(pattern).every(([key, sub]) => {
    if (key === '$or') return (sub as Record<string, unknown>[]).some((alt) => matchesObject(alt, event));
    const value: Value = isObject(event) && key in event ? (event[key] as Json) : MISSING;
    if (Array.isArray(sub)) return matchesLeaf(sub, value);
    if (isObject(sub)) {
      if (value === MISSING) return false;
      if (Array.isArray(value)) return value.some((v) => isObject(v) && matchesObject(sub, v));
      return isObject(value) && matchesObject(sub, value);
    }
    throw new Error(`pattern field ${key} must be an array or an object`);
  });
}

/** True when EventBridge would deliver `event` to a rule with `pattern`. */
export function matchesPattern(pattern: object, event: object): boolean {
  return matchesObject(pattern as Record<string, unknown>, event as Json);
}

const OPERATORS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'numeric', 'cidr', 'anything-but', 'exists']);

/** What EventBridge would reject in a pattern: empty match lists, unknown operators, non-array leaves. */
export function patternSyntaxProblems(pattern: object, path = ''): string[] {
  return Object.entries(pattern).flatMap(([key, sub]): string[] => {
    const here = path ? `${path}.${key}` : key;
    if (key === '$or') {
      return Array.isArray(sub) && sub.length >= 2
        ? sub.flatMap((alt: object, i) => patternSyntaxProblems(alt, `${here}[${i}]`))
        : [`${here}: $or needs at least two alternatives`];
    }
    if (Array.isArray(sub)) {
      if (sub.length === 0) return [`${here}: an empty match list matches nothing (EventBridge rejects it)`];
      return sub.flatMap((m) => {
        if (!isObject(m)) return [];
        const ops = Object.keys(m);
        return ops.length === 1 && OPERATORS.has(ops[0] as string) ? [] : [`${here}: unknown matcher ${JSON.stringify(m)}`];
      });
    }
    if (isObject(sub)) return patternSyntaxProblems(sub, here);
    return [`${here}: must be an array of matchers or an object`];
  });
}
