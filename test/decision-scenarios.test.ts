// Issue 10's demonstrations: the shipped scenarios mixed-architecture, spot-capacity-loss and
// scheduled-retirement, run through the real handlers and adapters against the simulator.
// Each one's expectations fail when nothing reacts; the first also fails with a fallback
// that does not look at CPU architectures.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isSpotShortageMessage } from '@ecs-rebalancer/core';
import { EcsClusterReader, EcsRolloutStrategyWriter } from '@ecs-rebalancer/functions';
import { localHandlers, rolloutDriver } from '@ecs-rebalancer/cli';
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
    // The simulator stops the three at the startTime: what is still on them then is lost.
    expect(withIt.tasksLost).toBe(0);
    expect(nothing.tasksLost).toBeGreaterThan(0);
    expect(nothing.expectations.failures).toEqual(expect.arrayContaining([expect.stringMatching(/^tasksLost \d+ > 0$/)]));
  }, 180_000);
});

describe('scenario rollout-during-fallback (the rollout runs as `rollout run --local` runs it)', () => {
  const START = [
    { capacityProvider: 'spot-x86', base: 0, weight: 2 },
    { capacityProvider: 'od-x86', base: 2, weight: 1 },
  ];

  it('a rollback during a Spot fallback makes the starting strategy what the restore brings back', async () => {
    // Prepare
    const scenario = parseScenario(scenarioFile('rollout-during-fallback'));
    // Act
    const result = await runScenario({ scenario, handlers: localHandlers, rollouts: rolloutDriver });
    const summary = summarize(result, scenario);
    // Assess: fallback (mid-rollout), rollback with spot-x86 held at 0, restore to the start.
    expect(summary.expectations).toEqual({ passed: true, failures: [] });
    expect(result.rollouts[0]?.cause).toContain('back to the starting strategy with spot-x86 held at 0; its restore returns to the starting strategy');
    const changes = summary.strategyChanges.map((c) => c.strategy);
    expect(changes.at(-2)).toEqual([{ capacityProvider: 'spot-x86', base: 0, weight: 0 }, { capacityProvider: 'od-x86', base: 2, weight: 1 }]);
    expect(changes.at(-1)).toEqual(START);
    // From the fallback to the restore, no change gave spot-x86 weight again.
    const spotWeight = (strategy: typeof START) => strategy.find((item) => item.capacityProvider === 'spot-x86')?.weight ?? 0;
    const fallback = changes.findIndex((strategy) => spotWeight(strategy) === 0);
    expect(fallback).toBeGreaterThan(0);
    expect(changes.slice(fallback, -1).map(spotWeight)).toEqual(changes.slice(fallback, -1).map(() => 0));
  }, 180_000);

  it('without the rule, the restore brings back the mid-rollout mix the fallback recorded', async () => {
    // Prepare: the rollback leaves the fallback's record as it was.
    vi.spyOn(EcsRolloutStrategyWriter.prototype, 'rebaseFallback').mockResolvedValue(false);
    const scenario = parseScenario(scenarioFile('rollout-during-fallback'));
    // Act
    const summary = summarize(await runScenario({ scenario, handlers: localHandlers, rollouts: rolloutDriver }), scenario);
    // Assess
    expect(summary.strategies['prod/web']).toEqual(expect.arrayContaining([expect.objectContaining({ capacityProvider: 'od-arm' })]));
    expect(summary.expectations.failures).toEqual([expect.stringMatching(/^strategy of prod\/web is .*od-arm.*, expected od-x86:2\/1 spot-x86:0\/2$/)]);
  }, 180_000);
});
