import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BASELINES, comparisonTable, parseScenario, runName, runScenario, runningTasksChart, summarize } from '@ecs-rebalancer/sim';
import type { Baseline, RunResult, RunSummary, Scenario } from '@ecs-rebalancer/sim';
import { ExitCode, InputError } from '../errors.js';
import { readJsonFile, withFile, type Io } from '../io.js';
import { localHandlers, localRollouts } from '../local-handlers.js';

export const simulateUsage = 'rebalancer simulate [--scenario FILE|NAME] [--report DIR] [--json] [--baseline nothing|ecs-spot-draining] [--without-rebalancer]';
export const DEFAULT_SCENARIO = 'spot-drought';
const SCENARIO_DIR = new URL('../../../../scenarios/', import.meta.url).pathname;

/**
 * `rebalancer simulate`: runs a scenario end to end on the embedded emulators — the ECS
 * simulator on the real wire protocol, fauxqs for SQS, the real react, tick and rollout
 * handlers — prints the timeline as it runs, then the summary side by side with the two
 * baselines: nothing reacting, and ECS's own Spot draining (the agent's
 * ECS_ENABLE_SPOT_INSTANCE_DRAINING). `--baseline NAME` runs that baseline alone
 * (`--without-rebalancer` = `--baseline nothing`). Exit 1 when an expectation of the scenario
 * fails for the run shown first.
 */
export async function simulateCommand(argv: string[], io: Io): Promise<number> {
  const values = parseOptions(argv);
  const file = scenarioFile(values.scenario ?? DEFAULT_SCENARIO);
  const raw = await readJsonFile(file, io);
  const scenario: Scenario = withFile(file, () => parseScenario(raw));
  const json = values.json === true;
  const log = json ? () => {} : (line: string) => io.stdout.write(`${line}\n`);
  const only = chosenBaseline(values);

  const results = new Map<Baseline, RunResult>();
  const baselines: Partial<Record<Baseline, RunSummary>> = {};
  for (const baseline of only ? [only] : BASELINES) {
    const result = await runScenario({ scenario, baseline, log: only ? log : () => {} });
    results.set(baseline, result);
    baselines[baseline] = summarize(result, scenario);
  }
  let primary: RunSummary;
  let result: RunResult;
  if (only) {
    result = results.get(only)!;
    primary = baselines[only]!;
  } else {
    result = await runScenario({ scenario, handlers: localHandlers, rollouts: localRollouts, log });
    primary = { ...summarize(result, scenario, baselines.nothing), baselines, without: baselines.nothing };
  }
  const others = only ? [] : BASELINES.map((b) => baselines[b]);

  if (values.report) {
    const dir = resolve(values.report);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'summary.json'), `${JSON.stringify(primary, null, 2)}\n`);
    await writeFile(join(dir, 'running-tasks.svg'), runningTasksChart(result.report, `${scenario.name} (${runName(primary)})`));
    if (!only) {
      for (const b of BASELINES) await writeFile(join(dir, `running-tasks-${b}.svg`), runningTasksChart(results.get(b)!.report, `${scenario.name} (${runName(baselines[b]!)})`));
    }
  }

  if (json) {
    io.stdout.write(`${JSON.stringify(primary, null, 2)}\n`);
  } else {
    io.stdout.write(`\n${comparisonTable(primary, ...others)}\n\n`);
    if (!only) {
      const nothing = baselines.nothing!;
      const ecs = baselines['ecs-spot-draining']!;
      io.stdout.write(`The rebalancer lost ${primary.tasksLost} task(s); with nothing reacting ${nothing.tasksLost}, with ECS's own Spot draining ${ecs.tasksLost}.\n`);
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
        : `expectations FAILED (${runName(primary)}):\n${primary.expectations.failures.map((f) => `  - ${f}`).join('\n')}\n`,
    );
  }
  return primary.expectations.passed ? ExitCode.Ok : ExitCode.ExpectationsFailed;
}

function chosenBaseline(values: { baseline?: string | undefined; 'without-rebalancer'?: boolean | undefined }): Baseline | undefined {
  const named = values.baseline;
  if (named !== undefined && !(BASELINES as readonly string[]).includes(named)) {
    throw new InputError(`simulate: --baseline must be one of ${BASELINES.join(', ')} (got "${named}")`);
  }
  if (values['without-rebalancer'] && named !== undefined && named !== 'nothing') {
    throw new InputError('simulate: --without-rebalancer means --baseline nothing; give one of them');
  }
  return (named as Baseline | undefined) ?? (values['without-rebalancer'] ? 'nothing' : undefined);
}

function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string' },
        report: { type: 'string' },
        json: { type: 'boolean' },
        baseline: { type: 'string' },
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
