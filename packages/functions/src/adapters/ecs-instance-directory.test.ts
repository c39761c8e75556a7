import type { ContainerInstanceState } from '@ecs-rebalancer/core';
import { describe, expect, it } from 'vitest';
import type { InstanceDrainer } from '../ports.js';
import { DIRECTORY_TTL_MS, DRAINING_FRESH_MS, GUARDRAIL_MAX_AGE_MS, InstanceDirectory, RECHECK_AFTER_MS, drainerNotingDirectory } from './ecs-instance-directory.js';
import { countingInstanceSource } from '../test-support/instance-source.js';

const ID = (cluster: string, n: number): string => `i-${cluster.charCodeAt(0).toString(16)}${n.toString(16).padStart(15, '0')}`;
const ARN = (cluster: string, n: number): string => `arn:aws:ecs:us-east-1:123456789012:container-instance/${cluster}/${n.toString(16).padStart(32, '0')}`;

function anInstance(cluster: string, n: number): ContainerInstanceState {
  return { arn: ARN(cluster, n), ec2InstanceId: ID(cluster, n), capacityProvider: 'spot-arm64', status: 'ACTIVE', runningTasks: 1 };
}

/** A cluster of `size` instances behind the ECS reads, counting each call. */
function aCluster(cluster: string, size: number) {
  const instances = Array.from({ length: size }, (_, n) => anInstance(cluster, n));
  const { calls, source, reset } = countingInstanceSource(instances);
  return { instances, calls, source, reset, add: (n: number) => instances.push(anInstance(cluster, n)) };
}

function aClock() {
  let now = Date.parse('2026-01-05T09:00:00Z');
  return { clock: () => new Date(now), advance: (ms: number) => void (now += ms) };
}

