import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PowertoolsMetricsSink } from './powertools-metrics-sink.js';

/** The EMF documents Powertools writes to stdout while `act` runs. */
function emfWrittenBy(act: () => void): Record<string, any>[] {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    spy.mockRestore();
  }
  return lines.flatMap((l) => l.split('\n')).filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l));
}

// The sink hands its aggregates over; the handlers' logMetrics middleware publishes them.
function flushAndPublish(sink: PowertoolsMetricsSink, metrics: Metrics): void {
  sink.flush();
  metrics.publishStoredMetrics();
}

afterEach(() => vi.restoreAllMocks());

describe('PowertoolsMetricsSink', () => {
  it('writes SpotInterruptions with exactly the Cluster dimension the fallback alarm reads', () => {
    // Prepare
    const metrics = new Metrics({ namespace: 'EcsRebalancer', serviceName: 'ecs-rebalancer' });
    const sink = new PowertoolsMetricsSink(metrics);
    sink.count('SpotInterruptions', 2, { Cluster: 'prod' });
    sink.count('SpotInterruptions', 3, { Cluster: 'prod' });

    // Act
    const [emf, ...rest] = emfWrittenBy(() => flushAndPublish(sink, metrics));

    // Assess
    expect(rest).toEqual([]);
    expect(emf?._aws.CloudWatchMetrics).toEqual([{ Namespace: 'EcsRebalancer', Dimensions: [['Cluster']], Metrics: [{ Name: 'SpotInterruptions', Unit: 'Count' }] }]);
    expect(emf).toMatchObject({ Cluster: 'prod', SpotInterruptions: 5 });
    expect(emf).not.toHaveProperty('service');
  });

  it('sums counts, keeps the largest timing, and gives metrics without dimensions the service dimension', () => {
    const metrics = new Metrics({ namespace: 'EcsRebalancer', serviceName: 'ecs-rebalancer' });
    const sink = new PowertoolsMetricsSink(metrics);
    sink.count('Skipped', 1);
    sink.count('Skipped', 4);
    sink.milliseconds('QueueAge', 1200);
    sink.milliseconds('QueueAge', 800);

    const emfs = emfWrittenBy(() => flushAndPublish(sink, metrics));

    expect(emfs).toHaveLength(1);
    expect(emfs[0]).toMatchObject({ service: 'ecs-rebalancer', Skipped: 5, QueueAge: 1200 });
  });

  it('writes nothing twice: a flush empties the sink', () => {
    const metrics = new Metrics({ namespace: 'EcsRebalancer', serviceName: 'ecs-rebalancer' });
    const sink = new PowertoolsMetricsSink(metrics);
    sink.count('Signals', 1, { Kind: 'tick' });

    const first = emfWrittenBy(() => flushAndPublish(sink, metrics));
    const second = emfWrittenBy(() => flushAndPublish(sink, metrics));

    expect([first.length, second.length]).toEqual([1, 0]);
  });
});
