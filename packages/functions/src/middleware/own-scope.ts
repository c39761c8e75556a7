import type { Policy } from '@ecs-rebalancer/core';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Log } from '../ports.js';

/** Where a function runs: the account and region in its ARN. */
export interface OwnScope {
  account?: string;
  region?: string;
}

// arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] (Lambda's invokedFunctionArn).
const FUNCTION_ARN = /^arn:[\w-]+:lambda:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):function:/;

/** The account and region of a Lambda function ARN; empty for anything else. */
export function scopeOfFunctionArn(arn: string | undefined): OwnScope {
  const match = FUNCTION_ARN.exec(arn ?? '');
  return match ? { region: match[1] as string, account: match[2] as string } : {};
}

/**
 * The policy with `accounts` and `regions` defaulted to the deployment's own where it names
 * none: an event forwarded from another account's or region's bus is then skipped with the
 * reason. A policy that names them keeps them (to manage more, name them all).
 */
export function withOwnScope(policy: Policy, scope: OwnScope): Policy {
  return {
    ...policy,
    ...(policy.accounts === undefined && scope.account !== undefined && { accounts: [scope.account] }),
    ...(policy.regions === undefined && scope.region !== undefined && { regions: [scope.region] }),
  };
}

export interface OwnScopeOptions {
  /** The region when the context names none (AWS_REGION). */
  fallbackRegion?: string | undefined;
  log?: Log;
}

/**
 * Fills the deployed function's policy with its own account and region on the first
 * invocation: the account is known only from the invocation's context (invokedFunctionArn);
 * the region comes from the same ARN, else from `fallbackRegion` (AWS_REGION).
 */
export function ownScope<TEvent, TResult>(deps: { policy: Policy }, options: OwnScopeOptions = {}): MiddlewareObj<TEvent, TResult, Error, Context> {
  let done = false;
  return {
    name: 'ownScope',
    before: (request) => {
      if (done) return;
      const fromArn = scopeOfFunctionArn(request.context?.invokedFunctionArn);
      const scope: OwnScope = { ...(options.fallbackRegion ? { region: options.fallbackRegion } : {}), ...fromArn };
      deps.policy = withOwnScope(deps.policy, scope);
      // Without the account (no context) the region alone is filled; the next invocation tries again.
      done = fromArn.account !== undefined;
      options.log?.info('policy scoped to the deployment', { accounts: deps.policy.accounts ?? 'any', regions: deps.policy.regions ?? 'any' });
    },
  };
}