describe('InstanceDirectory', () => {
  it('lists a cluster whole for a storm batch and answers the next batches from memory', async () => {
    // Prepare
    const { clock } = aClock();
    const directory = new InstanceDirectory(clock);
    const prod = aCluster('prod', 240);
    const first = prod.instances.slice(0, 80).map((i) => i.ec2InstanceId);
    const second = prod.instances.slice(80, 160).map((i) => i.ec2InstanceId);

    // Act
    const a = await directory.named('prod', first, prod.source);
    const b = await directory.named('prod', second, prod.source);

    // Assess: 3 pages and 3 describes once; the second batch costs nothing
    expect(a.map((i) => i.ec2InstanceId)).toEqual(first);
    expect(b.map((i) => i.ec2InstanceId)).toEqual(second);
    expect(prod.calls).toEqual({ pages: 3, filtered: 0, described: 3 });
  });

  it('shares one listing between concurrent batches of a storm', async () => {
    const { clock } = aClock();
    const directory = new InstanceDirectory(clock);
    const prod = aCluster('prod', 240);
    const batches = [0, 1, 2, 3, 4].map((b) => prod.instances.slice(b * 40, b * 40 + 40).map((i) => i.ec2InstanceId));

    const answers = await Promise.all(batches.map((ids) => directory.named('prod', ids, prod.source)));

    expect(answers.map((a) => a.length)).toEqual([40, 40, 40, 40, 40]);
    expect(prod.calls).toEqual({ pages: 3, filtered: 0, described: 3 });
  });

  it('does not ask another cluster for an instance it found in one', async () => {
    const { clock } = aClock();
    const directory = new InstanceDirectory(clock);
    const prod = aCluster('prod', 30);
    const batch = aCluster('batch', 30);
    const ids = prod.instances.slice(0, 12).map((i) => i.ec2InstanceId);
    await directory.named('prod', ids, prod.source);

    const inBatch = await directory.named('batch', ids, batch.source);

    expect(inBatch).toEqual([]);
    expect(batch.calls).toEqual({ pages: 0, filtered: 0, described: 0 });
  });

  it('keeps the drainer’s answers: an instance it drained is DRAINING without a read', async () => {
    const { clock } = aClock();
    const directory = new InstanceDirectory(clock);
    const prod = aCluster('prod', 20);
    const ids = prod.instances.map((i) => i.ec2InstanceId);
    await directory.named('prod', ids, prod.source);
    const drainer: InstanceDrainer = {
      drain: async (_cluster, arns) => arns.map((containerInstanceArn, k) => ({ containerInstanceArn, status: k === 0 ? 'missing' : 'draining' })),
    };
    const before = { ...prod.calls };

    await drainerNotingDirectory(drainer, directory).drain('prod', [ARN('prod', 0), ARN('prod', 1)]);
    const seen = await directory.named('prod', [ID('prod', 1), ID('prod', 2)], prod.source);

    expect(seen.map((i) => [i.ec2InstanceId, i.status])).toEqual([
      [ID('prod', 1), 'DRAINING'],
      [ID('prod', 2), 'ACTIVE'],
    ]);
    expect(prod.calls).toEqual(before);
    // The instance ECS answered MISSING for is forgotten: looked up again (and found gone).
    expect(directory.lookup('prod', ID('prod', 0))).toBe('unknown');
  });

  it('reads again the status of a leaving instance kept ACTIVE for a while, and does not look for an unknown one in a cluster it listed whole', async () => {
    // Prepare: listed whole; then another environment drains instance 1 and instance 2 goes
    const { clock, advance } = aClock();
    const directory = new InstanceDirectory(clock);
    const prod = aCluster('prod', 20);
    await directory.named('prod', prod.instances.map((i) => i.ec2InstanceId), prod.source);
    prod.instances[1]!.status = 'DRAINING';
    prod.instances.splice(2, 1);
    advance(RECHECK_AFTER_MS);
    const before = { ...prod.calls };
    const leaving = [ID('prod', 1), ID('prod', 2), ID('prod', 99)];

    // Act
    const seen = await directory.named('prod', [...leaving, ID('prod', 3)], prod.source, new Set(leaving));

    // Assess: one describe for the two kept ACTIVE leaving instances; the one ECS no longer
    // knows is forgotten; the unknown leaving id costs nothing; instance 3 (a warning) is kept as it was
    expect(seen.map((i) => [i.ec2InstanceId, i.status]).sort()).toEqual([
      [ID('prod', 1), 'DRAINING'],
      [ID('prod', 3), 'ACTIVE'],
    ]);
    expect(prod.calls).toEqual({ ...before, described: before.described + 1 });
    expect(directory.lookup('prod', ID('prod', 2))).toBe('unknown');
  });

  it('answers the guardrail’s whole cluster from a listing at most GUARDRAIL_MAX_AGE_MS old, with its own drains applied, and lists again after', async () => {
    const { clock, advance } = aClock();
    const directory = new InstanceDirectory(clock);
    const prod = aCluster('prod', 150);
    await directory.named('prod', prod.instances.slice(0, 20).map((i) => i.ec2InstanceId), prod.source);
    prod.instances[0]!.status = 'DRAINING';
    directory.noteDraining('prod', [ARN('prod', 0)]);
    advance(GUARDRAIL_MAX_AGE_MS - 1);

    const kept = await directory.whole('prod', prod.source);
    const callsKept = { ...prod.calls };
    advance(1);
    const listedAgain = await directory.whole('prod', prod.source);

    expect(kept?.length).toBe(150);
    expect(kept?.find((i) => i.arn === ARN('prod', 0))?.status).toBe('DRAINING');
    // The whole listing (2 pages, 2 describes), then one page of the DRAINING set.
    expect(callsKept).toEqual({ pages: 3, filtered: 0, described: 2 });
    expect(listedAgain?.length).toBe(150);
    expect(prod.calls).toEqual({ pages: 5, filtered: 0, described: 4 });
  });

  it('reads the DRAINING set again past DRAINING_FRESH_MS: drains by others count, an instance set back to ACTIVE is described again, a new one described', async () => {
    const { clock, advance } = aClock();
    const directory = new InstanceDirectory(clock);
    const prod = aCluster('prod', 150);
    prod.instances[3]!.status = 'DRAINING';
    await directory.whole('prod', prod.source);
    const listed = { ...prod.calls };
    // Since: another environment drained 1 and 2, an operator set 3 back to ACTIVE, 150 registered DRAINING.
    prod.instances[1]!.status = 'DRAINING';
    prod.instances[2]!.status = 'DRAINING';
    prod.instances[3]!.status = 'ACTIVE';
    prod.add(150);
    prod.instances[150]!.status = 'DRAINING';
    advance(DRAINING_FRESH_MS - 1);
    const kept = await directory.whole('prod', prod.source);
    const keptCalls = { ...prod.calls };
    advance(1);
    const seen = await directory.whole('prod', prod.source);

    const drainingOf = (all: ContainerInstanceState[] | undefined) => (all ?? []).filter((i) => i.status === 'DRAINING').map((i) => i.arn).sort();
    expect(listed).toEqual({ pages: 2, filtered: 0, described: 2 });
    expect(drainingOf(kept)).toEqual([ARN('prod', 3)]);
    expect(keptCalls).toEqual(listed);
    expect(drainingOf(seen)).toEqual([ARN('prod', 1), ARN('prod', 2), ARN('prod', 150)].sort());
    expect(seen?.find((i) => i.arn === ARN('prod', 3))?.status).toBe('ACTIVE');
    // One DRAINING page; one describe for the new instance, one for instance 3.
    expect(prod.calls).toEqual({ pages: 3, filtered: 0, described: 4 });
    expect(directory.drainingCapped('prod')).toBe(false);
  });

  it('trusts a leaving instance’s status it read or set itself within RECHECK_AFTER_MS', async () => {
    const { clock, advance } = aClock();
    const directory = new InstanceDirectory(clock);
    const prod = aCluster('prod', 20);
    await directory.named('prod', prod.instances.map((i) => i.ec2InstanceId), prod.source);
    advance(RECHECK_AFTER_MS - 1);
    const before = { ...prod.calls };

    const seen = await directory.named('prod', [ID('prod', 4)], prod.source, new Set([ID('prod', 4)]));

    expect(seen.map((i) => i.status)).toEqual(['ACTIVE']);
    expect(prod.calls).toEqual(before);
  });

  it('looks up an id no directory knows even in a cluster it listed whole: the instance may have registered since', async () => {
    const { clock } = aClock();
    const directory = new InstanceDirectory(clock);
    const prod = aCluster('prod', 20);
    await directory.named('prod', prod.instances.map((i) => i.ec2InstanceId), prod.source);
    prod.add(20);

    const found = await directory.named('prod', [ID('prod', 20)], prod.source);

    expect(found.map((i) => i.ec2InstanceId)).toEqual([ID('prod', 20)]);
    expect(prod.calls).toMatchObject({ filtered: 1 });
  });

  it('keeps the filters for a cluster too big to list for the batch, and reads again once the TTL has passed', async () => {
    const { clock, advance } = aClock();
    const directory = new InstanceDirectory(clock);
    const huge = aCluster('huge', 3000);
    const ids = (from: number) => huge.instances.slice(from, from + 12).map((i) => i.ec2InstanceId);

    await directory.named('huge', ids(0), huge.source);
    await directory.named('huge', ids(12), huge.source);
    advance(DIRECTORY_TTL_MS);
    await directory.named('huge', ids(24), huge.source);

    // 12 ids allow 20 pages of a 30-page cluster: listing stops there, and the filter answers;
    // within the TTL the listing is not tried again.
    expect(huge.calls.pages).toBe(20 + 20);
    expect(huge.calls.filtered).toBe(3);
  });

  it('does not page through a cluster DescribeClusters said is too big to list', async () => {
    const { clock } = aClock();
    const directory = new InstanceDirectory(clock);
    const huge = aCluster('huge', 3000);
    directory.noteSize('huge', 3000);

    const found = await directory.named('huge', huge.instances.slice(0, 12).map((i) => i.ec2InstanceId), huge.source);
    const whole = await directory.whole('huge', huge.source);

    expect(found).toHaveLength(12);
    expect(whole).toBeUndefined();
    expect(huge.calls).toEqual({ pages: 0, filtered: 1, described: 1 });
  });

  it('keeps nothing with a TTL of 0', async () => {
    const { clock } = aClock();
    const directory = new InstanceDirectory(clock, 0);
    const prod = aCluster('prod', 20);
    const ids = prod.instances.map((i) => i.ec2InstanceId);

    await directory.named('prod', ids, prod.source);
    await directory.named('prod', ids, prod.source);

    expect(prod.calls).toEqual({ pages: 0, filtered: 2, described: 2 });
  });
});
