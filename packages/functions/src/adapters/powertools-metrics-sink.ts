import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricsSink } from '../ports.js';

interface Entry {
  name: string;
  unit: typeof MetricUnit.Count | typeof MetricUnit.Milliseconds;
  dimensions: Record<string, string> | undefined;
  value: number;
}

/**
 * Aggregates an invocation's metrics and writes them as CloudWatch EMF through Powertools.
 * Counts are summed and timings keep their maximum per name and dimensions, so a storm of
 * 200 signals is one data point, not 200 log lines. A metric without dimensions carries the
 * Powertools `service` dimension; a metric with dimensions carries exactly those, because the
 * infra alarms read `SpotInterruptions` by `Cluster` alone and CloudWatch matches an alarm's
 * dimensions exactly.
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
    let stored = false;
    for (const { name, unit, dimensions, value } of this.entries.values()) {
      if (dimensions === undefined) {
        this.metrics.addMetric(name, unit, value);
        stored = true;
        continue;
      }
      const single = this.metrics.singleMetric();
      single.clearDefaultDimensions();
      for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
      single.addMetric(name, unit, value);
    }
    this.entries.clear();
    if (stored) this.metrics.publishStoredMetrics();
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
