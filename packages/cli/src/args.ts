import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict option parsing for a command: a mistake is one InputError line that ends with the usage. */
export function commandOptions<T extends Options>(command: string, usage: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new InputError(`${command}: ${(error as Error).message} (${usage})`);
  }
}
