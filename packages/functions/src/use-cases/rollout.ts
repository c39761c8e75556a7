// The rollout Lambda's use-case: one function, one `action` per Task state of the state
// machine (infra/rollout/definition.ts). The state machine carries the state; every decision
// and all step arithmetic come from @ecs-rebalancer/core. Each action reads like:
// 1. read what it needs 2. ask the core 3. act 4. answer the data the next Choice routes on.
import {
  MAX_RESUMES,
  RolloutErrorName,
  RolloutInputError,
  bakeWaitSeconds,
  decideAlarmCheck,
  decideBake,
  decideDeploymentWait,
  decideRollback,
  isRolloutExecutionOf,
  parseRolloutInput,
  planRollout,
  sameStrategy,
} from '@ecs-rebalancer/core';
import type { DeploymentVerdict, Policy, RollbackDecision, RolloutPlan, StepRecord, Strategy } from '@ecs-rebalancer/core';
import type { Clock, Log } from '../ports.js';
import type { RolloutAlarmReader, RolloutExecutions, RolloutKillSwitch, RolloutServiceReader, RolloutStrategyWriter, RolloutTaskCounter } from '../rollout-ports.js';

export interface RolloutDeps {
  services: RolloutServiceReader;
  strategies: RolloutStrategyWriter;
  tasks: RolloutTaskCounter;
  alarms: RolloutAlarmReader;
  /** The RUNNING executions of the state machine (one rollout per service); locally, the runner's registry. */
  executions?: RolloutExecutions;
  /** `paused` stops a rollout before its next change; `dry-run` plans without changing anything. Absent: active. */
  killSwitch?: RolloutKillSwitch;
  /** The deployed policy: under `dryRun` a rollout plans and changes nothing. */
  policy?: Pick<Policy, 'dryRun'>;
  clock: Clock;
  log: Log;
}

/** The kill switch stopped the rollout (Step Functions' Catch and the CLI match on the name). */
export class RolloutPausedError extends Error {
  override name = 'RolloutPausedError' as const;
}

/** The kill switch's mode when it is not `active`, with where it was read. */
async function switchedOff(deps: Pick<RolloutDeps, 'killSwitch'>): Promise<{ mode: 'paused' | 'dry-run'; source: string } | undefined> {
  if (!deps.killSwitch) return undefined;
  const { mode, source } = await deps.killSwitch.mode();
  return mode === 'active' ? undefined : { mode, source };
}

export const RolloutAction = {
  Plan: 'plan',
  Apply: 'apply',
  CheckDeployment: 'check-deployment',
  CheckAlarms: 'check-alarms',
  RestartBake: 'restart-bake',
  AwaitApproval: 'await-approval',
  AwaitResume: 'await-resume',
  Rollback: 'rollback',
  CheckRollback: 'check-rollback',
} as const;
export type RolloutAction = (typeof RolloutAction)[keyof typeof RolloutAction];

/** Where a step's bake stands: looked at every ≤ 60 s (`baking`), then `passed` or `alarm`. */
export type BakeStatus = 'baking' | 'passed' | 'alarm';

/**
 * What the state machine keeps in `$.deployment` while a step is watched — its deployment
 * (wait → done), then its bake (baking → passed | alarm) — and in `$.rollback`.
 */
export interface DeploymentWatch {
  status: DeploymentVerdict | BakeStatus;
  deploymentId?: string;
  startedAt: string;
  /** Seconds waited on this deployment so far: the sum of the Wait states, not a clock difference. */
  elapsedSeconds: number;
  /** The next Wait's length. */
  waitSeconds: number;
  cause?: string;
  /** When the step's bake began (set once the deployment is done, reset by restart-bake). */
  bakeStart?: string;
  /** Seconds baked so far: the sum of the bake's Waits. */
  bakedSeconds?: number;
  /** Times the operator resumed this rollout after an alarm pause. */
  resumes?: number;
  runningTasks?: Record<string, number>;
  /** The alarms that stopped the bake (status alarm). */
  alarms?: string[];
  /** The steps done, the bake's own included once it passed (NextStep carries it on). */
  done?: StepRecord[];
}

export interface RollbackWatch extends DeploymentWatch {
  /** The strategy the rollback set (absent when there was nothing to undo). */
  target?: Strategy;
  /** The error name the execution ends with. */
  error: string;
  /** Why the rollout is rolled back. */
  reason: string;
  /** The execution's cause: the reason, and what became of the rollback. */
  cause: string;
}

export interface RolloutState {
  plan: RolloutPlan;
  index: number;
  done: StepRecord[];
}

