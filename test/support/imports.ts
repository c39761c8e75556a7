// The repository's import graph, read from the sources (no compiler): every `import`/`export …
// from`, side-effect import and dynamic `import()` of each workspace's .ts files, with the
// names it brings in and whether it brings in types only. The boundary and dependency tests
// (boundaries.test.ts, dependencies.test.ts) check it against DESIGN.md's layering.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const REPO_ROOT = resolve(new URL('../..', import.meta.url).pathname);

export interface Workspace {
  name: string;
  /** Directory relative to the repository root, e.g. `packages/core`. */
  dir: string;
  exports: string[];
  dependencies: string[];
  devDependencies: string[];
}

export interface ImportEdge {
  /** File relative to the repository root. */
  file: string;
  line: number;
  specifier: string;
  /** True when only types come in (`import type`, `export type`, or every named specifier `type X`). */
  typeOnly: boolean;
  /** Named imports/re-exports (`{ a, b as c }` gives a, b); empty for `*`, default or side effect. */
  names: string[];
  /** The names that bring in a value: `names` less the ones marked `type` (all of them when typeOnly). */
  valueNames: string[];
}

interface PackageJson {
  name: string;
  workspaces?: string[];
  exports?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(REPO_ROOT, dir, 'package.json'), 'utf8')) as PackageJson;
}

export const rootPackage = readPackage('.');

export const workspaces: Workspace[] = (rootPackage.workspaces ?? []).map((dir) => {
  const pkg = readPackage(dir);
  return {
    name: pkg.name,
    dir,
    exports: Object.keys(pkg.exports ?? {}),
    dependencies: Object.keys(pkg.dependencies ?? {}),
    devDependencies: Object.keys(pkg.devDependencies ?? {}),
  };
});

export function workspaceOf(file: string): Workspace | undefined {
  return workspaces.find((w) => file === w.dir || file.startsWith(`${w.dir}/`));
}

/** Test code, test support or build-time tooling (infra/typecheck): not shipped, may use devDependencies. */
export function isTestCode(file: string): boolean {
  return /\.test\.ts$|\.bench\.ts$/.test(file) || /(^|\/)(test-support|support|typecheck)\//.test(file) || ['test', 'bench'].includes(workspaceOf(file)?.dir ?? '');
}

export function sourceFiles(dir: string): string[] {
  const walk = (d: string): string[] =>
    readdirSync(join(REPO_ROOT, d), { withFileTypes: true }).flatMap((e) => {
      if (e.name === 'node_modules' || e.name.startsWith('.')) return [];
      const path = d === '.' ? e.name : `${d}/${e.name}`;
      return e.isDirectory() ? walk(path) : /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
    });
  return walk(dir);
}

const SPECIFIER = /^[\w@.][\w@./:-]*$/;
const cache = new Map<string, ImportEdge[]>();

export function importsOf(file: string): ImportEdge[] {
  const hit = cache.get(file);
  if (hit) return hit;
  const text = stripComments(readFileSync(join(REPO_ROOT, file), 'utf8'));
  const edges: ImportEdge[] = [];
  const lineAt = (index: number) => text.slice(0, index).split('\n').length;
  const statement = /\b(import|export)\s+(type\s+)?([^;'"=()]*?)\s*from\s*['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(statement)) {
    const clause = m[3] ?? '';
    const braces = /\{([^}]*)\}/.exec(clause);
    const parts = braces ? (braces[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean) : [];
    const names = parts.map((p) => p.replace(/^type\s+/, '').split(/\s+as\s+/)[0]!.trim());
    const everyNameTyped = braces !== null && parts.length > 0 && parts.every((p) => p.startsWith('type ')) && !/^[\w$]+\s*,/.test(clause);
    if (!SPECIFIER.test(m[4]!)) continue; // a regular expression's text, not an import
    const typeOnly = m[2] !== undefined || everyNameTyped;
    const valueNames = typeOnly ? [] : parts.filter((p) => !p.startsWith('type ')).map((p) => p.split(/\s+as\s+/)[0]!.trim());
    edges.push({ file, line: lineAt(m.index), specifier: m[4]!, typeOnly, names, valueNames });
  }
  for (const m of text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm)) {
    edges.push({ file, line: lineAt(m.index), specifier: (m[1] ?? m[2])!, typeOnly: false, names: [], valueNames: [] });
  }
  cache.set(file, edges);
  return edges;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`; node builtins and relative paths → undefined. */
export function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || specifier.startsWith('/')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The repository file a relative specifier names (`./x.js` → `x.ts`), relative to the root. */
export function resolveRelative(from: string, specifier: string): string {
  const target = resolve(REPO_ROOT, dirname(from), specifier);
  const candidates = [target, target.replace(/\.js$/, '.ts'), `${target}.ts`, join(target, 'index.ts')];
  return relative(REPO_ROOT, candidates.find((c) => existsSync(c) && !c.endsWith('/')) ?? target);
}

/** Comments removed, strings and template literals kept (a scanner, so `'//'` or a `/*` inside a comment line do no harm). */
export function stripComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const body = text.slice(i, end < 0 ? text.length : end + 2);
      out += body.replace(/[^\n]/g, ' ');
      i += body.length;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && (c === '`' || text[j] !== '\n')) j += text[j] === '\\' ? 2 : 1;
      // Template literals may hold code samples (`import … from "x"` in a generated file): blanked.
      out += c === '`' ? text.slice(i, j + 1).replace(/[^\n]/g, ' ') : text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export const show = (e: ImportEdge) => `${e.file}:${e.line} imports ${e.typeOnly ? 'type ' : ''}${e.names.length ? `{ ${e.names.join(', ')} } from ` : ''}'${e.specifier}'`;
