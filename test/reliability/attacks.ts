// The attacks of issue 9, each a function that runs the real handlers against the simulator
// (or, for the fuzzing, the react use-case with fakes) and checks the invariants:
// - each interrupted instance that still exists is DRAINING before its termination;
// - no invalid strategy is sent (the simulator refuses one: the call fails, counted);
// - no service is redeployed twice for one decision;
// - no baseline is lost (a service off its baseline still has a record);
// - every message is deleted or in the DLQ.
// `size` scales each attack: the quick forms run in `npm test`, the long ones in
// `npm run reliability`, which writes docs/RELIABILITY.md from the results.
import { loadEvent } from '@ecs-rebalancer/core/test-support';
import { faultSchema } from '@ecs-rebalancer/sim';
import type { Fault as WireFault, RunResult, Scenario } from '@ecs-rebalancer/sim';
import { sampleWorld } from '../support/scenarios.js';
import type { Fault, HarnessOptions } from './harness.js';
import { runWith } from './harness.js';

export interface AttackResult {
  finding: string;
  attack: string;
  tried: string;
  result: string;
  passed: boolean;
  /** Headline figures for docs/RELIABILITY.md, by name. */
  figures?: Record<string, number | string>;
}

type Run = RunResult & { faults: { attempts: Record<string, number>; injected: Record<string, number> } };

const at = (seconds: number, event: unknown) => ({ at: seconds, event });

/**
 * The scenario with faults on the wire (the simulator's `faults` entries): the real SDK meets
 * them as it would meet AWS's — a 400 ThrottlingException, a 500, a connection dropped before
 * or after the call took effect, items of a list answered in `failures[]` — each SDK attempt
 * being one call on the wire.
 */
export function withWireFaults(scenario: Scenario, faults: readonly Record<string, unknown>[]): Scenario {
  return { ...scenario, faults: faults.map((f) => faultSchema.parse(f)) as WireFault[] };
}

/** Problems with the invariants that hold in every run. */
export function invariantProblems(result: Run): string[] {
  const problems: string[] = [];
  for (const i of result.report.interruptions) {
    if (i.terminatedAt !== null && (i.drainedAt === null || Date.parse(i.drainedAt) >= Date.parse(i.terminatedAt))) {
      problems.push(`${i.ec2InstanceId} was not DRAINING before its termination`);
    }
  }
  if (result.queue.remaining > 0) problems.push(`${result.queue.remaining} messages left in the queue`);
  for (const [key, strategy] of Object.entries(result.report.strategies)) {
    if (strategy.length > 0 && strategy.every((s) => s.weight === 0)) problems.push(`${key} was left with no weight`);
  }
  return problems;
}

/** Deployments ECS started for the service during the run (each UpdateService with forceNewDeployment starts one, even to the same strategy). */
function deploymentsOf(result: Run, service: string): number {
  const start = Date.parse(result.report.start);
  return result.report.deployments.filter((d) => `${d.cluster}/${d.service}` === service && Date.parse(d.startedAt) > start).length;
}

