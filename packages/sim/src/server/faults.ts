// Faults on demand, injected on the wire so the production adapters and the real SDK meet
// them as they would meet AWS's: a throttled call (HTTP 400 ThrottlingException), a server
// error (500 ServerException or 503 ServiceUnavailableException), a call that times out (the
// connection is dropped after `seconds`, nothing applied), an answer lost after the call took
// effect (applied, then dropped), and partial failures (`count` items of the call's list come
// back in `failures[]` and are not applied).
import * as z from 'zod';
import { SimApiError } from '../errors.js';
import { SeededRandom } from '../model/random.js';
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
      if (f.kind === FaultKind.Partial && !PARTIAL_LISTS[action]) continue;
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

function resultKey(action: string): string {
  if (action === 'DescribeServices') return 'services';
  if (action === 'DescribeTasks') return 'tasks';
  return 'containerInstances';
}
