// One partition's throughput, per partition key value: DynamoDB serves at most 3,000 read
// units and 1,000 write units a second to one partition, in either capacity mode, and
// answers more with ProvisionedThroughputExceededException naming the reason
// (TableReadKeyRangeThroughputExceeded / TableWriteKeyRangeThroughputExceeded). Each key is
// taken as its own partition (a small table's few partitions would share these limits, so
// this is the optimistic side), with one second's worth of units banked.
import { SimApiError } from '../errors.js';

export interface ThroughputOptions {
  readUnitsPerSecond?: number;
  writeUnitsPerSecond?: number;
}

export const PARTITION_READ_UNITS_PER_SECOND = 3000;
export const PARTITION_WRITE_UNITS_PER_SECOND = 1000;

class Bucket {
  #tokens: number;
  #at: number;
  constructor(
    readonly rate: number,
    now: number,
  ) {
    this.#tokens = rate;
    this.#at = now;
  }
  take(units: number, now: number): boolean {
    this.#tokens = Math.min(this.rate, this.#tokens + ((now - this.#at) / 1000) * this.rate);
    this.#at = now;
    if (this.#tokens < units) return false;
    this.#tokens -= units;
    return true;
  }
}

export class ThroughputLimits {
  readonly #read: number;
  readonly #write: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { read: Bucket; write: Bucket }>();

  constructor(options: ThroughputOptions, now: () => number) {
    this.#read = options.readUnitsPerSecond ?? PARTITION_READ_UNITS_PER_SECOND;
    this.#write = options.writeUnitsPerSecond ?? PARTITION_WRITE_UNITS_PER_SECOND;
    this.#now = now;
  }

  #of(table: string, key: string): { read: Bucket; write: Bucket } {
    const id = `${table}\u0000${key}`;
    let b = this.#buckets.get(id);
    if (!b) this.#buckets.set(id, (b = { read: new Bucket(this.#read, this.#now()), write: new Bucket(this.#write, this.#now()) }));
    return b;
  }

  /** Takes `units` read units from the key's partition; false when it must be throttled. */
  read(table: string, key: string, units: number): boolean {
    return this.#of(table, key).read.take(units, this.#now());
  }

  write(table: string, key: string, units: number): boolean {
    return this.#of(table, key).write.take(units, this.#now());
  }

  exceeded(tableArn: string, operation: 'Read' | 'Write'): SimApiError {
    return throughputExceeded(tableArn, `Table${operation}KeyRangeThroughputExceeded`);
  }
}

/** DynamoDB's throttling answer, with the ThrottlingReasons member its SDK exposes. */
export function throughputExceeded(tableArn: string, reason: string): SimApiError {
  const error = new SimApiError('com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.');
  error.extra = { ThrottlingReasons: [{ reason, resource: tableArn }] };
  return error;
}
