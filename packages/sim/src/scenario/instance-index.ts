// The account's DynamoDB in a local run: the instance index's table, created as infra creates
// it (infra/settings.ts INSTANCE_INDEX_TABLE), so the handlers read and write it as deployed.
import { INSTANCE_INDEX_TABLE } from '@ecs-rebalancer/infra/settings';
import { DynamoDbTables, type DynamoDbOptions } from '../server/dynamodb.js';

/** The table's name in local runs (deployed, SST names it). */
export const INSTANCE_INDEX_TABLE_NAME: string = INSTANCE_INDEX_TABLE.localName;

/** DynamoDB holding the instance index's table, empty. */
export function instanceIndexTables(options: DynamoDbOptions): DynamoDbTables {
  const tables = new DynamoDbTables(options);
  tables.create({ name: INSTANCE_INDEX_TABLE_NAME, hashKey: INSTANCE_INDEX_TABLE.hashKey, ttlAttribute: INSTANCE_INDEX_TABLE.ttlAttribute });
  return tables;
}
