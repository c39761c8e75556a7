// `npm run reliability`: the long forms of the reliability attacks, then each finding's attack
// with its fix taken out (without-fixes.ts). Prints each result and writes docs/RELIABILITY.md
// from this run (the tables are never written by hand). RELIABILITY_FUZZ_CASES and
// RELIABILITY_MESSAGES shrink the two big counts for a trial run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fuzzReactHandler } from '@ecs-rebalancer/functions/test-support';
import type { AttackResult } from './attacks.js';
import { ambiguousUpdateService, concurrentInvocations, drainUnderFaults, isolation, killSwitch, operatorChange, quarantineFailure } from './attacks.js';
import { FINDINGS } from './findings.js';
import { flapping, foreignEvents, impossibleTimestamps, manyMessages, redeliveredAlarm, restoreClearFails } from './more-attacks.js';
import { fuzzParsers } from './parser-fuzz.js';
import { withoutFixes } from './without-fixes.js';
import type { WithoutFix } from './without-fixes.js';

const REPO = new URL('../../', import.meta.url).pathname;
const FUZZ_CASES = Number(process.env.RELIABILITY_FUZZ_CASES ?? 10_000);
const MESSAGES = Number(process.env.RELIABILITY_MESSAGES ?? 15_000);

async function fuzz(): Promise<AttackResult> {
  const r = await fuzzReactHandler(FUZZ_CASES, 20261201);
  return {
    finding: 'all',
    attack: 'property-based fuzzing of the react handler: real events, mutated events, garbage, prototype names, faults in every port, kill switch modes',
    tried: `${r.cases.toLocaleString('en-US')} batches, ${r.records.toLocaleString('en-US')} records`,
    result: `${r.acted} decided, ${r.quarantined} quarantined, ${r.retried} retried; ${r.violations.length} dropped or rejected; ${r.untyped.length} quarantined with an untyped error${r.untyped.length > 0 ? ` (${[...new Set(r.untyped.map((u) => u.replace(/^record quarantined with an untyped /, '')))].slice(0, 2).join('; ')})` : ''}`,
    passed: r.violations.length === 0 && r.untyped.length === 0,
    figures: { 'fuzz cases': r.cases, 'fuzzed records dropped': r.violations.length },
  };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const withFigures = (r: AttackResult, figures: Record<string, number | string>): AttackResult => ({ ...r, figures: { ...r.figures, ...figures } });

async function main(): Promise<void> {
  const started = Date.now();
  const attacks: (() => Promise<AttackResult>)[] = [
    fuzz,
    () => fuzzParsers(FUZZ_CASES),
    () => drainUnderFaults(3),
    () => ambiguousUpdateService(3),
    () => concurrentInvocations(5),
    operatorChange,
    isolation,
    quarantineFailure,
    // The event scenarios; the Graviton ones are rollouts, which the rollout function's own tests cover under the switch.
    () => killSwitch(['spot-storm', 'spot-drought', 'storm-200'].map((name) => `${REPO}scenarios/${name}.json`)),
    () => manyMessages(MESSAGES),
    async () => {
      const r = await flapping(2);
      return withFigures(r, { 'forced deployments of one service, 2 h of flapping (default policy)': r.deployments });
    },
    redeliveredAlarm,
    restoreClearFails,
    foreignEvents,
    impossibleTimestamps,
  ];
  const results: AttackResult[] = [];
  for (const attack of attacks) {
    const t = Date.now();
    const result = await attack();
    results.push(result);
    console.log(`${result.passed ? 'PASS' : 'FAIL'} [${result.finding}] ${result.attack}: ${result.tried} → ${result.result} (${Math.round((Date.now() - t) / 1000)} s)`);
  }
  const attacksSeconds = Math.round((Date.now() - started) / 1000);
  const removed = await withoutFixes();
  for (const r of removed) console.log(`without the fix of finding ${r.finding} (${r.fix}): the attack ${r.outcome} → ${r.result}`);
  const failed = results.filter((r) => !r.passed).length;
  const shown = removed.filter((r) => r.outcome === 'failed').length;
  const figures = results.flatMap((r) => Object.entries(r.figures ?? {}));
  const seconds = Math.round((Date.now() - started) / 1000);
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  const doc = [
    '# Reliability',
    '',
    'Written by `npm run reliability` from its last run (do not edit by hand). Each attack runs the',
    'real react and tick handlers with their real adapters against the ECS simulator and fauxqs.',
    "Faults are the simulator's scenario `faults` on the wire (a 400 ThrottlingException, a 500 or",
    '503, a connection dropped before or after ECS applied the call), each SDK attempt one call;',
    'where one particular call of many must fail (the third DescribeServices, the TagResource that',
    "clears a restore's record) an SDK middleware in the `deserialize` step fails that attempt. The",
    'fuzzing drives the react use-case with fakes of every port. The quick forms of the same',
    'attacks run in `npm test` (test/reliability, packages/functions/src/use-cases/*.fuzz.test.ts).',
    '',
    'Invariants checked in every run: each interrupted instance that still exists is DRAINING before its',
    'termination; no invalid strategy is sent; no service is redeployed twice for one decision; no',
    'baseline is lost; every message is deleted or in the DLQ.',
    '',
    `Run of ${new Date(started).toISOString()} on commit ${commit} (${process.env.RELIABILITY_MACHINE ?? 'this machine'}), ${seconds} s (attacks ${attacksSeconds} s, then the findings without their fixes): ${results.length - failed} of ${results.length} attacks passed; ${shown} of ${removed.length} findings' attacks fail with their fix taken out.`,
    '',
    '## Figures',
    '',
    '| figure | value |',
    '|---|---|',
    ...figures.map(([name, value]) => `| ${cell(name)} | ${typeof value === 'number' ? value.toLocaleString('en-US') : cell(value)} |`),
    '',
    '## Attacks',
    '',
    '| finding | attack | tried | result | |',
    '|---|---|---|---|---|',
    ...results.map((r) => `| ${r.finding} | ${cell(r.attack)} | ${cell(r.tried)} | ${cell(r.result)} | ${r.passed ? 'pass' : '**FAIL**'} |`),
    '',
    '## The findings, their tests, and what the tests do without the fix',
    '',
    "Each finding's attack is run once more against this checkout with the fix taken out (the lines",
    'of test/reliability/without-fixes.ts, restored afterwards): it must fail then.',
    '',
    '| finding | | tests (npm test) | fails without the fix | how shown |',
    '|---|---|---|---|---|',
    ...FINDINGS.map((f) => {
      const r = removed.find((x) => x.finding.split(', ').includes(f.id));
      return `| ${f.id} | ${cell(f.title)} | ${cell(f.tests.join('; '))} | ${verdict(r)} | ${r ? cell(`${r.fix}: ${r.result}`) : 'not shown: the fix (quarantine failures classified, left to the redrive policy) has no single line to take out'} |`;
    }),
    '',
  ].join('\n');
  mkdirSync(`${REPO}docs`, { recursive: true });
  writeFileSync(`${REPO}docs/RELIABILITY.md`, doc);
  console.log(`docs/RELIABILITY.md written in ${seconds} s\n${results.length - failed} passed, ${failed} failed; ${shown} of ${removed.length} fail without their fix`);
  process.exitCode = failed > 0 ? 1 : 0;
}

function verdict(r: WithoutFix | undefined): string {
  if (!r) return 'not shown';
  if (r.outcome === 'failed') return 'yes';
  return r.outcome === 'passed' ? '**no**' : 'not shown (lines moved)';
}

await main();
