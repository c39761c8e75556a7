// The shipped scenarios, run as `rebalancer simulate` runs them, with the real handlers.
import { describe, expect, it } from 'vitest';
import { checkExpectations, runScenario, summarize } from '@ecs-rebalancer/sim';
import { parseScenario, run, scenarioFile } from './support/scenarios.js';

describe('scenario spot-storm', () => {
  it('meets its expectations and loses fewer tasks than doing nothing', async () => {
    // Prepare
    const scenario = parseScenario(scenarioFile('spot-storm'));
    // Act
    const without = summarize(await run(scenario, false), scenario);
    const withIt = summarize(await run(scenario), scenario, without);
    // Assess
    expect(withIt.expectations).toEqual({ passed: true, failures: [] });
    expect(without.tasksLost).toBeGreaterThan(0);
    expect(withIt.tasksLost).toBeLessThan(without.tasksLost);
    // The fallback itself is expected (strategiesAt 600 s): doing nothing fails it for both services.
    expect(without.expectations.failures).toEqual([
      'strategy of prod/web at 600s is od-arm64:2/1 spot-arm64:0/3, expected od-arm64:2/4 spot-arm64:0/0',
      'strategy of prod/api at 600s is od-arm64:1/1 spot-arm64:0/1, expected od-arm64:1/2 spot-arm64:0/0',
    ]);
    // Every interrupted instance was drained; managed instance draining also drains what a scale-in takes.
    expect(withIt.drained).toEqual(expect.arrayContaining(withIt.interrupted));
    // Both services fall back, then both are restored (the writes of one batch may finish in either order).
    const services = withIt.strategyChanges.map((c) => c.service);
    expect([services.slice(0, 2).sort(), services.slice(2).sort()]).toEqual([
      ['prod/api', 'prod/web'],
      ['prod/api', 'prod/web'],
    ]);
  });

  it('fails an expectation that the run does not meet', async () => {
    const scenario = parseScenario({ ...(scenarioFile('spot-storm') as object), expect: { tasksLostAtMost: 0, strategies: { 'prod/web': [{ capacityProvider: 'od-arm64', base: 0, weight: 1 }] } } });
    const summary = summarize(await run(scenario, false), scenario);
    expect(checkExpectations(summary, scenario)).toEqual([
      expect.stringMatching(/^tasksLost \d+ > 0$/),
      expect.stringMatching(/^strategy of prod\/web is .* expected od-arm64:0\/1$/),
    ]);
  });
});

describe('scenario storm-200', () => {
  it('drains 200 warned instances with ceil(200/10) writes and at most 6 lookups per invocation, long before they die', async () => {
    // Prepare: stop before the terminations (warnings at 30 s, terminations at 150 s), so
    // only the drain path's calls are counted.
    const full = parseScenario(scenarioFile('storm-200'));
    const scenario = { ...full, durationSeconds: 140 };
    // Act
    const result = await run(scenario);
    // Assess
    const calls = result.report.apiCalls;
    const containerInstanceCalls = (calls.ListContainerInstances ?? 0) + (calls.DescribeContainerInstances ?? 0) + (calls.UpdateContainerInstancesState ?? 0);
    // The 200 warnings arrive within 0.5 s: two full batches of 100, invoked at once in two
    // execution environments (Lambda's pollers), each loading its own view of the cluster.
    const reacts = result.invocations.filter((i) => i.kind === 'react' && i.records > 0);
    expect(reacts.map((i) => i.records)).toEqual([100, 100]);
    expect(containerInstanceCalls).toBeLessThanOrEqual(Math.ceil(200 / 10) + 6 * reacts.length);
    expect(calls.UpdateContainerInstancesState).toBe(20);
    const drainedAt = new Map(result.report.drains.map((d) => [d.ec2InstanceId, Date.parse(d.time)]));
    expect(drainedAt.size).toBe(200);
    for (const interruption of result.report.interruptions) {
      const lead = (Date.parse(interruption.terminatesAt) - drainedAt.get(interruption.ec2InstanceId)!) / 1000;
      expect(lead).toBeGreaterThanOrEqual(100);
    }
    expect(result.report.throttled).toBe(0);
  }, 180_000);
});

describe('scenario spot-drought (the default of npm start) against ECS own draining', () => {
  it('meets its expectations with the rebalancer and fails them under both baselines', async () => {
    // Prepare
    const scenario = parseScenario(scenarioFile('spot-drought'));
    // Act
    const nothing = summarize(await runScenario({ scenario, baseline: 'nothing' }), scenario);
    const agent = summarize(await runScenario({ scenario, baseline: 'ecs-spot-draining' }), scenario);
    const withIt = summarize(await run(scenario), scenario, nothing);
    // Assess
    expect(withIt.expectations).toEqual({ passed: true, failures: [] });
    expect(nothing.expectations.passed).toBe(false);
    expect(agent.expectations.passed).toBe(false);
    expect(agent.expectations.failures).toEqual([expect.stringMatching(/^task-seconds below desired \d+ > 4000$/)]);
    // ECS's own draining drains every warned instance in time (the agent's metadata poll)…
    expect(agent.drained).toEqual(expect.arrayContaining(agent.interrupted));
    expect(Object.values(agent.drainLeadSeconds).every((lead) => lead !== null && lead > 110)).toBe(true);
    expect(agent.warningToDraining!.max).toBeLessThanOrEqual(5);
    expect(agent.tasksLost).toBe(0);
    // …but the replacements wait for Spot capacity; the rebalancer moves them to on-demand.
    expect(withIt.availability.taskSecondsBelowDesired).toBeLessThan(agent.availability.taskSecondsBelowDesired / 2);
    expect(Object.values(nothing.drainLeadSeconds).every((lead) => lead === null)).toBe(true);
    expect(nothing.baseline).toBe('nothing');
    expect(withIt.baseline).toBeNull();
  }, 180_000);

  it('drains with a lead below 120 s that the modelled path explains', async () => {
    const scenario = parseScenario(scenarioFile('spot-drought'));
    const summary = summarize(await run(scenario), scenario);
    // delivery ≤ 0.5 s + batching window 5 s + cold start 0.6 s + three to five round trips ≤ 80 ms
    expect(summary.drainLead!.p50).toBeLessThan(120 - 5);
    expect(summary.drainLead!.min).toBeGreaterThan(120 - 5 - 0.5 - 0.6 - 1);
    expect(summary.warningToDraining!.max).toBeLessThan(7);
  }, 180_000);
});

describe('a minimumHealthyPercent-100 service on Spot whose tasks start slower than the warning lasts', () => {
  it('loses tasks under every run: draining cannot replace them before the instance dies', async () => {
    // Prepare: spot-storm's api (minimumHealthyPercent 100) takes 150 s to start a task.
    const scenario = parseScenario({ ...(scenarioFile('spot-storm') as object), services: { 'prod/api': { startSeconds: 150 } } });
    // Act
    const runs = [
      summarize(await run(scenario), scenario),
      summarize(await runScenario({ scenario, baseline: 'nothing' }), scenario),
      summarize(await runScenario({ scenario, baseline: 'ecs-spot-draining' }), scenario),
    ];
    // Assess
    for (const summary of runs) expect(summary.tasksLostByService['prod/api'] ?? 0, String(summary.baseline)).toBeGreaterThan(0);
  }, 180_000);
});
