// Bundles the Lambda handlers for Node 24 (the `nodejs24.x` runtime) with esbuild: one ESM
// file per handler, `<outdir>/<name>/index.mjs`, so each folder zips into a function whose
// handler setting is `index.handler`. The deploy bundles with SST's own esbuild; both read
// infra/settings.ts's LAMBDA_NODEJS and the plugins of scripts/lambda-bundle-plugins.mjs it
// names, and the options below mirror what SST's Go build sets itself (target, banner), so
// what bench/bundle-size measures is what is deployed. Used by that bench and by hand:
//
//   npx tsx scripts/bundle.ts [--outdir dist/functions] [--external-aws-sdk] [--handler react]
//
// By default the AWS SDK is bundled, which pins its version to the lock file; with
// `--external-aws-sdk` the bundle imports `@aws-sdk/*` from the SDK v3 the Lambda Node.js
// runtime ships, which is smaller but runs whatever SDK version the runtime carries.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { BuildOptions, Metafile } from 'esbuild';
import { LAMBDA_NODEJS } from '@ecs-rebalancer/infra/settings';
import LAMBDA_PLUGINS, { sdkVersionOnly } from './lambda-bundle-plugins.mjs';

/** The repository root (this file is `<root>/scripts/bundle.ts`). */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The Lambda handlers, by name, and their entry points relative to the repository root. */
export const HANDLERS = {
  react: 'packages/functions/src/handlers/react.ts',
  tick: 'packages/functions/src/handlers/tick.ts',
  rollout: 'packages/functions/src/handlers/rollout.ts',
} as const;
export type HandlerName = keyof typeof HANDLERS;

export interface BundleOptions {
  /** Output folder; the bundle is `<outdir>/<name>/index.mjs`. Relative paths are from the repository root. */
  outdir: string;
  /** Leave `@aws-sdk/*` to the Lambda runtime's own SDK v3 instead of bundling it. */
  externalAwsSdk?: boolean;
  /** Also write esbuild's metafile as `<outdir>/<name>.meta.json` (for esbuild's bundle analyzer). */
  writeMetafile?: boolean;
}

export interface BundleResult {
  name: string;
  /** Entry point, relative to the repository root. */
  entry: string;
  /** Absolute path of the bundle written. */
  outfile: string;
  bytes: number;
  /** gzip level 9 (node:zlib): close to what the deployment zip stores. */
  gzipBytes: number;
  externalAwsSdk: boolean;
  metafile: Metafile;
}

/** A module of the bundle and how many bytes it adds to the output (after minification). */
export interface InputShare {
  path: string;
  bytes: number;
}

// SST's banner for an ESM function (pkg/runtime/node/build.go): an ESM bundle of CommonJS
// dependencies still calls `require` for Node built-ins, and ESM has no `require`,
// `__filename` or `__dirname`, so the bundle defines them.
const SST_ESM_BANNER = [
  "import { createRequire as topLevelCreateRequire } from 'module';",
  'const require = topLevelCreateRequire(import.meta.url);',
  'import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"',
  'const __filename = topLevelFileUrlToPath(import.meta.url)',
  'const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))',
  '',
].join('\n');

/** The esbuild options for one Lambda handler, as SST builds it for `nodejs24.x` with LAMBDA_NODEJS. */
export function lambdaBuildOptions(entry: string, outfile: string, externalAwsSdk: boolean): BuildOptions {
  return {
    absWorkingDir: REPO_ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    // SST's target for nodejs24.x (its `esbuild.target` accepts no node versions).
    target: 'es2024',
    format: LAMBDA_NODEJS.format,
    minify: LAMBDA_NODEJS.minify,
    keepNames: LAMBDA_NODEJS.esbuild.keepNames,
    treeShaking: true,
    // Prefer the ESM build of dual packages (the AWS SDK ships dist-es beside dist-cjs): esbuild
    // can tree-shake ES modules, not CommonJS. SST's default too.
    mainFields: ['module', 'main'],
    external: externalAwsSdk ? ['@aws-sdk/*'] : [],
    // With the runtime's own SDK there is no bundled credential chain or codec to replace.
    plugins: externalAwsSdk ? [sdkVersionOnly] : LAMBDA_PLUGINS,
    banner: { js: SST_ESM_BANNER },
    metafile: true,
    logLevel: 'silent',
  };
}

