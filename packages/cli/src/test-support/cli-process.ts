// The `rebalancer` bin as a user runs it: a real Node process through tsx's loader.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export const REPO = new URL('../../../../', import.meta.url).pathname;
export const BIN = `${REPO}packages/cli/bin/rebalancer.js`;

/** The test's environment with `overrides` applied; an override of `undefined` removes the variable. */
export function environment(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...overrides };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return env;
}

export interface BinResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bin to its end (cwd: the repository root). */
export function runBin(args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string; timeout?: number } = {}): BinResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: options.timeout ?? 120_000,
    env: environment(options.env),
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the bin asynchronously (for a command that waits, such as `sim serve`). */
export function runBinAsync(args: readonly string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export interface Served {
  endpoint: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<number | null>;
}

/** Starts `rebalancer sim serve …` and waits for the line that names its endpoint. */
export function serveSimulator(args: readonly string[]): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'sim', 'serve', ...args], { cwd: REPO, env: process.env });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`sim serve did not start within 60 s: ${out}`));
    }, 60_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      const match = /sim serve: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        endpoint: match[1]!,
        child,
        output: () => out,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done(child.exitCode);
            child.once('close', (code) => done(code));
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`sim serve exited with ${code}: ${out}`));
    });
  });
}
