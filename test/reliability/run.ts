// `npm run reliability`: the long forms of the reliability attacks. Prints each result and
// writes docs/RELIABILITY.md from this run (the table is never written by hand).
import { writeFileSync } from 'node:fs';
import { fuzzReactHandler } from '@ecs-rebalancer/functions/test-support';
import type { AttackResult } from './attacks.js';
import { ambiguousUpdateService, concurrentInvocations, drainUnderFaults, isolation, killSwitch, operatorChange, quarantineFailure } from './attacks.js';
import { moreAttacks } from './more-attacks.js';

const REPO = new URL('../../', import.meta.url).pathname;
const FUZZ_CASES = Number(process.env.RELIABILITY_FUZZ_CASES ?? 10_000);

async function fuzz(): Promise<AttackResult> {
  const r = await fuzzReactHandler(FUZZ_CASES, 20261201);
  console.log(`fuzzed react handler: ${r.cases} cases`);
  return {
    finding: 'all',
    attack: 'property-based fuzzing of the react handler: real events, mutated events, garbage, prototype names, faults in every port, kill switch modes',
    tried: `${r.cases} batches, ${r.records} records`,
    result: `${r.acted} decided, ${r.quarantined} quarantined, ${r.retried} retried; ${r.violations.length} dropped or rejected; ${r.untyped.length} quarantined with an untyped error${r.untyped.length > 0 ? ` (${[...new Set(r.untyped.map((u) => u.replace(/^record quarantined with an untyped /, '')))].slice(0, 2).join('; ')})` : ''}`,
    passed: r.violations.length === 0 && r.untyped.length === 0,
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const attacks: (() => Promise<AttackResult>)[] = [
    fuzz,
    () => drainUnderFaults(3),
    () => ambiguousUpdateService(3),
    () => concurrentInvocations(5),
    operatorChange,
    isolation,
    quarantineFailure,
    killSwitch,
    ...moreAttacks(true),
  ];
  const results: AttackResult[] = [];
  for (const attack of attacks) {
    const result = await attack();
    results.push(result);
    console.log(`${result.passed ? 'PASS' : 'FAIL'} [${result.finding}] ${result.attack}: ${result.tried} → ${result.result}`);
  }
  const failed = results.filter((r) => !r.passed).length;
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const doc = [
    '# Reliability',
    '',
    'Written by `npm run reliability` from its last run (do not edit by hand). Each attack runs the',
    'real react and tick handlers with their real adapters against the ECS simulator and fauxqs,',
    "faults injected inside the SDK's retry loop (a middleware in the `deserialize` step, once per",
    'attempt), except the fuzzing, which drives the react use-case with fakes of every port. The',
    'quick forms of the same attacks run in `npm test` (test/reliability, packages/functions/src/use-cases/*.fuzz.test.ts).',
    '',
    'Invariants checked in every run: each interrupted instance that still exists is DRAINING before its',
    'termination; no invalid strategy is sent; no service is redeployed twice for one decision; no',
    'baseline is lost; every message is deleted or in the DLQ.',
    '',
    `Run of ${new Date(started).toISOString()}, ${Math.round((Date.now() - started) / 1000)} s: ${results.length - failed} passed, ${failed} failed.`,
    '',
    '| finding | attack | tried | result | |',
    '|---|---|---|---|---|',
    ...results.map((r) => `| ${r.finding} | ${cell(r.attack)} | ${cell(r.tried)} | ${cell(r.result)} | ${r.passed ? 'pass' : '**FAIL**'} |`),
    '',
  ].join('\n');
  writeFileSync(`${REPO}docs/RELIABILITY.md`, doc);
  console.log(`docs/RELIABILITY.md written\n${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
