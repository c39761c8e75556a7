// The shared instance index as deployed, in a local run: the real handlers (localHandlers, the
// react and tick compositions) read and publish it in the simulator's DynamoDB table through
// signed-request.ts, and every DynamoDB call is a round trip the handler waits for on the
// virtual clock (the environment's counted request handler).
import { describe, expect, it } from 'vitest';
import { localHandlers } from '@ecs-rebalancer/cli';
import { runScenario } from '@ecs-rebalancer/sim';
import { parseScenario, scenarioFile } from './support/scenarios.js';

async function spotStorm(batchGetItemMs: number) {
  const raw = scenarioFile('spot-storm') as { latency?: Record<string, unknown> };
  const scenario = parseScenario({ ...raw, latency: { ...raw.latency, calls: { BatchGetItem: { minMs: batchGetItemMs, maxMs: batchGetItemMs } } } });
  return runScenario({ scenario, handlers: localHandlers });
}

describe('the instance index in local runs', () => {
  it('is read and published by the real handlers, each read a round trip the react invocation waits for', async () => {
    // Act
    const fast = await spotStorm(0);
    const slow = await spotStorm(5000);

    // Assess
    expect(fast.dynamodb.calls.BatchGetItem).toBeGreaterThan(0);
    expect(fast.dynamodb.calls.PutItem).toBeGreaterThan(0);
    expect(fast.dynamodb.throttled).toBe(0);
    const firstReact = (r: typeof fast) => r.invocations.find((i) => i.kind === 'react')!;
    expect(firstReact(slow).ms - firstReact(fast).ms).toBeGreaterThanOrEqual(5000);
    expect(slow.report.tasksLost.total).toBe(fast.report.tasksLost.total);
  }, 120_000);
});
