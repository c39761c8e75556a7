import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { flushMetrics } from '../middleware/flush-metrics.js';
import { handleTick } from '../use-cases/handle-tick.js';
import type { TickDeps, TickResult } from '../use-cases/handle-tick.js';

/** The tick handler: the schedule rule's `Scheduled Event` in, restores and drift out. */
export function createTickHandler(deps: TickDeps & { logger?: Logger }) {
  const handler = middy<ScheduledEvent, TickResult>(async (event: ScheduledEvent) => handleTick(event, deps)).use(flushMetrics(deps.metrics));
  return deps.logger ? handler.use(injectLambdaContext(deps.logger, { resetKeys: true })) : handler;
}
