// Local rollouts: the same state machine definition as in AWS (core's rollout/definition.ts),
// run by aws-local-stepfunctions, with every Task state bound to the real rollout handler
// (composeRolloutDeps + createRolloutHandler) whose SDK clients point at the simulator.
//
// Virtual time. aws-local-stepfunctions sleeps in real time in Wait states and retry
// intervals, and takes no clock. So every Wait and retry interval is overridden to 0 ms, and
// virtual time moves where the definition says how long it waited: each Wait is followed by a
// Task that receives `waitedSeconds` (a test of the definition holds it to that), and before
// that Task runs the runner lets `waitedSeconds` of virtual time pass — `sim.advance` when the
// runner owns the simulation (`rebalancer rollout run --local`), `waitUntil` when a scenario
// runner owns it (`rebalancer simulate`, timeline entries `{"at", "rollout"}`). The handler's
// clock is the simulator's. Retries therefore happen at once on the virtual clock.
//
// Task tokens. aws-local-stepfunctions runs a `.waitForTaskToken` Task as a plain call of the
// override, so the two pauses (manual approval, alarm pause) are promises that the runner's
// `approve()` / `abort()` settle, or that settle at once with `autoApprove` (scenarios).
//
// One rollout per service: the Plan task runs the deployed check itself (the use-case's
// running-executions rule, through the RolloutExecutions port); locally the port is a
// process-wide registry of the executions this process runs, named as in AWS.
import { createRolloutClients, composeRolloutDeps, createRolloutHandler } from '@ecs-rebalancer/functions';
import type { RolloutExecutions, RolloutKillSwitch, RolloutState, RunningExecution } from '@ecs-rebalancer/functions';
import { RolloutErrorName, RolloutInputError, rolloutDefinition, rolloutExecutionName } from '@ecs-rebalancer/core';
import type { Policy, RolloutPlan, RolloutStatus, StepRecord } from '@ecs-rebalancer/core';
import { startSimServer } from '@ecs-rebalancer/sim';
import type { HandlerEnvironment, RolloutDriver, Simulation } from '@ecs-rebalancer/sim';
import { Logger } from '@aws-lambda-powertools/logger';
import { StateMachine } from 'aws-local-stepfunctions';
import { localLambdaContext } from './lambda-context.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:ecs-rebalancer-rollout-local`;
const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:ecs-rebalancer-rollout-local`;

/** How the runner sees time: the simulator's clock, and a way to let virtual seconds pass. */
export interface LocalRolloutTime {
  now(): Date;
  sleep(seconds: number): Promise<void>;
}

/** A pause the rollout waits in: an approval before a step, or an alarm pause. */
export interface LocalPause {
  action: 'await-approval' | 'await-resume';
  index: number;
  percent: number;
  cause?: string;
}

/** The outcome of one rollout (the `rollouts` entries of `rebalancer simulate --json`). */
export interface LocalRolloutSummary {
  cluster: string;
  service: string;
  status: RolloutStatus;
  steps: StepRecord[];
  cause?: string;
  /** The execution's error name when it did not succeed. */
  error?: string;
  /** The plan, when the Plan step got that far (a dry run's whole answer). */
  plan?: RolloutPlan;
}

export interface LocalRolloutOptions {
  /** The rollout input, as for StartExecution. */
  input: unknown;
  /** The simulator's endpoint (ECS and CloudWatch). */
  endpoint: string;
  time: LocalRolloutTime;
  region?: string;
  /** Approve every pause at once (scenarios, which have no operator). Default false. */
  autoApprove?: boolean;
  /** Called when the rollout starts waiting in a pause. */
  onPause?: (pause: LocalPause) => void;
  /** One line per task the handler ran. */
  log?: (line: string) => void;
  /** Called after each task with what the handler was given and answered (tests, reports). */
  onTask?: (stateName: string, event: Record<string, unknown>, result: unknown) => void;
  /** SDK options of a scenario run (the runner's counted request handler, virtual back-off). */
  sdk?: HandlerEnvironment['sdk'];
  /** The kill switch the handler reads (as the deployed one reads SSM); absent: active. */
  killSwitch?: RolloutKillSwitch;
  /** The policy whose `dryRun` the handler honours. */
  policy?: Pick<Policy, 'dryRun'>;
}

export interface LocalRollout {
  readonly name: string;
  readonly result: Promise<LocalRolloutSummary>;
  /** The pause the rollout waits in now, if any. */
  pending(): LocalPause | undefined;
  /** Answers the pending pause: go on (an approval), or bake the step again (an alarm pause). */
  approve(): void;
  /** Answers the pending pause with RolloutAbortedError: the rollout rolls back. */
  abort(reason?: string): void;
}

/** The RUNNING executions of this process, by execution ARN, with their input (what ListExecutions and DescribeExecution answer in AWS). */
const running = new Map<string, { name: string; input: unknown }>();

/** The local stand-in for Step Functions' ListExecutions(RUNNING) / DescribeExecution. */
const localExecutions: RolloutExecutions = {
  running: async (stateMachineArn: string): Promise<RunningExecution[]> =>
    stateMachineArn === STATE_MACHINE_ARN ? [...running].map(([executionArn, e]) => ({ executionArn, name: e.name })) : [],
  input: async (executionArn: string) => running.get(executionArn)?.input ?? null,
};

/**
 * Starts one rollout of the shared definition against the simulator behind `endpoint`; the
 * answer settles when the execution ends (it never rejects for a failed rollout: the summary
 * says FAILED or ABORTED with the cause).
 */
export function startLocalRollout(options: LocalRolloutOptions): LocalRollout {
  const definition = rolloutDefinition({ functionArn: FUNCTION_ARN });
  const states = definition.States as Record<string, { Type: string }>;
  const names = (type: string) => Object.keys(states).filter((n) => states[n]!.Type === type);
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: true, checkPaths: true } });
  const log = options.log ?? (() => {});

  const clients = createRolloutClients({
    region: options.region ?? REGION,
    endpoints: { ecs: options.endpoint, cloudWatch: options.endpoint },
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
    ...(options.sdk ? { requestHandler: options.sdk.requestHandler as never, retryStrategy: options.sdk.retryStrategy(3) } : {}),
  });
  const logger = new Logger({ serviceName: 'ecs-rebalancer-rollout', logLevel: (process.env.REBALANCER_LOG_LEVEL ?? 'SILENT') as 'SILENT' });
  // No Step Functions client: the running-execution check reads the local registry.
  const deps = composeRolloutDeps({
    clients: { ecs: clients.ecs, ecsSingleAttempt: clients.ecsSingleAttempt, cloudWatch: clients.cloudWatch },
    logger,
    clock: () => options.time.now(),
    ...(options.killSwitch ? { killSwitch: options.killSwitch } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
  });
  const handler = createRolloutHandler({ ...deps, executions: localExecutions });

  const input = (options.input ?? {}) as { cluster?: unknown; service?: unknown };
  const cluster = typeof input.cluster === 'string' ? input.cluster : '';
  const service = typeof input.service === 'string' ? input.service : '';
  // The virtual clock may stand still (a pause): a second start in the same virtual second
  // gets a numbered name, still the service's prefix, so the Plan task's check is what refuses it.
  const stamped = rolloutExecutionName(cluster || 'cluster', service || 'service', options.time.now().toISOString());
  const arnOf = (n: string) => `arn:aws:states:${REGION}:${ACCOUNT}:execution:ecs-rebalancer-rollout-local:${n}`;
  let name = stamped;
  for (let n = 2; running.has(arnOf(name)); n++) name = `${stamped}-${n}`;
  const executionArn = arnOf(name);
  running.set(executionArn, { name, input: options.input });
  let plan: RolloutPlan | undefined;
  let done: StepRecord[] = [];
  let pause: { info: LocalPause; resolve: () => void; reject: (e: Error) => void } | undefined;

  const invoke = async (stateName: string, raw: unknown): Promise<unknown> => {
    // .waitForTaskToken tasks pass {FunctionName, Payload}; the others the payload itself.
    const event = ((raw as { Payload?: unknown }).Payload ?? raw) as Record<string, unknown>;
    if (typeof event.waitedSeconds === 'number' && event.waitedSeconds > 0) await options.time.sleep(event.waitedSeconds);
    const result = await handler(event, localLambdaContext('ecs-rebalancer-rollout-local', FUNCTION_ARN));
    log(`${options.time.now().toISOString()} ${stateName}: ${describe(event, result)}`);
    options.onTask?.(stateName, event, result);
    if (event.action === 'plan') plan = (result as RolloutState).plan;
    if (event.action === 'check-alarms' && (result as { status?: unknown }).status === 'passed') done = (result as { done: StepRecord[] }).done;
    if (event.action === 'await-approval' || event.action === 'await-resume') {
      const info: LocalPause = {
        action: event.action,
        index: event.index as number,
        percent: event.percent as number,
        ...(typeof event.cause === 'string' ? { cause: event.cause } : {}),
      };
      if (options.autoApprove) return { decision: 'approve' };
      return new Promise((resolve, reject) => {
        pause = { info, resolve: () => resolve({ decision: 'approve' }), reject };
        options.onPause?.(info);
      });
    }
    return result;
  };

  const execution = machine.run(options.input as never, {
    overrides: {
      taskResourceLocalHandlers: Object.fromEntries(names('Task').map((n) => [n, (raw: unknown) => invoke(n, raw) as never])),
      waitTimeOverrides: Object.fromEntries(names('Wait').map((n) => [n, 0])),
      retryIntervalOverrides: Object.fromEntries(names('Task').map((n) => [n, 0])),
    },
    context: {
      Execution: { Id: executionArn, Name: name, Input: options.input as never, StartTime: options.time.now().toISOString() },
      StateMachine: { Id: STATE_MACHINE_ARN, Name: 'ecs-rebalancer-rollout-local' },
      Task: { Token: `local:${name}` },
    },
  });

  const result = (async (): Promise<LocalRolloutSummary> => {
    try {
      const output = (await execution.result) as Record<string, unknown>;
      const dryRun = plan?.dryRun === true;
      return {
        cluster,
        service,
        status: 'SUCCEEDED',
        steps: dryRun ? plan!.steps : ((output.steps as StepRecord[]) ?? done),
        ...(plan ? { plan } : {}),
      };
    } catch (error) {
      // aws-local-stepfunctions throws ExecutionError; its cause is the failure (name = error, message = cause).
      const failure = ((error as { cause?: unknown }).cause ?? error) as Error;
      return {
        cluster,
        service,
        status: failure.name === RolloutErrorName.Aborted ? 'ABORTED' : 'FAILED',
        steps: done,
        cause: failure.message,
        error: failure.name,
        ...(plan ? { plan } : {}),
      };
    } finally {
      running.delete(executionArn);
      clients.ecs.destroy();
      clients.ecsSingleAttempt.destroy();
      clients.cloudWatch.destroy();
    }
  })();

  const settle = (how: (p: NonNullable<typeof pause>) => void) => {
    const current = pause;
    if (!current) throw new RangeError(`rollout ${name} is not waiting for an answer`);
    pause = undefined;
    how(current);
  };
  return {
    name,
    result,
    pending: () => pause?.info,
    approve: () => settle((p) => p.resolve()),
    abort: (reason) =>
      settle((p) => {
        const error = new Error(reason ?? '');
        error.name = RolloutErrorName.Aborted;
        p.reject(error);
      }),
  };
}

/**
 * Runs a rollout against a simulation this process owns: serves it over HTTP for the time of
 * the run, and advances its virtual clock through every Wait.
 */
export async function runLocalRollout(
  sim: Simulation,
  input: unknown,
  options: Omit<LocalRolloutOptions, 'input' | 'endpoint' | 'time'> & { onStart?: (rollout: LocalRollout) => void } = {},
): Promise<LocalRolloutSummary> {
  const server = await startSimServer(sim);
  try {
    const rollout = startLocalRollout({ ...options, input, endpoint: server.endpoint, time: simulationTime(sim) });
    options.onStart?.(rollout);
    return await rollout.result;
  } finally {
    await server.close();
  }
}

/** The virtual clock of a simulation this process owns. */
export function simulationTime(sim: Simulation): LocalRolloutTime {
  return {
    now: () => new Date(sim.clock.now()),
    sleep: async (seconds) => sim.advance(seconds),
  };
}

/**
 * The scenario runner's rollout driver (`rebalancer simulate`, timeline `{"at", "rollout"}`):
 * time passes through the runner's `waitUntil`, and pauses are approved at once (a scenario
 * has no operator).
 */
export const rolloutDriver: RolloutDriver = async (input, env) => {
  const rollout = startLocalRollout({
    input,
    endpoint: env.endpoint,
    region: env.region,
    autoApprove: true,
    sdk: env.sdk,
    time: { now: env.now, sleep: (seconds) => env.waitUntil(env.now().getTime() + seconds * 1000) },
  });
  const summary = await rollout.result;
  return { cluster: summary.cluster, service: summary.service, status: summary.status, steps: summary.steps, ...(summary.cause ? { cause: summary.cause } : {}) };
};

function describe(event: Record<string, unknown>, result: unknown): string {
  const r = (result ?? {}) as Record<string, unknown>;
  const step = typeof event.index === 'number' ? ` step ${event.index + 1}` : '';
  switch (event.action) {
    case 'check-deployment':
    case 'check-rollback':
      return `${String(event.action)}${step}: ${String(r.status)} after ${String(r.elapsedSeconds)} s${r.cause ? ` (${String(r.cause)})` : ''}`;
    case 'check-alarms':
      return `check-alarms${step}: ${r.status === 'alarm' ? String(r.cause) : `OK, baked ${String(r.bakedSeconds)} s${r.status === 'passed' ? ': passed' : ''}`}`;
    default:
      return `${String(event.action)}${step}`;
  }
}
