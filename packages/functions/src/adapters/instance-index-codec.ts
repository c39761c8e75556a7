// The shared instance index's item body: one managed cluster's container instances as gzip'd
// JSON, small enough for one DynamoDB item. DynamoDB counts an item's size as its attribute
// names plus their values, binary ones as raw bytes, and refuses an item over 400 KB; ECS
// allows 5,000 container instances per cluster. Repeated strings (the ARN prefix, providers,
// zones, instance types, architectures, statuses) are written once and referred to by
// position, so a row is two ids and a few small numbers: 5,000 instances with random ids come
// to about 150 KB gzip'd (3,600: 110 KB; 12,000 would be 368 KB; instance-index-codec.test.ts checks 5,000).
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ContainerInstanceState, InstanceStatus } from '@ecs-rebalancer/core';
import type { DrainingListing, InstanceIndexEntry } from '../ports.js';

/** DynamoDB's item size limit, less room for the key and the other attributes. */
export const INDEX_ITEM_MAX_BYTES = 400 * 1024 - 2048;
const FORMAT = 1;
const STATUSES: readonly InstanceStatus[] = ['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED', 'INACTIVE'];

/** A row: EC2 id, container instance ARN (its suffix after `prefix` when it has it), then positions in the lists (-1: none) and the running tasks. */
type Row = [ec2InstanceId: string, arn: string, provider: number, status: number, runningTasks: number, zone: number, type: number, architecture: number];

interface Body {
  format: number;
  cluster: string;
  listedAt: number;
  prefix: string;
  providers: string[];
  zones: string[];
  types: string[];
  architectures: string[];
  rows: Row[];
}

