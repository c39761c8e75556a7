import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SFNClient, SFNClientConfig } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { sdkConfig, singleAttemptConfig, type SdkConfigOptions } from './sdk-config.js';

export interface AwsClients {
  ecs: ECSClient;
  cloudWatch: CloudWatchClient;
  eventBridge: EventBridgeClient;
  sqs: SQSClient;
  /**
   * An ECS client that never retries: for UpdateService with forceNewDeployment, where a
   * retry after a lost answer would start a second deployment. The writer re-reads instead
   * (a rollout's failed Apply is a RetryableError the state machine retries; the retried Apply
   * finds the strategy in place if it landed).
   */
  ecsSingleAttempt: ECSClient;
  ssm: SSMClient;
}

/** The clients with Step Functions' (the rollout function, the CLI's rollout commands). */
export type AwsClientsWithSfn = AwsClients & { sfn: SFNClient };

/** Step Functions' client class: only the rollout's entry passes it (rollout-clients.ts), so no other bundle imports @aws-sdk/client-sfn. */
export type SfnClientClass = new (config: SFNClientConfig) => SFNClient;

export interface ClientOptions extends SdkConfigOptions {
  /** One endpoint for every client (the simulator); SDK v3 also honours `AWS_ENDPOINT_URL`. */
  endpoint?: string;
  /** Per-client endpoints, over `endpoint` (the simulator for ECS, fauxqs for SQS, a local Step Functions). */
  endpoints?: Partial<Record<keyof AwsClientsWithSfn, string>>;
}

/**
 * The one factory of the functions' SDK clients, with adaptive retry: the standard exponential
 * backoff with full jitter, plus a client-side token bucket that slows every later call of the
 * client once ECS answers ThrottlingException (ECS throttles per account and region, so all
 * calls of one invocation share the budget). `maxAttempts` counts the first try. Each client is
 * built the first time it is used (the rollout never builds the SQS or EventBridge client, the
 * tick never the SQS one). With an explicit SQS endpoint the client must not take its endpoint
 * from the queue URL (`useQueueUrlAsEndpoint: false`), or a local queue URL would send calls
 * elsewhere. Given Step Functions' client class, the answer also has `sfn`.
 */
export function createClients(options?: ClientOptions): AwsClients;
export function createClients(options: ClientOptions, sfn: SfnClientClass): AwsClientsWithSfn;
export function createClients(options: ClientOptions = {}, sfn?: SfnClientClass): AwsClients | AwsClientsWithSfn {
  const common = sdkConfig(options);
  const endpoint = (name: keyof AwsClientsWithSfn): { endpoint?: string } => {
    const url = options.endpoints?.[name] ?? options.endpoint;
    return url ? { endpoint: url } : {};
  };
  const builders: Record<keyof AwsClientsWithSfn, () => unknown> = {
    ecs: () => new ECSClient({ ...common, ...endpoint('ecs') }),
    ecsSingleAttempt: () => new ECSClient({ ...singleAttemptConfig(options), ...endpoint('ecs') }),
    ssm: () => new SSMClient({ ...common, ...endpoint('ssm') }),
    cloudWatch: () => new CloudWatchClient({ ...common, ...endpoint('cloudWatch') }),
    eventBridge: () => new EventBridgeClient({ ...common, ...endpoint('eventBridge') }),
    sqs: () => {
      const at = endpoint('sqs');
      return new SQSClient({ ...common, ...at, ...(at.endpoint ? { useQueueUrlAsEndpoint: false } : {}) });
    },
    sfn: () => new sfn!({ ...common, ...endpoint('sfn') }),
  };
  const clients = {};
  for (const [name, build] of Object.entries(builders)) {
    if (name === 'sfn' && sfn === undefined) continue;
    let built: unknown;
    Object.defineProperty(clients, name, { enumerable: true, get: () => (built ??= build()) });
  }
  return clients as AwsClients | AwsClientsWithSfn;
}
