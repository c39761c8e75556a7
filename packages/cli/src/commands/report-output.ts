import { statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderReport, type ReportRun, type Scenario } from '@ecs-rebalancer/sim';
import { InputError } from '../errors.js';

export const REPORT_PAGE = 'index.html';

/** Refuses a `--report` target that cannot become a directory, before any work starts. */
export function checkReportDir(dir: string): void {
  try {
    if (!statSync(dir).isDirectory()) throw new InputError(`simulate: --report ${dir}: is a file, not a directory (the report writes ${REPORT_PAGE} and summary.json into a directory)`);
  } catch (error) {
    if (error instanceof InputError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw new InputError(`simulate: --report ${dir}: a parent of it is a file`);
    throw new InputError(`simulate: --report ${dir}: ${(error as Error).message}`, { cause: error });
  }
}

/** Writes DIR/index.html (self-contained) and DIR/summary.json (every run's summary, the rebalancer's first). */
export async function writeReport(dir: string, scenario: Scenario, runs: readonly ReportRun[]): Promise<string> {
  const target = resolve(dir);
  await mkdir(target, { recursive: true });
  const [first, ...others] = runs.map((r) => ({ label: r.label, ...r.summary }));
  const summary = { ...first, runs: [first, ...others], ...(others.length > 0 ? { without: others[0] } : {}) };
  await writeFile(join(target, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const page = join(target, REPORT_PAGE);
  await writeFile(page, renderReport(scenario, runs));
  return page;
}
