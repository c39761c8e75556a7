// Size and cold-start load time of the Lambda bundles, built by scripts/bundle.ts exactly as
// for deployment (Node 24, ESM, minified, tree-shaken), in two variants: the AWS SDK bundled,
// and `@aws-sdk/*` left to the SDK v3 the Lambda Node.js runtime ships. The whole core
// (packages/core/src/index.ts, every export kept) is bundled too, as the floor each handler
// pays for the core and its schema library.
import { spawn } from 'node:child_process';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, bundleEntry, bundleHandlers, packageOf, topInputs } from '../scripts/bundle.js';
import type { BundleResult, InputShare } from '../scripts/bundle.js';
import { RESULTS_DIR, isQuick, printTable, runIfMain } from './benchmark.js';
import type { Benchmark, BenchmarkResult, Headline } from './benchmark.js';
import { fleetClusterPolicy } from './fleet.js';
import { summarize } from './measure.js';
import type { Stats } from './measure.js';
import { formatBytes, formatMillis } from './table.js';

const COLD_STARTS = isQuick() ? 5 : 20;
const CORE_ENTRY = 'packages/core/src/index.ts';

const Variant = { Full: 'sdk-bundled', External: 'sdk-external' } as const;
type Variant = (typeof Variant)[keyof typeof Variant];

// What a deployed function has in its environment; the handlers read their configuration at
// module load (a bad policy must stop the function at cold start), so loading needs it.
const LAMBDA_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_LAMBDA_FUNCTION_NAME: 'ecs-rebalancer-bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
  REBALANCER_POLICY: JSON.stringify({ clusters: { prod: fleetClusterPolicy('prod') } }),
  REBALANCER_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/ecs-rebalancer-dlq',
  POWERTOOLS_SERVICE_NAME: 'ecs-rebalancer',
  POWERTOOLS_METRICS_NAMESPACE: 'EcsRebalancer',
};

interface ColdStart {
  /** `await import(bundle)` inside the child, ms. */
  importMs: Stats | null;
  /** Spawn to exit of the child (Node start-up + import), ms. */
  processMs: Stats | null;
  error?: string;
}

interface BundleRow {
  name: string;
  variant: Variant | 'no-sdk';
  entry: string;
  outfile: string;
  bytes: number;
  gzipBytes: number;
  modules: number;
  topModules: InputShare[];
  topPackages: InputShare[];
  coldStart: ColdStart;
}

/** Loads the bundle once in a fresh `node`, as a Lambda cold start does; resolves with the child's timings. */
function loadOnce(outfile: string): Promise<{ importMs: number; processMs: number }> {
  const url = pathToFileURL(outfile).href;
  const script = `const t = performance.now(); await import(${JSON.stringify(url)}); process.stdout.write(JSON.stringify({ importMs: performance.now() - t }));`;
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...LAMBDA_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const processMs = performance.now() - start;
      if (code !== 0) {
        const line = stderr.split('\n').find((l) => /Error|error:/.test(l)) ?? stderr.split('\n')[0] ?? '';
        reject(new Error(`exit ${code}: ${line.trim()}`));
        return;
      }
      try {
        const { importMs } = JSON.parse(stdout) as { importMs: number };
        resolvePromise({ importMs, processMs });
      } catch {
        reject(new Error(`unexpected output: ${stdout.slice(0, 200)}`));
      }
    });
  });
}

async function coldStart(outfile: string): Promise<ColdStart> {
  try {
    // One discarded run puts the file in the page cache, as on a warm Lambda host.
    await loadOnce(outfile);
    const runs = [];
    for (let i = 0; i < COLD_STARTS; i++) runs.push(await loadOnce(outfile));
    return { importMs: summarize(runs.map((r) => r.importMs)), processMs: summarize(runs.map((r) => r.processMs)) };
  } catch (error) {
    return { importMs: null, processMs: null, error: error instanceof Error ? error.message : String(error) };
  }
}

function topPackages(result: BundleResult, limit = 10): InputShare[] {
  const out = Object.values(result.metafile.outputs)[0];
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(out?.inputs ?? {})) byPackage.set(packageOf(path), (byPackage.get(packageOf(path)) ?? 0) + input.bytesInOutput);
  return [...byPackage.entries()].map(([path, bytes]) => ({ path, bytes })).sort((a, b) => b.bytes - a.bytes).slice(0, limit);
}

async function row(result: BundleResult, variant: BundleRow['variant']): Promise<BundleRow> {
  const out = Object.values(result.metafile.outputs)[0];
  return {
    name: result.name,
    variant,
    entry: result.entry,
    outfile: relative(REPO_ROOT, result.outfile),
    bytes: result.bytes,
    gzipBytes: result.gzipBytes,
    modules: Object.keys(out?.inputs ?? {}).length,
    topModules: topInputs(result, 10),
    topPackages: topPackages(result),
    coldStart: await coldStart(result.outfile),
  };
}

const ms = (s: Stats | null): string => (s ? formatMillis(s.median) : 'failed');

const benchmark: Benchmark = {
  name: 'bundle-size',
  description: `Lambda bundles (esbuild, node24 ESM, minified): raw / gzip size, top modules, cold module load (median of ${COLD_STARTS})`,
  async run(): Promise<BenchmarkResult> {
    const notes: string[] = [];
    const rows: BundleRow[] = [];
    const outRoot = relative(REPO_ROOT, `${RESULTS_DIR}bundles`);

    for (const variant of [Variant.Full, Variant.External]) {
      const { bundled, missing } = await bundleHandlers({ outdir: `${outRoot}/${variant}`, externalAwsSdk: variant === Variant.External });
      if (variant === Variant.Full) for (const m of missing) notes.push(`handler ${m.name} skipped: ${m.entry} does not exist yet`);
      for (const b of bundled) rows.push(await row(b, variant));
    }
    rows.push(await row(await bundleEntry('core', CORE_ENTRY, { outdir: `${outRoot}/reference` }), 'no-sdk'));

    printTable(
      'Bundle size and cold module load (fresh node per run; import = `await import(bundle)`, process = spawn to exit)',
      ['bundle', 'AWS SDK', 'modules', 'raw', 'gzip', 'import (median)', 'process (median)'],
      rows.map((r) => [r.name, r.variant, r.modules, formatBytes(r.bytes), formatBytes(r.gzipBytes), ms(r.coldStart.importMs), ms(r.coldStart.processMs)]),
    );
    for (const r of rows) if (r.coldStart.error) notes.push(`${r.name} (${r.variant}) did not load: ${r.coldStart.error}`);

    for (const r of rows) {
      printTable(
        `Top 10 modules of ${r.name} (${r.variant}), by bytes in the minified output`,
        ['module', 'bytes'],
        r.topModules.map((m) => [m.path, formatBytes(m.bytes)]),
      );
      printTable(`… and by package`, ['package', 'bytes'], r.topPackages.map((p) => [p.path, formatBytes(p.bytes)]));
    }

    const headlines: Headline[] = rows.flatMap((r) => [
      { case: `${r.name} (${r.variant})`, metric: 'raw / gzip', value: `${formatBytes(r.bytes)} / ${formatBytes(r.gzipBytes)}` },
      { case: `${r.name} (${r.variant})`, metric: 'cold import (median)', value: ms(r.coldStart.importMs) },
    ]);
    return { headlines, data: { node: process.version, coldStarts: COLD_STARTS, env: Object.keys(LAMBDA_ENV), bundles: rows }, notes };
  },
};

export default benchmark;
runIfMain(import.meta.url, benchmark);