/** Step Functions' Catch output: `Cause` is the Lambda error as JSON, or SendTaskFailure's text. */
export interface CaughtFailure {
  Error?: string;
  Cause?: string;
}

type Event = Record<string, unknown> & { action?: unknown };

/**
 * Runs one action of the rollout state machine and answers what its next state reads.
 * Throws RolloutInputError for a request that cannot be planned (the execution fails without
 * a rollback), and the adapters' RetryableError / PermanentError for I/O (retried, then
 * rolled back by the state machine).
 */
export async function handleRolloutTask(event: Event, deps: RolloutDeps): Promise<unknown> {
  switch (event.action) {
    case RolloutAction.Plan:
      return planStep(event, deps);
    case RolloutAction.Apply:
      return applyStep(event.plan as RolloutPlan, event.index as number, deps);
    case RolloutAction.CheckDeployment:
      return checkDeployment(event.plan as RolloutPlan, event.index as number, event.deployment as DeploymentWatch, waited(event), deps);
    case RolloutAction.CheckAlarms:
      return checkAlarms(event.plan as RolloutPlan, event.index as number, event.deployment as DeploymentWatch, (event.done as StepRecord[]) ?? [], waited(event), deps);
    case RolloutAction.RestartBake:
      return restartBake(event.plan as RolloutPlan, event.deployment as DeploymentWatch, deps);
    case RolloutAction.AwaitApproval:
    case RolloutAction.AwaitResume:
      // The token stays out of the logs: whoever holds it can steer the rollout. The CLI reads
      // it from the execution history, which needs states:GetExecutionHistory.
      deps.log.info(event.action === RolloutAction.AwaitApproval ? 'rollout waits for approval' : 'rollout paused on an alarm', {
        cluster: event.cluster,
        service: event.service,
        step: event.index,
        percent: event.percent,
        cause: event.cause,
        executionArn: event.executionArn,
      });
      return { waiting: true };
    case RolloutAction.Rollback:
      return rollback(event.plan as RolloutPlan, event.index as number | undefined, (event.failure as CaughtFailure) ?? {}, deps);
    case RolloutAction.CheckRollback:
      return checkRollback(event.plan as RolloutPlan, event.rollback as RollbackWatch, waited(event), deps);
    default:
      throw new RolloutInputError('action', `unknown rollout action ${JSON.stringify(event.action)}`);
  }
}

async function planStep(event: Event, deps: RolloutDeps): Promise<RolloutState> {
  // 1. the request, as the core reads it; the kill switch paused: no rollout starts
  const input = parseRolloutInput(event.input);
  const off = await switchedOff(deps);
  if (off?.mode === 'paused') throw new RolloutPausedError(`the kill switch (${off.source}) is paused: the rollout of ${input.cluster}/${input.service} is not started`);
  // 2. one rollout per service: no other RUNNING execution of the same service
  if (deps.executions && typeof event.stateMachineArn === 'string') {
    const others = await otherRollouts(deps.executions, event.stateMachineArn, typeof event.executionArn === 'string' ? event.executionArn : '', input.cluster, input.service);
    if (others.length > 0) throw new RolloutInputError('service', `another rollout of ${input.cluster}/${input.service} is running: ${others.join(', ')}`);
  }
  // 3. the service and the plan
  const current = await deps.services.read(input.cluster, input.service);
  const planned = planRollout(input, current.service, current.cluster);
  // Under the policy's dryRun or a dry-run kill switch the rollout is a dry run: the plan, no change.
  const dryRunReason = off?.mode === 'dry-run' ? `the kill switch (${off.source}) is dry-run` : deps.policy?.dryRun && !input.dryRun ? 'the policy has dryRun: true' : undefined;
  const plan = dryRunReason && !planned.dryRun ? { ...planned, dryRun: true, dryRunReason } : planned;
  // 4. a watched alarm that does not exist would fail the first bake: refuse now instead
  if (plan.alarms.length > 0) {
    const states = await deps.alarms.states(plan.alarms);
    const missing = plan.alarms.findIndex((name) => states[name] === undefined);
    if (missing >= 0) throw new RolloutInputError(`alarms[${missing}]`, `alarm ${plan.alarms[missing]} does not exist`);
  }
  deps.log.info('rollout planned', { cluster: plan.cluster, service: plan.service, from: plan.from, to: plan.to, percents: plan.percents, dryRun: plan.dryRun, dryRunReason: plan.dryRunReason });
  return { plan, index: 0, done: [] };
}

