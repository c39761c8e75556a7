// DynamoDB as the react and tick functions meet it: AWS JSON 1.0 (`X-Amz-Target:
// DynamoDB_20120810.<Op>`), on-demand tables with a partition key, GetItem, PutItem (with a
// ConditionExpression: dynamodb-expressions.ts), BatchGetItem and DescribeTable with
// DynamoDB's own checks and error types, capacity units
// as DynamoDB counts them, and each key's partition throughput limit (3,000 read units and
// 1,000 write units a second) answered with ProvisionedThroughputExceededException, or with
// UnprocessedKeys in a BatchGetItem that read at least one item. TTL deletes nothing here:
// DynamoDB deletes expired items within days, and reads return them until then. Every
// figure has its source in packages/sim/README.md ("DynamoDB").
import { SimApiError } from '../errors.js';
import { condition, Placeholders, projection } from './dynamodb-expressions.js';
import { ThroughputLimits, type ThroughputOptions } from './dynamodb-throughput.js';
import { checkAttributes, isObject, typeOf, validation, type AttributeValue, type Item } from './dynamodb-values.js';
import type { Input } from './protocol.js';

/** `X-Amz-Target` prefix of DynamoDB (AWS JSON 1.0). */
export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';

const NOT_FOUND = 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException';
const CONDITION_FAILED = 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException';
export const THROUGHPUT_EXCEEDED = 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException';
/** An item is at most 400 KB, names and values together. */
export const MAX_ITEM_BYTES = 400 * 1024;
/** BatchGetItem reads at most 100 keys and answers at most 16 MB. */
export const MAX_BATCH_GET_KEYS = 100;
export const MAX_BATCH_GET_BYTES = 16 * 1024 * 1024;
/** A partition key value is at most 2,048 bytes. */
const MAX_HASH_KEY_BYTES = 2048;
/** A read unit covers 4 KB (an eventually consistent read costs half); a write unit 1 KB. */
const READ_UNIT_BYTES = 4096;
const WRITE_UNIT_BYTES = 1024;

export type KeyType = 'S' | 'N' | 'B';

/** A table as infra creates it: on-demand, a partition key, optionally a TTL attribute. */
export interface TableDefinition {
  name: string;
  hashKey: { name: string; type: KeyType };
  ttlAttribute?: string;
}

interface Stored {
  item: Item;
  size: number;
}

interface Table {
  definition: TableDefinition;
  arn: string;
  createdAtMs: number;
  items: Map<string, Stored>;
}

/** What the functions did to DynamoDB in a run (every call, not only the answered ones). */
export interface DynamoDbStats {
  calls: Record<string, number>;
  /** Calls refused whole for a key's throughput, and keys sent back in UnprocessedKeys. */
  throttled: number;
  unprocessedKeys: number;
  /** PutItems refused by their ConditionExpression. */
  conditionalCheckFailed: number;
  readUnits: number;
  writeUnits: number;
  /** Item bytes answered (reads) and stored (writes), as DynamoDB sizes them. */
  bytesRead: number;
  bytesWritten: number;
}

export interface DynamoDbOptions {
  now: () => number;
  region?: string;
  accountId?: string;
  /** The per-key partition limits; false turns them off. */
  throughput?: ThroughputOptions | false;
}

function notFound(): SimApiError {
  return new SimApiError(NOT_FOUND, 'Requested resource not found');
}

function units(size: number, unitBytes: number): number {
  return Math.max(1, Math.ceil(size / unitBytes));
}

/** The account's DynamoDB tables in one Region, served over the simulator's wire. */
export class DynamoDbTables {
  readonly #tables = new Map<string, Table>();
  readonly #now: () => number;
  readonly #region: string;
  readonly #accountId: string;
  readonly #limits: ThroughputLimits | undefined;
  readonly #stats: DynamoDbStats = { calls: {}, throttled: 0, unprocessedKeys: 0, conditionalCheckFailed: 0, readUnits: 0, writeUnits: 0, bytesRead: 0, bytesWritten: 0 };

  constructor(options: DynamoDbOptions) {
    this.#now = options.now;
    this.#region = options.region ?? 'us-east-1';
    this.#accountId = options.accountId ?? '123456789012';
    this.#limits = options.throughput === false ? undefined : new ThroughputLimits(options.throughput ?? {}, options.now);
  }

