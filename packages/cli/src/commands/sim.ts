import { InputError } from '../errors.js';
import type { Io } from '../io.js';
import { simServeCommand, simServeUsage } from './sim-serve.js';

export const simUsage = simServeUsage;

/** `rebalancer sim SUBCOMMAND`: today only `serve`. */
export async function simCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'serve') return simServeCommand(rest, io);
  throw new InputError(`sim: ${sub === undefined ? 'a subcommand is required' : `unknown subcommand "${sub}"`} (${simServeUsage})`);
}

