// The rollout function's and the CLI rollout commands' clients (the one factory is
// client-factory.ts): ECS, Step Functions, and CloudWatch and SSM through signed-request.ts;
// no SQS or EventBridge client.
import { ECSClient } from '@aws-sdk/client-ecs';
import { SFNClient } from '@aws-sdk/client-sfn';
import { buildClients, type ClientOptions, type ClientsOf } from './client-factory.js';

const CLASSES = { ecs: ECSClient, sfn: SFNClient };

export type RolloutClients = ClientsOf<typeof CLASSES>;
export type RolloutClientOptions = ClientOptions;

/**
 * The rollout's clients, each built on first use. What is still throttled after the last
 * attempt is a RetryableError, which the state machine retries with its own backoff.
 */
export function createRolloutClients(options: RolloutClientOptions = {}): RolloutClients {
  return buildClients(CLASSES, options);
}
