// The rollout's entry to the one client factory (clients.ts): it alone imports Step Functions'
// client, so the react and tick bundles do not carry it.
import { SFNClient } from '@aws-sdk/client-sfn';
import { createClients, type AwsClientsWithSfn, type ClientOptions } from './clients.js';

/** What the rollout function and the CLI's rollout commands use. */
export type RolloutClients = AwsClientsWithSfn;
export type RolloutClientOptions = ClientOptions;

/**
 * createClients with Step Functions' client: the rollout function and the CLI's rollout
 * commands. What is still throttled after the last attempt is a RetryableError, which the
 * state machine retries with its own backoff.
 */
export function createRolloutClients(options: RolloutClientOptions = {}): RolloutClients {
  return createClients(options, SFNClient);
}
