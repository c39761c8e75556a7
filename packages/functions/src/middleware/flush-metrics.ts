import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { MiddlewareObj } from '@middy/core';
import type { MetricsSink } from '../ports.js';

/**
 * Writes the invocation's metrics once it ends, whether the handler returned or threw, so a
 * failed invocation still reports what it counted. Powertools' `logMetrics` publishes them,
 * with a `ColdStart` metric on the first invocation of a container; just before, the sink
 * hands over what it aggregated (middy runs `after` and `onError` in the reverse order of
 * `use`). Without a Powertools Metrics (fakes) only the sink is flushed.
 */
export function flushMetrics(sink: MetricsSink, metrics?: Metrics): MiddlewareObj[] {
  const flush = (): void => sink.flush();
  const aggregated: MiddlewareObj = { after: flush, onError: flush };
  return metrics ? [logMetrics(metrics, { captureColdStartMetric: true }), aggregated] : [aggregated];
}
