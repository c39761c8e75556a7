import {
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListServicesCommand,
} from '@aws-sdk/client-ecs';
import type { ContainerInstance, Service } from '@aws-sdk/client-ecs';
import type { LoadRequest } from '@ecs-rebalancer/core';
import { decide, parseEvent } from '@ecs-rebalancer/core';
import { aPolicy, aRebalanceRecommendation, aStrategy } from '@ecs-rebalancer/core/test-support';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../errors.js';
import { CLUSTER_CACHE_TTL_MS, EcsClusterReader, ec2InstanceFilters } from './ecs-cluster-reader.js';
import { DRAINING_FRESH_MS } from './ecs-instance-directory.js';
import { recordTags } from './ecs-service-tags.js';

const ecs = mockClient(ECSClient);
const client = new ECSClient({ region: 'us-east-1' });

const ID = (n: number): string => `i-${n.toString(16).padStart(17, '0')}`;
const ciArn = (n: number): string => `arn:aws:ecs:us-east-1:123456789012:container-instance/prod/${n.toString(16).padStart(32, '0')}`;
const svcArn = (name: string): string => `arn:aws:ecs:us-east-1:123456789012:service/prod/${name}`;

function aContainerInstance(n: number, overrides: Partial<ContainerInstance> = {}): ContainerInstance {
  return {
    containerInstanceArn: ciArn(n),
    ec2InstanceId: ID(n),
    capacityProviderName: 'spot-arm64',
    status: 'ACTIVE',
    runningTasksCount: 3,
    attributes: [
      { name: 'ecs.availability-zone', value: 'us-east-1b' },
      { name: 'ecs.instance-type', value: 'm7g.large' },
    ],
    ...overrides,
  };
}

function anEcsService(name: string, overrides: Partial<Service> = {}): Service {
  return {
    serviceName: name,
    serviceArn: svcArn(name),
    status: 'ACTIVE',
    desiredCount: 4,
    runningCount: 4,
    capacityProviderStrategy: aStrategy(),
    deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 200 },
    deploymentController: { type: 'ECS' },
    tags: [],
    ...overrides,
  };
}

const aRequest = (overrides: Partial<LoadRequest> = {}): LoadRequest => ({ cluster: 'prod', ec2InstanceIds: [], services: ['web'], alarms: [], guardrail: false, ...overrides });

beforeEach(() => {
  ecs.reset();
  ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: 'prod', status: 'ACTIVE', capacityProviders: ['spot-arm64', 'od-arm64', 'FARGATE'] }], failures: [] });
  ecs.on(DescribeCapacityProvidersCommand).resolves({
    capacityProviders: [
      { name: 'spot-arm64', autoScalingGroupProvider: { autoScalingGroupArn: 'arn:asg/spot' } },
      { name: 'od-arm64', autoScalingGroupProvider: { autoScalingGroupArn: 'arn:asg/od' } },
    ],
  });
  ecs.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({ services: input.services.map((s) => anEcsService(s)), failures: [] }));
  ecs.on(DescribeContainerInstancesCommand).callsFake((input: { containerInstances: string[] }) => ({
    containerInstances: input.containerInstances.map((arn) => aContainerInstance(parseInt(arn.slice(arn.lastIndexOf('/') + 1), 16))),
    failures: [],
  }));
});

