// The react and tick functions' clients (the one factory is client-factory.ts).
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { buildClients, type ClientOptions, type ClientsOf } from './client-factory.js';
import { DYNAMODB_SERVICE } from './signed-request.js';

export type { ClientOptions } from './client-factory.js';

const CLASSES = { ecs: ECSClient, cloudWatch: CloudWatchClient, eventBridge: EventBridgeClient, sqs: SQSClient };
/** The shared instance index (BatchGetItem, PutItem) through signed-request.ts: no client-dynamodb. */
const SIGNED = { dynamodb: DYNAMODB_SERVICE };

export type AwsClients = ClientsOf<typeof CLASSES, typeof SIGNED>;

/** The react and tick functions' SDK clients (ECS, CloudWatch, EventBridge, SQS; SSM and DynamoDB through signed-request.ts), each built on first use. */
export function createClients(options: ClientOptions = {}): AwsClients {
  return buildClients(CLASSES, options, SIGNED);
}
