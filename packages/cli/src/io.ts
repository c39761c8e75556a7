import { readFile, stat } from 'node:fs/promises';
import { MalformedEventError, ValidationError } from '@ecs-rebalancer/core';
import { InputError } from './errors.js';
import { findJsonSyntaxProblem, lineAndColumn } from './json-syntax.js';

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
}

/**
 * The largest input file the CLI reads. A policy, a cluster snapshot of 5,000 instances or a
 * day of events is a few MiB; past this the file is not what the user meant to pass (and past
 * V8's ~512 MiB string limit it could not be read at all).
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * Reads and parses a JSON file (`-` is standard input); every failure is an InputError naming
 * the file. A UTF-8 byte order mark is accepted; a syntax error names its line and column.
 */
export async function readJsonFile(file: string, io?: Io): Promise<unknown> {
  let text: string;
  try {
    if (file !== '-') {
      const { size } = await stat(file);
      if (size > MAX_INPUT_BYTES) {
        throw new InputError(`${displayName(file)}: the file is ${mebibytes(size)} MiB, more than the ${mebibytes(MAX_INPUT_BYTES)} MiB an input file may have`);
      }
    }
    text = file === '-' ? await readStream(io?.stdin ?? process.stdin) : await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
    throw new InputError(`${displayName(file)}: ${why}`, { cause: error });
  }
  return parseJsonText(text, displayName(file));
}

/** Parses JSON text read from `name`; a leading BOM is dropped (offsets then count from after it). */
export function parseJsonText(raw: string, name: string): unknown {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const problem = findJsonSyntaxProblem(text) ?? { offset: text.length, message: oneLine((error as Error).message) };
    const { line, column } = lineAndColumn(text, problem.offset);
    throw new InputError(`${name}: invalid JSON at line ${line}, column ${column}: ${problem.message}`, { cause: error });
  }
}

/** Runs `parse` on a file's content and turns the core's typed errors into one line naming the file and JSON path. */
export function withFile<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ValidationError) {
      const first = error.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
      throw new InputError(`${displayName(file)}: ${oneLine(first.join('; '))}`, { cause: error });
    }
    if (error instanceof MalformedEventError) throw new InputError(`${displayName(file)}: ${oneLine(error.message)}`, { cause: error });
    throw error;
  }
}

export function displayName(file: string): string {
  return file === '-' ? '<stdin>' : file;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

function mebibytes(bytes: number): string {
  return String(Math.round((bytes / 1024 / 1024) * 10) / 10);
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) throw new InputError(`<stdin>: more than the ${mebibytes(MAX_INPUT_BYTES)} MiB an input may have`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
