import { PassThrough } from 'node:stream';
import { main } from '../main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output (the same `main` the bin calls). */
export async function runCli(argv: string[], stdin?: string): Promise<CliResult> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { stdout: '', stderr: '' };
  out.on('data', (c: Buffer) => (chunks.stdout += c.toString()));
  err.on('data', (c: Buffer) => (chunks.stderr += c.toString()));
  const input = new PassThrough();
  input.end(stdin ?? '');
  const code = await main(argv, { stdout: out, stderr: err, stdin: input });
  return { code, ...chunks };
}
