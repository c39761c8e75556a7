// "Each finding has a test that failed before the fix": for each finding, its attack is run
// against this checkout with that fix taken out (the product lines that make the fix, put
// back as they were or switched off), in a child process; the file is restored afterwards.
// `npm run reliability -- --without-fixes` writes the outcome into docs/RELIABILITY.md.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { AttackResult } from './attacks.js';

const run = promisify(execFile);
const REPO = new URL('../../', import.meta.url).pathname;

interface Edit {
  file: string;
  from: string;
  to: string;
}

export interface Removal {
  finding: string;
  /** The attack (an export of attacks.ts / more-attacks.ts) and its size argument. */
  attack: string;
  size?: number;
  /** What is taken out, in words. */
  fix: string;
  edits: Edit[];
}

// The reader's mapping of the record's tags to ServiceState.
const READER = 'packages/functions/src/adapters/ecs-cluster-state.ts';
const WRITER = 'packages/functions/src/adapters/ecs-strategy-writer.ts';

export const REMOVALS: Removal[] = [
  {
    finding: '1',
    attack: 'drainUnderFaults',
    size: 1,
    fix: 'no drain retries inside the invocation, no shortened visibility',
    edits: [
      { file: 'packages/functions/src/use-cases/handle-react.ts', from: 'export const MAX_DRAIN_ROUNDS = 8;', to: 'export const MAX_DRAIN_ROUNDS = 0;' },
      { file: 'packages/functions/src/use-cases/redeliver.ts', from: '  await changeVisibility(urgent, URGENT_RETRY_SECONDS, deps);\n', to: '' },
    ],
  },
  {
    finding: '2, 3',
    attack: 'ambiguousUpdateService',
    size: 1,
    fix: 'UpdateService through the SDK client with retries',
    edits: [{ file: WRITER, from: 'this.update = options.updateClient ?? ecs;', to: 'this.update = ecs;' }],
  },
  {
    finding: '4',
    attack: 'redeliveredAlarm',
    fix: "the reader does not copy the record's last-restored-at",
    edits: [{ file: READER, from: '    ...(record.lastRestoredAt !== undefined && { lastRestoredAt: record.lastRestoredAt }),\n', to: '' }],
  },
  {
    finding: '5',
    attack: 'isolation',
    fix: "no bisection (a failing load or decision fails every record of the batch) and the core's own-key lookups read prototypes",
    edits: [
      { file: 'packages/functions/src/use-cases/decide-in-isolation.ts', from: '  if (items.length === 1) {', to: '  if (items.length >= 1) {' },
      { file: 'packages/core/src/decide/context.ts', from: '  return Object.hasOwn(record, key) ? record[key] : undefined;', to: '  return record[key];' },
    ],
  },
  {
    finding: '6',
    attack: 'foreignEvents',
    fix: 'the core does not check accounts and regions',
    edits: [
      { file: 'packages/core/src/decide/context.ts', from: 'if (policy.accounts && signal.account', to: 'if (false && policy.accounts && signal.account' },
      { file: 'packages/core/src/decide/context.ts', from: 'if (policy.regions && signal.region', to: 'if (false && policy.regions && signal.region' },
    ],
  },
  {
    finding: '7',
    attack: 'concurrentInvocations',
    size: 1,
    fix: "the writer ignores other writers' leases and does not compare the record on its first read",
    edits: [
      { file: WRITER, from: '    this.checkUnchanged(first, cluster, service, previous, true);\n', to: '' },
      { file: WRITER, from: 'if (live.length > 0) throw this.leaseHeld(', to: 'if (false) throw this.leaseHeld(' },
      { file: WRITER, from: '    if (others.length > 0) {', to: '    if (false) {' },
    ],
  },
  {
    finding: '8',
    attack: 'restoreClearFails',
    fix: "the reader does not copy the record's phase and recent fallbacks",
    edits: [
      { file: READER, from: '    ...(record.phase !== undefined && { fallbackPhase: record.phase }),\n', to: '' },
      { file: READER, from: '    ...(record.recentFallbacks !== undefined && { recentFallbacks: record.recentFallbacks }),\n', to: '' },
    ],
  },
  {
    finding: '9',
    attack: 'impossibleTimestamps',
    fix: 'timestamps checked by Date.parse only (no calendar, time-of-day or offset ranges)',
    edits: [
      { file: 'packages/core/src/events/validate.ts', from: '  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;\n', to: '' },
      { file: 'packages/core/src/events/validate.ts', from: '  if (hour > 23 || minute > 59 || second > 59) return false;\n', to: '' },
      { file: 'packages/core/src/events/validate.ts', from: "  if (m[8] !== 'Z' && (Number(m[10]) > 23 || Number(m[11]) > 59)) return false;\n", to: '' },
    ],
  },
  {
    finding: '11',
    attack: 'operatorChange',
    fix: 'no compare-and-set on either read before UpdateService',
    edits: [
      { file: WRITER, from: '    this.checkUnchanged(first, cluster, service, previous, true);\n', to: '' },
      { file: WRITER, from: '      this.checkUnchanged(second, cluster, service, previous, false);\n', to: '' },
    ],
  },
  {
    finding: '12',
    attack: 'killSwitch',
    fix: 'the kill switch is not read',
    edits: [{ file: 'packages/functions/src/use-cases/run-options.ts', from: 'const read = deps.killSwitch ? await deps.killSwitch.mode()', to: 'const read = false ? await deps.killSwitch!.mode()' }],
  },
  {
    finding: '13',
    attack: 'flapping',
    fix: 'no okSeconds and no doubling of minSeconds',
    edits: [
      { file: 'packages/core/src/decide/restores.ts', from: '  if (okSeconds > 0) {', to: '  if (false) {' },
      { file: 'packages/core/src/decide/restores.ts', from: '  return minSeconds * Math.min(8, 2 ** recent);', to: '  return minSeconds;' },
    ],
  },
];

