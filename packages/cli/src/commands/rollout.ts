// `rebalancer rollout start|status|approve|abort|run`.
//
// In AWS, a rollout is one execution of the rollout state machine (its ARN from
// --state-machine or REBALANCER_STATE_MACHINE_ARN). Execution names are
// `rollout-<hash>-<cluster>.<service>-<start time>`: Step Functions refuses a RUNNING
// duplicate name, but also keeps a finished execution's name for 90 days, so the name cannot
// be the lock by itself; `start` lists the RUNNING executions and refuses when one is named
// for the same service (and the Plan step checks again inside the state machine, for starts
// from the console). `approve` and `abort` answer the pause the execution waits in, with the
// task token found in its history; an `abort` outside a pause stops the execution and puts
// the starting strategy back itself.
//
// `run --local` runs the same definition against the simulator (see ../rollout-local.ts).
import {
  isRolloutExecutionOf,
  parseClusterState,
  planRollout,
  rolloutExecutionName,
} from '@ecs-rebalancer/core';
import type { ClusterState, RolloutInput, RolloutPlan, ServiceState, Strategy } from '@ecs-rebalancer/core';
import {
  EcsRolloutServiceReader,
  EcsRolloutStrategyWriter,
  PermanentError,
  RetryableError,
  SfnRolloutOperator,
  createRolloutClients,
  rollbackService,
} from '@ecs-rebalancer/functions';
import { createSimulation } from '@ecs-rebalancer/sim';
import { ExitCode, InputError } from '../errors.js';
import { readJsonFile, withFile, type Io } from '../io.js';
import { runLocalRollout } from '../rollout-local.js';
import type { LocalPause, LocalRollout } from '../rollout-local.js';
import { formatPlan, formatStrategy, readableCause } from './rollout-format.js';
import { describeField, inputFrom, parseOptions, rethrowInput, seconds, stateMachine, target } from './rollout-options.js';
import type { Values } from './rollout-options.js';

export const rolloutUsage = [
  'rebalancer rollout start --cluster C --service S --from P --to Q [--steps 10,25,50,100 | --linear N | --exponential START[:FACTOR]]',
  '                         [--bake 10m] [--alarm NAME]… [--approval manual] [--on-alarm rollback|pause] [--poll 30s]',
  '                         [--deployment-timeout 30m] [--dry-run [--cluster-file FILE] [--json]] [--state-machine ARN] [--region R]',
  '                         (with --cluster-file, --cluster defaults to the cluster the file names)',
  'rebalancer rollout status|approve|abort --cluster C --service S [--state-machine ARN] [--region R] [--reason TEXT]',
  'rebalancer rollout run --local --cluster-file FILE --service S --from P --to Q [start options] [--set-alarm SECONDS:NAME:STATE]…',
].join('\n');

/**
 * `rebalancer rollout …`: exit 0 on success, 1 when a local rollout did not succeed or AWS
 * failed us, 2 on bad input (one line naming the option or the file and the JSON path).
 */
export async function rolloutCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  const values = parseOptions(rest);
  try {
    switch (sub) {
      case 'start':
        return values['dry-run'] ? await dryRun(values, io) : await start(values, io);
      case 'status':
        return await status(values, io);
      case 'approve':
        return await answer(values, io, 'approve');
      case 'abort':
        return await answer(values, io, 'abort');
      case 'run':
        if (!values.local) throw new InputError('rollout run: only --local runs are supported (use rollout start for AWS)');
        return await runLocal(values, io);
      default:
        throw new InputError(`rollout: expected start, status, approve, abort or run, got ${sub === undefined ? 'nothing' : `"${sub}"`} (see rebalancer rollout --help)`);
    }
  } catch (error) {
    if (error instanceof RetryableError || error instanceof PermanentError) {
      io.stderr.write(`rebalancer: rollout ${sub}: ${error.message}\n`);
      return ExitCode.ExpectationsFailed;
    }
    throw error;
  }
}

// ---------------------------------------------------------------- start

async function dryRun(values: Values, io: Io): Promise<number> {
  const { plan } = await checkedPlan(values, io, 'rollout start');
  io.stdout.write(values.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan));
  return ExitCode.Ok;
}

/**
 * The checks `rollout start --dry-run` and `rollout run --local` share, before anything runs:
 * the options (the core's parser), the cluster file (`--cluster` defaults to the cluster it
 * names), the service in it, the plan (the core's planRollout: CODE_DEPLOY, an active Spot
 * fallback, providers not attached…) and, given a file, the watched alarms in its `alarms`.
 * Every refusal is an InputError (exit 2) naming the option or the file and its JSON path.
 * Without a file (a dry run against AWS) the service is read with the production reader.
 */