async function otherRollouts(executions: RolloutExecutions, stateMachineArn: string, self: string, cluster: string, service: string): Promise<string[]> {
  const others: string[] = [];
  for (const execution of await executions.running(stateMachineArn)) {
    if (execution.executionArn === self) continue;
    if (isRolloutExecutionOf(execution.name, cluster, service)) {
      others.push(execution.executionArn);
      continue;
    }
    // Started by hand (console, another tool) under another name: its input says which service.
    if (!execution.name.startsWith('rollout-')) {
      const input = (await executions.input(execution.executionArn)) as { cluster?: unknown; service?: unknown } | null;
      if (input?.cluster === cluster && input.service === service) others.push(execution.executionArn);
    }
  }
  return others;
}

async function applyStep(plan: RolloutPlan, index: number, deps: RolloutDeps): Promise<DeploymentWatch> {
  const step = plan.steps[index];
  if (!step) throw new RolloutInputError('index', `step ${index} is not in the plan (${plan.stepCount} steps)`);
  const off = await switchedOff(deps);
  if (off) throw new RolloutPausedError(`the kill switch (${off.source}) is ${off.mode}: ${stepLabel(plan, index)} not applied`);
  const current = await deps.services.read(plan.cluster, plan.service);
  if (current.service.baseline) {
    throw new RolloutInputError('service', `${plan.cluster}/${plan.service} fell back off Spot during the rollout (since ${current.service.fallbackSince ?? 'unknown'}): stopping`);
  }
  // A retried Apply (the state machine retries a RetryableError, such as a timeout whose
  // UpdateService took effect) finds the step's strategy in place: it watches that deployment
  // instead of forcing a second one.
  if (sameStrategy(current.service.strategy, step.strategy)) {
    const deploymentId = current.deployments.find((d) => d.status === 'PRIMARY')?.id;
    deps.log.info('rollout step already in place', { cluster: plan.cluster, service: plan.service, step: index + 1, deploymentId });
    return { status: 'wait', ...(deploymentId ? { deploymentId } : {}), startedAt: deps.clock().toISOString(), elapsedSeconds: 0, waitSeconds: plan.pollSeconds };
  }
  const { deploymentId } = await deps.strategies.apply({ cluster: plan.cluster, service: plan.service, serviceArn: current.serviceArn, strategy: step.strategy });
  deps.log.info('rollout step applied', { cluster: plan.cluster, service: plan.service, step: index + 1, percent: step.percent, strategy: step.strategy, deploymentId });
  return { status: 'wait', ...(deploymentId ? { deploymentId } : {}), startedAt: deps.clock().toISOString(), elapsedSeconds: 0, waitSeconds: plan.pollSeconds };
}

async function checkDeployment(plan: RolloutPlan, index: number, watch: DeploymentWatch, waitedSeconds: number, deps: RolloutDeps): Promise<DeploymentWatch> {
  const next = await watchDeployment(plan, watch, waitedSeconds, deps);
  if (next.status === 'done') {
    const runningTasks = await deps.tasks.runningByProvider(plan.cluster, plan.service);
    // The bake begins: its first Wait is at most 60 s when alarms are watched.
    return { ...next, bakeStart: deps.clock().toISOString(), bakedSeconds: 0, waitSeconds: bakeWaitSeconds(0, plan.bakeSeconds, plan.alarms.length), runningTasks };
  }
  if (next.status === 'failed' || next.status === 'timeout') return { ...next, cause: `${stepLabel(plan, index)}: ${next.cause}` };
  return next;
}

async function watchDeployment(plan: RolloutPlan, watch: DeploymentWatch, waitedSeconds: number, deps: RolloutDeps): Promise<DeploymentWatch> {
  const elapsedSeconds = watch.elapsedSeconds + waitedSeconds;
  const { deployments } = await deps.services.deployments(plan.cluster, plan.service);
  const status = decideDeploymentWait(deployments, elapsedSeconds, plan.deploymentTimeoutSeconds);
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  const base = { ...watch, status, elapsedSeconds, waitSeconds: plan.pollSeconds };
  const which = primary?.id ? `deployment ${primary.id}` : 'the deployment';
  if (status === 'failed') return { ...base, cause: `${which} FAILED${primary?.rolloutStateReason ? `: ${primary.rolloutStateReason}` : ''}` };
  if (status === 'timeout') return { ...base, cause: `${which} not COMPLETED after ${elapsedSeconds} s (${primary?.rolloutState ?? 'no PRIMARY deployment'})` };
  return base;
}

/**
 * One look at a step's bake, after each of its Waits (≤ 60 s while alarms are watched): every
 * alarm OK now and none entered ALARM since the bake began, else the step stops at once.
 */
