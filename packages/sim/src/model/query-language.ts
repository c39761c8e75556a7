/**
 * A subset of the ECS cluster query language, as ListContainerInstances takes it in `filter`:
 * `subject operator value` joined by `and` / `or` (also `&&` / `||`), with parentheses.
 * Operators: `==`, `!=`, `>`, `>=`, `<`, `<=`, `in [a, b]`, `not_in [a, b]`, `exists`,
 * `!exists`, `=~` (a regular expression). Subjects: `ec2InstanceId`, `agentConnected`,
 * `runningTasksCount`, `attribute:NAME` (e.g. `attribute:ecs.instance-type`). Values may be
 * quoted. A filter that does not parse throws `QuerySyntaxError` (ECS answers
 * InvalidParameterException).
 */
export type Subject = (name: string) => string | number | boolean | undefined;
export type Predicate = (subject: Subject) => boolean;

export class QuerySyntaxError extends Error {
  override readonly name = 'QuerySyntaxError';
}

const SUBJECT = /^(ec2InstanceId|agentConnected|agentVersion|runningTasksCount|registeredAt|attribute:[\w.\-:/]+)$/;

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
      tokens.push(`\u0000${input.slice(i + 1, end)}`);
      i = end + 1;
    } else if (input.startsWith('&&', i) || input.startsWith('||', i)) {
      tokens.push(input.slice(i, i + 2) === '&&' ? 'and' : 'or');
      i += 2;
    } else {
      const op = ['==', '!=', '>=', '<=', '=~', '>', '<'].find((o) => input.startsWith(o, i));
      if (op) {
        tokens.push(op);
        i += op.length;
        continue;
      }
      let j = i;
      while (j < input.length && !/[\s()[\],=!<>~]/.test(input[j] as string)) j++;
      if (input[j] === '!' && input.startsWith('!exists', j) && j === i) j += '!exists'.length;
      if (j === i) throw new QuerySyntaxError(`unexpected character ${JSON.stringify(c)} at ${i}`);
      tokens.push(input.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

const literal = (token: string) => (token.startsWith('\u0000') ? token.slice(1) : token);

function compare(actual: string | number | boolean | undefined, op: string, expected: string): boolean {
  if (actual === undefined) return op === '!=';
  const a = String(actual);
  switch (op) {
    case '==':
      return a === expected;
    case '!=':
      return a !== expected;
    case '=~':
      return new RegExp(expected).test(a);
    default: {
      const x = Number(actual);
      const y = Number(expected);
      if (op === '>') return x > y;
      if (op === '>=') return x >= y;
      if (op === '<') return x < y;
      return x <= y;
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

  const factor = (): Predicate => {
    if (peek() === '(') {
      pos++;
      const inner = expression();
      if (next() !== ')') throw new QuerySyntaxError('expected )');
      return inner;
    }
    const subject = next();
    if (!SUBJECT.test(subject)) throw new QuerySyntaxError(`unknown subject ${subject}`);
    const op = next();
    if (op === 'exists') return (s) => s(subject) !== undefined;
    if (op === '!exists') return (s) => s(subject) === undefined;
    if (op === 'in' || op === 'not_in') {
      const values = new Set(list());
      const negate = op === 'not_in';
      return (s) => {
        const v = s(subject);
        return (v !== undefined && values.has(String(v))) !== negate;
      };
    }
    if (!['==', '!=', '>', '>=', '<', '<=', '=~'].includes(op)) throw new QuerySyntaxError(`unknown operator ${op}`);
    const value = literal(next());
    return (s) => compare(s(subject), op, value);
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

  const predicate = expression();
  if (pos !== tokens.length) throw new QuerySyntaxError(`unexpected ${tokens[pos]}`);
  return predicate;
}
