import { readFile } from 'node:fs/promises';
import { MalformedEventError, ValidationError } from '@ecs-rebalancer/core';
import { InputError } from './errors.js';

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
}

/** Reads and parses a JSON file (`-` is standard input); every failure is an InputError naming the file. */
export async function readJsonFile(file: string, io?: Io): Promise<unknown> {
  let text: string;
  try {
    text = file === '-' ? await readStream(io?.stdin ?? process.stdin) : await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
    throw new InputError(`${displayName(file)}: ${why}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`${displayName(file)}: invalid JSON: ${jsonSyntaxDetail(text, error as Error)}`, { cause: error });
  }
}

/** Runs `parse` on a file's content and turns the core's typed errors into one line naming the file and JSON path. */
export function withFile<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ValidationError) {
      const first = error.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
      throw new InputError(`${displayName(file)}: ${first.join('; ')}`, { cause: error });
    }
    if (error instanceof MalformedEventError) throw new InputError(`${displayName(file)}: ${error.message}`, { cause: error });
    throw error;
  }
}

function displayName(file: string): string {
  return file === '-' ? '<stdin>' : file;
}

function jsonSyntaxDetail(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message);
  const base = error.message.replace(/^JSON\.parse: /, '').replace(/\s*\(line \d+ column \d+\)$/, '');
  // "Unexpected end of JSON input" carries no position: the problem is at the end.
  const offset = position?.[1] ? Number(position[1]) : text.length;
  const before = text.slice(0, offset).split('\n');
  return `${base.replace(/ in JSON at position \d+.*$/, '')} at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
