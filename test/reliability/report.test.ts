// docs/RELIABILITY.md is written by `npm run reliability`: it must be there, come from a run of
// the current attacks (each finding named, with the fix its run took out), and say what the
// issue asks for (>= 10,000 fuzz cases, 15,000 messages none lost, no attack failed).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINDINGS } from './findings.js';
import { REMOVALS } from './without-fixes.js';

const doc = readFileSync(new URL('../../docs/RELIABILITY.md', import.meta.url), 'utf8');
const rows = (heading: string): string[] => {
  const section = doc.split(`## ${heading}`)[1]?.split('\n## ')[0] ?? '';
  return section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| finding') && !l.startsWith('|---'));
};

describe('docs/RELIABILITY.md', () => {
  it('names each of the 13 findings with its tests, and shows its attack failing without the fix', () => {
    const findings = rows('The findings, their tests, and what the tests do without the fix');
    expect(findings.map((r) => r.split(' | ')[0]?.replace('| ', ''))).toEqual(FINDINGS.map((f) => f.id));
    for (const f of FINDINGS) {
      const row = findings.find((r) => r.startsWith(`| ${f.id} |`)) ?? '';
      expect(row).toContain(f.title);
      const removal = REMOVALS.find((r) => r.finding.split(', ').includes(f.id));
      // Each fix the current without-fixes.ts takes out is the one the written run took out, and it failed.
      if (removal) expect(row, `finding ${f.id}`).toMatch(new RegExp(`\\| yes \\| ${escape(removal.fix)}`));
    }
  });

  it('comes from a run in which every attack passed, of at least 10,000 fuzz cases and 15,000 messages none lost', () => {
    expect(doc).not.toContain('**FAIL**');
    const figure = (name: string): string => rows('Figures').find((r) => r.startsWith(`| ${name} |`))?.split(' | ')[1]?.replace(/ \|$/, '') ?? '';
    expect(Number(figure('fuzz cases').replace(/,/g, ''))).toBeGreaterThanOrEqual(10_000);
    expect(figure('fuzzed records dropped')).toBe('0');
    expect(Number(figure('parser fuzz cases').replace(/,/g, ''))).toBeGreaterThanOrEqual(10_000);
    expect(figure('parser fuzz: untyped errors or empty results')).toBe('0');
    expect(figure('messages through fauxqs and the handler, lost (of 15,000)')).toBe('0');
    expect(Number(figure('forced deployments of one service, 2 h of flapping (default policy)'))).toBeLessThanOrEqual(4);
    const attacked = new Set(rows('Attacks').flatMap((r) => (r.split(' | ')[0]?.replace('| ', '') ?? '').split(', ')));
    for (const f of FINDINGS) if (f.id !== '3') expect(attacked, `finding ${f.id} has an attack`).toContain(f.id);
  });
});

describe('test/reliability/without-fixes.ts', () => {
  // A fix whose lines moved would show as "not shown" only at the next long run: say so now.
  it.each(REMOVALS.map((r) => [r.finding, r] as const))('finds the lines of the fix of finding %s in the sources', (_finding, removal) => {
    for (const edit of removal.edits) expect(readFileSync(new URL(`../../${edit.file}`, import.meta.url), 'utf8'), `${edit.file}: ${edit.from.trim()}`).toContain(edit.from);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
