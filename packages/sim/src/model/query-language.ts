/**
 * The ECS cluster query language, as ListContainerInstances takes it in `filter` (ECS
 * Developer Guide, "Cluster query language"): `subject operator [argument]`, combined with
 * `and` / `&&`, `or` / `||`, `not` / `!` and parentheses (not binds tightest, then and, then or).
 *
 * Operators, each with its documented alias: `==` equals, `!=` not_equals, `>` greater_than,
 * `>=` greater_than_equal, `<` less_than, `<=` less_than_equal, `exists`, `!exists`
 * not_exists, `in`, `!in` not_in (with an argument list `[a, b]`), `=~` matches, `!~`
 * not_matches (a Java regular expression; ECS's own example `g2.*` implies the pattern must
 * match the whole value, which is what the simulator does).
 *
 * Subjects: `agentConnected`, `agentVersion`, `attribute:NAME`, `ec2InstanceId`,
 * `registeredAt`, `runningTasksCount`, `task:group`. The guide lists the operators valid for
 * five of them (below); any other operator on those is rejected. `agentVersion` compares as a
 * version, `registeredAt` as a date (formats 2018-06-18T22:28:28+00:00, …Z, no zone = UTC,
 * 2018-06-18), `runningTasksCount` as an integer. A subject with several values (`task:group`:
 * the groups of the tasks on the instance) matches a positive operator when any value does;
 * every negative operator (`!=`, `!in`, `!~`, `!exists`) is the negation of its positive one.
 * Values may be quoted. A filter that does not parse throws `QuerySyntaxError` (ECS answers
 * InvalidParameterException).
 */
export type SubjectValue = string | number | boolean | readonly string[] | undefined;
export type Subject = (name: string) => SubjectValue;
export type Predicate = (subject: Subject) => boolean;

export class QuerySyntaxError extends Error {
  override readonly name = 'QuerySyntaxError';
}

const Operator = {
  Equals: '==',
  NotEquals: '!=',
  GreaterThan: '>',
  GreaterThanEqual: '>=',
  LessThan: '<',
  LessThanEqual: '<=',
  Exists: 'exists',
  NotExists: '!exists',
  In: 'in',
  NotIn: '!in',
  Matches: '=~',
  NotMatches: '!~',
} as const;
type Operator = (typeof Operator)[keyof typeof Operator];

/** The documented word form of each operator. */
const OPERATOR_WORDS: Readonly<Record<string, Operator>> = {
  equals: Operator.Equals,
  not_equals: Operator.NotEquals,
  greater_than: Operator.GreaterThan,
  greater_than_equal: Operator.GreaterThanEqual,
  less_than: Operator.LessThan,
  less_than_equal: Operator.LessThanEqual,
  exists: Operator.Exists,
  not_exists: Operator.NotExists,
  in: Operator.In,
  not_in: Operator.NotIn,
  matches: Operator.Matches,
  not_matches: Operator.NotMatches,
};

/** Each negative operator is the negation of this positive one. */
const NEGATION_OF: Partial<Record<Operator, Operator>> = {
  [Operator.NotEquals]: Operator.Equals,
  [Operator.NotExists]: Operator.Exists,
  [Operator.NotIn]: Operator.In,
  [Operator.NotMatches]: Operator.Matches,
};

const SYMBOLS = ['==', '!=', '>=', '<=', '=~', '!~', '>', '<'] as const;

const BY_VALUE: readonly Operator[] = [Operator.Equals, Operator.NotEquals, Operator.In, Operator.NotIn, Operator.Matches, Operator.NotMatches];
const ORDERED: readonly Operator[] = [
  Operator.Equals,
  Operator.NotEquals,
  Operator.GreaterThan,
  Operator.GreaterThanEqual,
  Operator.LessThan,
  Operator.LessThanEqual,
];

/** "Valid operators" as the guide gives them per subject; attribute:NAME and task:group take any. */
const SUBJECT_OPERATORS: Readonly<Record<string, readonly Operator[]>> = {
  agentConnected: BY_VALUE,
  ec2InstanceId: BY_VALUE,
  agentVersion: ORDERED,
  registeredAt: ORDERED,
  runningTasksCount: ORDERED,
};

const SUBJECT = /^(ec2InstanceId|agentConnected|agentVersion|runningTasksCount|registeredAt|task:group|attribute:[\w.\-:/]+)$/;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})?)?$/;
const VERSION = /^\d+(\.\d+)*$/;
const QUOTED = '\u0000';

