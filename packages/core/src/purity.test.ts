import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The core decides; it does no I/O. These rules keep it that way (DESIGN.md, "The rule of the house").
const root = new URL('.', import.meta.url).pathname;
const sources = walk(root).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('/test-support/'));

const forbidden: { name: string; pattern: RegExp }[] = [
  // zod/mini, not the classic zod: its functions tree-shake, so a Lambda bundle keeps only what it uses.
  { name: 'an import other than zod/mini, its English locale or a relative path', pattern: /^\s*(?:import|export)\b[^;]*?\bfrom\s+['"](?!\.{1,2}\/|zod\/mini['"]|zod\/locales['"])[^'"]+['"]/m },
  { name: 'a dynamic import or require', pattern: /\b(?:import|require)\s*\(/ },
  { name: 'the environment', pattern: /\bprocess\s*\./ },
  { name: 'the clock', pattern: /\bDate\.now\b|new Date\(\s*\)|performance\.now/ },
  { name: 'randomness', pattern: /Math\.random|crypto\./ },
  { name: 'async code', pattern: /\basync\b|\bawait\b(?!-)|setTimeout|setInterval/ },
  { name: 'a logger', pattern: /\bconsole\./ },
  { name: 'a TS enum', pattern: /^\s*(?:export\s+)?(?:const\s+)?enum\s/m },
];

describe('packages/core stays pure', () => {
  it('has sources to check', () => {
    expect(sources.length).toBeGreaterThan(5);
  });
  for (const { name, pattern } of forbidden) {
    it(`no file uses ${name}`, () => {
      const offenders = sources.filter((f) => pattern.test(stripComments(readFileSync(f, 'utf8')))).map((f) => relative(root, f));
      expect(offenders).toEqual([]);
    });
  }
  it('depends at runtime on zod alone', () => {
    const pkg = JSON.parse(readFileSync(join(root, '..', 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(['zod']);
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"])\/\/.*$/gm, '$1');
}