async function checkAlarms(plan: RolloutPlan, index: number, watch: DeploymentWatch, done: StepRecord[], waitedSeconds: number, deps: RolloutDeps): Promise<DeploymentWatch> {
  const step = plan.steps[index];
  if (!step) throw new RolloutInputError('index', `step ${index} is not in the plan (${plan.stepCount} steps)`);
  const now = deps.clock();
  const bakeStart = watch.bakeStart ?? watch.startedAt;
  const bakedSeconds = (watch.bakedSeconds ?? 0) + waitedSeconds;
  let check: ReturnType<typeof decideAlarmCheck> = { ok: true };
  if (plan.alarms.length > 0) {
    const [states, history] = await Promise.all([deps.alarms.states(plan.alarms), deps.alarms.history(plan.alarms, new Date(bakeStart), now)]);
    check = decideAlarmCheck(Object.fromEntries(plan.alarms.map((name) => [name, states[name]])), history, bakeStart);
  }
  const verdict = decideBake(bakedSeconds, plan.bakeSeconds, plan.alarms.length, check);
  const { done: _done, alarms: _alarms, cause: _cause, ...rest } = watch;
  if (verdict.status === 'alarm') {
    const cause = `${stepLabel(plan, index)}: ${verdict.reasons.join('; ')} (${bakedSeconds} s into a ${plan.bakeSeconds} s bake)`;
    deps.log.warn('rollout bake failed', { cluster: plan.cluster, service: plan.service, step: index + 1, alarms: verdict.alarms, bakedSeconds, cause });
    return { ...rest, status: 'alarm', bakedSeconds, alarms: verdict.alarms, cause, done };
  }
  if (verdict.status === 'baking') return { ...rest, status: 'baking', bakedSeconds, waitSeconds: verdict.waitSeconds };
  const record: StepRecord = {
    index,
    percent: step.percent,
    strategy: step.strategy,
    expectedTasks: step.expectedTasks,
    ...(watch.runningTasks ? { runningTasks: watch.runningTasks } : {}),
    completedAt: now.toISOString(),
  };
  deps.log.info('rollout step passed its bake', { cluster: plan.cluster, service: plan.service, step: index + 1, percent: step.percent });
  return { ...rest, status: 'passed', bakedSeconds, waitSeconds: 0, done: [...done, record] };
}

/** After an alarm pause the operator resumed: the step bakes again from the start, at most MAX_RESUMES times per rollout. */
function restartBake(plan: RolloutPlan, watch: DeploymentWatch, deps: RolloutDeps): DeploymentWatch {
  const resumes = (watch.resumes ?? 0) + 1;
  if (resumes > MAX_RESUMES) {
    const error = new Error(`resumed ${MAX_RESUMES} times after an alarm (each resume bakes again and the history budget keeps room for ${MAX_RESUMES}): rolling back`);
    error.name = RolloutErrorName.Failed;
    throw error;
  }
  const { alarms: _alarms, cause: _cause, done: _done, ...rest } = watch;
  return { ...rest, status: 'baking', resumes, bakeStart: deps.clock().toISOString(), bakedSeconds: 0, waitSeconds: bakeWaitSeconds(0, plan.bakeSeconds, plan.alarms.length) };
}

async function rollback(plan: RolloutPlan, index: number | undefined, failure: CaughtFailure, deps: RolloutDeps): Promise<RollbackWatch> {
  const error = failure.Error === RolloutErrorName.Aborted || failure.Error === RolloutErrorName.Paused ? failure.Error : RolloutErrorName.Failed;
  const reason = describeFailure(plan, index, failure);
  const startedAt = deps.clock().toISOString();
  const { decision, deploymentId } = await rollbackService({ cluster: plan.cluster, service: plan.service, start: plan.start, reason }, deps);
  const cause = decision.type === 'none' ? `${reason}; nothing rolled back: ${decision.reason}` : decision.heldAtZero.length > 0 ? `${reason}; ${decision.reason}` : reason;
  const strategy = decision.type === 'set-strategy' ? decision.strategy : undefined;
  return {
    status: 'wait',
    ...(deploymentId ? { deploymentId } : {}),
    startedAt,
    elapsedSeconds: 0,
    waitSeconds: strategy ? plan.pollSeconds : 0,
    error,
    reason: cause,
    cause,
    ...(strategy ? { target: strategy } : {}),
  };
}

