import { BASELINES, comparisonTable, runName, runScenario, splitApiCalls, summarize } from '@ecs-rebalancer/sim';
import type { Baseline, ReportRun, RunResult, RunSummary } from '@ecs-rebalancer/sim';
import { commandOptions } from '../args.js';
import { ExitCode, InputError } from '../errors.js';
import type { Io } from '../io.js';
import { localHandlers, localRollouts } from '../local-handlers.js';
import { checkReportDir, writeReport } from './report-output.js';
import { scenarioInput } from './scenario-input.js';

export const simulateUsage =
  'rebalancer simulate [--scenario FILE|NAME | --cluster FILE [--policy FILE] --storm [CLUSTER/]PROVIDER:COUNT[@SECONDS]… [--alarm NAME:STATE@SECONDS…] [--capacity PROVIDER:off@SECONDS…] [--duration S] [--save FILE]] [--report DIR] [--json] [--baseline nothing|ecs-spot-draining] [--without-rebalancer]';

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
  const only = chosenBaseline(values);
  if (values.report) checkReportDir(values.report);
  const { scenario, notes } = await scenarioInput(values, io);
  const json = values.json === true;
  const log = json ? () => {} : (line: string) => io.stdout.write(`${line}\n`);
  for (const note of notes) log(`note: ${note}`);
  if (values.save) log(`scenario written to ${values.save}`);

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

  let page: string | undefined;
  if (values.report) {
    const runs: ReportRun[] = [{ label: runName(primary), report: result.report, summary: primary }];
    if (!only) for (const b of BASELINES) runs.push({ label: runName(baselines[b]!), report: results.get(b)!.report, summary: baselines[b]! });
    page = await writeReport(values.report, scenario, runs);
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
    const calls = splitApiCalls(primary.apiCalls);
    io.stdout.write(`ECS calls: ${calls.ecsTotal} (${Object.entries(calls.ecs).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'})\n`);
    io.stdout.write(`other AWS calls: ${calls.otherTotal} (${Object.entries(calls.other).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'})\n`);
    for (const [service, strategy] of Object.entries(primary.strategies)) {
      io.stdout.write(`final strategy ${service}: ${strategy.map((s) => `${s.capacityProvider} base ${s.base} weight ${s.weight}`).join(', ')}\n`);
    }
    for (const r of primary.rollouts) io.stdout.write(`rollout ${r.cluster}/${r.service}: ${r.status}${r.cause ? ` — ${r.cause}` : ''}\n`);
    if (page) io.stdout.write(`report written to ${page} (and summary.json)\n`);
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
  return commandOptions('simulate', simulateUsage, argv, {
    scenario: { type: 'string' },
    cluster: { type: 'string', multiple: true },
    policy: { type: 'string' },
    storm: { type: 'string', multiple: true },
    alarm: { type: 'string', multiple: true },
    capacity: { type: 'string', multiple: true },
    duration: { type: 'string' },
    save: { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean' },
    baseline: { type: 'string' },
    'without-rebalancer': { type: 'boolean' },
  });
}
