import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { flushMetrics } from '../middleware/flush-metrics.js';
import { ownScope } from '../middleware/own-scope.js';
import { middyOptions, type HandlerOptions } from './handler-options.js';
import { handleTick } from '../use-cases/handle-tick.js';
import type { TickDeps, TickResult } from '../use-cases/handle-tick.js';

/**
 * The tick handler: the schedule rule's `Scheduled Event` in, restores and drift out. With
 * `ownScope` (the deployed function), a policy naming no `accounts` / `regions` is scoped to
 * the function's own, read from the first invocation's context.
 */
export function createTickHandler(deps: TickDeps & { logger?: Logger; powertoolsMetrics?: Metrics }, options: HandlerOptions = {}) {
  const handler = middy<ScheduledEvent, TickResult>(async (event: ScheduledEvent) => handleTick(event, deps), middyOptions(options)).use(flushMetrics(deps.metrics, deps.powertoolsMetrics));
  if (options.ownScope) handler.use(ownScope(deps, { log: deps.log, ...options.ownScope }));
  return deps.logger ? handler.use(injectLambdaContext(deps.logger, { resetKeys: true })) : handler;
}
