// The react and tick functions' clients (the one factory is client-factory.ts).
import { ECSClient } from '@aws-sdk/client-ecs';
import { buildClients, type ClientOptions, type ClientsOf } from './client-factory.js';
import { DYNAMODB_SERVICE, EVENTBRIDGE_SERVICE, SQS_SERVICE } from './signed-request.js';

export type { ClientOptions } from './client-factory.js';

const CLASSES = { ecs: ECSClient };
/** Through signed-request.ts: the event queue and DLQ, the decision events, the shared instance index. */
const SIGNED = { sqs: SQS_SERVICE, eventBridge: EVENTBRIDGE_SERVICE, dynamodb: DYNAMODB_SERVICE };

export type AwsClients = ClientsOf<typeof CLASSES, typeof SIGNED>;

/** The react and tick functions' SDK clients (ECS; CloudWatch, SQS, EventBridge, SSM and DynamoDB through signed-request.ts), each built on first use. */
export function createClients(options: ClientOptions = {}): AwsClients {
  return buildClients(CLASSES, options, SIGNED);
}
