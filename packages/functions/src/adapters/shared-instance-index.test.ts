import type { ContainerInstanceState } from '@ecs-rebalancer/core';
import { describe, expect, it } from 'vitest';
import { FakeDynamoDb, RecordingLog } from '../test-support/fakes.js';
import { DynamoDbInstanceIndex } from './dynamodb-instance-index.js';
import { DRAINING_FRESH_MS, GUARDRAIL_MAX_AGE_MS, INDEX_MAX_AGE_MS, InstanceDirectory, RECHECK_AFTER_MS, drainerNotingDirectory } from './ecs-instance-directory.js';
import { EcsInstanceIndexRefresher } from './instance-index-refresh.js';
import { INDEX_ASK_AGAIN_MS, SharedInstanceIndex } from './shared-instance-index.js';
import { countingInstanceSource } from '../test-support/instance-source.js';

const ID = (n: number): string => `i-0${n.toString(16).padStart(16, '0')}`;
const ARN = (n: number): string => `arn:aws:ecs:us-east-1:123456789012:container-instance/prod/${n.toString(16).padStart(32, '0')}`;

/** One ECS cluster behind the directory's reads, counting each call; `status` filters as ListContainerInstances does. */
function aCluster(size: number) {
  const instances: ContainerInstanceState[] = Array.from({ length: size }, (_, n) => ({ arn: ARN(n), ec2InstanceId: ID(n), capacityProvider: 'spot-arm64', status: 'ACTIVE', runningTasks: 1 }));
  const { calls, source, reset } = countingInstanceSource(instances);
  return { instances, calls, source, reset };
}

/** Execution environments sharing one index table on one clock. */
function anAccount() {
  let now = Date.parse('2026-01-05T09:00:00Z');
  const clock = () => new Date(now);
  const dynamodb = new FakeDynamoDb();
  const log = new RecordingLog();
  const environment = () => new InstanceDirectory(clock, undefined, { index: new SharedInstanceIndex(new DynamoDbInstanceIndex(dynamodb, 'index'), clock, log), architectures: new Map() });
  return { clock, dynamodb, log, environment, advance: (ms: number) => void (now += ms) };
}

