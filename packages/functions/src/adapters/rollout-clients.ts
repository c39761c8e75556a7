import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import type { ECSClientConfig } from '@aws-sdk/client-ecs';
import { SFNClient } from '@aws-sdk/client-sfn';

export interface RolloutClients {
  ecs: ECSClient;
  cloudWatch: CloudWatchClient;
  sfn: SFNClient;
}

export interface RolloutClientOptions {
  region?: string;
  /** SDK attempts per call, the first included. Default 6. */
  maxAttempts?: number;
  /** One endpoint for ECS and CloudWatch (the simulator); SDK v3 also honours `AWS_ENDPOINT_URL_*`. */
  endpoint?: string;
  /** Step Functions' endpoint, when not AWS's. */
  sfnEndpoint?: string;
  credentials?: ECSClientConfig['credentials'];  /** The simulator's counted HTTP handler (scenario runs: the runner sees when a handler waits on the wire). */
  requestHandler?: ECSClientConfig['requestHandler'];
  /** A retry strategy that replaces the adaptive one (scenario runs: back-off on the virtual clock). */
  retryStrategy?: ECSClientConfig['retryStrategy'];
}

/**
 * The rollout's SDK clients (its own small factory: the react path's `createClients` has no
 * Step Functions client). Adaptive retry backs off with jitter and slows later calls once ECS
 * answers ThrottlingException; what is still throttled after the last attempt is a
 * RetryableError, which the state machine retries with its own backoff.
 */
export function createRolloutClients(options: RolloutClientOptions = {}): RolloutClients {
  const common = {
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 6,
    ...(options.region ? { region: options.region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.requestHandler ? { requestHandler: options.requestHandler } : {}),
    ...(options.retryStrategy ? { retryStrategy: options.retryStrategy } : {}),
  } as const;
  const at = (endpoint: string | undefined) => (endpoint ? { endpoint } : {});
  return {
    ecs: new ECSClient({ ...common, ...at(options.endpoint) }),
    cloudWatch: new CloudWatchClient({ ...common, ...at(options.endpoint) }),
    sfn: new SFNClient({ ...common, ...at(options.sfnEndpoint) }),
  };
}
