// The one factory of the functions' SDK clients. It imports no client class: each entry names
// the classes its function uses (clients.ts for react and tick, rollout-clients.ts for the
// rollout), so a bundle carries those and no other (react and tick have no Step Functions
// client). A service called for a few operations (SSM's GetParameter, CloudWatch's
// DescribeAlarms and DescribeAlarmHistory, SQS's SendMessage and ChangeMessageVisibilityBatch,
// EventBridge's PutEvents, DynamoDB's index calls) gets no
// generated client, whose schemas and error classes cost 13 to 74 KiB each: a
// signed-request.ts client, carried by an ECS client of its own.
import type { ECSClient } from '@aws-sdk/client-ecs';
import { sdkConfig, singleAttemptConfig, type SdkConfigOptions } from './sdk-config.js';
import { CLOUDWATCH_SERVICE, signedJsonClient, SSM_SERVICE, type AwsJsonService, type Carrier, type SignedJsonClient } from './signed-request.js';

/** The services every function calls through signed-request.ts (the kill switch, alarms), by client name. */
const BASE_SIGNED = { ssm: SSM_SERVICE, cloudWatch: CLOUDWATCH_SERVICE } as const satisfies Record<string, AwsJsonService>;

/** An SDK v3 client class: built from one configuration object. */
type ClientClass = abstract new (...args: any) => unknown;

/** The client classes of one function, by the name its clients are known by. */
export interface ClientClasses {
  ecs: typeof ECSClient;
  [name: string]: ClientClass;
}

/** What every function has. */
export interface BaseClients {
  ecs: ECSClient;
  /**
   * An ECS client that never retries: for UpdateService with forceNewDeployment, where a
   * retry after a lost answer would start a second deployment. The writer re-reads instead
   * (a rollout's failed Apply is a RetryableError the state machine retries; the retried
   * Apply finds the strategy in place if it landed).
   */
  ecsSingleAttempt: ECSClient;
  /** CloudWatch's DescribeAlarms (and the rollout's DescribeAlarmHistory), without client-cloudwatch. */
  cloudWatch: SignedJsonClient;
  /** SSM's GetParameter (the kill switch), without client-ssm. */
  ssm: SignedJsonClient;
}

/** The clients built from `C` and `S`: the base ones, one per further class, one per further signed service. */
export type ClientsOf<C extends ClientClasses, S extends Record<string, AwsJsonService> = {}> = BaseClients & {
  [K in Exclude<keyof C, keyof BaseClients | number>]: C[K] extends abstract new (...args: any) => infer I ? I : never;
} & { [K in Exclude<keyof S, keyof BaseClients | number>]: SignedJsonClient };

export interface ClientOptions extends SdkConfigOptions {
  /** One endpoint for every client (the simulator); SDK v3 also honours `AWS_ENDPOINT_URL`. */
  endpoint?: string;
  /** Per-client endpoints, over `endpoint` (the simulator for ECS, fauxqs for SQS, a local Step Functions), by client name. */
  endpoints?: Partial<Record<string, string | undefined>>;
}

/**
 * Builds the clients of `classes` with adaptive retry: the standard exponential backoff with
 * full jitter, plus a client-side token bucket that slows every later call of the client once
 * ECS answers ThrottlingException (ECS throttles per account and region, so all calls of one
 * invocation share the budget). `maxAttempts` counts the first try. Each client is built the
 * first time it is used. `ecsSingleAttempt` is the ECS class with one attempt. `signed` names
 * further services called through signed-request.ts (SQS, EventBridge, DynamoDB for react and
 * tick), each at `endpoints[name]` or `endpoint` when given.
 */
export function buildClients<C extends ClientClasses, S extends Record<string, AwsJsonService> = {}>(classes: C, options: ClientOptions = {}, signed?: S): ClientsOf<C, S> {
  const common = sdkConfig(options);
  const endpoint = (name: string): { endpoint?: string } => {
    const url = options.endpoints?.[name] ?? options.endpoint;
    return url ? { endpoint: url } : {};
  };
  const make = (cls: ClientClass, config: object): unknown => new (cls as unknown as new (config: object) => unknown)(config);
  const builders: Record<string, () => unknown> = { ecsSingleAttempt: () => make(classes.ecs, { ...singleAttemptConfig(options), ...endpoint('ecs') }) };
  for (const [name, cls] of Object.entries(classes)) {
    builders[name] = () => make(cls, { ...common, ...endpoint(name) });
  }
  // Each carrier is an ECS client of its own, never called, built on the service's first call:
  // its adaptive retry bucket then slows this service's calls after this service's
  // throttling, not ECS's.
  for (const [name, service] of Object.entries({ ...signed, ...BASE_SIGNED })) {
    builders[name] = () => signedJsonClient(() => make(classes.ecs, common) as Carrier, service, endpoint(name));
  }
  const clients = {};
  for (const [name, build] of Object.entries(builders)) {
    let built: unknown;
    Object.defineProperty(clients, name, { enumerable: true, get: () => (built ??= build()) });
  }
  return clients as ClientsOf<C, S>;
}
