// The long runs (15,000 messages, two hours of flapping) and the attacks whose fixes live
// partly in the core (stale signals, hysteresis, foreign events, strict timestamps).
import { loadEvent } from '@ecs-rebalancer/core/test-support';
import { sampleWorld } from '../support/scenarios.js';
import type { AttackResult } from './attacks.js';
import { invariantProblems } from './attacks.js';
import { runWith } from './harness.js';

/** 15,000 messages (or `count`) through fauxqs and the react handler: none lost. */
export async function manyMessages(count: number): Promise<AttackResult> {
  const warning = loadEvent('ec2-spot-instance-interruption-warning') as Record<string, any>;
  const timeline: { at: number; event: unknown }[] = [];
  let poison = 0;
  for (let i = 0; i < count; i++) {
    const event = structuredClone(warning);
    event.id = `m-${i}`;
    const kind = i % 10;
    if (kind === 0) {
      delete event.detail['instance-id'];
      poison += 1;
    } else if (kind < 8) {
      // Instances in no managed cluster: looked up, skipped with a reason, acknowledged.
      event.detail['instance-id'] = `i-0${(i % 4096).toString(16).padStart(16, '0')}`;
      event.resources = [`arn:aws:ec2:us-east-1:123456789012:instance/${event.detail['instance-id']}`];
    }
    // kind 8, 9: the sample's instance again and again (duplicates).
    timeline.push({ at: 5 + Math.floor(i / 50), event });
  }
  const result = await runWith(sampleWorld({ timeline, durationSeconds: 5 + Math.ceil(count / 50) + 600 }));
  const problems = invariantProblems(result);
  if (result.queue.dlq !== poison) problems.push(`${result.queue.dlq} in the DLQ, ${poison} poison sent`);
  const drainedTwice = result.report.drains.filter((d) => d.ec2InstanceId === 'i-0b662ef9931388ba0').length;
  if (drainedTwice > 1) problems.push(`the duplicated instance was drained ${drainedTwice} times`);
  return {
    finding: 'all',
    attack: `${count.toLocaleString('en-US')} messages through fauxqs and the react handler (10% poison, 70% unknown instances, 20% duplicates of one warning)`,
    tried: `${count} messages, ${result.invocations.length} invocations`,
    result: problems.length === 0 ? `0 lost: ${count - poison} acknowledged, ${poison} in the DLQ, ${result.queue.remaining} left; the duplicated instance drained once; ${Math.round(result.wallMs / 1000)} s wall` : problems.slice(0, 3).join('; '),
    passed: problems.length === 0,
    figures: { [`messages through fauxqs and the handler, lost (of ${count.toLocaleString('en-US')})`]: problems.length === 0 ? 0 : problems.join('; ') },
  };
}

const at = (seconds: number, event: unknown) => ({ at: seconds, event });
const ALARM = 'ServerCpuTooHigh';

/** Finding 13: an alarm flipping every 60 s for two hours; with the defaults at most 4 forced deployments per service. */
export async function flapping(hours = 2): Promise<AttackResult & { deployments: number }> {
  const timeline: unknown[] = [];
  const seconds = hours * 3600;
  for (let t = 30, i = 0; t < seconds; t += 60, i++) timeline.push({ at: t, alarm: { name: ALARM, state: i % 2 === 0 ? 'ALARM' : 'OK' } });
  const result = await runWith(sampleWorld({ timeline: timeline as never[], durationSeconds: seconds + 1800 }));
  const deployments = result.report.strategyChanges.filter((c) => c.cluster === 'prod' && c.service === 'web').length;
  const problems = invariantProblems(result);
  return {
    finding: '13',
    attack: `alarm ${ALARM} flipping ALARM/OK every 60 s for ${hours} h (defaults: minSeconds 600, okSeconds 300, doubling within the hour)`,
    tried: `${timeline.length} alarm transitions, ${hours * 12 + 6} ticks`,
    result: `${deployments} forced deployments of prod/web${problems.length > 0 ? `; ${problems.join('; ')}` : ''}`,
    passed: deployments <= 4 && problems.length === 0,
    deployments,
  };
}

/**
 * Finding 4: the ALARM delivered again after the restore does not fall back again. After the
 * restore the alarm goes to INSUFFICIENT_DATA (a metric that stops reporting), so CloudWatch
 * does not say OK: only the service's lastRestoredAt (its record's tag) shows the event stale.
 */
export async function redeliveredAlarm(): Promise<AttackResult> {
  const alarm = loadEvent('cloudwatch-alarm-state-change') as Record<string, any>;
  alarm.detail.state.timestamp = '2026-01-05T09:00:05.000+0000';
  const scenario = sampleWorld({
    timeline: [
      { at: 5, alarm: { name: ALARM, state: 'ALARM' } },
      at(6, alarm),
      { at: 60, alarm: { name: ALARM, state: 'OK' } },
      { at: 1500, alarm: { name: ALARM, state: 'INSUFFICIENT_DATA' } },
      at(2400, structuredClone(alarm)),
      at(2460, structuredClone(alarm)),
    ],
    durationSeconds: 3000,
  });
  const result = await runWith(scenario);
  const changes = result.report.strategyChanges.filter((c) => c.service === 'web');
  return {
    finding: '4',
    attack: 'the ALARM event delivered again (twice) 40 min after the fallback, after the restore, while the alarm is INSUFFICIENT_DATA',
    tried: '1 run: ALARM, OK, restore by the tick, INSUFFICIENT_DATA, two redeliveries',
    result: `${changes.length} strategy changes of web (${changes.map((c) => c.time.slice(11, 19)).join(', ')})`,
    passed: changes.length === 2,
  };
}