/**
 * Rolls a service back to the strategy a rollout started from, as the core decides it
 * (decideRollback: never Spot weight back while a fallback is active, the fallback's record
 * left as it is). The state machine's Rollback task and the CLI's mid-step abort both come
 * here. Reads the service with its record (one DescribeServices with tags), then at most one
 * UpdateService.
 */
export async function rollbackService(
  target: { cluster: string; service: string; start: Strategy; reason: string },
  deps: Pick<RolloutDeps, 'services' | 'strategies' | 'log' | 'killSwitch'>,
): Promise<{ decision: RollbackDecision; deploymentId: string | undefined }> {
  const { cluster, service, start, reason } = target;
  // A kill switch that is not active stops the rollback too: the service stays where it is.
  const off = await switchedOff(deps);
  if (off) {
    deps.log.warn('rollout stopped by the kill switch; nothing rolled back', { cluster, service, reason, killSwitch: off });
    return { decision: { type: 'none', reason: `the kill switch (${off.source}) is ${off.mode}: ${cluster}/${service} stays on its current strategy` }, deploymentId: undefined };
  }
  const current = await deps.services.deployments(cluster, service);
  const decision = decideRollback(start, current);
  // The fallback that began during the rollout restores the starting strategy, not the mix
  // it recorded: written first, so a failed UpdateService below still leaves the right record.
  if (decision.baseline) {
    const rebased = await deps.strategies.rebaseFallback({ cluster, service, serviceArn: current.serviceArn, baseline: decision.baseline, fallbackSince: current.fallbackSince });
    deps.log.warn('rollout rollback during a Spot fallback: the fallback now restores the starting strategy', { cluster, service, baseline: decision.baseline, rebased });
  }
  if (decision.type === 'none') {
    deps.log.warn('rollout stopped; nothing to roll back', { cluster, service, reason, why: decision.reason });
    return { decision, deploymentId: undefined };
  }
  const { deploymentId } = await deps.strategies.apply({ cluster, service, serviceArn: current.serviceArn, strategy: decision.strategy });
  deps.log.warn('rollout rolling back', { cluster, service, reason, why: decision.reason, strategy: decision.strategy, deploymentId });
  return { decision, deploymentId };
}

async function checkRollback(plan: RolloutPlan, watch: RollbackWatch, waitedSeconds: number, deps: RolloutDeps): Promise<RollbackWatch> {
  // Nothing was set: there is no deployment of ours to watch.
  if (!watch.target) return { ...watch, status: 'done', cause: watch.reason };
  const next = await watchDeployment(plan, watch, waitedSeconds, deps);
  const restored = `restored ${plan.cluster}/${plan.service} to ${sameStrategy(watch.target, plan.start) ? 'its starting strategy ' : ''}${formatStrategy(watch.target)}`;
  if (next.status === 'done') return { ...watch, ...next, cause: `${watch.reason}; ${restored}` };
  if (next.status === 'wait') return { ...watch, ...next, cause: watch.reason };
  return { ...watch, ...next, error: RolloutErrorName.RollbackFailed, cause: `${watch.reason}; the rollback did not complete: ${next.cause ?? next.status}` };
}

/** `step 2 of 3 (50% of od-x86's share on od-arm)` */
function stepLabel(plan: RolloutPlan, index: number): string {
  const percent = plan.steps[index]?.percent;
  return `step ${index + 1} of ${plan.stepCount} (${percent ?? '?'}% of ${plan.from}'s share on ${plan.to})`;
}

function describeFailure(plan: RolloutPlan, index: number | undefined, failure: CaughtFailure): string {
  const text = causeText(failure.Cause);
  if (failure.Error === RolloutErrorName.Aborted) return `aborted by the operator${index !== undefined ? ` at ${stepLabel(plan, index)}` : ''}${text ? `: ${text}` : ''}`;
  if (failure.Error === RolloutErrorName.Failed || failure.Error === RolloutErrorName.Paused) return text ?? 'the rollout failed';
  const where = index !== undefined ? `${stepLabel(plan, index)}: ` : '';
  if (failure.Error === 'States.Timeout') return `${where}nobody answered in time`;
  return `${where}${failure.Error ?? 'error'}${text ? `: ${text}` : ''}`;
}

/** A Lambda error arrives as `{"errorType","errorMessage","trace"}`; the message is what a human needs. */
function causeText(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (parsed && typeof parsed === 'object' && typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: SendTaskFailure's own text
  }
  return cause;
}

function formatStrategy(strategy: RolloutPlan['start']): string {
  return strategy.map((i) => `${i.capacityProvider}:${i.base}:${i.weight}`).join(' ');
}

function waited(event: Event): number {
  const seconds = event.waitedSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}
