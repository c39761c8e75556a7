import type { ECSClientConfig } from '@aws-sdk/client-ecs';
import { DEFAULT_MAX_ATTEMPTS } from '../config.js';

/** What every SDK client of the functions is built with (the react/tick and the rollout factories). */
export interface SdkConfigOptions {
  region?: string;
  /** SDK attempts per call, the first included. Default DEFAULT_MAX_ATTEMPTS. */
  maxAttempts?: number;
  /** Static credentials for local emulators; Lambda uses its role. */
  credentials?: ECSClientConfig['credentials'];
  /** The simulator's counted HTTP handler (scenario runs: the runner sees when a handler waits on the wire). */
  requestHandler?: ECSClientConfig['requestHandler'];
  /** A retry strategy that replaces the adaptive one (scenario runs: back-off on the virtual clock). */
  retryStrategy?: ECSClientConfig['retryStrategy'];
  /** The single-attempt client's strategy, in place of `retryStrategy` (which would retry). */
  singleAttemptRetryStrategy?: ECSClientConfig['retryStrategy'];
}

/**
 * The shared client configuration: adaptive retry, the standard exponential backoff with full
 * jitter plus a client-side token bucket that slows every later call of the client once ECS
 * answers ThrottlingException (ECS throttles per account and region). Options left out are
 * left to the SDK's defaults and `AWS_*` environment variables.
 */
export function sdkConfig(options: SdkConfigOptions) {
  return {
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    ...(options.region ? { region: options.region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.requestHandler ? { requestHandler: options.requestHandler } : {}),
    ...(options.retryStrategy ? { retryStrategy: options.retryStrategy } : {}),
  } as const;
}

/**
 * The configuration of a client that never retries (UpdateService with forceNewDeployment: a
 * retry after a lost answer would start a second deployment). A retry strategy overrides
 * `maxAttempts`, so `retryStrategy` is left out; `singleAttemptRetryStrategy` takes its place
 * when given (scenario runs: the one attempt still goes through the virtual clock).
 */
export function singleAttemptConfig(options: SdkConfigOptions) {
  const { retryStrategy: _retried, ...common } = sdkConfig(options);
  return { ...common, maxAttempts: 1, ...(options.singleAttemptRetryStrategy ? { retryStrategy: options.singleAttemptRetryStrategy } : {}) };
}
