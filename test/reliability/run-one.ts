// Runs one attack by name in its own process and prints its result as the last line (JSON):
// without-fixes.ts runs it so against sources with one fix taken out.
import * as attacks from './attacks.js';
import * as more from './more-attacks.js';

const [name, size] = process.argv.slice(2);
const all = { ...attacks, ...more } as unknown as Record<string, (size?: number) => Promise<attacks.AttackResult>>;
const attack = name === undefined ? undefined : all[name];
if (typeof attack !== 'function') throw new Error(`no attack named ${name}`);
const result = await attack(size === undefined ? undefined : Number(size));
console.log(JSON.stringify(result));