  /** Creates a table as CreateTable would, ACTIVE at once (an on-demand table takes seconds). */
  create(definition: TableDefinition): void {
    if (this.#tables.has(definition.name)) throw new SimApiError('com.amazonaws.dynamodb.v20120810#ResourceInUseException', `Table already exists: ${definition.name}`);
    checkTableName(definition.name, 'definition.name');
    this.#tables.set(definition.name, {
      definition,
      arn: `arn:aws:dynamodb:${this.#region}:${this.#accountId}:table/${definition.name}`,
      createdAtMs: this.#now(),
      items: new Map(),
    });
  }

  stats(): DynamoDbStats {
    return { ...this.#stats, calls: { ...this.#stats.calls } };
  }

  /** Runs one action; throws SimApiError as DynamoDB answers errors. */
  handle(action: string, input: Input): unknown {
    this.#stats.calls[action] = (this.#stats.calls[action] ?? 0) + 1;
    switch (action) {
      case 'GetItem':
        return this.#getItem(input);
      case 'PutItem':
        return this.#putItem(input);
      case 'BatchGetItem':
        return this.#batchGetItem(input);
      case 'DescribeTable':
        return { Table: this.#describe(this.#table(input.TableName, 'tableName')) };
      default:
        throw new SimApiError('com.amazon.coral.service#UnknownOperationException', `The simulator does not implement DynamoDB ${action}.`);
    }
  }

  #table(name: unknown, field: string): Table {
    if (name === undefined || name === null) throw validation(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
    if (typeof name !== 'string') throw validation(`${field} must be a string`);
    // A table may be named by its ARN.
    const arn = /^arn:aws[\w-]*:dynamodb:[^:]+:\d{12}:table\/([^/]+)$/.exec(name);
    if (!arn) checkTableName(name, field);
    const table = this.#tables.get(arn ? arn[1]! : name);
    if (!table || (arn && table.arn !== name)) throw notFound();
    return table;
  }

  /** The key's identity in the table; `put` gives PutItem's messages for an item's key. */
  #keyOf(table: Table, raw: Item, put: boolean): string {
    const { name, type } = table.definition.hashKey;
    const value = raw[name];
    if (!put && Object.keys(raw).length !== 1) throw validation('The provided key element does not match the schema');
    if (value === undefined) throw validation(put ? `One or more parameter values were invalid: Missing the key ${name} in the item` : 'The provided key element does not match the schema');
    const actual = typeOf(value);
    if (actual !== type) {
      throw validation(put ? `One or more parameter values were invalid: Type mismatch for key ${name} expected: ${type} actual: ${actual}` : 'The provided key element does not match the schema');
    }
    const text = value[type] as string;
    if (text === '') throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${type === 'S' ? 'string' : 'binary'} value. Key: ${name}`);
    const bytes = type === 'B' ? Buffer.from(text, 'base64').length : Buffer.byteLength(text);
    if (bytes > MAX_HASH_KEY_BYTES) throw validation(`One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of ${MAX_HASH_KEY_BYTES} bytes`);
    return `${type}:${text}`;
  }

  #getItem(input: Input): unknown {
    const table = this.#table(input.TableName, 'tableName');
    const key = this.#keyOf(table, checkAttributes(input.Key, 'Key').item, false);
    const placeholders = new Placeholders(input);
    const project = projection(input, placeholders);
    placeholders.checkAllUsed();
    const consistent = input.ConsistentRead === true;
    const stored = table.items.get(key);
    const cost = units(stored?.size ?? 0, READ_UNIT_BYTES) * (consistent ? 1 : 0.5);
    if (this.#limits && !this.#limits.read(table.definition.name, key, cost)) {
      this.#stats.throttled++;
      throw this.#limits.exceeded(table.arn, 'Read');
    }
    this.#stats.readUnits += cost;
    this.#stats.bytesRead += stored?.size ?? 0;
    return {
      ...(stored ? { Item: project(stored.item) } : {}),
      ...consumed(input, table.definition.name, { read: cost }),
    };
  }

  #putItem(input: Input): unknown {
    const table = this.#table(input.TableName, 'tableName');
    if (input.Expected !== undefined) throw validation('The simulator does not implement the legacy Expected parameter; use ConditionExpression');
    const returnValues = input.ReturnValues ?? 'NONE';
    if (returnValues !== 'NONE' && returnValues !== 'ALL_OLD') throw validation('Return values set to invalid value');
    const { item, size } = checkAttributes(input.Item, 'Item');
    const key = this.#keyOf(table, item, true);
    if (size > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
    const placeholders = new Placeholders(input);
    const holds = typeof input.ConditionExpression === 'string' ? condition(input.ConditionExpression, placeholders) : undefined;
    if (input.ConditionExpression !== undefined && !holds) throw validation('ConditionExpression must be a string');
    placeholders.checkAllUsed();
    const old = table.items.get(key);
    // A replaced item costs the larger of the two sizes; a failed condition costs the write too.
    const cost = units(Math.max(size, old?.size ?? 0), WRITE_UNIT_BYTES);
    if (this.#limits && !this.#limits.write(table.definition.name, key, cost)) {
      this.#stats.throttled++;
      throw this.#limits.exceeded(table.arn, 'Write');
    }
    this.#stats.writeUnits += cost;
    if (holds && !holds(old?.item)) {
      this.#stats.conditionalCheckFailed++;
      const error = new SimApiError(CONDITION_FAILED, 'The conditional request failed');
      if (input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && old) error.extra = { Item: old.item };
      throw error;
    }
    table.items.set(key, { item, size });
    this.#stats.bytesWritten += size;
    return {
      ...(returnValues === 'ALL_OLD' && old ? { Attributes: old.item } : {}),
      ...consumed(input, table.definition.name, { write: cost }),
    };
  }

  #batchGetItem(input: Input): unknown {
    const requests = input.RequestItems;
    if (!isObject(requests) || Object.keys(requests).length === 0) {
      throw validation("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
    }
    // Check everything before reading anything: a bad key fails the whole call.
    const plans = Object.entries(requests).map(([name, raw]) => {
      const table = this.#table(name, 'requestItems');
      if (!isObject(raw)) throw validation(`RequestItems.${name} must be a KeysAndAttributes object`);
      const keys = raw.Keys;
      if (!Array.isArray(keys) || keys.length === 0) {
        throw validation(`1 validation error detected: Value at 'requestItems.${name}.member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1`);
      }
      const checked = keys.map((k, i) => {
        const { item } = checkAttributes(k, `RequestItems.${name}.Keys[${i}]`);
        return { raw: item, id: this.#keyOf(table, item, false) };
      });
      if (new Set(checked.map((k) => k.id)).size !== checked.length) throw validation('Provided list of item keys contains duplicates');
      const placeholders = new Placeholders(raw);
      const project = projection(raw, placeholders);
      placeholders.checkAllUsed();
      return { name, table, spec: raw, keys: checked, project, consistent: raw.ConsistentRead === true };
    });
    const total = plans.reduce((n, p) => n + p.keys.length, 0);
    if (total > MAX_BATCH_GET_KEYS) throw validation('Too many items requested for the BatchGetItem call');

    const Responses: Record<string, Item[]> = {};
    const UnprocessedKeys: Record<string, Record<string, unknown>> = {};
    const spent: Record<string, number> = {};
    let bytes = 0;
    let read = 0;
    let throttled = 0;
    for (const plan of plans) {
      const out: Item[] = (Responses[plan.name] = []);
      const left: Item[] = [];
      for (const key of plan.keys) {
        const stored = plan.table.items.get(key.id);
        const cost = units(stored?.size ?? 0, READ_UNIT_BYTES) * (plan.consistent ? 1 : 0.5);
        // Past 16 MB, or past the key's throughput, the key comes back unprocessed.
        if (bytes + (stored?.size ?? 0) > MAX_BATCH_GET_BYTES || (this.#limits && !this.#limits.read(plan.name, key.id, cost))) {
          if (bytes + (stored?.size ?? 0) <= MAX_BATCH_GET_BYTES) throttled++;
          left.push(key.raw);
          continue;
        }
        read++;
        spent[plan.name] = (spent[plan.name] ?? 0) + cost;
        if (!stored) continue;
        bytes += stored.size;
        out.push(plan.project(stored.item));
      }
      if (left.length > 0) UnprocessedKeys[plan.name] = { ...plan.spec, Keys: left };
    }
    // Nothing read for lack of throughput: the whole call is refused.
    if (read === 0 && throttled > 0) {
      this.#stats.throttled++;
      throw this.#limits!.exceeded(plans[0]!.table.arn, 'Read');
    }
    const unprocessed = Object.values(UnprocessedKeys).reduce((n, s) => n + (s.Keys as unknown[]).length, 0);
    this.#stats.unprocessedKeys += unprocessed;
    this.#stats.readUnits += Object.values(spent).reduce((a, b) => a + b, 0);
    this.#stats.bytesRead += bytes;
    const capacity = input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES';
    return {
      Responses,
      UnprocessedKeys,
      ...(capacity ? { ConsumedCapacity: Object.entries(spent).map(([TableName, n]) => ({ TableName, CapacityUnits: n, ReadCapacityUnits: n })) } : {}),
    };
  }

  #describe(table: Table): unknown {
    const { name, hashKey } = table.definition;
    let size = 0;
    for (const s of table.items.values()) size += s.size;
    return {
      TableName: name,
      TableArn: table.arn,
      TableStatus: 'ACTIVE',
      CreationDateTime: table.createdAtMs / 1000,
      KeySchema: [{ AttributeName: hashKey.name, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: hashKey.name, AttributeType: hashKey.type }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
      ItemCount: table.items.size,
      TableSizeBytes: size,
      DeletionProtectionEnabled: false,
    };
  }

  /** The TTL attribute infra set on a table (DescribeTimeToLive's answer, for tests and reports). */
  ttlAttributeOf(name: string): string | undefined {
    return this.#tables.get(name)?.definition.ttlAttribute;
  }
}

function checkTableName(name: string, field: string): void {
  if (name.length < 3 || name.length > 255) {
    throw validation(`1 validation error detected: Value '${name}' at '${field}' failed to satisfy constraint: Member must have length between 3 and 255`);
  }
  if (!/^[a-zA-Z0-9_.-]+$/.test(name)) {
    throw validation(`1 validation error detected: Value '${name}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`);
  }
}

function consumed(input: Input, table: string, cost: { read?: number; write?: number }): Record<string, unknown> {
  if (input.ReturnConsumedCapacity !== 'TOTAL' && input.ReturnConsumedCapacity !== 'INDEXES') return {};
  const n = (cost.read ?? 0) + (cost.write ?? 0);
  return {
    ConsumedCapacity: {
      TableName: table,
      CapacityUnits: n,
      ...(cost.read !== undefined ? { ReadCapacityUnits: cost.read } : { WriteCapacityUnits: n }),
    },
  };
}

export type { AttributeValue, Item };
