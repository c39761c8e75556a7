import { gzipSync, gunzipSync } from 'node:zlib';
import {
  BatchGetItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  ResourceNotFoundException,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../model/simulation.js';
import { aCluster } from '../test-support/builders.js';
import { DynamoDbTables, MAX_ITEM_BYTES } from './dynamodb.js';
import { FaultInjector, faultSchema } from './faults.js';
import { startSimServer, type SimServer, type SimServerOptions } from './server.js';

const TABLE = 'ecs-rebalancer-instance-index';
let server: SimServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: { faults?: unknown[]; throughput?: false } = {}): Promise<{ sim: Simulation; ddb: DynamoDBClient; tables: DynamoDbTables }> {
  const sim = createSimulation({ clusters: [aCluster()] });
  const tables = new DynamoDbTables({ now: () => sim.clock.now(), region: sim.region, accountId: sim.accountId, ...(options.throughput === false ? { throughput: false } : {}) });
  tables.create({ name: TABLE, hashKey: { name: 'cluster', type: 'S' }, ttlAttribute: 'expiresAt' });
  const injector = new FaultInjector((options.faults ?? []).map((f) => faultSchema.parse(f)), 1);
  const around: SimServerOptions['around'] = async (call, handle) => {
    const fault = injector.pick(call.action, 0);
    return fault ? injector.apply(fault, call, handle, async () => {}) : handle();
  };
  server = await startSimServer(sim, { dynamodb: tables, around });
  const ddb = new DynamoDBClient({ endpoint: server.endpoint, region: sim.region, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  return { sim, ddb, tables };
}

const put = (item: Record<string, AttributeValue>) => new PutItemCommand({ TableName: TABLE, Item: item });
const key = (cluster: string) => ({ cluster: { S: cluster } });

async function errorOf(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('DynamoDB over the wire, with the real client', () => {
  it('round-trips every attribute type exactly, a gzip binary byte for byte', async () => {
    // Prepare
    const { ddb } = await start();
    const map = new Uint8Array(gzipSync(JSON.stringify({ 'i-0abc': 'arn:aws:ecs:us-east-1:123456789012:container-instance/prod/0f1e' })));
    const item: Record<string, AttributeValue> = {
      cluster: { S: 'prod' },
      map: { B: map },
      listedAt: { N: '1764646800123' },
      expiresAt: { N: '1764650400' },
      nested: { M: { ok: { BOOL: true }, none: { NULL: true }, list: { L: [{ S: 'a' }, { N: '-1.5' }, { B: new Uint8Array([0, 255]) }] } } },
      names: { SS: ['a', 'b'] },
      counts: { NS: ['1', '2'] },
      blobs: { BS: [new Uint8Array([1]), new Uint8Array([2])] },
      empty: { S: '' },
    };

    // Act
    await ddb.send(put(item));
    const got = await ddb.send(new GetItemCommand({ TableName: TABLE, Key: key('prod'), ConsistentRead: true }));

    // Assess
    expect(got.Item).toEqual(item);
    expect(Buffer.from(got.Item!.map!.B!).equals(Buffer.from(map))).toBe(true);
    expect(JSON.parse(gunzipSync(got.Item!.map!.B!).toString('utf8'))).toEqual({ 'i-0abc': 'arn:aws:ecs:us-east-1:123456789012:container-instance/prod/0f1e' });
  });

  it('answers a missing item with no Item, and stores numbers as DynamoDB normalises them', async () => {
    const { ddb } = await start();
    await ddb.send(put({ cluster: { S: 'prod' }, n: { N: '007.50' }, e: { N: '1.5e3' }, z: { N: '-0.000' } }));
    const got = await ddb.send(new GetItemCommand({ TableName: TABLE, Key: key('prod') }));
    const missing = await ddb.send(new GetItemCommand({ TableName: TABLE, Key: key('nope') }));
    expect(got.Item).toEqual({ cluster: { S: 'prod' }, n: { N: '7.5' }, e: { N: '1500' }, z: { N: '0' } });
    expect(missing.Item).toBeUndefined();
  });

  it('reads many clusters in one BatchGetItem, missing keys simply absent', async () => {
    const { ddb } = await start();
    for (const c of ['a', 'b', 'c']) await ddb.send(put({ cluster: { S: c }, listedAt: { N: '1' } }));
    const out = await ddb.send(
      new BatchGetItemCommand({ RequestItems: { [TABLE]: { Keys: [key('a'), key('b'), key('c'), key('d')], ProjectionExpression: '#c, listedAt', ExpressionAttributeNames: { '#c': 'cluster' } } } }),
    );
    expect(out.Responses?.[TABLE]?.map((i) => i.cluster?.S)).toEqual(['a', 'b', 'c']);
    expect(out.UnprocessedKeys).toEqual({});
  });

  it.each([
    ['GetItem', () => new GetItemCommand({ TableName: 'unknown-table', Key: key('a') })],
    ['PutItem', () => new PutItemCommand({ TableName: 'unknown-table', Item: key('a') })],
    ['BatchGetItem', () => new BatchGetItemCommand({ RequestItems: { 'unknown-table': { Keys: [key('a')] } } })],
    ['DescribeTable', () => new DescribeTableCommand({ TableName: 'unknown-table' })],
  ])('answers %s on an unknown table with ResourceNotFoundException', async (_, command) => {
    const { ddb } = await start();
    const error = await errorOf(ddb.send(command() as never));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it.each([
    ['more than 100 keys in a BatchGetItem', () => new BatchGetItemCommand({ RequestItems: { [TABLE]: { Keys: Array.from({ length: 101 }, (_, i) => key(`c${i}`)) } } }), /Too many items requested/],
    ['the same key twice in a BatchGetItem', () => new BatchGetItemCommand({ RequestItems: { [TABLE]: { Keys: [key('a'), key('a')] } } }), /contains duplicates/],
    ['an item without its key', () => put({ listedAt: { N: '1' } }), /Missing the key cluster in the item/],
    ['a key of the wrong type', () => put({ cluster: { N: '1' } }), /Type mismatch for key cluster expected: S actual: N/],
    ['an empty key', () => put({ cluster: { S: '' } }), /cannot contain an empty string value/],
    ['a Get key with an extra attribute', () => new GetItemCommand({ TableName: TABLE, Key: { ...key('a'), listedAt: { N: '1' } } }), /does not match the schema/],
    ['a number that is not one', () => put({ cluster: { S: 'a' }, n: { N: 'abc' } }), /cannot be converted to a numeric value: abc \(at Item.n\)/],
    ['a number of 39 significant digits', () => put({ cluster: { S: 'a' }, n: { N: '1'.repeat(39) } }), /38 significant digits/],
    ['an empty set', () => put({ cluster: { S: 'a' }, s: { SS: [] } }), /set {2}may not be empty/],
  ])('rejects %s with ValidationException', async (_, command, message) => {
    const { ddb } = await start();
    const error = await errorOf(ddb.send(command() as never));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(message);
  });

  it('takes an item of exactly 400 KB and refuses one byte more', async () => {
    // 'cluster' (7) + 'a' (1) + 'map' (3) + the binary: names count with values.
    const { ddb } = await start();
    const fits = new Uint8Array(MAX_ITEM_BYTES - 7 - 1 - 3);
    await ddb.send(put({ cluster: { S: 'a' }, map: { B: fits } }));
    const error = await errorOf(ddb.send(put({ cluster: { S: 'a' }, map: { B: new Uint8Array(fits.length + 1) } })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('Item size has exceeded the maximum allowed size');
  });

  it('answers at most 16 MB from a BatchGetItem and sends the rest back in UnprocessedKeys', async () => {
    // Prepare: 41 items of 400 KB are 16.02 MB.
    const { ddb } = await start({ throughput: false });
    const keys = Array.from({ length: 41 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    const body = new Uint8Array(MAX_ITEM_BYTES - 7 - 3 - 3);
    for (const c of keys) await ddb.send(put({ cluster: { S: c }, map: { B: body } }));

    // Act
    const out = await ddb.send(new BatchGetItemCommand({ RequestItems: { [TABLE]: { Keys: keys.map(key), ConsistentRead: true } } }));

    // Assess
    expect(out.Responses?.[TABLE]).toHaveLength(40);
    expect(out.UnprocessedKeys?.[TABLE]).toEqual({ Keys: [key('c40')], ConsistentRead: true });
  });

  it("throttles reads of one key past its partition's 3,000 read units a second", async () => {
    // Prepare: a 400 KB item costs 100 read units strongly consistent, 50 eventually.
    const { sim, ddb } = await start();
    await ddb.send(put({ cluster: { S: 'hot' }, map: { B: new Uint8Array(MAX_ITEM_BYTES - 20) } }));
    await ddb.send(put({ cluster: { S: 'cold' }, listedAt: { N: '1' } }));
    const read = () => ddb.send(new GetItemCommand({ TableName: TABLE, Key: key('hot'), ConsistentRead: true }));
    for (let i = 0; i < 30; i++) await read();

    // Act
    const error = await errorOf(read());
    const batch = await ddb.send(new BatchGetItemCommand({ RequestItems: { [TABLE]: { Keys: [key('hot'), key('cold')] } } }));
    sim.advance(1);
    const later = await read();

    // Assess
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect((error as ProvisionedThroughputExceededException).ThrottlingReasons).toEqual([
      { reason: 'TableReadKeyRangeThroughputExceeded', resource: `arn:aws:dynamodb:${sim.region}:${sim.accountId}:table/${TABLE}` },
    ]);
    expect(batch.Responses?.[TABLE]?.map((i) => i.cluster?.S)).toEqual(['cold']);
    expect(batch.UnprocessedKeys?.[TABLE]?.Keys).toEqual([key('hot')]);
    expect(later.Item?.cluster).toEqual({ S: 'hot' });
  });

  it('meets injected faults as DynamoDB answers them', async () => {
    const { ddb } = await start({
      faults: [
        { action: 'PutItem', kind: 'throttling', times: 1 },
        { action: 'BatchGetItem', kind: 'partial', count: 1, times: 1 },
        { action: 'GetItem', kind: 'server-error', times: 1 },
      ],
    });
    const throttled = await errorOf(ddb.send(put(key('a'))));
    await ddb.send(put(key('a')));
    await ddb.send(put(key('b')));
    const partial = await ddb.send(new BatchGetItemCommand({ RequestItems: { [TABLE]: { Keys: [key('a'), key('b')] } } }));
    const failed = await errorOf(ddb.send(new GetItemCommand({ TableName: TABLE, Key: key('a') })));

    expect(throttled).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(partial.Responses?.[TABLE]).toEqual([key('b')]);
    expect(partial.UnprocessedKeys?.[TABLE]?.Keys).toEqual([key('a')]);
    expect(failed.name).toBe('InternalServerError');
    expect(failed.$metadata?.httpStatusCode).toBe(500);
  });

  describe('a conditional PutItem (an older listing never overwrites a newer one)', () => {
    const listing = (listedAt: string) =>
      new PutItemCommand({
        TableName: TABLE,
        Item: { cluster: { S: 'prod' }, listedAt: { N: listedAt } },
        ConditionExpression: 'attribute_not_exists(#c) OR #l < :l',
        ExpressionAttributeNames: { '#c': 'cluster', '#l': 'listedAt' },
        ExpressionAttributeValues: { ':l': { N: listedAt } },
      });
    const stored = async (ddb: DynamoDBClient) => (await ddb.send(new GetItemCommand({ TableName: TABLE, Key: key('prod') }))).Item?.listedAt?.N;

    it('writes the first and a newer listing, refuses an older or the same one', async () => {
      const { ddb, tables } = await start();
      await ddb.send(listing('2000'));
      const older = await errorOf(ddb.send(listing('1000')));
      const same = await errorOf(ddb.send(listing('2000')));
      const afterRefusals = await stored(ddb);
      await ddb.send(listing('10000'));
      expect(older.name).toBe('ConditionalCheckFailedException');
      expect(same.name).toBe('ConditionalCheckFailedException');
      expect(afterRefusals).toBe('2000');
      // 10000 > 2000 as numbers (as strings it would sort first).
      expect(await stored(ddb)).toBe('10000');
      expect(tables.stats().conditionalCheckFailed).toBe(2);
    });

    it.each([
      ['a value given and not used', { ConditionExpression: 'attribute_not_exists(cluster)', ExpressionAttributeValues: { ':l': { N: '1' } } }, /ExpressionAttributeValues unused in expressions: keys: \{:l\}/],
      ['a name used and not given', { ConditionExpression: 'attribute_not_exists(#c)' }, /attribute name used in the document path is not defined; attribute name: #c/],
      ['a syntax error', { ConditionExpression: 'listedAt <' }, /Syntax error/],
    ])('refuses %s with ValidationException', async (_, extra, message) => {
      const { ddb } = await start();
      const error = await errorOf(ddb.send(new PutItemCommand({ TableName: TABLE, Item: key('prod'), ...extra })));
      expect(error.name).toBe('ValidationException');
      expect(error.message).toMatch(message);
    });
  });

  it('describes the table as infra creates it, on demand, by name or ARN', async () => {
    const { sim, ddb } = await start();
    await ddb.send(put(key('a')));
    const arn = `arn:aws:dynamodb:${sim.region}:${sim.accountId}:table/${TABLE}`;
    const out = await ddb.send(new DescribeTableCommand({ TableName: arn }));
    expect(out.Table).toMatchObject({
      TableName: TABLE,
      TableArn: arn,
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'cluster', KeyType: 'HASH' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      ItemCount: 1,
    });
  });

  it('counts the calls in the run report', async () => {
    const { sim, ddb, tables } = await start();
    await ddb.send(put(key('a')));
    await ddb.send(new GetItemCommand({ TableName: TABLE, Key: key('a') }));
    expect(sim.report().apiCalls).toMatchObject({ PutItem: 1, GetItem: 1 });
    expect(tables.stats()).toMatchObject({ writeUnits: 1, readUnits: 0.5 });
  });
});
