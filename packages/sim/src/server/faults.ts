// Faults on demand, injected on the wire so the production adapters and the real SDK meet
// them as they would meet AWS's: a throttled call (HTTP 400 ThrottlingException), a server
// error (500 ServerException or 503 ServiceUnavailableException), a call that times out (the
// connection is dropped after `seconds`, nothing applied), an answer lost after the call took
// effect (applied, then dropped), and partial failures (`count` items of the call's list come
// back in `failures[]` and are not applied).
import * as z from 'zod';
import { SimApiError } from '../errors.js';
import { SeededRandom } from '../model/random.js';
import { throughputExceeded } from './dynamodb-throughput.js';
import type { Input } from './protocol.js';
import { errorOutcome, type WireCall, type WireHandle, type WireOutcome } from './server.js';

export const FaultKind = {
  Throttling: 'throttling',
  ServerError: 'server-error',
  Timeout: 'timeout',
  LostAnswer: 'lost-answer',
  Partial: 'partial',
} as const;
export type FaultKind = (typeof FaultKind)[keyof typeof FaultKind];

export const faultSchema = z.strictObject({
  /** An action name (`UpdateContainerInstancesState`, `PutEvents`, `SendMessage`…) or `*`. */
  action: z.string().min(1),
  kind: z.enum([FaultKind.Throttling, FaultKind.ServerError, FaultKind.Timeout, FaultKind.LostAnswer, FaultKind.Partial]),
  /** Window, in seconds since the scenario start (virtual). */
  from: z.number().min(0).default(0),
  to: z.number().min(0).optional(),
  /** Chance that a matching call is hit (seeded). */
  probability: z.number().min(0).max(1).default(1),
  /** At most this many calls are hit. */
  times: z.number().int().min(1).optional(),
  /** server-error: 500 (ServerException) or 503 (ServiceUnavailableException). */
  status: z.union([z.literal(500), z.literal(503)]).default(500),
  /** timeout / lost-answer: virtual seconds before the connection is dropped. */
  seconds: z.number().min(0).default(10),
  /** partial: how many items of the list fail, and the reason each failure gives. */
  count: z.number().int().min(1).default(1),
  reason: z.string().min(1).default('MISSING'),
});
export type Fault = z.output<typeof faultSchema>;

/** The list a partial failure cuts, per action, and the key its items are answered under. */
const PARTIAL_LISTS: Record<string, { field: string; arnOf: (cluster: string, item: string) => string }> = {
  UpdateContainerInstancesState: { field: 'containerInstances', arnOf: (_, item) => item },
  DescribeContainerInstances: { field: 'containerInstances', arnOf: (_, item) => item },
  DescribeServices: { field: 'services', arnOf: (_, item) => item },
  DescribeTasks: { field: 'tasks', arnOf: (_, item) => item },
};

/** What happens to one call: nothing, or the fault that hits it. */
export class FaultInjector {
  readonly #faults: Fault[];
  readonly #hits: number[];
  readonly #rng: SeededRandom;
  readonly injected: Record<string, number> = {};

  constructor(faults: readonly Fault[], seed: number) {
    this.#faults = [...faults];
    this.#hits = faults.map(() => 0);
    this.#rng = new SeededRandom((seed ^ 0xfa17) >>> 0);
  }

