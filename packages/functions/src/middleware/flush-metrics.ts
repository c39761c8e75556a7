import type { MiddlewareObj } from '@middy/core';
import type { MetricsSink } from '../ports.js';

/**
 * Writes the invocation's metrics once it ends, whether the handler returned or threw, so a
 * failed invocation still reports what it counted.
 */
export function flushMetrics(sink: MetricsSink): MiddlewareObj {
  const flush = (): void => sink.flush();
  return { name: 'flushMetrics', after: flush, onError: flush };
}