/** Bundles one entry point (relative to the repository root) as `<outdir>/<name>/index.mjs`. */
export async function bundleEntry(name: string, entry: string, options: BundleOptions): Promise<BundleResult> {
  const outdir = resolve(REPO_ROOT, options.outdir);
  const outfile = join(outdir, name, 'index.mjs');
  const externalAwsSdk = options.externalAwsSdk ?? false;
  const result = await build({ ...lambdaBuildOptions(entry, outfile, externalAwsSdk), write: false });
  const output = result.outputFiles?.find((f) => f.path === outfile);
  if (!output) throw new Error(`bundling ${entry}: esbuild wrote no ${outfile}`);
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(outfile, output.contents);
  const metafile = result.metafile ?? { inputs: {}, outputs: {} };
  if (options.writeMetafile) writeFileSync(join(outdir, `${name}.meta.json`), JSON.stringify(metafile));
  return {
    name,
    entry,
    outfile,
    bytes: output.contents.byteLength,
    gzipBytes: gzipSync(output.contents, { level: 9 }).byteLength,
    externalAwsSdk,
    metafile,
  };
}

/**
 * Bundles every handler (or the ones named) whose entry file exists; a missing entry is
 * reported in `missing`, not an error, so the script works while handlers are being written.
 */
export async function bundleHandlers(
  options: BundleOptions & { only?: readonly HandlerName[] },
): Promise<{ bundled: BundleResult[]; missing: { name: HandlerName; entry: string }[] }> {
  const bundled: BundleResult[] = [];
  const missing: { name: HandlerName; entry: string }[] = [];
  for (const [name, entry] of Object.entries(HANDLERS) as [HandlerName, string][]) {
    if (options.only && !options.only.includes(name)) continue;
    if (!existsSync(resolve(REPO_ROOT, entry))) {
      missing.push({ name, entry });
      continue;
    }
    bundled.push(await bundleEntry(name, entry, options));
  }
  return { bundled, missing };
}

/** The modules that add the most bytes to a bundle, largest first. */
export function topInputs(result: Pick<BundleResult, 'metafile' | 'outfile'>, limit = 10): InputShare[] {
  const out = Object.entries(result.metafile.outputs).find(([path]) => resolve(REPO_ROOT, path) === result.outfile)?.[1];
  if (!out) return [];
  return Object.entries(out.inputs)
    .map(([path, input]) => ({ path, bytes: input.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1))
    .slice(0, limit);
}

/** The npm package a metafile input belongs to (`@aws-sdk/client-ecs`), or `(project)` for our own code. */
export function packageOf(inputPath: string): string {
  const at = inputPath.lastIndexOf('node_modules/');
  if (at === -1) return '(project)';
  const [first = '', second = ''] = inputPath.slice(at + 'node_modules/'.length).split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

async function main(argv: readonly string[]): Promise<number> {
  let outdir = 'dist/functions';
  let externalAwsSdk = false;
  const only: HandlerName[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--outdir' && argv[i + 1] !== undefined) outdir = argv[++i] ?? outdir;
    else if (arg === '--external-aws-sdk') externalAwsSdk = true;
    else if (arg === '--handler' && argv[i + 1] !== undefined && argv[i + 1]! in HANDLERS) only.push(argv[++i] as HandlerName);
    else {
      console.error(`bundle: unknown or incomplete argument "${arg}" (usage: scripts/bundle.ts [--outdir DIR] [--external-aws-sdk] [--handler ${Object.keys(HANDLERS).join('|')}])`);
      return 2;
    }
  }
  const { bundled, missing } = await bundleHandlers({ outdir, externalAwsSdk, writeMetafile: true, ...(only.length > 0 ? { only } : {}) });
  for (const m of missing) console.log(`skipped ${m.name}: ${m.entry} does not exist`);
  for (const b of bundled) console.log(`${b.name.padEnd(8)} ${relative(process.cwd(), b.outfile).padEnd(36)} ${kib(b.bytes).padStart(11)}  gzip ${kib(b.gzipBytes).padStart(10)}`);
  if (bundled.length === 0) {
    console.error('bundle: no handler to bundle');
    return 1;
  }
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`bundle: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
