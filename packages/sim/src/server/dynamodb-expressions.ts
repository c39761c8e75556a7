// DynamoDB's expressions as far as the functions use them: ProjectionExpression of
// top-level attributes, and ConditionExpression with comparisons (= <> < <= > >=),
// BETWEEN, IN, attribute_exists / attribute_not_exists / begins_with, AND / OR / NOT and
// parentheses, over top-level attributes and `#name` / `:value` placeholders. Every name and
// value placeholder given must be used, and every one used must be given, as DynamoDB
// checks. Nested paths (a.b, a[0]), size(), contains() and the reserved-word check are not
// modelled: they are refused with a ValidationException that says so.
import { checkAttributes, isObject, typeOf, validation, type AttributeValue, type Item } from './dynamodb-values.js';

/** A request's placeholders, and which of them its expressions used. */
export class Placeholders {
  readonly #names: Record<string, unknown>;
  readonly #values: Item;
  readonly #usedNames = new Set<string>();
  readonly #usedValues = new Set<string>();

  constructor(spec: Record<string, unknown>) {
    this.#names = isObject(spec.ExpressionAttributeNames) ? spec.ExpressionAttributeNames : {};
    this.#values = spec.ExpressionAttributeValues === undefined ? {} : checkAttributes(spec.ExpressionAttributeValues, 'ExpressionAttributeValues').item;
  }

  name(token: string, expression: string): string {
    const name = this.#names[token];
    if (typeof name !== 'string') throw validation(`Invalid ${expression}: An expression attribute name used in the document path is not defined; attribute name: ${token}`);
    this.#usedNames.add(token);
    return name;
  }

  value(token: string, expression: string): AttributeValue {
    const value = this.#values[token];
    if (!value) throw validation(`Invalid ${expression}: An expression attribute value used in expression is not defined; attribute value: ${token}`);
    this.#usedValues.add(token);
    return value;
  }

  /** After every expression of the request is read: what was given and not used is an error. */
  checkAllUsed(): void {
    const names = Object.keys(this.#names).filter((k) => !this.#usedNames.has(k));
    if (names.length > 0) throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${names.join(', ')}}`);
    const values = Object.keys(this.#values).filter((k) => !this.#usedValues.has(k));
    if (values.length > 0) throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${values.join(', ')}}`);
  }
}

