import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { comparisonTable, parseScenario, runScenario, runningTasksChart, summarize } from '@ecs-rebalancer/sim';
import type { RunSummary, Scenario } from '@ecs-rebalancer/sim';
import { ExitCode, InputError } from '../errors.js';
import { readJsonFile, withFile, type Io } from '../io.js';
import { localHandlers, localRollouts } from '../local-handlers.js';

export const simulateUsage = 'rebalancer simulate [--scenario FILE|NAME] [--report DIR] [--json] [--without-rebalancer]';
export const DEFAULT_SCENARIO = 'spot-storm';
const SCENARIO_DIR = new URL('../../../../scenarios/', import.meta.url).pathname;

/**
 * `rebalancer simulate`: runs a scenario end to end on the embedded emulators — the ECS
 * simulator on the real wire protocol, fauxqs for SQS, the real react, tick and rollout
 * handlers — prints the timeline as it runs, then the summary side by side with the same
 * scenario run without the rebalancer. Exit 1 when an expectation of the scenario fails.
 */
export async function simulateCommand(argv: string[], io: Io): Promise<number> {
  const values = parseOptions(argv);
  const file = scenarioFile(values.scenario ?? DEFAULT_SCENARIO);
  const raw = await readJsonFile(file, io);
  const scenario: Scenario = withFile(file, () => parseScenario(raw));
  const json = values.json === true;
  const log = json ? () => {} : (line: string) => io.stdout.write(`${line}\n`);

  const withoutResult = await runScenario({ scenario, log: values['without-rebalancer'] ? log : () => {} });
  const without = summarize(withoutResult, scenario);
  let primary: RunSummary = without;
  let result = withoutResult;
  if (!values['without-rebalancer']) {
    result = await runScenario({ scenario, handlers: localHandlers, rollouts: localRollouts, log });
    primary = summarize(result, scenario, without);
  }

  if (values.report) {
    const dir = resolve(values.report);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'summary.json'), `${JSON.stringify({ ...primary, without: primary === without ? undefined : without }, null, 2)}\n`);
    await writeFile(join(dir, 'running-tasks.svg'), runningTasksChart(result.report, `${scenario.name}${result.withRebalancer ? '' : ' (without rebalancer)'}`));
    if (primary !== without) await writeFile(join(dir, 'running-tasks-without.svg'), runningTasksChart(withoutResult.report, `${scenario.name} (without rebalancer)`));
  }

  if (json) {
    io.stdout.write(`${JSON.stringify({ ...primary, without: primary === without ? undefined : without }, null, 2)}\n`);
  } else {
    io.stdout.write(`\n${comparisonTable(primary, primary === without ? undefined : without)}\n\n`);
    if (primary !== without) {
      const saved = without.tasksLost - primary.tasksLost;
      io.stdout.write(`The rebalancer lost ${primary.tasksLost} task(s) where doing nothing lost ${without.tasksLost}${saved > 0 ? ` (${saved} saved)` : ''}.\n`);
    }
    io.stdout.write(`ECS calls: ${Object.entries(primary.apiCalls).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}\n`);
    for (const [service, strategy] of Object.entries(primary.strategies)) {
      io.stdout.write(`final strategy ${service}: ${strategy.map((s) => `${s.capacityProvider} base ${s.base} weight ${s.weight}`).join(', ')}\n`);
    }
    for (const r of primary.rollouts) io.stdout.write(`rollout ${r.cluster}/${r.service}: ${r.status}${r.cause ? ` — ${r.cause}` : ''}\n`);
    if (values.report) io.stdout.write(`report written to ${values.report}\n`);
    io.stdout.write(
      primary.expectations.passed
        ? `expectations: all passed (${primary.virtualSeconds}s simulated in ${(primary.wallMs / 1000).toFixed(1)}s)\n`
        : `expectations FAILED:\n${primary.expectations.failures.map((f) => `  - ${f}`).join('\n')}\n`,
    );
  }
  return primary.expectations.passed ? ExitCode.Ok : ExitCode.ExpectationsFailed;
}

function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string' },
        report: { type: 'string' },
        json: { type: 'boolean' },
        'without-rebalancer': { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new InputError(`simulate: ${(error as Error).message} (${simulateUsage})`);
  }
}

/** A path to a scenario file, or the name of one in scenarios/. */
function scenarioFile(nameOrFile: string): string {
  if (nameOrFile.endsWith('.json') || nameOrFile.includes('/')) return nameOrFile;
  const file = join(SCENARIO_DIR, `${nameOrFile}.json`);
  if (!existsSync(file)) throw new InputError(`simulate: no scenario named "${nameOrFile}" (no ${file})`);
  return file;
}
