/**
 * Where a JSON text first goes wrong, found by scanning it (RFC 8259) rather than by reading
 * the engine's message: V8's messages changed shape across Node versions (Node 24 quotes a
 * snippet of the text, newlines included, instead of "at position N"), and a file's line and
 * column must not depend on which Node runs the CLI.
 */
export interface JsonSyntaxProblem {
  /** Offset of the offending character in the text (the text's length for an early end). */
  offset: number;
  message: string;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw { offset: i, message } satisfies JsonSyntaxProblem;
  };
  const describe = (): string => (i >= text.length ? 'unexpected end of input' : `unexpected ${JSON.stringify(text[i])}`);
  const skip = () => {
    while (i < text.length && WHITESPACE.has(text[i]!)) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail(`${describe()} (expected ${word})`);
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const ch = text[i]!;
      if (ch === '"') return void i++;
      if (ch === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape in string');
          i += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else fail('bad escape in string');
      } else if (ch < ' ') fail(ch === '\n' ? 'unterminated string (a line break inside a string)' : 'control character in string');
      else i++;
    }
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match || match[0] === '-' || match[0] === '') fail(`${describe()} (expected a value)`);
    i += match![0].length;
  };
  const member = (depth: number): void => {
    skip();
    if (text[i] !== '"') fail(`${describe()} (expected a property name in double quotes)`);
    string();
    skip();
    if (text[i] !== ':') fail(`${describe()} (expected ':' after a property name)`);
    i++;
    value(depth + 1);
  };
  const value = (depth: number): void => {
    if (depth > 5000) fail('nested too deeply');
    skip();
    const ch = text[i];
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      i++;
      skip();
      if (text[i] === close) return void i++;
      for (;;) {
        if (close === '}') member(depth);
        else value(depth + 1);
        skip();
        if (text[i] === ',') {
          i++;
          skip();
          if (text[i] === close) fail(`trailing comma before ${close}`);
          continue;
        }
        if (text[i] === close) return void i++;
        fail(`${describe()} (expected ',' or '${close}')`);
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    fail(`${describe()} (expected a value)`);
  };
  try {
    value(0);
    skip();
    if (i < text.length) fail(`${describe()} after the end of the JSON value`);
    return undefined;
  } catch (problem) {
    if (typeof problem === 'object' && problem !== null && 'offset' in problem) return problem as JsonSyntaxProblem;
    throw problem;
  }
}

/** 1-based line and column of an offset; a column counts characters (UTF-16 units), tabs as one. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}
