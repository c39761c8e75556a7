// The quick forms of the reliability attacks (the long forms: `npm run reliability`).
import { describe, expect, it } from 'vitest';
import { ambiguousUpdateService, drainUnderFaults, isolation, killSwitch, quarantineFailure } from './attacks.js';

describe('reliability attacks (quick forms)', () => {
  it.each([
    ['finding 1: drains under faults', () => drainUnderFaults(1)],
    ['findings 2, 3: ambiguous UpdateService', () => ambiguousUpdateService(1)],
    ['finding 5: isolation', () => isolation()],
    ['finding 10: quarantine failure', () => quarantineFailure()],
    ['finding 12: kill switch and dry run', () => killSwitch()],
  ] as const)('%s', async (_name, attack) => {
    const result = await attack();
    console.log(`${result.attack}: ${result.tried} → ${result.result}`);
    expect(result.result).toBe(result.passed ? result.result : 'passed');
    expect(result.passed).toBe(true);
  }, 240_000);
});

describe('reliability attacks on races (quick forms)', () => {
  it('finding 7: concurrent invocations change a service once', async () => {
    const { concurrentInvocations } = await import('./attacks.js');
    const result = await concurrentInvocations(1);
    console.log(`${result.attack}: ${result.tried} → ${result.result}`);
    expect(result.passed ? 'passed' : result.result).toBe('passed');
  }, 120_000);

  it("finding 11: an operator's change is decided again, never overwritten", async () => {
    const { operatorChange } = await import('./attacks.js');
    const result = await operatorChange();
    console.log(`${result.attack}: ${result.tried} → ${result.result}`);
    expect(result.passed ? 'passed' : result.result).toBe('passed');
  }, 120_000);
});

describe('reliability attacks on stale signals, foreign events, timestamps and flapping', () => {
  it.each([
    ['finding 4: a redelivered ALARM after the restore', 'redeliveredAlarm'],
    ['finding 6: foreign events, default policy as deployed', 'foreignEvents'],
    ["finding 8: a restore's record clear fails, the alarm comes back", 'restoreClearFails'],
    ['finding 9: impossible timestamps', 'impossibleTimestamps'],
    ['finding 13: two hours of an alarm flipping every 60 s, default policy', 'flapping'],
  ] as const)('%s', async (_name, name) => {
    const attacks = await import('./more-attacks.js');
    const result = await attacks[name]();
    console.log(`${result.attack}: ${result.tried} → ${result.result}`);
    expect(result.passed ? 'passed' : result.result).toBe('passed');
  }, 240_000);
});

describe('reliability: every event parser fuzzed (quick form)', () => {
  it('1,000 mutated events: signals or a MalformedEventError with its path, nothing else', async () => {
    const { fuzzParsers } = await import('./parser-fuzz.js');
    const result = await fuzzParsers(1_000);
    console.log(`${result.attack}: ${result.tried} → ${result.result}`);
    expect(result.passed ? 'passed' : result.result).toBe('passed');
  }, 60_000);
});

describe('reliability: many messages (quick form)', () => {
  it('300 messages through fauxqs and the handler, none lost', async () => {
    const { manyMessages } = await import('./more-attacks.js');
    const result = await manyMessages(300);
    console.log(`${result.attack}: ${result.tried} → ${result.result}`);
    expect(result.passed ? 'passed' : result.result).toBe('passed');
  }, 300_000);
});
