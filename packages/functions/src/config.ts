import { ValidationError, parsePolicy } from '@ecs-rebalancer/core';
import type { Policy } from '@ecs-rebalancer/core';
import { ConfigError } from './errors.js';

export const DEFAULT_EVENT_BUS = 'default';
export const DEFAULT_SERVICE_NAME = 'ecs-rebalancer';
/** The namespace the infra alarms read; infra/ defines the same literal (runtime code must not import infra). */
export const METRICS_NAMESPACE = 'EcsRebalancer';
// Throttled ECS calls wait for a token bucket to refill (service writes refill at 5/s), so a
// few more attempts than the SDK's default 3 ride out a burst within one invocation.
export const DEFAULT_MAX_ATTEMPTS = 6;

export interface FunctionConfig {
  policy: Policy;
  /** The dead-letter queue poison records are sent to (required by the react handler). */
  dlqUrl: string | undefined;
  eventBus: string;
  maxAttempts: number;
  serviceName: string;
  metricsNamespace: string;
  /** The SSM parameter that holds the kill switch (`active`, `paused`, `dry-run`); none: always active. */
  killSwitchParameter?: string | undefined;
  /** The event queue's URL (re-presenting deferred drains); else derived from each record's queue ARN. */
  queueUrl?: string | undefined;
  /** The event queue's redrive maxReceiveCount. */
  maxReceiveCount?: number | undefined;
  /** The region Lambda runs the function in (AWS_REGION): the policy's default `regions`. */
  region?: string | undefined;
  /** The DynamoDB table of the shared instance index (REBALANCER_INDEX_TABLE); none: each environment learns the map alone. */
  instanceIndexTable?: string | undefined;
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the functions' configuration from the environment: `REBALANCER_POLICY` (the policy as
 * JSON text, validated whole by parsePolicy), `REBALANCER_DLQ_URL`, `REBALANCER_EVENT_BUS`
 * (default `default`), `REBALANCER_MAX_ATTEMPTS` (SDK attempts per call, default 6),
 * `POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_METRICS_NAMESPACE`, `REBALANCER_KILL_SWITCH_PARAMETER`
 * (the SSM parameter of the kill switch), `REBALANCER_QUEUE_URL` and
 * `REBALANCER_MAX_RECEIVE_COUNT` (the event queue and its redrive limit), `AWS_REGION` (set by
 * Lambda; the policy's default region), `REBALANCER_INDEX_TABLE` (the shared instance index's
 * DynamoDB table). Endpoints come from the SDK's
 * own `AWS_ENDPOINT_URL*` variables. Throws ConfigError naming every problem: a bad policy
 * must stop the function at cold start, not half-apply.
 */
export function loadConfig(env: Env = process.env): FunctionConfig {
  return {
    policy: policyFrom(env['REBALANCER_POLICY']),
    dlqUrl: nonEmpty(env['REBALANCER_DLQ_URL']),
    eventBus: nonEmpty(env['REBALANCER_EVENT_BUS']) ?? DEFAULT_EVENT_BUS,
    maxAttempts: attemptsFrom(env['REBALANCER_MAX_ATTEMPTS']),
    serviceName: nonEmpty(env['POWERTOOLS_SERVICE_NAME']) ?? DEFAULT_SERVICE_NAME,
    metricsNamespace: nonEmpty(env['POWERTOOLS_METRICS_NAMESPACE']) ?? METRICS_NAMESPACE,
    killSwitchParameter: nonEmpty(env['REBALANCER_KILL_SWITCH_PARAMETER']),
    queueUrl: nonEmpty(env['REBALANCER_QUEUE_URL']),
    maxReceiveCount: receiveCountFrom(env['REBALANCER_MAX_RECEIVE_COUNT']),
    region: nonEmpty(env['AWS_REGION']),
    instanceIndexTable: nonEmpty(env['REBALANCER_INDEX_TABLE']),
  };
}

function policyFrom(text: string | undefined): Policy {
  if (text === undefined || text.trim() === '') throw new ConfigError('REBALANCER_POLICY is not set: the function needs a policy');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`REBALANCER_POLICY is not JSON: ${(error as Error).message}`, { cause: error });
  }
  try {
    return parsePolicy(raw);
  } catch (error) {
    if (error instanceof ValidationError) throw new ConfigError(`REBALANCER_POLICY is invalid: ${error.message}`, { cause: error });
    throw error;
  }
}

function attemptsFrom(text: string | undefined): number {
  if (nonEmpty(text) === undefined) return DEFAULT_MAX_ATTEMPTS;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new ConfigError(`REBALANCER_MAX_ATTEMPTS must be an integer from 1 to 20, got "${text}"`);
  return n;
}

function receiveCountFrom(text: string | undefined): number | undefined {
  if (nonEmpty(text) === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new ConfigError(`REBALANCER_MAX_RECEIVE_COUNT must be an integer from 1 to 1000, got "${text}"`);
  return n;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