/** Finding 1: drains whose calls fail inside every SDK attempt still finish before the deadline (faults on the wire). */
export async function drainUnderFaults(size: number): Promise<AttackResult> {
  const variants: { name: string; faults: Record<string, unknown>[] }[] = [];
  for (let k = 1; k <= size; k++) {
    variants.push({ name: `UpdateContainerInstancesState throttled on its first ${6 * k} calls`, faults: [{ action: 'UpdateContainerInstancesState', kind: 'throttling', times: 6 * k }] });
    variants.push({ name: `DescribeContainerInstances 500 on its first ${6 * k} calls`, faults: [{ action: 'DescribeContainerInstances', kind: 'server-error', times: 6 * k }] });
    variants.push({ name: `UpdateContainerInstancesState 503 on its first ${6 * k} calls`, faults: [{ action: 'UpdateContainerInstancesState', kind: 'server-error', status: 503, times: 6 * k }] });
    // (A MISSING in DescribeContainerInstances' failures[] is not attacked: ECS answers it for a deregistered instance only, which has nothing left to drain.)
    variants.push({ name: `UpdateContainerInstancesState applied but its answer lost ${k} time(s)`, faults: [{ action: 'UpdateContainerInstancesState', kind: 'lost-answer', seconds: 5, times: k }] });
    variants.push({ name: `UpdateContainerInstancesState times out ${k} time(s) after 5 s, nothing applied`, faults: [{ action: 'UpdateContainerInstancesState', kind: 'timeout', seconds: 5, times: k }] });
  }
  let instances = 0;
  let drainedInTime = 0;
  let injected = 0;
  const problems: string[] = [];
  for (const v of variants) {
    const scenario = sampleWorld({ timeline: [{ at: 5, interrupt: { cluster: 'prod', capacityProvider: 'spot-arm64', count: 3 } }], durationSeconds: 200 });
    const result = await runWith(withWireFaults(scenario, v.faults));
    instances += result.report.interruptions.length;
    injected += Object.values(result.faultsInjected).reduce((a, b) => a + b, 0);
    drainedInTime += result.report.interruptions.filter((i) => i.drainedAt !== null && (i.terminatedAt === null || Date.parse(i.drainedAt) < Date.parse(i.terminatedAt))).length;
    if (Object.keys(result.faultsInjected).length === 0) problems.push(`${v.name}: no fault struck`);
    problems.push(...invariantProblems(result).map((p) => `${v.name}: ${p}`));
  }
  return {
    finding: '1',
    attack: 'Spot interruptions while the drain path fails on the wire: throttled / 500 / 503 on every SDK attempt, answers lost after ECS applied the drain, connections dropped before',
    tried: `${variants.length} runs, ${instances} interrupted instances, ${injected} faults injected on the wire`,
    result: problems.length === 0 ? `${drainedInTime} of ${instances} DRAINING before termination` : problems.slice(0, 3).join('; '),
    passed: problems.length === 0 && instances > 0 && drainedInTime === instances,
    figures: { 'interrupted instances DRAINING before termination, drain path failing on the wire': `${drainedInTime} of ${instances}` },
  };
}

/** Findings 2 and 3: UpdateService answers lost, before or after ECS applied it. */
export async function ambiguousUpdateService(size: number): Promise<AttackResult> {
  // On the wire, except where a fault must strike one particular call of many (the writer's re-read).
  const variants: { name: string; wire?: Record<string, unknown>[]; faults?: Fault[] }[] = [
    { name: 'applied, answer lost once (wire)', wire: [{ action: 'UpdateService', kind: 'lost-answer', seconds: 10, times: 1 }] },
    { name: 'not applied, connection dropped once (wire)', wire: [{ action: 'UpdateService', kind: 'timeout', seconds: 10, times: 1 }] },
    { name: 'not applied (500), then applied (wire)', wire: [{ action: 'UpdateService', kind: 'server-error', times: 1 }] },
    { name: 'not applied, every attempt 500 for a while (wire)', wire: [{ action: 'UpdateService', kind: 'server-error', times: 4 }] },
    { name: 'applied, answer lost twice, throttled once (wire)', wire: [{ action: 'UpdateService', kind: 'lost-answer', times: 2 }, { action: 'UpdateService', kind: 'throttling', times: 1 }] },
    { name: 'applied, answer lost, re-read fails once (SDK middleware: the 3rd DescribeServices)', faults: [{ action: 'UpdateService', kind: 'lost-answer', attempts: [1] }, { action: 'DescribeServices', kind: 'server-error', attempts: [3] }] },
  ];
  const runs = variants.flatMap((v) => Array.from({ length: size }, () => v));
  const problems: string[] = [];
  let decisions = 0;
  let deployments = 0;
  for (const v of runs) {
    // The alarm is ALARM in CloudWatch too: an ALARM event the alarm contradicts is stale.
    const scenario = sampleWorld({ timeline: [{ at: 4, alarm: { name: 'ServerCpuTooHigh', state: 'ALARM' } }, at(5, loadEvent('cloudwatch-alarm-state-change'))], durationSeconds: 120 });
    const result = await runWith(withWireFaults(scenario, v.wire ?? []), { faults: v.faults ?? [] });
    decisions += 1;
    const made = deploymentsOf(result, 'prod/web');
    deployments += made;
    if (made !== 1) problems.push(`${v.name}: ${made} deployments for one decision`);
    const od = result.report.strategies['prod/web']?.find((s) => s.capacityProvider === 'od-arm64')?.weight;
    if (od !== 4) problems.push(`${v.name}: web ended on od weight ${od}, not the fallback`);
    problems.push(...invariantProblems(result).map((p) => `${v.name}: ${p}`));
  }
  return {
    finding: '2, 3',
    attack: 'UpdateService answers lost (connection dropped after ECS applied it), dropped before, refused with 500 or throttled',
    tried: `${runs.length} runs over ${variants.length} fault patterns (${variants.filter((v) => v.wire).length} on the wire)`,
    result: problems.length === 0 ? `${decisions} decisions, ${deployments} deployments (${(deployments / decisions).toFixed(2)} per decision): none twice, none lost` : problems.slice(0, 3).join('; '),
    passed: problems.length === 0,
    figures: { 'deployments per decision, UpdateService answers lost or refused': `${deployments} for ${decisions} (${(deployments / decisions).toFixed(2)})` },
  };
}

