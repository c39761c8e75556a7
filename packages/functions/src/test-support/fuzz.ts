// Property-based fuzzing of the react use-case: batches of real events (valid, mutated and
// garbage), names that index prototypes, and faults in every port. The invariant, per
// record: it was acted on or skipped with a reason (a `record decided` log line), quarantined
// with a typed error, or reported in batchItemFailures — never silently dropped; the handler
// never rejects.
import {
  FALLBACK_ALARM,
  aCluster,
  aHealthScheduledChange,
  aPlacementFailure,
  aPolicy,
  aRebalanceRecommendation,
  aSpotWarning,
  anAlarmStateChange,
  anInstanceStateChange,
  someInstances,
} from '@ecs-rebalancer/core/test-support';
import fc from 'fast-check';
import { PermanentError, RetryableError } from '../errors.js';
import { handleReactBatch } from '../use-cases/handle-react.js';
import type { ReactDeps } from '../use-cases/handle-react.js';
import { FakeAlarms, FakeEcs, RecordingLog, RecordingMetrics, RecordingPublisher, RecordingQuarantine, RecordingRedelivery, aQueueRecord, virtualTime } from './fakes.js';

const TYPED = new Set(['MalformedEventError', 'ValidationError', 'RetryableError', 'PermanentError', 'ConfigError', 'TimestampError']);
const instances = someInstances(8, {}, 'abcd');
const CLUSTERS = ['prod', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'other'];
const ids = [...instances.map((i) => i.ec2InstanceId), 'i-0123456789abcdef0'];

const anEvent = fc.oneof(
  fc.record({ n: fc.constantFrom(...ids), t: fc.integer({ min: 0, max: 300 }) }).map(({ n, t }) => aSpotWarning({ instanceId: n, id: `s-${n}-${t}`, time: new Date(Date.UTC(2024, 2, 1, 12, 0, t)).toISOString() })),
  fc.constantFrom(...ids).map((n) => aRebalanceRecommendation({ instanceId: n })),
  fc.record({ n: fc.constantFrom(...ids), s: fc.constantFrom('stopping', 'stopped', 'shutting-down', 'terminated', 'running', 'pending') }).map(({ n, s }) => anInstanceStateChange({ instanceId: n, state: s })),
  fc.subarray(ids, { minLength: 1, maxLength: 4 }).map((list) => aHealthScheduledChange({ instanceIds: list })),
  fc.record({ s: fc.constantFrom('ALARM', 'OK', 'INSUFFICIENT_DATA'), a: fc.constantFrom(FALLBACK_ALARM, 'other-alarm', '__proto__') }).map(({ s, a }) => anAlarmStateChange({ alarmName: a, state: s as 'OK' })),
  fc.record({ c: fc.constantFrom(...CLUSTERS), s: fc.constantFrom('web', 'api', 'constructor', '__proto__') }).map(({ c, s }) => aPlacementFailure({ cluster: c, service: s, capacityProviders: ['spot-arm64'] })),
);

/** A path into the event and a value to put there, or a key to delete. */
const aMutation = fc.record({
  path: fc.array(fc.constantFrom('detail', 'time', 'id', 'source', 'detail-type', 'resources', 'instance-id', 'state', 'clusterArn', 'account', 'region', 'alarmName', 'value', 'timestamp', 'eventType', 'affectedEntities', '0'), { minLength: 1, maxLength: 3 }),
  value: fc.oneof(fc.constant(undefined), fc.constant(null), fc.string({ maxLength: 8 }), fc.integer(), fc.constantFrom('2024-03-01T12:00:00+25:00', '2019-02-30T00:00:00Z', 'T24:00:00Z', '__proto__', 'constructor'), fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 })),
});

const aBody = fc.oneof(
  { weight: 6, arbitrary: anEvent.map((e) => JSON.stringify(e)) },
  { weight: 3, arbitrary: fc.tuple(anEvent, fc.array(aMutation, { minLength: 1, maxLength: 3 })).map(([e, ms]) => JSON.stringify(mutate(e, ms))) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 20 }), fc.json({ maxDepth: 2 })) },
);

const aFault = fc.record({
  load: fc.constantFrom('none', 'none', 'none', 'retryable', 'permanent', 'type-error'),
  drain: fc.constantFrom('none', 'none', 'retryable', 'permanent'),
  write: fc.constantFrom('none', 'none', 'retryable', 'permanent'),
  quarantine: fc.constantFrom('none', 'none', 'none', 'retryable', 'permanent'),
  killSwitch: fc.constantFrom('active', 'active', 'active', 'paused', 'dry-run'),
  times: fc.integer({ min: 1, max: 3 }),
});