describe('EcsClusterReader', () => {
  it.each([
    { reason: 'MISSING', outcome: 'absent' },
    { reason: 'INTERNAL_ERROR', outcome: 'retryable' },
  ])('a DescribeContainerInstances failure $reason: the instance is $outcome', async ({ reason, outcome }) => {
    // Prepare
    ecs.on(ListContainerInstancesCommand).resolves({ containerInstanceArns: [ciArn(1), ciArn(2)] });
    ecs.on(DescribeContainerInstancesCommand).resolves({ containerInstances: [aContainerInstance(1)], failures: [{ arn: ciArn(2), reason }] });

    // Act
    const load = new EcsClusterReader(client).load([aRequest({ ec2InstanceIds: [ID(1), ID(2)] })]);

    // Assess
    if (outcome === 'retryable') {
      await expect(load).rejects.toThrow(RetryableError);
      await expect(load).rejects.toThrow(`${ciArn(2)} failed (${reason})`);
    } else {
      const [snapshot] = await load;
      expect(snapshot?.state.containerInstances.map((i) => i.ec2InstanceId)).toEqual([ID(1)]);
    }
  });

  it('maps a cluster, its providers, services and instances to ClusterState', async () => {
    // Prepare
    const { tags } = recordTags({ baseline: aStrategy(), fallbackSince: '2024-03-01T11:00:00.000Z', applied: aStrategy(0, 4, 2) });
    ecs.on(DescribeServicesCommand).resolves({ services: [anEcsService('web', { tags, capacityProviderStrategy: aStrategy(0, 4, 2) })] });
    ecs.on(ListContainerInstancesCommand).resolves({ containerInstanceArns: [ciArn(1)] });

    // Act
    const [snapshot] = await new EcsClusterReader(client).load([aRequest({ ec2InstanceIds: [ID(1)] })]);

    // Assess
    expect(snapshot).toEqual({
      state: {
        cluster: 'prod',
        capacityProviders: [
          { name: 'spot-arm64', type: 'EC2_AUTOSCALING' },
          { name: 'od-arm64', type: 'EC2_AUTOSCALING' },
          { name: 'FARGATE', type: 'FARGATE' },
        ],
        services: [
          {
            name: 'web',
            desiredCount: 4,
            runningCount: 4,
            strategy: aStrategy(0, 4, 2),
            minimumHealthyPercent: 50,
            maximumPercent: 200,
            deploymentController: 'ECS',
            baseline: aStrategy(),
            fallbackSince: '2024-03-01T11:00:00.000Z',
            applied: aStrategy(0, 4, 2),
          },
        ],
        containerInstances: [
          { arn: ciArn(1), ec2InstanceId: ID(1), capacityProvider: 'spot-arm64', status: 'ACTIVE', runningTasks: 3, availabilityZone: 'us-east-1b', instanceType: 'm7g.large' },
        ],
        alarms: {},
      },
      serviceArns: { web: svcArn('web') },
    });
    expect(ecs.commandCalls(ListContainerInstancesCommand)[0]?.args[0].input).toMatchObject({ cluster: 'prod', filter: `ec2InstanceId in [${ID(1)}]` });
    expect(ecs.commandCalls(DescribeCapacityProvidersCommand)[0]?.args[0].input).toEqual({ capacityProviders: ['spot-arm64', 'od-arm64'] });
    expect(ecs.commandCalls(DescribeServicesCommand)[0]?.args[0].input).toMatchObject({ include: ['TAGS'] });
  });

  it('lists every service when all are managed and describes them by 10, following pagination', async () => {
    // Prepare
    const names = Array.from({ length: 25 }, (_, i) => `svc-${i}`);
    ecs
      .on(ListServicesCommand)
      .resolvesOnce({ serviceArns: names.slice(0, 20).map(svcArn), nextToken: 'page-2' })
      .resolvesOnce({ serviceArns: names.slice(20).map(svcArn) });

    // Act
    const [snapshot] = await new EcsClusterReader(client).load([aRequest({ services: '*' })]);

    // Assess
    expect(snapshot?.state.services.map((s) => s.name)).toEqual(names);
    expect(ecs.commandCalls(ListServicesCommand).map((c) => c.args[0].input.nextToken)).toEqual([undefined, 'page-2']);
    expect(ecs.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input.services?.length)).toEqual([10, 10, 5]);
    expect(ecs.commandCalls(ListContainerInstancesCommand)).toHaveLength(0);
  });

  it('looks 200 EC2 ids up in a few filters and describes the container instances by 100', async () => {
    // Prepare
    const ids = Array.from({ length: 200 }, (_, i) => ID(i));
    ecs.on(ListContainerInstancesCommand).callsFake((input: { filter: string }) => ({
      containerInstanceArns: ids.filter((id) => input.filter.includes(id)).map((id) => ciArn(parseInt(id.slice(2), 16))),
    }));

    // Act: without the directory, which would list a cluster whole for so many ids
    const [snapshot] = await new EcsClusterReader(client, undefined, { directoryTtlMs: 0 }).load([aRequest({ ec2InstanceIds: ids })]);

    // Assess
    expect(snapshot?.state.containerInstances).toHaveLength(200);
    expect(ecs.commandCalls(ListContainerInstancesCommand)).toHaveLength(3);
    expect(ecs.commandCalls(DescribeContainerInstancesCommand).map((c) => c.args[0].input.containerInstances?.length)).toEqual([100, 100]);
  });

  it('reads every container instance, page by page, for a full request', async () => {
    ecs
      .on(ListContainerInstancesCommand)
      .resolvesOnce({ containerInstanceArns: [ciArn(1), ciArn(2)], nextToken: 't2' })
      .resolvesOnce({ containerInstanceArns: [ciArn(3)] });

    const [snapshot] = await new EcsClusterReader(client).load([aRequest({ ec2InstanceIds: [ID(1)], full: true })]);

    expect(snapshot?.state.containerInstances.map((i) => i.ec2InstanceId)).toEqual([ID(1), ID(2), ID(3)]);
    expect(ecs.commandCalls(ListContainerInstancesCommand).map((c) => [c.args[0].input.filter, c.args[0].input.nextToken])).toEqual([
      [undefined, undefined],
      [undefined, 't2'],
    ]);
  });

  it('adds every ACTIVE and DRAINING instance of the named instances\' providers for the guardrail, from one whole listing that also answers the named ones', async () => {
    // Prepare: instance 5 is gone (INACTIVE)
    ecs.on(ListContainerInstancesCommand).callsFake((input: { filter?: string; status?: string }) => {
      if (input.filter) return { containerInstanceArns: [ciArn(1)] };
      return { containerInstanceArns: [ciArn(1), ciArn(2), ciArn(3), ciArn(4), ciArn(5)] };
    });
    ecs.on(DescribeContainerInstancesCommand).callsFake((input: { containerInstances: string[] }) => ({
      containerInstances: input.containerInstances.map((arn) => {
        const n = parseInt(arn.slice(arn.lastIndexOf('/') + 1), 16);
        return aContainerInstance(n, { capacityProviderName: n === 3 ? 'od-arm64' : 'spot-arm64', status: n === 4 ? 'DRAINING' : n === 5 ? 'INACTIVE' : 'ACTIVE' });
      }),
    }));
    const reader = new EcsClusterReader(client);

    // Act: a second batch of the same cluster right after
    const [snapshot] = await reader.load([aRequest({ ec2InstanceIds: [ID(1)], guardrail: true })]);
    const [again] = await reader.load([aRequest({ ec2InstanceIds: [ID(2)], guardrail: true })]);

    // Assess
    expect(snapshot?.state.containerInstances.map((i) => [i.ec2InstanceId, i.status])).toEqual([
      [ID(1), 'ACTIVE'],
      [ID(2), 'ACTIVE'],
      [ID(4), 'DRAINING'],
    ]);
    expect(again?.state.containerInstances.map((i) => i.ec2InstanceId).sort()).toEqual([ID(1), ID(2), ID(4)]);
    // One whole listing answers both batches, named instances included.
    expect(ecs.commandCalls(ListContainerInstancesCommand).map((c) => (c.args[0].input.filter ? 'filter' : 'whole'))).toEqual(['whole']);
  });

  describe('the guardrail counts instances drained by others since the whole listing', () => {
    // 10 Spot instances (maxDrainingFraction 0.3); `draining` is what ECS says now.
    const draining = new Set<number>();
    const fleet = Array.from({ length: 10 }, (_, n) => n + 1);
    beforeEach(() => {
      draining.clear();
      ecs.on(ListContainerInstancesCommand).callsFake((input: { filter?: string; status?: string; nextToken?: string }) => {
        if (input.filter) return { containerInstanceArns: [ciArn(1)] };
        if (input.status === 'DRAINING') {
          // 250 DRAINING pages when `draining` holds 0: a set past the cap.
          if (draining.has(0)) return { containerInstanceArns: [ciArn(9)], nextToken: String(Number(input.nextToken ?? 0) + 1) };
          return { containerInstanceArns: [...draining].map(ciArn) };
        }
        return { containerInstanceArns: fleet.map(ciArn) };
      });
      ecs.on(DescribeContainerInstancesCommand).callsFake((input: { containerInstances: string[] }) => ({
        containerInstances: input.containerInstances.map((arn) => {
          const n = parseInt(arn.slice(arn.lastIndexOf('/') + 1), 16);
          return aContainerInstance(n, { status: draining.has(n) ? 'DRAINING' : 'ACTIVE' });
        }),
      }));
    });

    async function rebalanceOf1(after: number) {
      let now = Date.parse('2026-01-05T09:00:00Z');
      const reader = new EcsClusterReader(client, undefined, { clock: () => new Date(now) });
      await reader.load([aRequest({ ec2InstanceIds: [ID(2)], guardrail: true })]);
      // Another execution environment drains 3 of the 10 (ECS now says DRAINING).
      for (const n of [8, 9, 10]) draining.add(n);
      now += after;
      const [snapshot] = await reader.load([aRequest({ ec2InstanceIds: [ID(1)], guardrail: true })]);
      const plan = decide(parseEvent(aRebalanceRecommendation({ instanceId: ID(1) })), [snapshot!.state], aPolicy(), new Date(now).toISOString());
      return { snapshot: snapshot!, plan };
    }

    it('past DRAINING_FRESH_MS: 4 of 10 would be DRAINING, so the rebalance drain is deferred, from one DRAINING page', async () => {
      const { snapshot, plan } = await rebalanceOf1(DRAINING_FRESH_MS);

      expect(snapshot.state.containerInstances.filter((i) => i.status === 'DRAINING').map((i) => i.ec2InstanceId).sort()).toEqual([ID(10), ID(8), ID(9)].sort());
      expect(plan.actions.filter((a) => a.type === 'drain')).toEqual([]);
      expect((plan.deferred ?? []).map((d) => d.ec2InstanceId)).toEqual([ID(1)]);
      // One whole listing, then one DRAINING page; no describe for instances the directory knows.
      expect(ecs.commandCalls(ListContainerInstancesCommand).map((c) => c.args[0].input.status ?? 'whole')).toEqual(['whole', 'DRAINING']);
      expect(ecs.commandCalls(DescribeContainerInstancesCommand)).toHaveLength(1);
    });

    it('within DRAINING_FRESH_MS the kept statuses serve, with no call', async () => {
      const { plan } = await rebalanceOf1(DRAINING_FRESH_MS - 1);

      expect(plan.actions.filter((a) => a.type === 'drain').flatMap((a) => (a.type === 'drain' ? a.ec2InstanceIds : []))).toEqual([ID(1)]);
      expect(ecs.commandCalls(ListContainerInstancesCommand)).toHaveLength(1);
    });

    it('a DRAINING set past its page cap counts the guardrail as exhausted: the drain is deferred', async () => {
      draining.add(0);
      const { snapshot, plan } = await rebalanceOf1(DRAINING_FRESH_MS);

      expect(snapshot.state.containerInstances.find((i) => i.ec2InstanceId === ID(1))?.status).toBe('ACTIVE');
      expect((plan.deferred ?? []).map((d) => d.ec2InstanceId)).toEqual([ID(1)]);
      expect(ecs.commandCalls(ListContainerInstancesCommand).filter((c) => c.args[0].input.status === 'DRAINING')).toHaveLength(20);
    });
  });

  it('leaves out a cluster ECS does not know, and services being deleted', async () => {
    ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: 'prod', status: 'ACTIVE', capacityProviders: [] }], failures: [{ arn: 'staging', reason: 'MISSING' }] });
    ecs.on(DescribeServicesCommand).resolves({ services: [anEcsService('web'), anEcsService('old', { status: 'DRAINING' })] });

    const snapshots = await new EcsClusterReader(client).load([aRequest({ services: ['web', 'old'] }), aRequest({ cluster: 'staging' })]);

    expect(snapshots.map((s) => s.state.cluster)).toEqual(['prod']);
    expect(snapshots[0]?.state.services.map((s) => s.name)).toEqual(['web']);
  });

  it.each([
    { name: 'throttling', error: Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }), type: RetryableError },
    { name: 'a server error', error: Object.assign(new Error('Internal'), { name: 'ServerException', $fault: 'server', $metadata: { httpStatusCode: 500 } }), type: RetryableError },
    { name: 'access denied', error: Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }), type: PermanentError },
  ])('classifies $name while reading, saying what was being done', async ({ error, type }) => {
    ecs.on(DescribeServicesCommand).rejects(error);

    const loading = new EcsClusterReader(client).load([aRequest()]);

    await expect(loading).rejects.toBeInstanceOf(type);
    await expect(loading).rejects.toThrow(/^describing 1 services in prod: /);
  });
});

