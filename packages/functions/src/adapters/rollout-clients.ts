import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SFNClient } from '@aws-sdk/client-sfn';
import { sdkConfig, singleAttemptConfig, type SdkConfigOptions } from './sdk-config.js';

export interface RolloutClients {
  ecs: ECSClient;
  /**
   * An ECS client that never retries, for UpdateService with forceNewDeployment: a retry
   * after a lost answer would start a second deployment. A failed call is a RetryableError the
   * state machine retries, and the retried Apply finds the strategy in place if it landed.
   */
  ecsSingleAttempt: ECSClient;
  cloudWatch: CloudWatchClient;
  sfn: SFNClient;
}

export interface RolloutClientOptions extends SdkConfigOptions {
  /** One endpoint for ECS and CloudWatch (the simulator); SDK v3 also honours `AWS_ENDPOINT_URL_*`. */
  endpoint?: string;
  /** Step Functions' endpoint, when not AWS's. */
  sfnEndpoint?: string;
}

/**
 * The rollout's SDK clients (its own small factory: the react path's `createClients` has no
 * Step Functions client). Adaptive retry backs off with jitter and slows later calls once ECS
 * answers ThrottlingException; what is still throttled after the last attempt is a
 * RetryableError, which the state machine retries with its own backoff.
 */
export function createRolloutClients(options: RolloutClientOptions = {}): RolloutClients {
  const common = sdkConfig(options);
  const at = (endpoint: string | undefined) => (endpoint ? { endpoint } : {});
  return {
    ecs: new ECSClient({ ...common, ...at(options.endpoint) }),
    ecsSingleAttempt: new ECSClient({ ...singleAttemptConfig(options), ...at(options.endpoint) }),
    cloudWatch: new CloudWatchClient({ ...common, ...at(options.endpoint) }),
    sfn: new SFNClient({ ...common, ...at(options.sfnEndpoint) }),
  };
}
