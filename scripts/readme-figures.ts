// The README's simulator figures, computed from `rebalancer simulate --json` of this version:
//   npx tsx scripts/readme-figures.ts          rewrites the block between the markers in README.md
//   npx tsx scripts/readme-figures.ts --check  exits 1 and shows the difference when README.md is stale
// (test/readme.test.ts runs the check). Timings live in bench/README.md, which `npm run bench` writes.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { splitApiCalls } from '@ecs-rebalancer/sim';

export const README = fileURLToPath(new URL('../README.md', import.meta.url));
const REPO = fileURLToPath(new URL('../', import.meta.url));
export const START = '<!-- simulate-figures:start (scripts/readme-figures.ts writes this table) -->';
export const END = '<!-- simulate-figures:end -->';
export const FIGURE_SCENARIOS = ['spot-storm', 'storm-200'] as const;

interface Summary {
  tasksLost: number;
  interrupted: string[];
  drainLeadSeconds: Record<string, number | null>;
  strategyChanges: unknown[];
  apiCalls: Record<string, number>;
  ecsCalls?: number;
  virtualSeconds: number;
  without?: { tasksLost: number };
}


/** What `rebalancer simulate --scenario NAME --json` prints, parsed. */
export function simulateJson(name: string): Summary {
  const run = spawnSync(process.execPath, [`${REPO}packages/cli/bin/rebalancer.js`, 'simulate', '--scenario', name, '--json'], { cwd: REPO, encoding: 'utf8', timeout: 600_000 });
  // Exit 1 (an expectation of the scenario failed) still prints the summary; the figures are what they are.
  if (run.status !== 0 && run.status !== 1) throw new Error(`simulate --scenario ${name} --json exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Summary;
}

/** simulateJson without blocking the caller (a test worker must stay responsive for the ~40 s it takes). */
export async function simulateJsonAsync(name: string): Promise<Summary> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [`${REPO}packages/cli/bin/rebalancer.js`, 'simulate', '--scenario', name, '--json'], { cwd: REPO, encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(stdout) as Summary;
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    // Exit 1 (an expectation of the scenario failed) still prints the summary.
    if (failed.code === 1 && failed.stdout) return JSON.parse(failed.stdout) as Summary;
    throw new Error(`simulate --scenario ${name} --json failed: ${failed.stderr ?? String(error)}`);
  }
}

/** The markdown table of figures for the given summaries. */
export function figuresTable(summaries: Record<string, Summary>): string {
  const rows = Object.entries(summaries).map(([name, s]) => {
    // The simulate command's own split: ECS actions, and the rest (CloudWatch, EventBridge, the index's DynamoDB).
    const split = splitApiCalls(s.apiCalls);
    const ecsTotal = s.ecsCalls ?? split.ecsTotal;
    const other = split.otherTotal;
    const call = (k: string) => s.apiCalls[k] ?? 0;
    const ci = call('ListContainerInstances') + call('DescribeContainerInstances') + call('UpdateContainerInstancesState');
    const drained = Object.values(s.drainLeadSeconds).filter((v) => v !== null).length;
    return `| \`${name}\` | ${s.tasksLost} / ${s.without?.tasksLost ?? '–'} | ${drained}/${s.interrupted.length} | ${s.strategyChanges.length} | ${ecsTotal} | ${ci} (${call('ListContainerInstances')} lists, ${call('DescribeContainerInstances')} describes, ${call('UpdateContainerInstancesState')} drains) | ${other} | ${s.virtualSeconds} s |`;
  });
  return [
    '| scenario | tasks lost with / without the rebalancer | drained before termination | strategy changes | ECS calls | of which container-instance calls | other AWS calls (CloudWatch, EventBridge, DynamoDB) | simulated |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function withBlock(readme: string, table: string): string {
  const i = readme.indexOf(START);
  const j = readme.indexOf(END);
  if (i < 0 || j < i) throw new Error(`README.md lacks the markers ${START} … ${END}`);
  return `${readme.slice(0, i + START.length)}\n${table}\n${readme.slice(j)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const table = figuresTable(Object.fromEntries(FIGURE_SCENARIOS.map((n) => [n, simulateJson(n)])));
  const readme = readFileSync(README, 'utf8');
  const next = withBlock(readme, table);
  if (process.argv.includes('--check')) {
    if (next !== readme) {
      console.error(`README.md's simulator figures are stale; run npx tsx scripts/readme-figures.ts. Current figures:\n${table}`);
      process.exit(1);
    }
    console.log('README.md figures match simulate --json');
  } else {
    writeFileSync(README, next);
    console.log(table);
  }
}