/** Finding 12: the kill switch and dry run change nothing anywhere: the sample world and, in the long form, every event scenario of scenarios/. */
export async function killSwitch(scenarioFiles: readonly string[] = []): Promise<AttackResult> {
  const problems: string[] = [];
  let runs = 0;
  let events = 0;
  const worlds: { name: string; scenario: Scenario }[] = [
    {
      name: 'sample world',
      scenario: sampleWorld({
        timeline: [{ at: 5, interrupt: { cluster: 'prod', capacityProvider: 'spot-arm64', count: 2 } }, at(5, loadEvent('cloudwatch-alarm-state-change')), at(5, loadEvent('ecs-service-action-placement-failure'))],
        durationSeconds: 900,
      }),
    },
  ];
  if (scenarioFiles.length > 0) {
    const { readFileSync } = await import('node:fs');
    const { parseScenario } = await import('@ecs-rebalancer/sim');
    for (const file of scenarioFiles) worlds.push({ name: file.replace(/^.*\//, ''), scenario: parseScenario(JSON.parse(readFileSync(file, 'utf8'))) });
  }
  for (const { name, scenario } of worlds) {
    for (const mode of ['paused', 'dry-run'] as const) {
      const result = await runWith(scenario, { mode } satisfies HarnessOptions);
      runs += 1;
      events += result.invocations.length;
      const writes = ['UpdateService', 'UpdateContainerInstancesState', 'TagResource', 'UntagResource'].reduce((n, a) => n + (result.report.apiCalls[a] ?? 0), 0);
      if (writes > 0) problems.push(`${name} ${mode}: ${writes} write calls`);
      if (result.queue.remaining > 0 || result.queue.dlq > 0) problems.push(`${name} ${mode}: queue ${JSON.stringify(result.queue)}`);
    }
  }
  return {
    finding: '12',
    attack: `kill switch paused / dry-run in ${worlds.map((w) => w.name).join(', ')} (interruptions, ALARMs, placement failures, ticks)`,
    tried: `${runs} runs, ${events} invocations`,
    result: problems.length === 0 ? '0 write calls to ECS; every record acknowledged' : problems.slice(0, 3).join('; '),
    passed: problems.length === 0,
  };
}

/** Finding 5: names from events never index a prototype; one bad record never takes the batch. */
export async function isolation(): Promise<AttackResult> {
  const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
  const problems: string[] = [];
  for (const name of names) {
    const odd = structuredClone(loadEvent('ecs-service-action-placement-failure')) as Record<string, any>;
    odd.id = `odd-${name}`;
    odd.detail.clusterArn = `arn:aws:ecs:us-east-1:123456789012:cluster/${name}`;
    odd.resources = [`arn:aws:ecs:us-east-1:123456789012:service/${name}/web`];
    const warning = loadEvent('ec2-spot-instance-interruption-warning');
    const result = await runWith(sampleWorld({ timeline: [at(5, odd), at(5, warning)], durationSeconds: 60 }));
    if (!result.report.drains.some((d) => d.ec2InstanceId === 'i-0b662ef9931388ba0')) problems.push(`${name}: the Spot warning beside it was not drained`);
    if (result.dlqMessages.some((m) => m.body.includes('i-0b662ef9931388ba0'))) problems.push(`${name}: the Spot warning went to the DLQ`);
    problems.push(...invariantProblems(result).map((p) => `${name}: ${p}`));
  }
  return {
    finding: '5',
    attack: 'an event naming cluster constructor / __proto__ / toString / hasOwnProperty in the batch of a Spot warning',
    tried: `${names.length} runs`,
    result: problems.length === 0 ? 'the Spot warning drained every time, never quarantined' : problems.join('; '),
    passed: problems.length === 0,
  };
}

/** Finding 10: a record the quarantine cannot send ends in the DLQ by the redrive policy. */
export async function quarantineFailure(): Promise<AttackResult> {
  const poison = loadEvent('ec2-spot-instance-interruption-warning') as Record<string, any>;
  delete poison.detail['instance-id'];
  const { runScenario } = await import('@ecs-rebalancer/sim');
  const { faultyHandlers } = await import('./harness.js');
  const counters = { attempts: {}, injected: {} };
  const base = faultyHandlers({}, counters);
  const result = await runScenario({
    scenario: sampleWorld({ timeline: [at(5, poison)], durationSeconds: 600 }),
    handlers: (env) => base({ ...env, dlqUrl: `${env.dlqUrl}-missing` }),
  });
  const passed = result.queue.remaining === 0 && result.queue.dlq === 1;
  return {
    finding: '10',
    attack: 'a poison record whose quarantine SendMessage fails for good (the DLQ URL is wrong)',
    tried: '1 run, redrive maxReceiveCount 5',
    result: passed ? `in the DLQ by the redrive policy after ${result.queue.retried} redeliveries; not retried forever` : JSON.stringify(result.queue),
    passed,
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * Finding 7: the same ALARM in invocations running at once (separate containers, as Lambda
 * scales the react function out), and an OK beside a tick. One UpdateService per service.
 */
export async function concurrentInvocations(size: number): Promise<AttackResult> {
  const { concurrentReact } = await import('./concurrent.js');
  const problems: string[] = [];
  let runs = 0;
  let updates = 0;
  let sent = 0;
  for (let i = 0; i < size; i++) {
    for (const containers of [2, 3, 4]) {
      const alarm = loadEvent('cloudwatch-alarm-state-change');
      // Containers that stepped back on each other's lease report their record failed; SQS
      // hands it back 20–40 s later (retryLater's jitter), to one container at a time.
      const outcome = await concurrentReact(sampleWorld(), Array.from({ length: containers }, () => [alarm]), { redeliver: true });
      runs += 1;
      sent += containers;
      updates += outcome.updateServiceCalls;
      if (outcome.deployments['prod/web'] !== 1) problems.push(`${containers} containers: ${outcome.deployments['prod/web'] ?? 0} deployments of web`);
      if (outcome.rejected > 0) problems.push(`${containers} containers: ${outcome.rejected} invocations rejected`);
    }
  }
  return {
    finding: '7',
    attack: 'one ALARM handled by 2, 3 and 4 react containers at the same moment, the records that stepped back delivered again',
    tried: `${runs} races, ${sent} invocations`,
    result: problems.length === 0 ? `${updates} UpdateService calls for ${runs} races: one per service each time, never two; the others stepped back on the lease or found it done when their record came back` : problems.slice(0, 3).join('; '),
    passed: problems.length === 0,
  };
}

/** Finding 11: an operator changes the strategy while the writer is between its read and its UpdateService. */
export async function operatorChange(): Promise<AttackResult> {
  const { concurrentReact } = await import('./concurrent.js');
  const operator = [
    { capacityProvider: 'spot-arm64', base: 0, weight: 5 },
    { capacityProvider: 'od-arm64', base: 2, weight: 1 },
  ];
  const problems: string[] = [];
  const alarm = loadEvent('cloudwatch-alarm-state-change');
  const outcome = await concurrentReact(sampleWorld(), [[alarm]], { operatorStrategy: operator, operatorAtDescribe: 2, redeliver: true });
  const web = outcome.strategies['prod/web'];
  const od = web?.find((s) => s.capacityProvider === 'od-arm64')?.weight;
  // The fallback decided again on the operator's strategy moves its 5 Spot weight to on-demand: 6.
  if (od !== 6) problems.push(`web ended with od-arm64 weight ${od} (expected 6, the fallback of the operator's strategy)`);
  if (JSON.stringify(outcome.baselines['prod/web']) !== JSON.stringify(operator)) problems.push(`the baseline kept is ${JSON.stringify(outcome.baselines['prod/web'])}, not the operator's`);
  return {
    finding: '11',
    attack: "an operator's UpdateService lands between the writer's reads and its UpdateService",
    tried: '1 race, the record delivered again',
    result: problems.length === 0 ? "the change was refused, decided again on the operator's strategy; its baseline is the operator's" : problems.join('; '),
    passed: problems.length === 0,
  };
}