async function checkedPlan(values: Values, io: Io, command: string): Promise<{ input: RolloutInput; state: ClusterState | undefined; plan: RolloutPlan }> {
  const file = values['cluster-file'];
  let state: ClusterState | undefined;
  if (file) {
    const raw = await readJsonFile(file, io);
    state = withFile(file, () => parseClusterState(raw));
    if (values.cluster !== undefined && state.cluster !== values.cluster) throw new InputError(`${file}: cluster: "${state.cluster}" is not --cluster ${values.cluster}`);
  }
  const input = inputFrom({ ...values, cluster: values.cluster ?? state?.cluster }, command);
  let cluster: Pick<ClusterState, 'cluster' | 'capacityProviders'>;
  let service: ServiceState | undefined;
  if (state) {
    cluster = state;
    service = state.services.find((s) => s.name === input.service);
    if (!service) throw new InputError(`${file}: services: no service named "${input.service}"`);
  } else {
    const read = await new EcsRolloutServiceReader(clients(values).ecs).read(input.cluster, input.service).catch(rethrowInput(command));
    cluster = read.cluster;
    service = read.service;
  }
  const plan = planOrExplain(input, service, cluster, command);
  if (state) {
    const alarms = state.alarms;
    input.alarms.forEach((name, i) => {
      if (!Object.hasOwn(alarms, name)) throw new InputError(`${command}: ${describeField(`alarms[${i}]`, `alarm ${name} does not exist in ${file} (alarms)`)}`);
    });
  }
  return { input, state, plan };
}

function planOrExplain(input: RolloutInput, service: ServiceState, cluster: Pick<ClusterState, 'cluster' | 'capacityProviders'>, command: string): RolloutPlan {
  try {
    return planRollout(input, service, cluster);
  } catch (error) {
    rethrowInput(command)(error);
    throw error;
  }
}

async function start(values: Values, io: Io): Promise<number> {
  const input = inputFrom(values, 'rollout start');
  const stateMachineArn = stateMachine(values);
  const executions = new SfnRolloutOperator(clients(values).sfn);
  const running = (await executions.running(stateMachineArn)).filter((e) => isRolloutExecutionOf(e.name, input.cluster, input.service));
  if (running.length > 0) {
    throw new InputError(`rollout start: another rollout of ${input.cluster}/${input.service} is running: ${running.map((e) => e.executionArn).join(', ')} (see rebalancer rollout status)`);
  }
  const name = rolloutExecutionName(input.cluster, input.service, new Date().toISOString());
  // The Plan step validates the request again inside the state machine.
  const executionArn = await executions.start(stateMachineArn, name, executionInput(input)).catch((error: unknown) => {
    if (error instanceof PermanentError && error.code === 'ExecutionAlreadyExists') {
      throw new InputError(`rollout start: a rollout of ${input.cluster}/${input.service} was started this very second: ${name}`);
    }
    throw error;
  });
  io.stdout.write(`${JSON.stringify({ executionArn, name, cluster: input.cluster, service: input.service, steps: input.steps }, null, 2)}\n`);
  return ExitCode.Ok;
}

// ---------------------------------------------------------------- status, approve, abort

async function status(values: Values, io: Io): Promise<number> {
  const { cluster, service } = target(values, 'rollout status');
  const executions = new SfnRolloutOperator(clients(values).sfn);
  const latest = await executions.latestOf(stateMachine(values), cluster, service);
  if (!latest) throw new InputError(`rollout status: no rollout of ${cluster}/${service} found`);
  const detail = await executions.describe(latest.executionArn);
  const pause = detail.status === 'RUNNING' ? await executions.pendingPause(latest.executionArn) : undefined;
  const output = detail.output as { steps?: unknown[] } | undefined;
  io.stdout.write(
    `${JSON.stringify(
      {
        cluster,
        service,
        executionArn: detail.executionArn,
        status: detail.error === 'RolloutAbortedError' ? 'ABORTED' : detail.status,
        startDate: detail.startDate,
        ...(detail.stopDate ? { stopDate: detail.stopDate } : {}),
        ...(pause ? { waiting: { for: pause.action === 'await-approval' ? 'approval' : 'resume after an alarm', step: (pause.index ?? 0) + 1, percent: pause.percent, ...(pause.cause ? { cause: pause.cause } : {}) } } : {}),
        ...(output?.steps ? { steps: output.steps } : {}),
        ...(detail.error ? { error: detail.error } : {}),
        ...(detail.cause ? { cause: readableCause(detail.cause) } : {}),
      },
      null,
      2,
    )}\n`,
  );
  return ExitCode.Ok;
}

