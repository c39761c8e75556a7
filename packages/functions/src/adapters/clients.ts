import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
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
   * retry after a lost answer would start a second deployment. The writer re-reads instead.
   */
  ecsSingleAttempt: ECSClient;
  ssm: SSMClient;
}

export interface ClientOptions extends SdkConfigOptions {
  /** One endpoint for every client (the simulator); SDK v3 also honours `AWS_ENDPOINT_URL`. */
  endpoint?: string;
  /** Per-client endpoints, over `endpoint` (the simulator for ECS, fauxqs for SQS). */
  endpoints?: Partial<Record<keyof AwsClients, string>>;
}

/**
 * Builds the SDK clients with adaptive retry: the standard exponential backoff with full
 * jitter, plus a client-side token bucket that slows every later call of the client once ECS
 * answers ThrottlingException (ECS throttles per account and region, so all calls of one
 * invocation share the budget). `maxAttempts` counts the first try. With an explicit SQS
 * endpoint the client must not take its endpoint from the queue URL (`useQueueUrlAsEndpoint:
 * false`), or a local queue URL would send calls elsewhere.
 */
export function createClients(options: ClientOptions = {}): AwsClients {
  const common = sdkConfig(options);
  const endpoint = (name: keyof AwsClients): { endpoint?: string } => {
    const url = options.endpoints?.[name] ?? options.endpoint;
    return url ? { endpoint: url } : {};
  };
  const sqsEndpoint = endpoint('sqs');
  return {
    ecs: new ECSClient({ ...common, ...endpoint('ecs') }),
    ecsSingleAttempt: new ECSClient({ ...singleAttemptConfig(options), ...endpoint('ecs') }),
    ssm: new SSMClient({ ...common, ...endpoint('ssm') }),
    cloudWatch: new CloudWatchClient({ ...common, ...endpoint('cloudWatch') }),
    eventBridge: new EventBridgeClient({ ...common, ...endpoint('eventBridge') }),
    sqs: new SQSClient({ ...common, ...sqsEndpoint, ...(sqsEndpoint.endpoint ? { useQueueUrlAsEndpoint: false } : {}) }),
  };
}