export interface WithoutFix {
  finding: string;
  fix: string;
  /** failed: the attack fails with the fix taken out (as it must); passed: it does not; n/a: the lines are not there any more. */
  outcome: 'failed' | 'passed' | 'n/a';
  result: string;
}

/** Runs each attack with its fix taken out, one after another (the sources are changed in place, then restored). */
export async function withoutFixes(removals: readonly Removal[] = REMOVALS): Promise<WithoutFix[]> {
  const out: WithoutFix[] = [];
  for (const r of removals) {
    const originals = new Map<string, string>();
    for (const e of r.edits) if (!originals.has(e.file)) originals.set(e.file, readFileSync(REPO + e.file, 'utf8'));
    const missing = r.edits.filter((e) => !(originals.get(e.file) as string).includes(e.from));
    if (missing.length > 0) {
      out.push({ finding: r.finding, fix: r.fix, outcome: 'n/a', result: `lines not found in ${missing.map((e) => e.file).join(', ')}` });
      continue;
    }
    try {
      const changed = new Map(originals);
      for (const e of r.edits) changed.set(e.file, (changed.get(e.file) as string).replace(e.from, e.to));
      for (const [file, text] of changed) writeFileSync(REPO + file, text);
      const { stdout } = await run('npx', ['tsx', 'test/reliability/run-one.ts', r.attack, ...(r.size === undefined ? [] : [String(r.size)])], {
        cwd: REPO,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, REBALANCER_LOG_LEVEL: 'SILENT' },
      });
      const last = stdout.trim().split('\n').pop() ?? '{}';
      const result = JSON.parse(last) as AttackResult;
      out.push({ finding: r.finding, fix: r.fix, outcome: result.passed ? 'passed' : 'failed', result: result.result });
    } catch (error) {
      out.push({ finding: r.finding, fix: r.fix, outcome: 'failed', result: `the attack crashed: ${((error as Error).message.split('\n').find((l) => /Error/.test(l)) ?? (error as Error).message).slice(0, 200)}` });
    } finally {
      for (const [file, text] of originals) writeFileSync(REPO + file, text);
    }
  }
  return out;
}
