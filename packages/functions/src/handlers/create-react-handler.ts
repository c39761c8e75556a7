import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { flushMetrics } from '../middleware/flush-metrics.js';
import { ownScope } from '../middleware/own-scope.js';
import { middyOptions, type HandlerOptions } from './handler-options.js';
import { handleDirectEvent, handleReactBatch } from '../use-cases/handle-react.js';
import type { ReactDeps } from '../use-cases/handle-react.js';

/**
 * What the react function is invoked with: an SQS batch from its event source mapping, or the
 * payload of a CloudWatch alarm whose alarm action names the function (no `Records`).
 */
export type ReactEvent = SQSEvent | Record<string, unknown>;

/**
 * The react handler: an SQS batch in, a partial batch response out (`batchItemFailures`; the
 * event source mapping needs `ReportBatchItemFailures`, or Lambda ignores it). Any other payload
 * is a direct invocation (an alarm action): it is handled as one event and the answer is
 * empty; it rejects when the event must be tried again or cannot be read. Build it with
 * composeReactDeps for AWS or with fakes and emulators for tests and the simulator. With
 * `ownScope` (the deployed function), a policy naming no `accounts` / `regions` is scoped to
 * the function's own, read from the first invocation's context.
 */
export function createReactHandler(deps: ReactDeps & { logger?: Logger; powertoolsMetrics?: Metrics }, options: HandlerOptions = {}) {
  const handler = middy<ReactEvent, SQSBatchResponse | undefined>(async (event: ReactEvent, context: Context) => {
    const remainingMs = typeof context?.getRemainingTimeInMillis === 'function' ? () => context.getRemainingTimeInMillis() : undefined;
    if (isSqsEvent(event)) return handleReactBatch(event.Records, deps, remainingMs ? { remainingMs } : {});
    await handleDirectEvent(event, deps);
    return undefined;
  }, middyOptions(options)).use(flushMetrics(deps.metrics, deps.powertoolsMetrics));
  if (options.ownScope) handler.use(ownScope(deps, { log: deps.log, ...options.ownScope }));
  return deps.logger ? handler.use(injectLambdaContext(deps.logger, { resetKeys: true })) : handler;
}

function isSqsEvent(event: unknown): event is SQSEvent {
  return typeof event === 'object' && event !== null && Array.isArray((event as { Records?: unknown }).Records);
}
