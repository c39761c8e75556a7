import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Log, MetricsSink } from '../ports.js';

interface Entry {
  name: string;
  unit: typeof MetricUnit.Count | typeof MetricUnit.Milliseconds;
  dimensions: Record<string, string> | undefined;
  value: number;
}

/**
 * Aggregates an invocation's metrics and hands them to Powertools, whose `logMetrics`
 * middleware writes them as CloudWatch EMF when the invocation ends (middleware/metrics.ts).
 * Counts are summed and timings keep their maximum per name and dimensions, so a storm of
 * 200 signals is one data point, not 200 log lines. A metric without dimensions is stored with
 * the Powertools `service` dimension; a metric with dimensions is written at once as a single
 * metric with exactly those, because the infra alarms read `SpotInterruptions` by `Cluster`
 * alone and CloudWatch matches an alarm's dimensions exactly.
 */
export class PowertoolsMetricsSink implements MetricsSink {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly metrics: Metrics) {}

  count(name: string, value: number, dimensions?: Record<string, string>): void {
    const entry = this.entry(name, MetricUnit.Count, dimensions);
    entry.value += value;
  }

  milliseconds(name: string, value: number, dimensions?: Record<string, string>): void {
    const entry = this.entry(name, MetricUnit.Milliseconds, dimensions);
    entry.value = Math.max(entry.value, value);
  }

  flush(): void {
    for (const { name, unit, dimensions, value } of this.entries.values()) {
      if (dimensions === undefined) {
        this.metrics.addMetric(name, unit, value);
        continue;
      }
      const single = this.metrics.singleMetric();
      single.clearDefaultDimensions();
      for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
      single.addMetric(name, unit, value);
    }
    this.entries.clear();
  }

  private entry(name: string, unit: Entry['unit'], dimensions: Record<string, string> | undefined): Entry {
    const key = JSON.stringify([name, unit, dimensions === undefined ? null : Object.entries(dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { name, unit, dimensions: dimensions === undefined ? undefined : { ...dimensions }, value: 0 };
      this.entries.set(key, entry);
    }
    return entry;
  }
}

type MetricsLogger = NonNullable<NonNullable<ConstructorParameters<typeof Metrics>[0]>['logger']>;

/**
 * The logger for Powertools Metrics' own warnings. It warns on every invocation that stored
 * no metric without dimensions ("No application metrics to publish"), which it cannot tell
 * from one whose metrics were all written at once with their own dimensions (above): that
 * one goes to debug, the other warnings stay warnings.
 */
export function metricsLogger(log: Log): MetricsLogger {
  const say =
    (level: keyof Log) =>
    (message: unknown, ...rest: unknown[]): void =>
      log[level](String(message), ...(rest.length > 0 ? [{ detail: rest }] : []));
  return {
    debug: say('debug'),
    info: say('info'),
    error: say('error'),
    warn: (message: unknown, ...rest: unknown[]) => say(String(message).startsWith('No application metrics to publish') ? 'debug' : 'warn')(message, ...rest),
  };
}
