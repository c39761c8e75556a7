#!/usr/bin/env node
// The `rebalancer` command. TypeScript runs through tsx's loader, so there is no build step.
import { register } from 'tsx/esm/api';

// A reader that stops early (`rebalancer validate … | head -1`) closes the pipe: the rest of
// the output has nowhere to go, which is not an error of the command.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