describe('EcsClusterReader marks services it must not change', () => {
  it('a service with a short ARN, which cannot carry tags, with the way out in the reason', async () => {
    // Prepare: web was created before the long ARN format; api after it
    ecs.on(DescribeServicesCommand).resolves({
      services: [anEcsService('web', { serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/web' }), anEcsService('api')],
    });

    // Act
    const [snapshot] = await new EcsClusterReader(client).load([aRequest({ services: ['web', 'api'] })]);

    // Assess: both are seen; only web is marked
    expect(snapshot?.state.services.map((s) => s.name)).toEqual(['web', 'api']);
    expect(Object.keys(snapshot?.blocked ?? {})).toEqual(['web']);
    expect(snapshot?.blocked?.['web']).toContain(
      'service web uses the short ARN format; opt in to the long format (aws ecs put-account-setting --name serviceLongArnFormat) so the rebalancer can keep its record',
    );
  });

  it('a service whose record is corrupt, saying so and in the logs, instead of reading it as absent', async () => {
    // Prepare: a two-piece baseline that lost its second piece
    const long = Array.from({ length: 12 }, (_, i) => ({ capacityProvider: `capacity-provider-with-a-long-name-${i}`, base: 0, weight: 1 }));
    const tags = recordTags({ baseline: long, fallbackSince: '2024-03-01T11:00:00.000Z', applied: aStrategy(0, 4, 2) }).tags.filter((t) => t.key !== 'ecs-rebalancer:baseline:2');
    ecs.on(DescribeServicesCommand).resolves({ services: [anEcsService('web', { tags })] });
    const warnings: unknown[][] = [];
    const log = { debug: () => {}, info: () => {}, warn: (...args: unknown[]) => void warnings.push(args), error: () => {} };

    // Act
    const [snapshot] = await new EcsClusterReader(client, log).load([aRequest()]);

    // Assess
    expect(snapshot?.blocked?.['web']).toMatch(/^the rebalancer's record on service web in prod is unreadable \(tag ecs-rebalancer:baseline: piece 2 of 2 .* is missing\)/);
    expect(warnings).toHaveLength(1);
  });

  it("copies the record's phase, last restore and recent fallbacks into the service state", async () => {
    // Prepare: a restore whose record clear was cut short (phase restoring), after two fallbacks
    const { tags } = recordTags({
      baseline: aStrategy(),
      fallbackSince: '2024-03-01T11:00:00.000Z',
      applied: aStrategy(0, 4, 2),
      phase: 'restoring',
      lastRestoredAt: '2024-03-01T10:30:00.000Z',
      recentFallbacks: ['2024-03-01T10:10:00.000Z', '2024-03-01T11:00:00.000Z'],
    });
    ecs.on(DescribeServicesCommand).resolves({ services: [anEcsService('web', { tags }), anEcsService('api')] });

    // Act
    const [snapshot] = await new EcsClusterReader(client).load([aRequest({ services: ['web', 'api'] })]);

    // Assess: web carries them; api, with no record, carries none (absent, as a hand-written file)
    const [web, api] = snapshot?.state.services ?? [];
    expect(web).toMatchObject({ fallbackPhase: 'restoring', lastRestoredAt: '2024-03-01T10:30:00.000Z', recentFallbacks: ['2024-03-01T10:10:00.000Z', '2024-03-01T11:00:00.000Z'] });
    expect(api && ['fallbackPhase', 'lastRestoredAt', 'recentFallbacks'].filter((k) => k in api)).toEqual([]);
  });

  it('no service with a long ARN and a readable record', async () => {
    const [snapshot] = await new EcsClusterReader(client).load([aRequest()]);

    expect(snapshot?.blocked).toBeUndefined();
  });
});

describe('EcsClusterReader keeps attached providers and service lists for a short time', () => {
  // A virtual clock, as the simulator gives: the cache must age by it, not by the wall clock.
  function aReaderWithClock(options: { directoryTtlMs?: number } = {}) {
    let now = Date.parse('2024-03-01T12:00:00.000Z');
    const reader = new EcsClusterReader(client, undefined, { clock: () => new Date(now), ...options });
    return { reader, advance: (ms: number) => void (now += ms) };
  }
  const calls = () => ({
    describeClusters: ecs.commandCalls(DescribeClustersCommand).length,
    describeCapacityProviders: ecs.commandCalls(DescribeCapacityProvidersCommand).length,
    listServices: ecs.commandCalls(ListServicesCommand).length,
    describeServices: ecs.commandCalls(DescribeServicesCommand).length,
    listContainerInstances: ecs.commandCalls(ListContainerInstancesCommand).length,
  });

  beforeEach(() => {
    ecs.on(ListServicesCommand).resolves({ serviceArns: [svcArn('web'), svcArn('api')] });
    ecs.on(ListContainerInstancesCommand).resolves({ containerInstanceArns: [ciArn(1)] });
  });

  it('reads the providers and the service list once within the TTL, services every time and a known instance once', async () => {
    // Prepare
    const { reader, advance } = aReaderWithClock();
    const request = aRequest({ services: '*', ec2InstanceIds: [ID(1)] });
    const [first] = await reader.load([request]);
    advance(CLUSTER_CACHE_TTL_MS - 1);

    // Act
    const [second] = await reader.load([request]);

    // Assess: the same state, with fresh DescribeServices only (the instance directory knows ID(1))
    expect(second).toEqual(first);
    expect(second?.state.capacityProviders.map((p) => p.name)).toEqual(['spot-arm64', 'od-arm64', 'FARGATE']);
    expect(calls()).toEqual({ describeClusters: 1, describeCapacityProviders: 1, listServices: 1, describeServices: 2, listContainerInstances: 1 });
  });

  it('reads them again once the TTL has passed on the injected clock', async () => {
    const { reader, advance } = aReaderWithClock();
    await reader.load([aRequest({ services: '*' })]);
    advance(CLUSTER_CACHE_TTL_MS);

    await reader.load([aRequest({ services: '*' })]);

    expect(calls()).toMatchObject({ describeClusters: 2, describeCapacityProviders: 2, listServices: 2 });
  });

  it('keeps no service list for named services and caches each cluster on its own', async () => {
    // Prepare: staging is first seen on the second load
    ecs.on(DescribeClustersCommand).callsFake((input: { clusters: string[] }) => ({
      clusters: input.clusters.map((name) => ({ clusterName: name, status: 'ACTIVE', capacityProviders: ['spot-arm64', 'od-arm64'] })),
      failures: [],
    }));
    const { reader } = aReaderWithClock();
    await reader.load([aRequest()]);

    // Act
    await reader.load([aRequest(), aRequest({ cluster: 'staging' })]);

    // Assess
    expect(ecs.commandCalls(DescribeClustersCommand).map((c) => c.args[0].input.clusters)).toEqual([['prod'], ['staging']]);
    expect(calls()).toMatchObject({ listServices: 0, describeServices: 3 });
  });

  it.each([
    { name: 'MISSING, deleted since it was listed', answer: { services: [anEcsService('web')], failures: [{ arn: svcArn('api'), reason: 'MISSING' }] } },
    { name: 'INACTIVE, which ListServices never returns', answer: { services: [anEcsService('web'), anEcsService('api', { status: 'INACTIVE' })], failures: [] } },
  ])('lists the services again after a kept name comes back $name', async ({ answer }) => {
    // Prepare
    const { reader } = aReaderWithClock();
    await reader.load([aRequest({ services: '*' })]);
    ecs.on(DescribeServicesCommand).resolves(answer);

    // Act
    const [stale] = await reader.load([aRequest({ services: '*' })]);
    await reader.load([aRequest({ services: '*' })]);

    // Assess: the gone service is left out at once, the list is read again on the next load
    expect(stale?.state.services.map((s) => s.name)).toEqual(['web']);
    expect(calls()).toMatchObject({ listServices: 2, describeClusters: 1 });
  });

  it.each([
    {
      name: 'a container instance',
      prepare: () =>
        ecs.on(DescribeContainerInstancesCommand).resolves({ containerInstances: [aContainerInstance(1, { capacityProviderName: 'spot-x86' })] }),
    },
    {
      name: 'a service strategy',
      prepare: () =>
        ecs.on(DescribeServicesCommand).resolves({
          services: [anEcsService('web', { capacityProviderStrategy: [{ capacityProvider: 'spot-x86', base: 0, weight: 1 }] })],
        }),
    },
  ])('reads the providers again at once when $name names one the kept list lacks', async ({ prepare }) => {
    // Prepare: spot-x86 is attached after the first load (no instance directory: the same
    // instance, read afresh, names it)
    const { reader } = aReaderWithClock({ directoryTtlMs: 0 });
    const request = aRequest({ ec2InstanceIds: [ID(1)] });
    await reader.load([request]);
    ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: 'prod', status: 'ACTIVE', capacityProviders: ['spot-arm64', 'od-arm64', 'spot-x86'] }] });
    ecs.on(DescribeCapacityProvidersCommand).resolves({
      capacityProviders: ['spot-arm64', 'od-arm64', 'spot-x86'].map((name) => ({ name, autoScalingGroupProvider: { autoScalingGroupArn: `arn:asg/${name}` } })),
    });
    prepare();

    // Act
    const [snapshot] = await reader.load([request]);
    await reader.load([request]);

    // Assess: the second load sees spot-x86; the third is served from the refreshed entry
    expect(snapshot?.state.capacityProviders.map((p) => p.name)).toEqual(['spot-arm64', 'od-arm64', 'spot-x86']);
    expect(calls()).toMatchObject({ describeClusters: 2, describeCapacityProviders: 2 });
  });
});

describe('ec2InstanceFilters', () => {
  it('keeps each filter within 100 ids and 2,000 characters', () => {
    const ids = Array.from({ length: 250 }, (_, i) => ID(i));

    const filters = ec2InstanceFilters(ids);

    expect(filters.every((f) => f.length <= 2000)).toBe(true);
    expect(filters.join(' ').match(/i-[0-9a-f]{17}/g)).toHaveLength(250);
    expect(filters[0]).toMatch(/^ec2InstanceId in \[i-0{17}, i-0{16}1, /);
  });

  it('lets 100 short ids share one filter', () => {
    expect(ec2InstanceFilters(Array.from({ length: 101 }, (_, i) => `i-${String(i).padStart(8, '0')}`))).toHaveLength(2);
  });
});
