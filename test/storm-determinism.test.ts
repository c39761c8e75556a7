// Same seed → same figures, however loaded the machine. A storm runs twice through fauxqs and
// the real react handler: once as is, once with real-time jitter on every handler request
// and every queue call (what a loaded machine does to I/O). Every figure on the virtual clock
// must come out the same: calls by action, throttled calls, deadlines missed, tasks lost,
// each DRAINING and its time, each invocation.
import { localHandlers } from '@ecs-rebalancer/cli';
import { runScenario } from '@ecs-rebalancer/sim';
import type { RunResult, Scenario } from '@ecs-rebalancer/sim';
import { describe, expect, it } from 'vitest';
import { buildStorm } from '@ecs-rebalancer/bench/storm';

/** Everything the benchmarks read from a run, on the virtual clock. */
function fingerprint(result: RunResult) {
  const { report } = result;
  return {
    calls: report.apiCalls,
    throttled: report.throttled,
    missed: report.interruptions.filter((i) => i.secondsBeforeTermination === null).length,
    tasksLost: report.tasksLost.total,
    drains: report.drains.map((d) => `${d.ec2InstanceId} ${d.time}`),
    invocations: result.invocations.map((i) => `${i.kind} t=${i.t} ${i.records}/${i.failures} env ${i.environment}${i.cold ? ' cold' : ''} ${i.ms.toFixed(3)} ms`),
    queue: result.queue,
  };
}

/**
 * A mixed storm made to contend: ECS's container-instance buckets shrunk so calls are
 * throttled (SDK back-off, redelivered records, several environments), and every round trip
 * the same 30 ms, so that many calls end at the same virtual instant and only their order
 * tells them apart.
 */
function contended(): Scenario {
  const { scenario } = buildStorm({ messages: 400, mix: 'mixed', seed: 7 });
  return {
    ...scenario,
    latency: { ...scenario.latency, call: { minMs: 30, maxMs: 30 } },
    throttling: { 'container-instance-read': { burst: 10, perSecond: 3 }, 'container-instance-write': { burst: 10, perSecond: 5 } },
  };
}

describe('a storm on the virtual clock', () => {
  it('gives the same figures with real-time jitter on every request and queue call', async () => {
    // Prepare
    const scenario = contended();
    // Small batches: several invocations at once, in several execution environments.
    const eventSource = { batchSize: 10 };

    // Act
    const calm = await runScenario({ scenario, handlers: localHandlers, eventSource });
    const loaded = await runScenario({ scenario, handlers: localHandlers, eventSource, jitter: () => (Math.random() < 0.2 ? Math.random() * 3 : 0) });

    // Assess: the run is one that could go wrong (throttling, retries, several environments) …
    const a = fingerprint(calm);
    expect(a.throttled).toBeGreaterThan(0);
    expect(a.queue.retried).toBeGreaterThan(0);
    expect(new Set(calm.invocations.map((i) => i.environment)).size).toBeGreaterThan(1);
    // … and the jitter changed nothing of it.
    expect(fingerprint(loaded)).toEqual(a);
  }, 180_000);
});