describe('the shared instance index', () => {
  it('lets a second environment answer a storm batch from the first one’s listing, with no ECS call', async () => {
    // Prepare: environment A lists the cluster for its storm batch and publishes it
    const account = anAccount();
    const prod = aCluster(240);
    const a = account.environment();
    await a.prime(['prod']);
    await a.named('prod', prod.instances.slice(0, 50).map((i) => i.ec2InstanceId), prod.source);
    expect(prod.calls).toEqual({ pages: 3, filtered: 0, described: 3 });
    prod.reset();

    // Act: environment B starts cold
    const b = account.environment();
    await b.prime(['prod']);
    const found = await b.named('prod', prod.instances.slice(100, 180).map((i) => i.ec2InstanceId), prod.source);

    // Assess: one BatchGetItem, no ECS call, every instance found
    expect(found.map((i) => i.arn)).toEqual(prod.instances.slice(100, 180).map((i) => i.arn));
    expect(prod.calls).toEqual({ pages: 0, filtered: 0, described: 0 });
    expect(account.dynamodb.calls.map((c) => c.operation)).toEqual(['BatchGetItem', 'PutItem', 'BatchGetItem']);
  });

  it('looks up by filter only the ids the index lacks (registered since its listing)', async () => {
    // Prepare
    const account = anAccount();
    const prod = aCluster(240);
    await new EcsInstanceIndexRefresher({ directory: account.environment(), instanceSource: () => prod.source }, account.clock).refresh(['prod']);
    prod.instances.push({ arn: ARN(900), ec2InstanceId: ID(900), capacityProvider: 'spot-arm64', status: 'ACTIVE', runningTasks: 0 });
    prod.reset();
    const b = account.environment();
    await b.prime(['prod']);

    // Act
    const found = await b.named('prod', [ID(1), ID(2), ID(900)], prod.source);

    // Assess: one filter for the one new id, one describe of what it found
    expect(found.map((i) => i.ec2InstanceId).sort()).toEqual([ID(1), ID(2), ID(900)].sort());
    expect(prod.calls).toEqual({ pages: 0, filtered: 1, described: 1 });
  });

  it('treats the index’s statuses as stale: a DRAINING one is described again, an ACTIVE one a state change names is rechecked, an ACTIVE one a warning names goes to the drainer', async () => {
    // Prepare: the index says 0 is DRAINING and 1, 2 are ACTIVE; since then an operator set 0 ACTIVE again, 1 and 2 were drained by someone else
    const account = anAccount();
    const prod = aCluster(240);
    prod.instances[0]!.status = 'DRAINING';
    await new EcsInstanceIndexRefresher({ directory: account.environment(), instanceSource: () => prod.source }, account.clock).refresh(['prod']);
    prod.instances[0]!.status = 'ACTIVE';
    prod.instances[1]!.status = 'DRAINING';
    prod.instances[2]!.status = 'DRAINING';
    account.advance(RECHECK_AFTER_MS);
    prod.reset();
    const b = account.environment();
    await b.prime(['prod']);

    // Act: a warning names 0 and 1; a state change names 2
    const warned = await b.named('prod', [ID(0), ID(1)], prod.source);
    const leaving = await b.named('prod', [ID(2)], prod.source, new Set([ID(2)]));
    const drainer = drainerNotingDirectory({ drain: async (_c, arns) => arns.map((arn) => ({ containerInstanceArn: arn, status: 'already-draining' as const })) }, b);
    await drainer.drain('prod', [ARN(1)]);

    // Assess: 0 is ACTIVE as ECS says (it will be drained), 1 is drained as the index said and the drainer's answer is kept, 2 is DRAINING as ECS says
    expect(warned.map((i) => [i.ec2InstanceId, i.status])).toEqual([[ID(1), 'ACTIVE'], [ID(0), 'ACTIVE']]);
    expect(leaving.map((i) => i.status)).toEqual(['DRAINING']);
    expect(prod.calls).toEqual({ pages: 0, filtered: 0, described: 2 });
    expect(b.lookup('prod', ID(1))).toEqual({ found: expect.objectContaining({ status: 'DRAINING' }) });
  });

  it('keeps the guardrail’s DRAINING count fresh from an index listing (drains by others counted past DRAINING_FRESH_MS)', async () => {
    // Prepare
    const account = anAccount();
    const prod = aCluster(240);
    await new EcsInstanceIndexRefresher({ directory: account.environment(), instanceSource: () => prod.source }, account.clock).refresh(['prod']);
    const b = account.environment();
    await b.prime(['prod']);
    for (const i of prod.instances.slice(0, 30)) i.status = 'DRAINING';
    account.advance(DRAINING_FRESH_MS);
    prod.reset();

    // Act
    const whole = await b.whole('prod', prod.source);

    // Assess: the index's 240 instances, the 30 drained since counted DRAINING; one DRAINING page and one describe (their running tasks), no whole listing
    expect(whole).toHaveLength(240);
    expect(whole!.filter((i) => i.status === 'DRAINING')).toHaveLength(30);
    expect(prod.calls).toEqual({ pages: 1, filtered: 0, described: 1 });
  });

  it('refreshes from the tick with list pages only once the index holds the fleet', async () => {
    // Prepare
    const account = anAccount();
    const prod = aCluster(240);
    const tick = new EcsInstanceIndexRefresher({ directory: account.environment(), instanceSource: () => prod.source }, account.clock);

    // Act
    const first = await tick.refresh(['prod']);
    const cold = { ...prod.calls };
    prod.reset();
    prod.instances[5]!.status = 'DRAINING';
    account.advance(300_000);
    const second = await new EcsInstanceIndexRefresher({ directory: account.environment(), instanceSource: () => prod.source }, account.clock).refresh(['prod']);

    // Assess: cold: 3 ACTIVE pages + 1 DRAINING page + 3 describes; warm (a new tick environment): the pages and the one DRAINING instance (its running tasks)
    expect(first).toEqual([{ cluster: 'prod', instances: 240, described: 240, published: true }]);
    expect(cold).toEqual({ pages: 4, filtered: 0, described: 3 });
    expect(second).toEqual([{ cluster: 'prod', instances: 240, described: 1, published: true }]);
    expect(prod.calls).toEqual({ pages: 4, filtered: 0, described: 1 });
    const b = account.environment();
    await b.prime(['prod']);
    expect(b.known('prod').find((i) => i.ec2InstanceId === ID(5))?.status).toBe('DRAINING');
  });

  it('ignores an entry older than INDEX_MAX_AGE_MS and never lets an older listing replace a newer one', async () => {
    // Prepare
    const account = anAccount();
    const prod = aCluster(240);
    const a = account.environment();
    await a.publish('prod', prod.instances, account.clock().getTime());
    const stored = account.dynamodb.tables.get('index')?.get('prod')?.['listedAt']?.N;

    // Act
    const older = await a.publish('prod', prod.instances.slice(0, 10), account.clock().getTime() - 1);
    account.advance(INDEX_MAX_AGE_MS);
    const b = account.environment();
    await b.prime(['prod']);

    // Assess
    expect(older).toBe(false);
    expect(account.dynamodb.tables.get('index')?.get('prod')?.['listedAt']?.N).toBe(stored);
    expect(b.isComplete('prod')).toBe(false);
  });

  it('fails soft: an unreadable index is logged once and the environment lists for itself', async () => {
    // Prepare
    const account = anAccount();
    const prod = aCluster(240);
    account.dynamodb.fail = 'ResourceNotFoundException';
    const b = account.environment();

    // Act
    await b.prime(['prod']);
    const found = await b.named('prod', prod.instances.slice(0, 50).map((i) => i.ec2InstanceId), prod.source);
    account.advance(INDEX_ASK_AGAIN_MS);
    await b.prime(['other']);

    // Assess: the listing of before; one warning, the later failures (the write, the second read) at debug
    expect(found).toHaveLength(50);
    expect(prod.calls).toEqual({ pages: 3, filtered: 0, described: 3 });
    expect(account.log.lines.filter((e) => e.level === 'warn').map((e) => e.message)).toEqual(['reading the instance index failed: this environment lists and filters on its own']);
    expect(account.log.lines.filter((e) => e.level === 'debug').map((e) => e.message)).toEqual(['writing the instance index failed', 'reading the instance index failed']);
  });

  it('asks the index again for unprocessed keys', async () => {
    // Prepare
    const account = anAccount();
    const prod = aCluster(10);
    await account.environment().publish('prod', prod.instances, account.clock().getTime());
    account.dynamodb.unprocessed = 1;
    const b = account.environment();

    // Act
    await b.prime(['prod']);

    // Assess
    expect(b.isComplete('prod')).toBe(true);
    expect(account.dynamodb.calls.filter((c) => c.operation === 'BatchGetItem')).toHaveLength(2);
  });

  it('shares the guardrail’s DRAINING set: one environment lists it, the others take it while it is younger than DRAINING_FRESH_MS', async () => {
    // Prepare: both environments hold the tick's listing; 30 instances were drained since
    const account = anAccount();
    const prod = aCluster(240);
    await new EcsInstanceIndexRefresher({ directory: account.environment(), instanceSource: () => prod.source }, account.clock).refresh(['prod']);
    const [a, b] = [account.environment(), account.environment()];
    await a.prime(['prod']);
    await b.prime(['prod']);
    for (const i of prod.instances.slice(0, 30)) i.status = 'DRAINING';
    account.advance(DRAINING_FRESH_MS);
    prod.reset();

    // Act: A reads the set; B 5 s later; B again past DRAINING_FRESH_MS after A's listing
    const byA = await a.whole('prod', prod.source);
    const afterA = { ...prod.calls };
    account.advance(5_000);
    const byB = await b.whole('prod', prod.source);
    const afterB = { ...prod.calls };
    account.advance(DRAINING_FRESH_MS - 5_000);
    for (const i of prod.instances.slice(30, 40)) i.status = 'DRAINING';
    const again = await b.whole('prod', prod.source);

    // Assess: A lists one page; B takes A's set without listing (each describes the 30 once for their running tasks); past 20 s B lists for itself and sees the 10 more
    expect(afterA).toEqual({ pages: 1, filtered: 0, described: 1 });
    expect(afterB).toEqual({ pages: 1, filtered: 0, described: 2 });
    expect(byA!.filter((i) => i.status === 'DRAINING')).toHaveLength(30);
    expect(byB!.filter((i) => i.status === 'DRAINING')).toHaveLength(30);
    expect(again!.filter((i) => i.status === 'DRAINING')).toHaveLength(40);
    expect(prod.calls).toEqual({ pages: 2, filtered: 0, described: 3 });
  });

  it('keeps a capped DRAINING set (the guardrail exhausted) for a minute before listing it again', async () => {
    // Prepare: 2,050 of 2,200 instances DRAINING: past the 20 pages a DRAINING listing reads
    const account = anAccount();
    const prod = aCluster(2200);
    await new EcsInstanceIndexRefresher({ directory: account.environment(), instanceSource: () => prod.source }, account.clock).refresh(['prod']);
    const b = account.environment();
    await b.prime(['prod']);
    for (const i of prod.instances.slice(0, 2050)) i.status = 'DRAINING';
    account.advance(DRAINING_FRESH_MS);
    prod.reset();

    // Act
    await b.whole('prod', prod.source);
    const capped = b.drainingCapped('prod');
    account.advance(DRAINING_FRESH_MS);
    await b.whole('prod', prod.source);
    const within = { ...prod.calls };
    account.advance(60_000 - DRAINING_FRESH_MS);
    await b.whole('prod', prod.source);

    // Assess: 20 pages, exhausted; nothing read 20 s later; read again a minute after
    expect(capped).toBe(true);
    expect(within).toEqual({ pages: 20, filtered: 0, described: 0 });
    expect(prod.calls.pages).toBe(40);
  });

  it('lists a stale DRAINING set once while another environment has claimed it: the others take the last set, at most DRAINING_LEASE_MS (5 s) longer', async () => {
    // Prepare: A listed the set at t0; 21 s later environment C claims the next listing (and is still listing)
    const account = anAccount();
    const prod = aCluster(240);
    await new EcsInstanceIndexRefresher({ directory: account.environment(), instanceSource: () => prod.source }, account.clock).refresh(['prod']);
    const [a, b] = [account.environment(), account.environment()];
    await a.prime(['prod']);
    await b.prime(['prod']);
    account.advance(DRAINING_FRESH_MS);
    await a.whole('prod', prod.source);
    account.advance(DRAINING_FRESH_MS + 1_000);
    const index = new DynamoDbInstanceIndex(account.dynamodb, 'index');
    expect(await index.claimDraining('prod', account.clock().getTime(), 5_000)).toBe(true);
    prod.reset();

    // Act: B needs the set 1 s after C's claim, then 5 s after it
    await b.whole('prod', prod.source);
    const whileClaimed = { ...prod.calls };
    account.advance(5_000);
    await b.whole('prod', prod.source);

    // Assess: no listing while claimed; B lists (and claims) once the claim is 5 s old
    expect(whileClaimed).toEqual({ pages: 0, filtered: 0, described: 0 });
    expect(prod.calls.pages).toBe(1);
  });

  it('counts a DRAINING instance that emptied since the index listed it as not draining (its running tasks read again past GUARDRAIL_MAX_AGE_MS)', async () => {
    // Prepare: the tick listed instance 0 DRAINING with 1 task; since then its tasks left
    const account = anAccount();
    const prod = aCluster(240);
    prod.instances[0]!.status = 'DRAINING';
    await new EcsInstanceIndexRefresher({ directory: account.environment(), instanceSource: () => prod.source }, account.clock).refresh(['prod']);
    prod.instances[0]!.runningTasks = 0;
    account.advance(GUARDRAIL_MAX_AGE_MS);
    const b = account.environment();
    await b.prime(['prod']);

    // Act
    const whole = await b.whole('prod', prod.source);

    // Assess: DRAINING with 0 tasks, which the guardrail does not count
    expect(whole!.find((i) => i.ec2InstanceId === ID(0))).toMatchObject({ status: 'DRAINING', runningTasks: 0 });
  });
});