function tokenize(input: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if ('()[],'.includes(c)) {
      tokens.push(c);
      i++;
    } else if (c === '"' || c === "'") {
      const end = input.indexOf(c, i + 1);
      if (end < 0) throw new QuerySyntaxError(`unterminated quote at ${i}`);
      tokens.push(`${QUOTED}${input.slice(i + 1, end)}`);
      i = end + 1;
    } else if (input.startsWith('&&', i) || input.startsWith('||', i)) {
      tokens.push(input.slice(i, i + 2) === '&&' ? 'and' : 'or');
      i += 2;
    } else if (c === '!' && /^!(in|exists)(?![\w:.-])/.test(input.slice(i))) {
      const word = input.startsWith('!in', i) ? '!in' : '!exists';
      tokens.push(word);
      i += word.length;
    } else {
      const symbol = SYMBOLS.find((o) => input.startsWith(o, i));
      if (symbol) {
        tokens.push(symbol);
        i += symbol.length;
        continue;
      }
      if (c === '!') {
        tokens.push('not');
        i++;
        continue;
      }
      let j = i;
      while (j < input.length && !/[\s()[\],=!<>~]/.test(input[j] as string)) j++;
      if (j === i) throw new QuerySyntaxError(`unexpected character ${JSON.stringify(c)} at ${i}`);
      tokens.push(input.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

const literal = (token: string) => (token.startsWith(QUOTED) ? token.slice(1) : token);

function operatorOf(token: string): Operator | undefined {
  if ((Object.values(Operator) as string[]).includes(token)) return token as Operator;
  return OPERATOR_WORDS[token];
}

function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** A date argument of registeredAt, in ms; no zone means UTC. */
function dateMs(value: string): number {
  return Date.parse(/T\d{2}:\d{2}:\d{2}$/.test(value) ? `${value}Z` : value);
}

/** How `subject` orders its values: a negative, zero or positive number, or NaN when they do not compare. */
function ordering(subject: string, actual: string | number | boolean, expected: string): number {
  const a = String(actual);
  if (subject === 'agentVersion') return VERSION.test(a) ? compareVersions(a, expected) : Number.NaN;
  if (subject === 'registeredAt') return Math.sign(dateMs(a) - dateMs(expected));
  const x = Number(a);
  const y = Number(expected);
  if (a.trim() !== '' && expected.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return Math.sign(x - y);
  return a < expected ? -1 : a > expected ? 1 : 0;
}

const TYPED = new Set(['agentVersion', 'registeredAt', 'runningTasksCount']);

/** One value against a positive operator. */
function holds(subject: string, actual: string | number | boolean, op: Operator, expected: string, values: ReadonlySet<string>, pattern: RegExp | undefined): boolean {
  switch (op) {
    case Operator.Equals:
      return TYPED.has(subject) ? ordering(subject, actual, expected) === 0 : String(actual) === expected;
    case Operator.In:
      return values.has(String(actual));
    case Operator.Matches:
      return pattern?.test(String(actual)) ?? false;
    case Operator.GreaterThan:
      return ordering(subject, actual, expected) > 0;
    case Operator.GreaterThanEqual:
      return ordering(subject, actual, expected) >= 0;
    case Operator.LessThan:
      return ordering(subject, actual, expected) < 0;
    case Operator.LessThanEqual:
      return ordering(subject, actual, expected) <= 0;
    default:
      return false;
  }
}

function checkArgument(subject: string, op: Operator, value: string): void {
  if (subject === 'registeredAt' && !(DATE.test(value) && Number.isFinite(dateMs(value)))) {
    throw new QuerySyntaxError(`registeredAt takes a date such as 2018-06-18T22:28:28Z or 2018-06-18, not ${value}`);
  }
  if (subject === 'runningTasksCount' && !/^\d+$/.test(value)) throw new QuerySyntaxError(`runningTasksCount takes a whole number, not ${value}`);
  if (subject === 'agentVersion' && !VERSION.test(value)) throw new QuerySyntaxError(`agentVersion takes a version such as 1.14.5, not ${value}`);
  if (op === Operator.Matches) {
    try {
      new RegExp(value);
    } catch {
      throw new QuerySyntaxError(`invalid pattern ${value}`);
    }
  }
}

/** Parses a cluster query language expression into a predicate over a container instance's subjects. */
export function parseClusterQuery(input: string): Predicate {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    const t = tokens[pos++];
    if (t === undefined) throw new QuerySyntaxError('unexpected end of expression');
    return t;
  };

  const list = (): string[] => {
    if (next() !== '[') throw new QuerySyntaxError('expected [');
    const values: string[] = [];
    while (peek() !== ']') {
      values.push(literal(next()));
      if (peek() === ',') pos++;
      else if (peek() !== ']') throw new QuerySyntaxError('expected , or ]');
    }
    pos++;
    return values;
  };

  const comparison = (): Predicate => {
    const subject = next();
    if (!SUBJECT.test(subject)) throw new QuerySyntaxError(`unknown subject ${subject}`);
    const token = next();
    const op = operatorOf(token);
    if (!op) throw new QuerySyntaxError(`unknown operator ${token}`);
    const allowed = SUBJECT_OPERATORS[subject];
    if (allowed && !allowed.includes(op)) throw new QuerySyntaxError(`operator ${token} is not valid for ${subject}`);
    const positive = NEGATION_OF[op] ?? op;
    let expected = '';
    let values: ReadonlySet<string> = new Set();
    if (positive === Operator.In) {
      values = new Set(list());
    } else if (positive !== Operator.Exists) {
      expected = literal(next());
      checkArgument(subject, positive, expected);
    }
    const pattern = positive === Operator.Matches ? new RegExp(`^(?:${expected})$`) : undefined;
    const test = (s: Subject): boolean => {
      const v = s(subject);
      const all = v === undefined ? [] : Array.isArray(v) ? v : [v as string | number | boolean];
      if (positive === Operator.Exists) return all.length > 0;
      return all.some((one) => holds(subject, one, positive, expected, values, pattern));
    };
    return positive === op ? test : (s) => !test(s);
  };

  const factor = (): Predicate => {
    if (peek() === 'not') {
      pos++;
      const inner = factor();
      return (s) => !inner(s);
    }
    if (peek() === '(') {
      pos++;
      const inner = expression();
      if (next() !== ')') throw new QuerySyntaxError('expected )');
      return inner;
    }
    return comparison();
  };

  const term = (): Predicate => {
    let left = factor();
    while (peek() === 'and') {
      pos++;
      const l = left;
      const r = factor();
      left = (s) => l(s) && r(s);
    }
    return left;
  };

  function expression(): Predicate {
    let left = term();
    while (peek() === 'or') {
      pos++;
      const l = left;
      const r = term();
      left = (s) => l(s) || r(s);
    }
    return left;
  }

  if (tokens.length === 0) throw new QuerySyntaxError('empty expression');
  const predicate = expression();
  if (pos !== tokens.length) throw new QuerySyntaxError(`unexpected ${tokens[pos]}`);
  return predicate;
}
