// Every package a workspace imports is declared in that workspace's package.json (npm's
// hoisting would otherwise hide a missing one until the workspace is installed on its own):
// product code's imports in `dependencies` (type-only ones may be in `devDependencies`), test
// code's in either, or in the root's devDependencies (the shared test tooling: vitest, fast-check…).
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';
import { importsOf, isTestCode, packageName, rootPackage, show, sourceFiles, workspaceOf, workspaces } from './support/imports.js';

const builtins = new Set(builtinModules);
const rootDev = Object.keys((rootPackage as { devDependencies?: Record<string, string> }).devDependencies ?? {});
/** `import … from 'aws-lambda'` is types only, shipped as @types/aws-lambda. */
const declaredAs = (name: string) => (name === 'aws-lambda' ? '@types/aws-lambda' : name);

describe('workspace dependencies (package.json)', () => {
  for (const w of workspaces) {
    it(`${w.name} declares every package its sources import`, () => {
      const edges = sourceFiles(w.dir).flatMap(importsOf);
      expect(edges.length).toBeGreaterThan(0);
      const missing = edges.filter((e) => {
        const name = packageName(e.specifier);
        if (!name || builtins.has(name) || name === w.name || workspaceOf(e.file) !== w) return false;
        const dep = declaredAs(name);
        if (w.dependencies.includes(dep)) return false;
        if ((e.typeOnly || isTestCode(e.file)) && w.devDependencies.includes(dep)) return false;
        return !(isTestCode(e.file) && rootDev.includes(dep));
      });
      expect(missing.map(show)).toEqual([]);
    });
  }
});