function mutate(event: Record<string, unknown>, mutations: readonly { path: string[]; value: unknown }[]): unknown {
  const copy = structuredClone(event) as Record<string, unknown>;
  for (const { path, value } of mutations) {
    let node: unknown = copy;
    for (const key of path.slice(0, -1)) {
      if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) break;
      node = (node as Record<string, unknown>)[key];
    }
    if (typeof node !== 'object' || node === null) continue;
    const last = path.at(-1) as string;
    if (value === undefined) delete (node as Record<string, unknown>)[last];
    else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function failure(kind: string): Error | undefined {
  if (kind === 'retryable') return new RetryableError('injected: ThrottlingException', { code: 'ThrottlingException' });
  if (kind === 'permanent') return new PermanentError('injected: AccessDeniedException', { code: 'AccessDeniedException' });
  if (kind === 'type-error') return new TypeError('injected: cannot read properties of undefined');
  return undefined;
}

export interface FuzzReport {
  cases: number;
  records: number;
  acted: number;
  quarantined: number;
  retried: number;
  /** Records dropped silently, handler rejections: must be none. */
  violations: string[];
  /** Records quarantined with an error that is neither typed nor injected (a bug behind the parse). */
  untyped: string[];
}

/** Runs `cases` fuzzed batches through handleReactBatch and checks the invariant on each record. */
export async function fuzzReactHandler(cases: number, seed = 42): Promise<FuzzReport> {
  const report: FuzzReport = { cases: 0, records: 0, acted: 0, quarantined: 0, retried: 0, violations: [], untyped: [] };
  await fc.assert(
    fc.asyncProperty(fc.array(aBody, { minLength: 1, maxLength: 12 }), aFault, async (bodies, fault) => {
      const ecs = new FakeEcs([aCluster({ containerInstances: structuredClone(instances) })]);
      let loads = 0;
      const load = ecs.load.bind(ecs);
      ecs.load = async (r) => {
        const error = ++loads <= fault.times ? failure(fault.load) : undefined;
        if (error) throw error;
        return load(r);
      };
      let drains = 0;
      ecs.drainError = () => (++drains <= fault.times ? failure(fault.drain) : undefined);
      ecs.writeError = failure(fault.write);
      const quarantine = new RecordingQuarantine();
      quarantine.error = failure(fault.quarantine);
      const time = virtualTime(new Date('2024-03-01T12:00:10Z'));
      const log = new RecordingLog();
      const deps = {
        policy: aPolicy(),
        clusters: ecs,
        alarms: new FakeAlarms({ [FALLBACK_ALARM]: 'OK' }),
        drainer: ecs,
        strategies: ecs,
        decisions: new RecordingPublisher(),
        quarantine,
        metrics: new RecordingMetrics(),
        log,
        clock: time.clock,
        sleep: time.sleep,
        random: () => 0.5,
        redelivery: new RecordingRedelivery(),
        killSwitch: { mode: async () => ({ mode: fault.killSwitch, source: 'fuzz' }) },
      } satisfies ReactDeps;
      const records = bodies.map((body, i) => aQueueRecord(body, `m${i}`));
      let response;
      try {
        response = await handleReactBatch(records, deps);
      } catch (error) {
        report.violations.push(`the handler rejected: ${(error as Error).name}: ${(error as Error).message}`);
        return;
      }
      report.cases += 1;
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      const decided = new Set(log.lines.filter((l) => l.message === 'record decided').map((l) => l.attributes['messageId'] as string));
      const sent = new Set(quarantine.sent.map((s) => s.record.messageId));
      for (const s of quarantine.sent) {
        if (!TYPED.has(s.error.name) && !s.error.message.startsWith('injected:')) report.untyped.push(`record quarantined with an untyped ${s.error.name}: ${s.error.message}`);
      }
      for (const r of records) {
        report.records += 1;
        if (failed.has(r.messageId)) report.retried += 1;
        else if (sent.has(r.messageId)) report.quarantined += 1;
        else if (decided.has(r.messageId)) report.acted += 1;
        else report.violations.push(`record ${r.messageId} was dropped silently: ${r.body.slice(0, 160)}`);
      }
    }),
    { numRuns: cases, seed },
  );
  return report;
}
