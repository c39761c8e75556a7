// Issue 10's demonstrations: the shipped scenarios mixed-architecture, spot-capacity-loss and
// scheduled-retirement, run through the real handlers and adapters against the simulator.
// Each one's expectations fail when nothing reacts; the first also fails with a fallback
// that does not look at CPU architectures.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isSpotShortageMessage } from '@ecs-rebalancer/core';
import { EcsClusterReader } from '@ecs-rebalancer/functions';
import { runScenario, summarize } from '@ecs-rebalancer/sim';
import { parseScenario, run, scenarioFile } from './support/scenarios.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('scenario mixed-architecture', () => {
  it('keeps the x86-only service off Graviton: no task fails to start', async () => {
    // Prepare
    const scenario = parseScenario(scenarioFile('mixed-architecture'));
    // Act
    const nothing = summarize(await runScenario({ scenario, baseline: 'nothing' }), scenario);
    const withIt = summarize(await run(scenario), scenario, nothing);
    // Assess
    expect(withIt.expectations).toEqual({ passed: true, failures: [] });
    expect(withIt.tasksFailedToStart).toBe(0);
    expect(withIt.strategyChanges.map((c) => c.service)).toEqual(['prod/web']);
    expect(nothing.expectations.passed).toBe(false);
  }, 120_000);

  it('fails when the fallback is architecture-blind: report-worker moves onto od-arm and its tasks fail to start', async () => {
    // Prepare: the same reader, with what it learned of architectures thrown away.
    const scenario = parseScenario(scenarioFile('mixed-architecture'));
    const load = EcsClusterReader.prototype.load;
    vi.spyOn(EcsClusterReader.prototype, 'load').mockImplementation(async function (this: EcsClusterReader, requests) {
      const snapshots = await load.call(this, requests);
      for (const { state } of snapshots) {
        for (const s of state.services) delete s.cpuArchitectures;
      }
      return snapshots;
    });
    // Act
    const blind = summarize(await run(scenario), scenario);
    // Assess
    expect(blind.tasksFailedToStart).toBeGreaterThan(0);
    expect(blind.strategies['prod/report-worker']).toEqual(expect.arrayContaining([expect.objectContaining({ capacityProvider: 'od-arm' })]));
    expect(blind.expectations.failures).toEqual(expect.arrayContaining([expect.stringMatching(/^tasks failed to start \d+ > 0$/)]));
  }, 120_000);
});

describe('scenario spot-capacity-loss', () => {
  it('falls back within 60 s of the first unsuccessful Spot launch, with no alarm', async () => {
    // Prepare
    const scenario = parseScenario(scenarioFile('spot-capacity-loss'));
    // Act
    const nothing = summarize(await runScenario({ scenario, baseline: 'nothing' }), scenario);
    const result = await run(scenario);
    const withIt = summarize(result, scenario, nothing);
    // Assess
    expect(withIt.expectations).toEqual({ passed: true, failures: [] });
    const [first] = result.report.launchFailures;
    // The core's shortage matcher takes the simulator's message, and the group the reader
    // found in DescribeCapacityProviders is the one the event names.
    expect(isSpotShortageMessage(first!.statusMessage)).toBe(true);
    expect(first!.autoScalingGroup).toBe('prod-spot-arm64');
    expect(withIt.launchFailureToStrategyChange).toBeLessThanOrEqual(60);
    expect(nothing.expectations.failures).toEqual(expect.arrayContaining([expect.stringMatching(/^no strategy change after the first launch failure/)]));
  }, 120_000);
});

describe('scenario scheduled-retirement', () => {
  it('drains nothing until drainBeforeSeconds before the start, then one instance at a time, without another event', async () => {
    // Prepare
    const scenario = parseScenario(scenarioFile('scheduled-retirement'));
    // The retirement starts 2 days after the scenario's start; drainBeforeSeconds is 3600.
    const dueSeconds = 2 * 86_400 - 3_600;
    // Act
    const nothing = summarize(await runScenario({ scenario, baseline: 'nothing' }), scenario);
    const result = await run(scenario);
    const withIt = summarize(result, scenario, nothing);
    // Assess
    expect(withIt.expectations).toEqual({ passed: true, failures: [] });
    const times = Object.values(withIt.rebalancerDrainsAt).sort((a, b) => a - b);
    expect(times).toHaveLength(3);
    expect(times[0]).toBeGreaterThanOrEqual(dueSeconds);
    expect(times[2]! - times[0]!).toBeLessThan(600);
    // The guardrail (0.3 of 5): never two of them DRAINING with tasks at once, so one drain per batch.
    expect(new Set(times).size).toBe(3);
    expect(result.report.apiCalls.UpdateContainerInstancesState).toBe(3);
    expect(nothing.expectations.passed).toBe(false);
  }, 180_000);
});
