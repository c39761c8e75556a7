import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { flushMetrics } from '../middleware/flush-metrics.js';
import { handleReactBatch } from '../use-cases/handle-react.js';
import type { ReactDeps } from '../use-cases/handle-react.js';

/**
 * The react handler: an SQS batch in, a partial batch response out (`batchItemFailures`; the
 * event source mapping needs `ReportBatchItemFailures`, or Lambda ignores it). Build it with
 * composeReactDeps for AWS or with fakes and emulators for tests and the simulator.
 */
export function createReactHandler(deps: ReactDeps & { logger?: Logger }) {
  const handler = middy<SQSEvent, SQSBatchResponse>(async (event: SQSEvent) => handleReactBatch(event.Records ?? [], deps)).use(flushMetrics(deps.metrics));
  return deps.logger ? handler.use(injectLambdaContext(deps.logger, { resetKeys: true })) : handler;
}
