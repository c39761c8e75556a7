// The options of `rebalancer rollout …` and the rollout input they describe: every bad value
// is an InputError that names the option (exit 2, one line).
import { parseArgs } from 'node:util';
import { RolloutInputError, ValidationError, parseRolloutInput } from '@ecs-rebalancer/core';
import type { RolloutInput } from '@ecs-rebalancer/core';
import { InputError } from '../errors.js';

const OPTIONS = {
  cluster: { type: 'string' },
  service: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  steps: { type: 'string' },
  linear: { type: 'string' },
  exponential: { type: 'string' },
  bake: { type: 'string' },
  alarm: { type: 'string', multiple: true },
  approval: { type: 'string' },
  'on-alarm': { type: 'string' },
  poll: { type: 'string' },
  'deployment-timeout': { type: 'string' },
  'dry-run': { type: 'boolean' },
  'cluster-file': { type: 'string' },
  json: { type: 'boolean' },
  'state-machine': { type: 'string' },
  region: { type: 'string' },
  reason: { type: 'string' },
  local: { type: 'boolean' },
  'set-alarm': { type: 'string', multiple: true },
} as const;

export type Values = ReturnType<typeof parseOptions>;

/** The input field each option fills, to name the option in an error about the field. */
const OPTION_OF: Record<string, string> = {
  cluster: '--cluster',
  service: '--service',
  from: '--from',
  to: '--to',
  steps: '--steps',
  linear: '--linear',
  exponential: '--exponential',
  bakeSeconds: '--bake',
  alarms: '--alarm',
  approval: '--approval',
  onAlarm: '--on-alarm',
  pollSeconds: '--poll',
  deploymentTimeoutSeconds: '--deployment-timeout',
};

export function parseOptions(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new InputError(`rollout: ${(error as Error).message} (see rebalancer rollout --help)`);
  }
}

/** The rollout input the options describe, validated by the core (errors name the option). */
export function inputFrom(values: Values, command: string): RolloutInput {
  const raw: Record<string, unknown> = {
    cluster: values.cluster,
    service: values.service,
    from: values.from,
    to: values.to,
  };
  if (values.steps !== undefined) raw.steps = percentList(values.steps, command);
  if (values.linear !== undefined) raw.linear = integer(values.linear, '--linear', command);
  if (values.exponential !== undefined) {
    const [startText, factorText] = values.exponential.split(':');
    raw.exponential = {
      start: integer(startText ?? '', '--exponential', command),
      ...(factorText !== undefined ? { factor: number(factorText, '--exponential', command) } : {}),
    };
  }
  if (values.bake !== undefined) raw.bakeSeconds = seconds(values.bake, '--bake', command);
  if (values.alarm !== undefined) raw.alarms = values.alarm;
  if (values.approval !== undefined) raw.approval = values.approval;
  if (values['on-alarm'] !== undefined) raw.onAlarm = values['on-alarm'];
  if (values.poll !== undefined) raw.pollSeconds = seconds(values.poll, '--poll', command);
  if (values['deployment-timeout'] !== undefined) raw.deploymentTimeoutSeconds = seconds(values['deployment-timeout'], '--deployment-timeout', command);
  if (values['dry-run']) raw.dryRun = true;
  try {
    return parseRolloutInput(raw);
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new InputError(`${command}: ${error.problems.map((p) => describeField(p.path, p.message)).join('; ')}`, { cause: error });
    }
    throw error;
  }
}

export function describeField(path: string, message: string): string {
  const field = /^[A-Za-z]+/.exec(path)?.[0] ?? '';
  const option = OPTION_OF[field];
  if (!option) return path ? `${path}: ${message}` : message;
  if (message === 'required') return `${option} is required`;
  return `${option}${path !== field ? ` (${path})` : ''}: ${message}`;
}

export function target(values: Values, command: string): { cluster: string; service: string } {
  if (!values.cluster) throw new InputError(`${command}: --cluster is required`);
  if (!values.service) throw new InputError(`${command}: --service is required`);
  return { cluster: values.cluster, service: values.service };
}

export function stateMachine(values: Values): string {
  const arn = values['state-machine'] ?? process.env.REBALANCER_STATE_MACHINE_ARN;
  if (!arn) throw new InputError('rollout: --state-machine ARN or REBALANCER_STATE_MACHINE_ARN is required (the deployed stack prints it)');
  if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]+$/.test(arn)) throw new InputError(`rollout: --state-machine: "${arn}" is not a state machine ARN`);
  return arn;
}

export function rethrowInput(command: string) {
  return (error: unknown): never => {
    if (error instanceof RolloutInputError) throw new InputError(`${command}: ${describeField(error.path, error.message.replace(`${error.path}: `, ''))}`, { cause: error });
    throw error;
  };
}

function percentList(text: string, command: string): number[] {
  return text.split(',').map((part, i) => {
    const n = Number(part.trim().replace(/%$/, ''));
    if (part.trim() === '' || !Number.isFinite(n)) throw new InputError(`${command}: --steps (steps[${i}]): "${part}" is not a number`);
    return n;
  });
}

function integer(text: string, option: string, command: string): number {
  const n = Number(text);
  if (!Number.isInteger(n)) throw new InputError(`${command}: ${option}: "${text}" is not an integer`);
  return n;
}

function number(text: string, option: string, command: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new InputError(`${command}: ${option}: "${text}" is not a number`);
  return n;
}

/** `90`, `90s`, `10m`, `1h`, `1h30m` → seconds. */
export function seconds(text: string, option: string, command: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s?)?$/.exec(text.trim());
  if (!match || text.trim() === '' || (match[1] === undefined && match[2] === undefined && match[3] === undefined)) {
    throw new InputError(`${command}: ${option}: "${text}" is not a duration (90, 90s, 10m, 1h, 1h30m)`);
  }
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}
