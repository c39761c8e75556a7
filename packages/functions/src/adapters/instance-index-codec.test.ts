import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { ContainerInstanceState } from '@ecs-rebalancer/core';
import { describe, expect, it } from 'vitest';
import type { InstanceIndexEntry } from '../ports.js';
import { INDEX_ITEM_MAX_BYTES, decodeIndexEntry, encodeIndexEntry } from './instance-index-codec.js';

/** Deterministic random hex, as incompressible as ECS's and EC2's ids. */
function hexSource(seed: number): (digits: number) => string {
  let n = 0;
  return (digits) => createHash('sha256').update(`${seed}:${n++}`).digest('hex').slice(0, digits);
}

function aFleet(cluster: string, size: number, seed = 7): InstanceIndexEntry {
  const hex = hexSource(seed);
  const instances: ContainerInstanceState[] = Array.from({ length: size }, (_, n) => ({
    arn: `arn:aws:ecs:us-east-1:123456789012:container-instance/${cluster}/${hex(32)}`,
    ec2InstanceId: `i-${hex(17)}`,
    capacityProvider: n % 3 === 0 ? 'od-arm64' : 'spot-arm64',
    status: n % 17 === 0 ? 'DRAINING' : 'ACTIVE',
    runningTasks: n % 5,
    availabilityZone: ['us-east-1a', 'us-east-1b', 'us-east-1c'][n % 3]!,
    instanceType: n % 2 === 0 ? 'm7g.large' : 'c7g.xlarge',
  }));
  return { cluster, listedAt: Date.parse('2026-01-05T09:00:00Z'), instances, architectures: Object.fromEntries(instances.map((i) => [i.arn, 'arm64'])) };
}

describe('instance index codec', () => {
  it('keeps every field of every instance through encode and decode', () => {
    // Prepare
    const entry = aFleet('prod', 300);
    delete entry.architectures[entry.instances[1]!.arn];
    entry.instances[1] = { arn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/0f1e2d3c', ec2InstanceId: 'i-0b662ef9931388ba0', capacityProvider: null, status: 'REGISTERING', runningTasks: 0 };

    // Act
    const decoded = decodeIndexEntry(encodeIndexEntry(entry)!);

    // Assess: the old-format ARN (no cluster in it) is kept whole; the one without an architecture has none
    expect(decoded.cluster).toBe('prod');
    expect(decoded.listedAt).toBe(entry.listedAt);
    expect(decoded.instances).toEqual(entry.instances);
    expect(decoded.architectures).toEqual(entry.architectures);
    expect(decoded.architectures[entry.instances[1]!.arn]).toBeUndefined();
  });

  it('fits ECS’s 5,000 container instances per cluster in one DynamoDB item, and refuses what would not fit', () => {
    // Act
    const full = encodeIndexEntry(aFleet('storm-a', 5000))!;
    const tooMany = encodeIndexEntry(aFleet('storm-a', 20_000));

    // Assess: 5,000 random ids come to well under 400 KB; 20,000 would not fit and are refused
    expect(full.byteLength).toBeLessThan(INDEX_ITEM_MAX_BYTES / 2);
    expect(full.byteLength).toBeGreaterThan(100_000);
    expect(tooMany).toBeUndefined();
  });

  it('names the JSON path of what is wrong in a stored body', () => {
    // Prepare
    const good = JSON.parse(JSON.stringify({ format: 1, cluster: 'prod', listedAt: 1, prefix: 'arn:x/', providers: ['p'], zones: [], types: [], architectures: [], rows: [['i-1', 'a', 0, 0, 1, -1, -1, -1]] }));
    const cases: [string, (b: typeof good) => void, string][] = [
      ['a later format', (b) => void (b.format = 2), 'format: expected 1, got 2'],
      ['a row too short', (b) => void (b.rows[0] = ['i-1']), 'rows.0: expected a row of 8'],
      ['a provider out of the list', (b) => void (b.rows[0][2] = 4), 'rows.0.2: expected a position in the list or -1'],
      ['an unknown status', (b) => void (b.rows[0][3] = 9), 'rows.0.3: expected a status position'],
      ['no rows', (b) => void delete b.rows, 'rows: expected an array'],
    ];
    expect(decodeIndexEntry(gzipSync(JSON.stringify(good))).instances).toHaveLength(1);
    for (const [, change, message] of cases) {
      const body = structuredClone(good);
      change(body);
      expect(() => decodeIndexEntry(gzipSync(JSON.stringify(body)))).toThrow(message);
    }
  });
});
