// The shared instance index in DynamoDB, called through signed-request.ts (no DynamoDB client
// in the bundles): one item per managed cluster, key `cluster` (S), the listing gzip'd in
// `instances` (B, base64 on the wire), `listedAt` (N, ms), `expiresAt` (N, epoch seconds,
// the table's TTL attribute). DynamoDB's TTL deletes lazily (up to days later) and reads still
// return expired items: readers judge an entry by `listedAt` (INDEX_MAX_AGE_MS). A cluster's
// DRAINING set for the guardrail is a second item, key `CLUSTER#DRAINING` (ECS cluster names
// are letters, digits, hyphens and underscores: no real cluster has that key), `arns` (B);
// `CLUSTER#DRAINING-LEASE` says since when an environment is listing it.
import { chunk } from '../chunks.js';
import { attempt } from '../errors.js';
import type { DrainingListing, InstanceIndex, InstanceIndexEntry, Log } from '../ports.js';
import { decodeDrainingListing, decodeIndexEntry, encodeDrainingListing, encodeIndexEntry } from './instance-index-codec.js';

// BatchGetItem: at most 100 keys and 16 MB per call; keys it could not read within its limits
// come back in UnprocessedKeys, to be asked again.
const BATCH_GET_MAX = 100;
const UNPROCESSED_ROUNDS = 3;
/** An item no writer refreshed for a day is left to the TTL (a cluster no longer managed). */
const EXPIRES_AFTER_S = 24 * 60 * 60;
const DRAINING_KEY = (cluster: string): string => `${cluster}#DRAINING`;
const LEASE_KEY = (cluster: string): string => `${cluster}#DRAINING-LEASE`;

/** One JSON-RPC call of DynamoDB (signed-request.ts's SignedJsonClient). */
export interface DynamoDbCaller {
  call(operation: string, input: object): Promise<object>;
}

type AttributeValue = { S?: string; N?: string; B?: string };
type Item = Record<string, AttributeValue>;

export class DynamoDbInstanceIndex implements InstanceIndex {
  constructor(
    private readonly dynamodb: DynamoDbCaller,
    private readonly table: string,
    private readonly log?: Log,
  ) {}

  async read(clusters: readonly string[]): Promise<Map<string, InstanceIndexEntry>> {
    const entries = new Map<string, InstanceIndexEntry>();
    for (const piece of chunk([...new Set(clusters)], BATCH_GET_MAX)) {
      let keys: Item[] = piece.map((cluster) => ({ cluster: { S: cluster } }));
      for (let round = 0; round < UNPROCESSED_ROUNDS && keys.length > 0; round++) {
        const input = { RequestItems: { [this.table]: { Keys: keys, ConsistentRead: false } } };
        const out = (await attempt(`reading the instance index of ${keys.length} clusters from ${this.table}`, () => this.dynamodb.call('BatchGetItem', input))) as {
          Responses?: Record<string, Item[]>;
          UnprocessedKeys?: Record<string, { Keys?: Item[] }>;
        };
        for (const item of out.Responses?.[this.table] ?? []) {
          const entry = this.entryOf(item);
          if (entry) entries.set(entry.cluster, entry);
        }
        keys = out.UnprocessedKeys?.[this.table]?.Keys ?? [];
      }
      // Keys still unprocessed are read as absent: their environments list for themselves.
      if (keys.length > 0) this.log?.debug('instance index: keys left unprocessed', { table: this.table, keys: keys.length });
    }
    return entries;
  }

  async write(entry: InstanceIndexEntry): Promise<boolean> {
    const body = encodeIndexEntry(entry);
    if (body === undefined) {
      this.log?.warn('instance index: the listing is too big for one DynamoDB item; environments list this cluster themselves', { cluster: entry.cluster, instances: entry.instances.length });
      return false;
    }
    return this.put(entry.cluster, { instances: { B: Buffer.from(body).toString('base64') }, count: { N: String(entry.instances.length) } }, entry.listedAt, `the instance index of ${entry.cluster}`);
  }

  async readDraining(cluster: string): Promise<DrainingListing | undefined> {
    const input = { TableName: this.table, Key: { cluster: { S: DRAINING_KEY(cluster) } }, ConsistentRead: false };
    const out = (await attempt(`reading the DRAINING set of ${cluster} from ${this.table}`, () => this.dynamodb.call('GetItem', input))) as { Item?: Item };
    const body = out.Item?.['arns']?.B;
    if (body === undefined) return undefined;
    try {
      const listing = decodeDrainingListing(Buffer.from(body, 'base64'));
      if (listing.cluster !== cluster) throw new Error(`cluster: the body is of ${listing.cluster}, the key ${cluster}`);
      return listing;
    } catch (error) {
      this.log?.warn('instance index: a DRAINING set cannot be read; it is listed as before', { table: this.table, cluster, error: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }

  async writeDraining(listing: DrainingListing): Promise<boolean> {
    const body = encodeDrainingListing(listing);
    if (body === undefined) return false;
    return this.put(DRAINING_KEY(listing.cluster), { arns: { B: Buffer.from(body).toString('base64') }, count: { N: String(listing.arns.length) } }, listing.listedAt, `the DRAINING set of ${listing.cluster}`);
  }

  async claimDraining(cluster: string, now: number, leaseMs: number): Promise<boolean> {
    return this.put(LEASE_KEY(cluster), {}, now, `a claim on the DRAINING set of ${cluster}`, now - leaseMs);
  }

  /** PutItem of `key` unless the table holds a listing of it from `olderThan` or later (false then). */
  private async put(key: string, attributes: Item, listedAt: number, what: string, olderThan = listedAt): Promise<boolean> {
    const input = {
      TableName: this.table,
      Item: {
        cluster: { S: key },
        ...attributes,
        listedAt: { N: String(listedAt) },
        expiresAt: { N: String(Math.floor(listedAt / 1000) + EXPIRES_AFTER_S) },
        format: { N: '1' },
      },
      // A slower writer's older listing must not replace a newer one.
      ConditionExpression: 'attribute_not_exists(#c) OR #l < :l',
      ExpressionAttributeNames: { '#c': 'cluster', '#l': 'listedAt' },
      ExpressionAttributeValues: { ':l': { N: String(olderThan) } },
    };
    try {
      await attempt(`writing ${what} to ${this.table}`, () => this.dynamodb.call('PutItem', input));
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** The entry an item holds, or undefined (logged) when it cannot be read: that cluster is listed as before. */
  private entryOf(item: Item): InstanceIndexEntry | undefined {
    const cluster = item['cluster']?.S;
    const body = item['instances']?.B;
    try {
      if (cluster === undefined || body === undefined) throw new Error(`${cluster === undefined ? 'cluster' : 'instances'}: missing`);
      const entry = decodeIndexEntry(Buffer.from(body, 'base64'));
      if (entry.cluster !== cluster) throw new Error(`cluster: the body is of ${entry.cluster}, the key ${cluster}`);
      return entry;
    } catch (error) {
      this.log?.warn('instance index: an item cannot be read; its cluster is listed as before', { table: this.table, cluster, error: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }
}
