// DESIGN.md's layering ("Architecture", "Layout") and STYLE.md, one test per rule, read from
// the import graph of the sources. packages/core/src/purity.test.ts keeps the core pure; these
// keep everything else in its layer. Each offender is printed as `file:line imports …`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, importsOf, isTestCode, packageName, resolveRelative, show, sourceFiles, stripComments, workspaceOf, workspaces } from './support/imports.js';
import type { ImportEdge } from './support/imports.js';

const product = (dir: string) => sourceFiles(dir).filter((f) => !isTestCode(f));
const edgesOf = (files: string[]) => files.flatMap(importsOf);
const CORE = '@ecs-rebalancer/core';

describe('layering (DESIGN.md)', () => {
  it('use-cases import neither @aws-sdk/* nor adapters nor handlers (they reach AWS through ports.ts)', () => {
    const files = product('packages/functions/src/use-cases');
    expect(files.length).toBeGreaterThan(3);
    const offenders = edgesOf(files).filter(
      (e) => e.specifier.startsWith('@aws-sdk/') || (e.specifier.startsWith('.') && /\/(adapters|handlers)\//.test(`/${resolveRelative(e.file, e.specifier)}`)),
    );
    expect(offenders.map(show)).toEqual([]);
  });

  // "Handlers are thin: parse, load, decide, execute, report" — through the use-cases. The
  // checkable form: a handler takes only types from the core, so no decision function
  // (decide, planLoad, parseEvent, the strategy arithmetic…) can be called in one.
  it('handlers hold no decision: they import only types from the core', () => {
    const files = product('packages/functions/src/handlers');
    expect(files.length).toBeGreaterThan(3);
    const offenders = edgesOf(files).filter((e) => packageName(e.specifier) === CORE && !e.typeOnly);
    expect(offenders.map(show)).toEqual([]);
  });

  // The simulator models AWS; it must not borrow the rebalancer's decision arithmetic, or a
  // mistake there would be modelled as AWS behaviour and pass its own tests. It may read the
  // core's input contracts: the ClusterState and Policy schemas and their parsers (a scenario
  // file holds a ClusterState and a Policy, refused with the same JSON-path messages).
  const SIM_MAY_USE = new Set(['clusterStateSchema', 'policySchema', 'parseClusterState', 'parsePolicy', 'zodProblems', 'ValidationError']);
  it('the simulator imports from the core only types and input schemas', () => {
    const files = product('packages/sim/src');
    expect(files.length).toBeGreaterThan(5);
    const offenders = edgesOf(files).filter(
      (e) => packageName(e.specifier) === CORE && !e.typeOnly && (e.names.length === 0 || e.valueNames.some((n) => !SIM_MAY_USE.has(n))),
    );
    expect(offenders.map(show)).toEqual([]);
  });

  // infra points at handlers by path and imports no runtime code of packages/, except:
  const INFRA_MAY_USE: Record<string, { names: string[]; why: string }> = {
    'infra/policy-file.ts': {
      names: ['parsePolicy', 'parseDeployablePolicy', 'deployProblems', 'MAX_POLICY_ENV_BYTES', 'policyEnvironmentBytes', 'ValidationError'],
      why: 'the deploy refuses a policy the functions would refuse, with the same messages as `rebalancer validate` (DESIGN: validate = every check the deploy makes)',
    },
    'infra/state-machine.ts': {
      names: ['rolloutDefinition'],
      why: 'the rollout ASL is pure data in the core (rollout/definition.ts) so that infra deploys and the CLI runs locally the same state machine without the CLI importing infra',
    },
  };
  it('infra imports no runtime code of packages/ except what is named here with its reason', () => {
    const files = [...product('infra'), 'sst.config.ts'];
    const runtime = (e: ImportEdge) =>
      !e.typeOnly &&
      ((packageName(e.specifier)?.startsWith('@ecs-rebalancer/') && packageName(e.specifier) !== '@ecs-rebalancer/infra') ||
        (e.specifier.startsWith('.') && resolveRelative(e.file, e.specifier).startsWith('packages/')));
    const offenders = edgesOf(files).filter((e) => runtime(e) && !(INFRA_MAY_USE[e.file]?.names && e.names.length > 0 && e.valueNames.every((n) => INFRA_MAY_USE[e.file]!.names.includes(n))));
    expect(offenders.map(show)).toEqual([]);
  });

  // The repository's own tooling (scripts/, no workspace) may be imported where named:
  // scripts/bundle.ts builds the Lambda bundles as deployed; bench measures them and
  // test/lambda-bundle.test.ts runs one, so both call that script's functions.
  // scripts/readme-figures.ts writes README.md's simulator figures; test/readme.test.ts checks them.
  // scripts/lambda-bundle-plugins.mjs is what SST deploys with; test/deploy-bundle.test.ts checks it.
  const ROOT_TOOLING_USERS: Record<string, string[]> = {
    'scripts/bundle.ts': ['bench', 'test'],
    'scripts/readme-figures.ts': ['test'],
    'scripts/lambda-bundle-plugins.mjs': ['test'],
  };
  it('no workspace reaches into another one except through its package.json `exports`', () => {
    const files = workspaces.flatMap((w) => sourceFiles(w.dir));
    const offenders = edgesOf(files).filter((e) => {
      const from = workspaceOf(e.file);
      if (e.specifier.startsWith('.')) {
        const target = resolveRelative(e.file, e.specifier);
        const owner = workspaceOf(target);
        return owner ? owner !== from : !ROOT_TOOLING_USERS[target]?.includes(from?.dir ?? '');
      }
      const name = packageName(e.specifier);
      const target = workspaces.find((w) => w.name === name);
      if (!target) return false;
      const subpath = `.${e.specifier.slice(name!.length)}`;
      return !target.exports.includes(subpath === '.' ? '.' : subpath);
    });
    expect(offenders.map(show)).toEqual([]);
  });

  // Each entry point of a package (its package.json `exports`: index.ts, test-support) says
  // what is public, name by name.
  const EXPLICIT_INDEXES = workspaces
    .filter((w) => w.dir.startsWith('packages/'))
    .flatMap((w) => Object.values((JSON.parse(readFileSync(join(REPO_ROOT, w.dir, 'package.json'), 'utf8')) as { exports?: Record<string, string> }).exports ?? {}).map((f) => join(w.dir, f)));
  it('every package entry point lists its public names explicitly (no export *)', () => {
    expect(EXPLICIT_INDEXES).toEqual(expect.arrayContaining(['packages/core/src/index.ts', 'packages/core/src/test-support/index.ts', 'packages/functions/src/index.ts', 'packages/sim/src/index.ts', 'packages/cli/src/index.ts']));
    const offenders = EXPLICIT_INDEXES.flatMap((f) =>
      stripComments(readFileSync(join(REPO_ROOT, f), 'utf8'))
        .split('\n')
        .flatMap((line, i) => (/^\s*export\s+(?:type\s+)?\*/.test(line) ? [`${f}:${i + 1} ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });
});
