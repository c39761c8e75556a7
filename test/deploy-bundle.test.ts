// The bundle bench/bundle-size measures (scripts/bundle.ts) and the bundle SST deploys
// (infra/components through sst.aws.Function's `nodejs`) are one configuration:
// infra/settings.ts's LAMBDA_NODEJS and the plugins file it names. These fail when either
// side stops reading it.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { FUNCTION_DEFAULTS, LAMBDA_NODEJS } from '@ecs-rebalancer/infra/settings';
import { REPO_ROOT, lambdaBuildOptions } from '../scripts/bundle.js';
import { LAMBDA_ALIASES } from '../scripts/lambda-bundle-plugins.mjs';

const PLUGINS_FILE = resolve(REPO_ROOT, LAMBDA_NODEJS.plugins);
const COMPONENTS = join(REPO_ROOT, 'infra', 'components');

describe('the deployed bundle is the measured bundle', () => {
  it('every function infra deploys takes FUNCTION_DEFAULTS, whose nodejs is LAMBDA_NODEJS, and none overrides it', () => {
    expect(FUNCTION_DEFAULTS.nodejs).toBe(LAMBDA_NODEJS);
    const files = readdirSync(COMPONENTS).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const offenders: string[] = [];
    let handlers = 0;
    for (const f of files) {
      const lines = readFileSync(join(COMPONENTS, f), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/\bnodejs\s*:/.test(line)) offenders.push(`${f}:${i + 1} overrides nodejs: ${line.trim()}`);
        if (!/^\s*handler\s*:/.test(line)) return;
        handlers++;
        if (!/^\s*\.\.\.FUNCTION_DEFAULTS,\s*$/.test(lines[i - 1] ?? '')) offenders.push(`${f}:${i + 1} a function without ...FUNCTION_DEFAULTS just before its handler`);
      });
    }
    expect(handlers).toBe(3);
    expect(offenders).toEqual([]);
  });

  it('scripts/bundle.ts builds with the plugins SST is given and LAMBDA_NODEJS, and no option SST cannot take', async () => {
    const deployed = (await import(pathToFileURL(PLUGINS_FILE).href)) as { default: unknown[] };
    const options = lambdaBuildOptions('packages/functions/src/handlers/react.ts', '/tmp/x/index.mjs', false);
    expect(options.plugins).toBe(deployed.default);
    expect(options.plugins?.map((p) => p.name)).toEqual(['lambda-aliases', 'sdk-version-only', 'sdk-compact-errors']);
    expect({ format: options.format, minify: options.minify, keepNames: options.keepNames }).toEqual({
      format: LAMBDA_NODEJS.format,
      minify: LAMBDA_NODEJS.minify,
      keepNames: LAMBDA_NODEJS.esbuild.keepNames,
    });
    // SST's nodejs.esbuild takes neither alias nor inject: a trim done with either here would
    // be measured and never deployed.
    expect(options.alias).toBeUndefined();
    expect(options.inject).toBeUndefined();
  });

  it('the plugins file loads in a plain node, as SST imports it (no TypeScript loader)', () => {
    const script = `const m = await import(${JSON.stringify(pathToFileURL(PLUGINS_FILE).href)}); process.stdout.write(JSON.stringify(m.default.map((p) => p.name)));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(['lambda-aliases', 'sdk-version-only', 'sdk-compact-errors']);
  });

  it('the alias plugin replaces the credential chain and the event-stream codec with our files', async () => {
    const result = await build({
      ...lambdaBuildOptions('unused.ts', '/tmp/deploy-bundle-probe/index.mjs', false),
      entryPoints: undefined,
      stdin: { contents: Object.keys(LAMBDA_ALIASES).map((m) => `export * from ${JSON.stringify(m)};`).join('\n'), resolveDir: REPO_ROOT, loader: 'ts' },
      outfile: undefined,
      write: false,
    });
    const inputs = Object.keys(result.metafile?.inputs ?? {});
    expect(inputs).toEqual(expect.arrayContaining(['scripts/lambda-credentials.ts', 'scripts/no-event-streams.ts']));
    expect(inputs.filter((p) => p.includes('credential-provider-node') || p.includes('node_modules/@smithy/core/dist-es/submodules/event-streams'))).toEqual([]);
    expect(Object.values(LAMBDA_ALIASES).map((p) => resolve(p))).toEqual([resolve(REPO_ROOT, 'scripts/lambda-credentials.ts'), resolve(REPO_ROOT, 'scripts/no-event-streams.ts')]);
  });
});