async function answer(values: Values, io: Io, how: 'approve' | 'abort'): Promise<number> {
  const command = `rollout ${how}`;
  const { cluster, service } = target(values, command);
  const aws = clients(values);
  const executions = new SfnRolloutOperator(aws.sfn);
  const running = (await executions.running(stateMachine(values))).find((e) => isRolloutExecutionOf(e.name, cluster, service));
  if (!running) throw new InputError(`${command}: no rollout of ${cluster}/${service} is running`);
  const pause = await executions.pendingPause(running.executionArn);
  if (how === 'approve') {
    if (!pause) throw new InputError(`${command}: the rollout of ${cluster}/${service} is not waiting for an answer (see rebalancer rollout status)`);
    await executions.approve(pause.taskToken);
    io.stdout.write(`approved step ${(pause.index ?? 0) + 1}${pause.percent !== undefined ? ` (${pause.percent}%)` : ''} of ${running.name}\n`);
    return ExitCode.Ok;
  }
  if (pause) {
    // The state machine rolls back and fails with RolloutAbortedError.
    await executions.abort(pause.taskToken, values.reason);
    io.stdout.write(`aborted ${running.name}: the state machine rolls ${cluster}/${service} back to its starting strategy\n`);
    return ExitCode.Ok;
  }
  // Mid-step: a stopped execution runs no more states, so the rollback is done from here,
  // through the same use-case as the state machine's Rollback task (the core's decideRollback).
  const startStrategy = await executions.startStrategy(running.executionArn);
  await executions.stop(running.executionArn, values.reason ?? 'aborted with rebalancer rollout abort');
  if (!startStrategy) {
    io.stdout.write(`stopped ${running.name} before it had planned: nothing to roll back\n`);
    return ExitCode.Ok;
  }
  const reason = values.reason ?? 'aborted with rebalancer rollout abort';
  const { decision } = await rollbackService(
    { cluster, service, start: startStrategy, reason },
    { services: new EcsRolloutServiceReader(aws.ecs), strategies: new EcsRolloutStrategyWriter(aws.ecs, undefined, aws.ecsSingleAttempt), log: quietLog },
  );
  if (decision.type === 'none') {
    io.stdout.write(`stopped ${running.name}; nothing rolled back: ${decision.reason}\n`);
    return ExitCode.Ok;
  }
  io.stdout.write(`stopped ${running.name} and put ${cluster}/${service} on ${formatStrategy(decision.strategy)} (${decision.reason}; follow the deployment in the ECS console)\n`);
  return ExitCode.Ok;
}

/** The CLI says what happened on stdout; the use-case's logs are for Lambda. */
const quietLog = { debug() {}, info() {}, warn() {}, error() {} };

// ---------------------------------------------------------------- run --local

async function runLocal(values: Values, io: Io): Promise<number> {
  if (!values['cluster-file']) throw new InputError('rollout run: --cluster-file is required for a local run (the simulator starts from it)');
  // The same checks as `rollout start --dry-run`: bad input is refused here (exit 2), not as a FAILED run.
  const { input, state } = await checkedPlan(values, io, 'rollout run');
  const alarms = (values['set-alarm'] ?? []).map(scheduledAlarm);
  const sim = createSimulation({ clusters: [state!] });
  for (const a of alarms) sim.clock.schedule(a.at, () => sim.setAlarm(a.name, a.state));
  const answers = lines(io);
  let current: LocalRollout | undefined;
  const summary = await runLocalRollout(sim, executionInput(input), {
    log: (line) => io.stderr.write(`${line}\n`),
    onStart: (rollout) => {
      current = rollout;
    },
    onPause: (pause) => void respond(pause),
  });
  async function respond(pause: LocalPause): Promise<void> {
    io.stderr.write(`step ${pause.index + 1} (${pause.percent}%) waits for ${pause.action === 'await-approval' ? 'approval' : `a resume after: ${pause.cause ?? 'an alarm'}`}; answer approve or abort on stdin\n`);
    const reply = (await answers.next()).value as string | undefined;
    if (reply?.trim() === 'approve') current?.approve();
    else current?.abort(reply === undefined ? 'no answer on stdin' : `answered "${reply.trim()}"`);
  }
  const { plan, ...rest } = summary;
  io.stdout.write(`${JSON.stringify(input.dryRun ? { ...rest, plan } : rest, null, 2)}\n`);
  return summary.status === 'SUCCEEDED' ? ExitCode.Ok : ExitCode.ExpectationsFailed;
}

function scheduledAlarm(text: string): { at: number; name: string; state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' } {
  const match = /^(\d+(?:\.\d+)?[smh]?):([^:]+):(OK|ALARM|INSUFFICIENT_DATA)$/.exec(text);
  if (!match) throw new InputError(`rollout run: --set-alarm: expected SECONDS:NAME:OK|ALARM|INSUFFICIENT_DATA, got "${text}"`);
  return { at: seconds(match[1]!, '--set-alarm', 'rollout run'), name: match[2]!, state: match[3] as 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' };
}

async function* lineReader(io: Io): AsyncGenerator<string> {
  if (!io.stdin) return;
  let buffer = '';
  for await (const chunk of io.stdin) {
    buffer += String(chunk);
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
    }
  }
  if (buffer) yield buffer;
}

function lines(io: Io): AsyncGenerator<string> {
  return lineReader(io);
}

// ---------------------------------------------------------------- helpers

/** The execution input for a validated request: the resolved steps, without the parser's `schedule` note. */
function executionInput(input: RolloutInput): Omit<RolloutInput, 'schedule'> {
  const { schedule: _schedule, ...rest } = input;
  return rest;
}

function clients(values: Values) {
  return createRolloutClients({ ...(values.region ? { region: values.region } : {}) });
}