/** The gzip'd body of the entry, or undefined when it would not fit in one item (the caller logs it and keeps its own listing). */
export function encodeIndexEntry(entry: InstanceIndexEntry): Uint8Array | undefined {
  const lists = { providers: new Positions(), zones: new Positions(), types: new Positions(), architectures: new Positions() };
  const prefix = commonArnPrefix(entry.instances);
  const rows: Row[] = entry.instances.map((i) => [
    i.ec2InstanceId,
    i.arn.startsWith(prefix) ? i.arn.slice(prefix.length) : i.arn,
    lists.providers.of(i.capacityProvider ?? undefined),
    STATUSES.indexOf(i.status),
    i.runningTasks,
    lists.zones.of(i.availabilityZone),
    lists.types.of(i.instanceType),
    lists.architectures.of(entry.architectures[i.arn]),
  ]);
  const body: Body = {
    format: FORMAT,
    cluster: entry.cluster,
    listedAt: entry.listedAt,
    prefix,
    providers: lists.providers.values,
    zones: lists.zones.values,
    types: lists.types.values,
    architectures: lists.architectures.values,
    rows,
  };
  const bytes = gzipSync(JSON.stringify(body), { level: 9 });
  return bytes.byteLength > INDEX_ITEM_MAX_BYTES ? undefined : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The entry an item body holds; throws an Error naming the JSON path of the first thing wrong. */
export function decodeIndexEntry(bytes: Uint8Array): InstanceIndexEntry {
  const body = JSON.parse(gunzipSync(bytes).toString('utf8')) as Partial<Body>;
  if (body.format !== FORMAT) throw new Error(`format: expected ${FORMAT}, got ${JSON.stringify(body.format)}`);
  if (typeof body.cluster !== 'string' || body.cluster === '') throw new Error('cluster: expected a cluster name');
  if (typeof body.listedAt !== 'number' || !Number.isFinite(body.listedAt)) throw new Error('listedAt: expected a number (ms)');
  if (typeof body.prefix !== 'string') throw new Error('prefix: expected a string');
  for (const key of ['providers', 'zones', 'types', 'architectures', 'rows'] as const) if (!Array.isArray(body[key])) throw new Error(`${key}: expected an array`);
  const at = (list: readonly string[], n: unknown, path: string): string | undefined => {
    if (n === -1) return undefined;
    if (typeof n !== 'number' || list[n] === undefined) throw new Error(`${path}: expected a position in the list or -1`);
    return list[n];
  };
  const instances: ContainerInstanceState[] = [];
  const architectures: Record<string, string> = {};
  (body.rows as unknown[]).forEach((raw, k) => {
    const path = `rows.${k}`;
    if (!Array.isArray(raw) || raw.length !== 8) throw new Error(`${path}: expected a row of 8`);
    const [ec2InstanceId, arnPart, provider, status, runningTasks, zone, type, architecture] = raw as unknown[];
    if (typeof ec2InstanceId !== 'string' || !ec2InstanceId.startsWith('i-')) throw new Error(`${path}.0: expected an EC2 instance id`);
    if (typeof arnPart !== 'string' || arnPart === '') throw new Error(`${path}.1: expected a container instance id or ARN`);
    const statusName = typeof status === 'number' ? STATUSES[status] : undefined;
    if (statusName === undefined) throw new Error(`${path}.3: expected a status position`);
    if (typeof runningTasks !== 'number' || !Number.isInteger(runningTasks) || runningTasks < 0) throw new Error(`${path}.4: expected a task count`);
    const arn = arnPart.startsWith('arn:') ? arnPart : `${body.prefix}${arnPart}`;
    const availabilityZone = at(body.zones!, zone, `${path}.5`);
    const instanceType = at(body.types!, type, `${path}.6`);
    const arch = at(body.architectures!, architecture, `${path}.7`);
    instances.push({
      arn,
      ec2InstanceId,
      capacityProvider: at(body.providers!, provider, `${path}.2`) ?? null,
      status: statusName,
      runningTasks,
      ...(availabilityZone === undefined ? {} : { availabilityZone }),
      ...(instanceType === undefined ? {} : { instanceType }),
    });
    if (arch !== undefined) architectures[arn] = arch;
  });
  return { cluster: body.cluster, listedAt: body.listedAt, instances, architectures };
}

/** The gzip'd body of a DRAINING listing (ids after the cluster's ARN prefix), or undefined when it would not fit in one item. */
export function encodeDrainingListing(listing: DrainingListing): Uint8Array | undefined {
  const prefix = commonArnPrefix(listing.arns.map((arn) => ({ arn })));
  const body = { format: FORMAT, cluster: listing.cluster, listedAt: listing.listedAt, capped: listing.capped, prefix, ids: listing.arns.map((arn) => arn.slice(prefix.length)) };
  const bytes = gzipSync(JSON.stringify(body));
  return bytes.byteLength > INDEX_ITEM_MAX_BYTES ? undefined : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The DRAINING listing an item body holds; throws an Error naming the JSON path of the first thing wrong. */
export function decodeDrainingListing(bytes: Uint8Array): DrainingListing {
  const body = JSON.parse(gunzipSync(bytes).toString('utf8')) as { format?: unknown; cluster?: unknown; listedAt?: unknown; capped?: unknown; prefix?: unknown; ids?: unknown };
  if (body.format !== FORMAT) throw new Error(`format: expected ${FORMAT}, got ${JSON.stringify(body.format)}`);
  if (typeof body.cluster !== 'string' || body.cluster === '') throw new Error('cluster: expected a cluster name');
  if (typeof body.listedAt !== 'number' || !Number.isFinite(body.listedAt)) throw new Error('listedAt: expected a number (ms)');
  if (typeof body.capped !== 'boolean') throw new Error('capped: expected true or false');
  if (typeof body.prefix !== 'string') throw new Error('prefix: expected a string');
  if (!Array.isArray(body.ids)) throw new Error('ids: expected an array');
  const prefix = body.prefix;
  const arns = body.ids.map((id: unknown, k) => {
    if (typeof id !== 'string' || id === '') throw new Error(`ids.${k}: expected a container instance id`);
    return `${prefix}${id}`;
  });
  return { cluster: body.cluster, listedAt: body.listedAt, capped: body.capped, arns };
}

/** The longest `…container-instance/CLUSTER/` prefix the first ARN shares with the others' ids ('' when they differ). */
function commonArnPrefix(instances: readonly { arn: string }[]): string {
  const first = instances[0]?.arn;
  if (first === undefined) return '';
  const prefix = first.slice(0, first.lastIndexOf('/') + 1);
  return instances.every((i) => i.arn.startsWith(prefix)) ? prefix : '';
}

/** Distinct strings in the order first seen. */
class Positions {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  of(value: string | undefined): number {
    if (value === undefined) return -1;
    let n = this.index.get(value);
    if (n === undefined) {
      n = this.values.length;
      this.values.push(value);
      this.index.set(value, n);
    }
    return n;
  }
}