/** ProjectionExpression or the legacy AttributesToGet, as a function from a stored item to the answered one. */
export function projection(spec: Record<string, unknown>, placeholders: Placeholders): (item: Item) => Item {
  const expression = spec.ProjectionExpression;
  const legacy = spec.AttributesToGet;
  if (expression !== undefined && legacy !== undefined) {
    throw validation('Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}');
  }
  let wanted: string[] | undefined;
  if (typeof expression === 'string') {
    wanted = expression.split(',').map((part) => {
      const token = part.trim();
      if (!/^#?[A-Za-z0-9_]+$/.test(token)) throw validation(`Invalid ProjectionExpression: the simulator reads top-level attribute names only: ${token}`);
      return token.startsWith('#') ? placeholders.name(token, 'ProjectionExpression') : token;
    });
  } else if (Array.isArray(legacy)) {
    wanted = legacy.map(String);
  }
  if (!wanted) return (item) => item;
  const keep = wanted;
  return (item) => Object.fromEntries(keep.flatMap((k) => (item[k] ? [[k, item[k]]] : []))) as Item;
}

type Operand = { path: string } | { value: AttributeValue };
type Condition = (item: Item | undefined) => boolean;

const TOKEN = /\s*(<>|<=|>=|[=<>(),]|[#:]?[A-Za-z0-9_]+|\S)/y;

/** Parses a ConditionExpression into a test on the item as it stands (undefined: no item). */
export function condition(expression: string, placeholders: Placeholders): Condition {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(expression); m; m = TOKEN.exec(expression)) tokens.push(m[1]!);
  if (tokens.length === 0) throw validation('Invalid ConditionExpression: The expression can not be empty;');
  let at = 0;
  const peek = () => tokens[at];
  const isWord = (word: string) => peek()?.toUpperCase() === word;
  const fail = (): never => {
    throw validation(`Invalid ConditionExpression: Syntax error; token: "${peek() ?? '<EOF>'}", near: "${tokens.slice(Math.max(0, at - 1), at + 2).join(' ')}"`);
  };
  const expect = (token: string) => (peek() === token ? at++ : fail());

  const operand = (): Operand => {
    const t = peek() ?? fail();
    if (t.startsWith(':')) return at++, { value: placeholders.value(t, 'ConditionExpression') };
    if (t.startsWith('#')) return at++, { path: placeholders.name(t, 'ConditionExpression') };
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(t)) fail();
    at++;
    if (peek() === '.' || peek() === '[') throw validation('Invalid ConditionExpression: the simulator reads top-level attributes only');
    return { path: t };
  };
  const resolve = (o: Operand, item: Item | undefined) => ('value' in o ? o.value : item?.[o.path]);

  const primary = (): Condition => {
    if (peek() === '(') {
      at++;
      const inner = or();
      expect(')');
      return inner;
    }
    const fn = peek()?.toLowerCase();
    if (fn && tokens[at + 1] === '(' && /^[a-z_]+$/.test(fn)) {
      at += 2;
      const args = [operand()];
      while (peek() === ',') at++, args.push(operand());
      expect(')');
      const path = args[0]!;
      if (!('path' in path)) throw validation(`Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: ${fn}`);
      if (fn === 'attribute_exists' && args.length === 1) return (item) => item?.[path.path] !== undefined;
      if (fn === 'attribute_not_exists' && args.length === 1) return (item) => item?.[path.path] === undefined;
      if (fn === 'begins_with' && args.length === 2) {
        const prefix = args[1]!;
        return (item) => {
          const a = resolve(path, item);
          const b = resolve(prefix, item);
          return !!a && !!b && typeOf(a) === typeOf(b) && (typeOf(a) === 'S' || typeOf(a) === 'B') && (a[typeOf(a)] as string).startsWith(b[typeOf(b)] as string);
        };
      }
      throw validation(`Invalid ConditionExpression: the simulator does not model the function ${fn} with ${args.length} operand(s)`);
    }
    const left = operand();
    if (isWord('BETWEEN')) {
      at++;
      const low = operand();
      if (!isWord('AND')) fail();
      at++;
      const high = operand();
      return (item) => compare(resolve(left, item), resolve(low, item), (c) => c >= 0) && compare(resolve(left, item), resolve(high, item), (c) => c <= 0);
    }
    if (isWord('IN')) {
      at++;
      expect('(');
      const list = [operand()];
      while (peek() === ',') at++, list.push(operand());
      expect(')');
      return (item) => list.some((o) => compare(resolve(left, item), resolve(o, item), (c) => c === 0));
    }
    const op = peek();
    const tests: Record<string, (c: number) => boolean> = { '=': (c) => c === 0, '<>': (c) => c !== 0, '<': (c) => c < 0, '<=': (c) => c <= 0, '>': (c) => c > 0, '>=': (c) => c >= 0 };
    const test = op ? tests[op] : undefined;
    if (!test) return fail();
    at++;
    const right = operand();
    // `<>` holds between values of different types, or when one side is missing.
    if (op === '<>') return (item) => !compare(resolve(left, item), resolve(right, item), (c) => c === 0);
    return (item) => compare(resolve(left, item), resolve(right, item), test);
  };
  const not = (): Condition => {
    if (!isWord('NOT')) return primary();
    at++;
    const inner = not();
    return (item) => !inner(item);
  };
  const and = (): Condition => {
    let left = not();
    while (isWord('AND')) {
      at++;
      const a = left;
      const b = not();
      left = (item) => a(item) && b(item);
    }
    return left;
  };
  function or(): Condition {
    let left = and();
    while (isWord('OR')) {
      at++;
      const a = left;
      const b = and();
      left = (item) => a(item) || b(item);
    }
    return left;
  }
  const parsed = or();
  if (at < tokens.length) fail();
  return parsed;
}

/** Orders two scalars of one type (N by value, S by UTF-8 bytes, B by bytes); false when either is missing or the types differ. */
function compare(a: AttributeValue | undefined, b: AttributeValue | undefined, test: (c: number) => boolean): boolean {
  if (!a || !b || typeOf(a) !== typeOf(b)) return false;
  const type = typeOf(a);
  if (type === 'N') return test(compareDecimal(a.N as string, b.N as string));
  if (type === 'S') return test(Buffer.compare(Buffer.from(a.S as string), Buffer.from(b.S as string)));
  if (type === 'B') return test(Buffer.compare(Buffer.from(a.B as string, 'base64'), Buffer.from(b.B as string, 'base64')));
  // Equality of documents, sets, booleans and nulls: same stored form.
  return test(JSON.stringify(a) === JSON.stringify(b) ? 0 : Number.NaN);
}

/** Compares two normalised decimals exactly (38 digits exceed a double). */
function compareDecimal(a: string, b: string): number {
  const sa = a.startsWith('-') ? -1 : 1;
  const sb = b.startsWith('-') ? -1 : 1;
  if (sa !== sb) return sa < sb ? -1 : 1;
  const [ia = '', fa = ''] = a.replace('-', '').split('.');
  const [ib = '', fb = ''] = b.replace('-', '').split('.');
  let c = ia.length !== ib.length ? (ia.length < ib.length ? -1 : 1) : ia < ib ? -1 : ia > ib ? 1 : 0;
  if (c === 0) {
    const n = Math.max(fa.length, fb.length);
    const x = fa.padEnd(n, '0');
    const y = fb.padEnd(n, '0');
    c = x < y ? -1 : x > y ? 1 : 0;
  }
  return c * sa;
}