/**
 * Finding 6: events of another account or region are skipped. The policy names neither: as
 * deployed, the handlers take the function's own (123456789012, us-east-1, from the context
 * ARN). The ALARMs carry a state time after CloudWatch's last change, so staleness does not
 * hide them; the same placement failure from this account, last, must still fall back.
 */
export async function foreignEvents(): Promise<AttackResult> {
  const alarm = loadEvent('cloudwatch-alarm-state-change') as Record<string, any>;
  const current = (id: string, envelope: Record<string, string>) => {
    const event: Record<string, any> = { ...structuredClone(alarm), id, ...envelope };
    event.detail.state.timestamp = '2026-01-05T09:00:05.000+0000';
    return event;
  };
  const placement = loadEvent('ecs-service-action-placement-failure') as Record<string, any>;
  const own = { account: '123456789012', region: 'us-east-1' };
  const foreign = [
    current('foreign-account', { ...own, account: '999999999999' }),
    current('foreign-region', { ...own, region: 'ap-south-1' }),
    { ...structuredClone(placement), id: 'foreign-placement', ...own, account: '999999999999' },
    { ...structuredClone(placement), id: 'foreign-region-placement', ...own, region: 'eu-west-1' },
  ];
  const scenario = sampleWorld({ timeline: [...foreign.map((e) => at(5, e)), at(60, { ...structuredClone(placement), id: 'own-placement', ...own })], durationSeconds: 180 });
  const result = await runWith(scenario, { ownScope: true });
  const early = result.report.strategyChanges.filter((c) => Date.parse(c.time) < Date.parse(result.report.start) + 60_000).length;
  const late = result.report.strategyChanges.length - early;
  return {
    finding: '6',
    attack: 'ALARMs from another account and another region, placement failures from another account and another region, then one from this account; default policy (no accounts, regions): the deployment\'s own',
    tried: `${foreign.length} foreign events, 1 own`,
    result: `${early} strategy changes from the foreign events, ${late} from this account's; queue ${JSON.stringify(result.queue)}`,
    passed: early === 0 && late === 1 && result.queue.remaining === 0,
  };
}

/**
 * Finding 8: a restore whose record clear fails after its UpdateService (every SDK attempt of
 * the TagResource that clears it: SDK middleware, as only that one of the run's TagResource
 * calls must fail), then the alarm again 15 minutes later. The record left in phase
 * `restoring` must be read as the restore it is, not as a pending fallback; the second
 * fallback's restore must wait minSeconds doubled (the first fallback is within the hour).
 */
export async function restoreClearFails(): Promise<AttackResult> {
  const MIN_SECONDS = 600;
  const scenario = sampleWorld({
    timeline: [
      { at: 5, alarm: { name: ALARM, state: 'ALARM' } },
      { at: 60, alarm: { name: ALARM, state: 'OK' } },
      { at: 1800, alarm: { name: ALARM, state: 'ALARM' } },
      { at: 1860, alarm: { name: ALARM, state: 'OK' } },
    ],
    durationSeconds: 5400,
  });
  // TagResource calls: 1 fallback intent, 2 fallback active, 3 restore intent, 4–9 the restore's clear (6 attempts).
  const result = await runWith(scenario, { faults: [{ action: 'TagResource', kind: 'server-error', attempts: [4, 5, 6, 7, 8, 9] }] });
  const changes = result.report.strategyChanges.filter((c) => c.service === 'web').map((c) => Date.parse(c.time));
  const gap = changes.length >= 4 ? Math.round((changes[3]! - changes[2]!) / 1000) : Number.NaN;
  const problems = invariantProblems(result);
  if (changes.length !== 4) problems.push(`${changes.length} strategy changes of web (expected 4)`);
  if (!(gap >= 2 * MIN_SECONDS)) problems.push(`the second restore came ${gap} s after the second fallback (minSeconds doubled: ${2 * MIN_SECONDS})`);
  return {
    finding: '8',
    attack: "a restore's record clear fails on every SDK attempt after its UpdateService; the alarm again 30 min after the first fallback",
    tried: `1 run, ${result.faults.injected['TagResource'] ?? 0} TagResource attempts failed`,
    result: `${changes.length} strategy changes of web; second restore ${gap} s after the second fallback (≥ ${2 * MIN_SECONDS} required)`,
    passed: problems.length === 0,
  };
}

/** Finding 9: impossible timestamps are typed errors with their path, quarantined; never a crash. */
export async function impossibleTimestamps(): Promise<AttackResult> {
  const times = ['2024-03-01T12:00:00+25:00', '2024-03-01T12:00:00-99:99', '2019-02-30T12:00:00Z', '2024-03-01T24:00:00Z'];
  const timeline = times.map((time, i) => at(5, { ...(loadEvent('ec2-spot-instance-interruption-warning') as Record<string, unknown>), id: `bad-time-${i}`, time }));
  const result = await runWith(sampleWorld({ timeline, durationSeconds: 120 }));
  const withPath = result.dlqMessages.filter((m) => Object.values(m.attributes).some((v) => v === 'time')).length;
  return {
    finding: '9',
    attack: 'Spot warnings with times +25:00, -99:99, 2019-02-30 and T24:00:00',
    tried: `${times.length} events`,
    result: `${result.queue.dlq} quarantined, ${withPath} with ErrorPath time; ${result.report.drains.length} drains`,
    passed: result.queue.dlq === times.length && withPath === times.length && result.queue.remaining === 0,
  };
}

/** The attacks of this file; `long` selects the long forms. */
export function moreAttacks(long: boolean): (() => Promise<AttackResult>)[] {
  return [() => manyMessages(long ? 15_000 : 300), () => flapping(2), redeliveredAlarm, restoreClearFails, foreignEvents, impossibleTimestamps];
}
