import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';

export const DEFAULT_SCENARIO = 'spot-drought';
export const SCENARIO_DIR = new URL('../../../../scenarios/', import.meta.url).pathname;

/** A path to a scenario file, or the name of one in scenarios/. */
export function scenarioFile(nameOrFile: string, command = 'simulate'): string {
  if (nameOrFile.endsWith('.json') || nameOrFile.includes('/')) return nameOrFile;
  const file = join(SCENARIO_DIR, `${nameOrFile}.json`);
  if (!existsSync(file)) throw new InputError(`${command}: no scenario named "${nameOrFile}" (no ${file})`);
  return file;
}