  /** The first fault whose action and window match the call at `elapsedSeconds`, if it strikes. */
  pick(action: string, elapsedSeconds: number): Fault | undefined {
    for (let i = 0; i < this.#faults.length; i++) {
      const f = this.#faults[i]!;
      if (f.action !== '*' && f.action !== action) continue;
      if (elapsedSeconds < f.from || (f.to !== undefined && elapsedSeconds > f.to)) continue;
      if (f.times !== undefined && this.#hits[i]! >= f.times) continue;
      if (f.kind === FaultKind.Partial && !PARTIAL_LISTS[action] && action !== 'BatchGetItem') continue;
      if (f.probability < 1 && this.#rng.next() >= f.probability) continue;
      this.#hits[i]!++;
      this.injected[f.kind] = (this.injected[f.kind] ?? 0) + 1;
      return f;
    }
    return undefined;
  }

  /**
   * Runs the call under `fault`; `wait` holds the connection for virtual seconds. The
   * query-compatible flag gives CloudWatch's and SQS's error header.
   */
  async apply(fault: Fault, call: WireCall, handle: WireHandle, wait: (seconds: number) => Promise<void>): Promise<WireOutcome> {
    const queryCompatible = call.service === 'cloudwatch' || call.service === 'sqs';
    if (call.service === 'dynamodb' && fault.kind !== FaultKind.Timeout && fault.kind !== FaultKind.LostAnswer) return dynamoDbFault(fault, call, handle);
    switch (fault.kind) {
      case FaultKind.Throttling:
        return errorOutcome(new SimApiError('ThrottlingException', 'Rate exceeded'), queryCompatible);
      case FaultKind.ServerError:
        return errorOutcome(
          fault.status === 503
            ? new SimApiError('ServiceUnavailableException', 'Service unavailable (injected fault).', { httpStatus: 503 })
            : new SimApiError('ServerException', 'Server exception (injected fault).', { httpStatus: 500 }),
          queryCompatible,
        );
      case FaultKind.Timeout:
        await wait(fault.seconds);
        return { drop: true };
      case FaultKind.LostAnswer:
        await handle();
        await wait(fault.seconds);
        return { drop: true };
      case FaultKind.Partial:
        return partial(fault, call, handle);
    }
  }
}

async function partial(fault: Fault, call: WireCall, handle: WireHandle): Promise<WireOutcome> {
  const list = PARTIAL_LISTS[call.action]!;
  const items = Array.isArray(call.input[list.field]) ? (call.input[list.field] as string[]) : [];
  const failing = items.slice(0, fault.count);
  const kept = items.slice(fault.count);
  const cluster = typeof call.input.cluster === 'string' ? call.input.cluster : 'default';
  const failures = failing.map((item) => ({ arn: list.arnOf(cluster, item), reason: fault.reason }));
  if (kept.length === 0) {
    // Nothing left to apply: ECS answers the call with every item in failures[].
    return { status: 200, body: { [resultKey(call.action)]: [], failures } };
  }
  const outcome = await handle({ ...call.input, [list.field]: kept } as Input);
  if ('drop' in outcome || outcome.status !== 200) return outcome;
  const body = (outcome.body ?? {}) as Record<string, unknown>;
  const earlier = Array.isArray(body.failures) ? body.failures : [];
  return { ...outcome, body: { ...body, failures: [...earlier, ...failures] } };
}

/** The table a DynamoDB call names (the first one of a BatchGetItem), for ThrottlingReasons. */
function tableOf(input: Input): string {
  if (typeof input.TableName === 'string') return input.TableName;
  const requests = input.RequestItems;
  return typeof requests === 'object' && requests !== null ? (Object.keys(requests)[0] ?? '') : '';
}

/**
 * DynamoDB's answers: throttling is ProvisionedThroughputExceededException with its
 * ThrottlingReasons (the key's partition), server errors InternalServerError (500) or
 * ServiceUnavailable (503), and a partial failure of BatchGetItem sends `count` keys back in
 * UnprocessedKeys (all of them: refused whole, as DynamoDB does when it read nothing).
 */
async function dynamoDbFault(fault: Fault, call: WireCall, handle: WireHandle): Promise<WireOutcome> {
  const throttled = () => errorOutcome(throughputExceeded(tableOf(call.input), `Table${call.action === 'PutItem' ? 'Write' : 'Read'}KeyRangeThroughputExceeded`), false);
  if (fault.kind === FaultKind.Throttling) return throttled();
  if (fault.kind === FaultKind.ServerError) {
    return errorOutcome(
      fault.status === 503
        ? new SimApiError('com.amazon.coral.availability#ServiceUnavailableException', 'Service unavailable (injected fault).', { httpStatus: 503 })
        : new SimApiError('com.amazonaws.dynamodb.v20120810#InternalServerError', 'Internal server error (injected fault).', { httpStatus: 500 }),
      false,
    );
  }
  const requests = (call.input.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>;
  let budget = fault.count;
  const kept: Record<string, unknown> = {};
  const unprocessed: Record<string, unknown> = {};
  for (const [table, spec] of Object.entries(requests)) {
    const keys = Array.isArray(spec?.Keys) ? spec.Keys : [];
    const cut = Math.min(budget, keys.length);
    budget -= cut;
    if (cut > 0) unprocessed[table] = { ...spec, Keys: keys.slice(0, cut) };
    if (cut < keys.length) kept[table] = { ...spec, Keys: keys.slice(cut) };
  }
  if (Object.keys(kept).length === 0) return throttled();
  const outcome = await handle({ ...call.input, RequestItems: kept });
  if ('drop' in outcome || outcome.status !== 200) return outcome;
  const body = (outcome.body ?? {}) as { UnprocessedKeys?: Record<string, { Keys: unknown[] }> };
  const merged: Record<string, unknown> = { ...unprocessed };
  for (const [table, spec] of Object.entries(body.UnprocessedKeys ?? {})) {
    const before = merged[table] as { Keys: unknown[] } | undefined;
    merged[table] = before ? { ...spec, Keys: [...before.Keys, ...spec.Keys] } : spec;
  }
  return { ...outcome, body: { ...body, UnprocessedKeys: merged } };
}

function resultKey(action: string): string {
  if (action === 'DescribeServices') return 'services';
  if (action === 'DescribeTasks') return 'tasks';
  return 'containerInstances';
}
