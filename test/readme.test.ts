// The README is true for this version: its simulator figures are what `simulate --json`
// prints, the first-hour path is its second section, the files it names exist, and the
// permissions it gives `snapshot` are the calls snapshot makes.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_ACTIONS } from '@ecs-rebalancer/cli';
import { FIGURE_SCENARIOS, README, figuresTable, simulateJsonAsync, withBlock } from '../scripts/readme-figures.js';

const REPO = new URL('../', import.meta.url).pathname;
const readme = readFileSync(README, 'utf8');

describe('README.md', () => {
  it('shows the simulator figures simulate --json gives (npx tsx scripts/readme-figures.ts rewrites them)', { timeout: 600_000 }, async () => {
    const summaries = await Promise.all(FIGURE_SCENARIOS.map(async (n) => [n, await simulateJsonAsync(n)] as const));
    const table = figuresTable(Object.fromEntries(summaries));
    expect(withBlock(readme, table)).toBe(readme);
  });

  it('has the first-hour path as its second section: snapshot, simulate my cluster, read the report, validate, deploy', () => {
    const sections = readme.split(/^## /m).slice(1);
    expect(sections[1]!.split('\n')[0]).toBe('Your cluster in the first hour');
    const steps = ['rebalancer snapshot', 'rebalancer simulate --cluster', '--report', 'rebalancer validate', 'sst deploy'].map((s) => sections[1]!.indexOf(s));
    expect(steps.every((at) => at >= 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    // Under five commands from a fresh clone to a report: the first code block.
    const block = /```sh\n([\s\S]*?)```/.exec(sections[1]!)![1]!;
    const commands = block.split('\n').filter((l) => l.trim() && !l.startsWith(' ') && !l.trim().startsWith('#'));
    expect(commands.length).toBeLessThan(5);
    expect(commands[0]).toBe('npm ci');
  });

  it('names only files the project has', () => {
    expect(readme).not.toContain('DESIGN.md');
    const named = new Set<string>();
    for (const m of readme.matchAll(/\]\(([^)#:\s]+)\)/g)) named.add(m[1]!);
    for (const m of readme.matchAll(/`((?:packages|infra|scenarios|examples|fixtures|bench|scripts|test|docs)\/[\w./-]+|[\w.-]+\.(?:json|ts|md))`/g)) named.add(m[1]!);
    const placeholders = /^(my-|policies\/)/;
    const missing = [...named].filter((f) => !placeholders.test(f) && !f.includes('*') && !existsSync(`${REPO}${f.replace(/\/$/, '')}`));
    expect(missing).toEqual([]);
  });

  it('gives snapshot exactly the permissions for the calls it makes', () => {
    const section = readme.slice(readme.indexOf('### Permissions for snapshot'));
    const policy = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]!) as { Statement: { Action: string[] }[] };
    expect(policy.Statement.flatMap((s) => s.Action).sort()).toEqual([...SNAPSHOT_ACTIONS].sort());
  });
});
