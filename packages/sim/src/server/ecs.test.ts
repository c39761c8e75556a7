import {
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  ListTasksCommand,
  PutClusterCapacityProvidersCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateContainerInstancesStateCommand,
  UpdateServiceCommand,
  paginateListContainerInstances,
} from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulation, type Simulation, type SimulationOptions } from '../model/simulation.js';
import { aCluster, aService, instances, onDemandOnly } from '../test-support/builders.js';
import { startSimServer, type SimServer } from './server.js';

let server: SimServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Partial<SimulationOptions> = {}): Promise<{ sim: Simulation; ecs: ECSClient }> {
  const sim = createSimulation({ clusters: [aCluster()], ...options });
  server = await startSimServer(sim);
  const ecs = new ECSClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  return { sim, ecs };
}

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('ECS over the wire', () => {
  it('shows tasks placed by strategy through ListTasks / DescribeTasks', async () => {
    // Prepare
    const { ecs } = await start();

    // Act
    const listed = await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'web' }));
    const described = await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: listed.taskArns ?? [] }));

    // Assess
    const byProvider: Record<string, number> = {};
    for (const t of described.tasks ?? []) byProvider[t.capacityProviderName ?? '?'] = (byProvider[t.capacityProviderName ?? '?'] ?? 0) + 1;
    expect(byProvider).toEqual({ spot: 6, od: 4 });
    expect(described.tasks?.[0]).toMatchObject({
      lastStatus: 'RUNNING',
      group: 'service:web',
      containerInstanceArn: expect.stringMatching(/^arn:aws:ecs:us-east-1:123456789012:container-instance\/prod\/\w+$/),
      taskArn: expect.stringMatching(/^arn:aws:ecs:us-east-1:123456789012:task\/prod\/[0-9a-f]{32}$/),
    });
    expect(described.tasks?.[0]?.createdAt).toBeInstanceOf(Date);
  });

  it('describes the service with its strategy, deployments and tags', async () => {
    const { ecs } = await start({ serviceTags: () => ({ 'rebalancer:baseline': 'spot:0:3/od:2:1' }) });
    const out = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web', 'ghost'], include: ['TAGS'] }));
    expect(out.services?.[0]).toMatchObject({
      serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
      serviceName: 'web',
      desiredCount: 10,
      runningCount: 10,
      capacityProviderStrategy: [
        { capacityProvider: 'spot', base: 0, weight: 3 },
        { capacityProvider: 'od', base: 2, weight: 1 },
      ],
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
      deploymentController: { type: 'ECS' },
      deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 10 }],
      tags: [{ key: 'rebalancer:baseline', value: 'spot:0:3/od:2:1' }],
    });
    expect(out.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/ghost', reason: 'MISSING' }]);
  });

  it('rejects DescribeServices with more than 10 services', async () => {
    const { ecs } = await start();
    const error = await rejection(ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: Array.from({ length: 11 }, (_, i) => `s${i}`) })));
    expect(error.name).toBe('InvalidParameterException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('answers ClusterNotFoundException for an unknown cluster', async () => {
    const { ecs } = await start();
    const error = await rejection(ecs.send(new ListServicesCommand({ cluster: 'staging' })));
    expect(error.name).toBe('ClusterNotFoundException');
  });

  it('rejects a strategy change without forceNewDeployment, and an invalid strategy', async () => {
    const { ecs } = await start();
    const noForce = await rejection(ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', capacityProviderStrategy: onDemandOnly })));
    const invalid = await rejection(
      ecs.send(
        new UpdateServiceCommand({
          cluster: 'prod',
          service: 'web',
          forceNewDeployment: true,
          capacityProviderStrategy: [
            { capacityProvider: 'spot', base: 1, weight: 1 },
            { capacityProvider: 'od', base: 1, weight: 1 },
          ],
        }),
      ),
    );
    const missing = await rejection(ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'api', forceNewDeployment: true })));
    expect([noForce.name, invalid.name, missing.name]).toEqual(['InvalidParameterException', 'InvalidParameterException', 'ServiceNotFoundException']);
    expect(noForce.message).toMatch(/you must force a new deployment/);
  });

  it('runs a forced deployment to COMPLETED over virtual time', async () => {
    // Prepare
    const { sim, ecs } = await start();

    // Act
    const updated = await ecs.send(
      new UpdateServiceCommand({ cluster: 'prod', service: 'web', capacityProviderStrategy: onDemandOnly, forceNewDeployment: true }),
    );
    sim.advance(60);
    const after = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));

    // Assess
    expect(updated.service?.deployments?.map((d) => [d.status, d.rolloutState])).toEqual([
      ['PRIMARY', 'IN_PROGRESS'],
      ['ACTIVE', 'COMPLETED'],
    ]);
    expect(after.services?.[0]?.deployments).toMatchObject([{ status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 10, capacityProviderStrategy: onDemandOnly }]);
    expect(after.services?.[0]?.capacityProviderStrategy).toEqual(onDemandOnly);
  });

  it('filters container instances with !in, != and task:group over the wire', async () => {
    // Prepare: web's 10 tasks (6 spot, 4 od) on 3 spot and 5 od instances, so some od instances are empty.
    const containerInstances = instances('prod', 'spot', 3).concat(instances('prod', 'od', 5));
    const { sim, ecs } = await start({ clusters: [aCluster({ containerInstances })] });
    const empty = [...sim.cluster('prod').instances.values()].filter((i) => sim.instanceCounts(i).running === 0).map((i) => i.id).sort();
    const names = (arns: string[] | undefined) => (arns ?? []).map((a) => a.split('/').pop()).sort();
    const list = async (filter: string) => names((await ecs.send(new ListContainerInstancesCommand({ cluster: 'prod', filter }))).containerInstanceArns);

    // Act
    const notIn = await list('ec2InstanceId !in [i-spot0000, i-spot0001, i-spot0002]');
    const notEqualAnd = await list("ec2InstanceId != i-od0000 and attribute:ecs.availability-zone == 'us-east-1a'");
    const idle = await list('not(task:group == service:web)');
    const badOperator = await rejection(ecs.send(new ListContainerInstancesCommand({ cluster: 'prod', filter: 'ec2InstanceId > i-a' })));

    // Assess
    expect(notIn).toEqual(['od0000', 'od0001', 'od0002', 'od0003', 'od0004']);
    expect(notEqualAnd).toEqual(['od0003', 'spot0000']);
    expect(empty).toHaveLength(1);
    expect(idle).toEqual(empty);
    expect(badOperator.name).toBe('InvalidParameterException');
  });

  it('shows a Fargate Spot task under its termination notice, then STOPPED, through DescribeTasks', async () => {
    // Prepare
    const fargate = aCluster({
      capacityProviders: [{ name: 'FARGATE_SPOT', type: 'FARGATE_SPOT' }],
      services: [aService({ desiredCount: 2, runningCount: 2, strategy: [{ capacityProvider: 'FARGATE_SPOT', base: 0, weight: 1 }] })],
      containerInstances: [],
    });
    const { sim, ecs } = await start({ clusters: [fargate] });
    const [notice] = sim.interrupt('prod', 'FARGATE_SPOT', 1);
    const taskArn = notice!.resources[0]!;

    // Act
    const during = await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [taskArn] }));
    sim.advance(120);
    const after = await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [taskArn] }));

    // Assess
    const common = { taskArn, launchType: 'FARGATE', capacityProviderName: 'FARGATE_SPOT', group: 'service:web', desiredStatus: 'STOPPED', stopCode: 'TerminationNotice', stoppedReason: 'Your Spot Task was interrupted.', cpu: '512', memory: '1024' };
    expect(during.tasks).toMatchObject([{ ...common, lastStatus: 'RUNNING' }]);
    expect(after.tasks).toMatchObject([{ ...common, lastStatus: 'STOPPED' }]);
    expect(after.tasks?.[0]?.stoppedAt).toEqual(new Date('2025-01-01T00:02:00.000Z'));
  });

  it('finds container instances by EC2 id with the cluster query language and paginates', async () => {
    const { ecs } = await start({ clusters: [aCluster({ containerInstances: instances('prod', 'spot', 5).concat(instances('prod', 'od', 3)) })] });

    const byIn = await ecs.send(new ListContainerInstancesCommand({ cluster: 'prod', filter: 'ec2InstanceId in [i-spot0001, i-od0002, i-nothere]' }));
    const byEq = await ecs.send(new ListContainerInstancesCommand({ cluster: 'prod', filter: 'ec2InstanceId == i-spot0004' }));
    const arns: string[] = [];
    let pages = 0;
    for await (const page of paginateListContainerInstances({ client: ecs, pageSize: 3 }, { cluster: 'prod' })) {
      pages++;
      arns.push(...(page.containerInstanceArns ?? []));
    }
    const badFilter = await rejection(ecs.send(new ListContainerInstancesCommand({ cluster: 'prod', filter: 'ec2InstanceId in [i-a' })));
    const badMax = await rejection(ecs.send(new ListContainerInstancesCommand({ cluster: 'prod', maxResults: 101 })));

    expect(byIn.containerInstanceArns).toEqual([
      'arn:aws:ecs:us-east-1:123456789012:container-instance/prod/spot0001',
      'arn:aws:ecs:us-east-1:123456789012:container-instance/prod/od0002',
    ]);
    expect(byEq.containerInstanceArns).toEqual(['arn:aws:ecs:us-east-1:123456789012:container-instance/prod/spot0004']);
    expect(pages).toBe(3);
    expect(new Set(arns).size).toBe(8);
    expect([badFilter.name, badMax.name]).toEqual(['InvalidParameterException', 'InvalidParameterException']);
  });

  it('filters ListContainerInstances by status and describes instances with failures for unknown ones', async () => {
    const { ecs } = await start();
    await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: 'prod', containerInstances: ['spot0000'], status: 'DRAINING' }));
    const draining = await ecs.send(new ListContainerInstancesCommand({ cluster: 'prod', status: 'DRAINING' }));
    const described = await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'prod', containerInstances: [...(draining.containerInstanceArns ?? []), 'ghost'] }));
    expect(described.containerInstances).toMatchObject([
      {
        ec2InstanceId: 'i-spot0000',
        status: 'DRAINING',
        capacityProviderName: 'spot',
        attributes: expect.arrayContaining([{ name: 'ecs.availability-zone', value: 'us-east-1a' }, { name: 'ecs.cpu-architecture', value: 'arm64' }]),
      },
    ]);
    expect(described.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/prod/ghost', reason: 'MISSING' }]);
  });

  it('drains through UpdateContainerInstancesState: at most 10 per call, failures per instance', async () => {
    const { sim, ecs } = await start({ clusters: [aCluster({ containerInstances: instances('prod', 'spot', 8).concat(instances('prod', 'od', 4)) })] });
    const all = sim.clusterState('prod').containerInstances.map((c) => c.arn);

    const tooMany = await rejection(ecs.send(new UpdateContainerInstancesStateCommand({ cluster: 'prod', containerInstances: all.slice(0, 11), status: 'DRAINING' })));
    const out = await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: 'prod', containerInstances: [all[0]!, 'i-not-an-instance'], status: 'DRAINING' }));
    sim.advance(30);
    const onDrained = await ecs.send(new ListTasksCommand({ cluster: 'prod', containerInstance: all[0]! }));

    expect(tooMany.name).toBe('InvalidParameterException');
    expect(out.containerInstances?.map((c) => c.status)).toEqual(['DRAINING']);
    expect(out.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/prod/i-not-an-instance', reason: 'MISSING' }]);
    expect(onDrained.taskArns).toEqual([]);
    expect(sim.report().apiCalls.UpdateContainerInstancesState).toBe(2);
  });

  it('throttles by bucket on the virtual clock and the SDK names it ThrottlingException', async () => {
    // Prepare: service writes allow 50 at once, then 5 per second.
    const { sim, ecs } = await start();
    const tag = () => ecs.send(new TagResourceCommand({ resourceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web', tags: [{ key: 'k', value: 'v' }] }));

    // Act
    for (let i = 0; i < 50; i++) await tag();
    const throttled = await rejection(tag());
    const readStillWorks = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    sim.advance(0.2);
    await tag();
    const again = await rejection(tag());

    // Assess
    expect(throttled.name).toBe('ThrottlingException');
    expect(throttled.message).toBe('Rate exceeded');
    expect(throttled.$metadata?.httpStatusCode).toBe(400);
    expect(readStillWorks.services).toHaveLength(1);
    expect(again.name).toBe('ThrottlingException');
    const report = sim.report();
    expect(report.apiCalls.TagResource).toBe(53);
    expect(report.throttled).toBe(2);
    expect(report.throttledByAction).toEqual({ TagResource: 2 });
  });

  it('throttles PutClusterCapacityProviders at 20 burst and 1 per second', async () => {
    const { sim, ecs } = await start();
    const put = () =>
      ecs.send(
        new PutClusterCapacityProvidersCommand({
          cluster: 'prod',
          capacityProviders: ['spot', 'od'],
          defaultCapacityProviderStrategy: [{ capacityProvider: 'od', base: 0, weight: 1 }],
        }),
      );
    for (let i = 0; i < 20; i++) await put();
    expect((await rejection(put())).name).toBe('ThrottlingException');
    sim.advance(1);
    const out = await put();
    expect(out.cluster?.defaultCapacityProviderStrategy).toEqual([{ capacityProvider: 'od', base: 0, weight: 1 }]);
    const clusters = await ecs.send(new DescribeClustersCommand({ clusters: ['prod', 'nope'] }));
    expect(clusters.clusters?.[0]).toMatchObject({ clusterName: 'prod', capacityProviders: ['spot', 'od'], registeredContainerInstancesCount: 6, runningTasksCount: 10 });
    expect(clusters.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/nope', reason: 'MISSING' }]);
  });

  it('refuses to detach a provider a service uses', async () => {
    const { ecs } = await start();
    const error = await rejection(
      ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'prod', capacityProviders: ['od'], defaultCapacityProviderStrategy: [] })),
    );
    expect(error.name).toBe('ResourceInUseException');
  });

  it('enforces ECS tag limits and round-trips tags', async () => {
    const { ecs } = await start();
    const resourceArn = 'arn:aws:ecs:us-east-1:123456789012:service/prod/web';
    const rows = [
      { name: 'key over 128 characters', tags: [{ key: 'k'.repeat(129), value: 'v' }] },
      { name: 'value over 256 characters', tags: [{ key: 'k', value: 'v'.repeat(257) }] },
      { name: 'JSON in a value', tags: [{ key: 'baseline', value: '[{"capacityProvider":"spot"}]' }] },
      { name: 'aws: prefix', tags: [{ key: 'aws:x', value: 'v' }] },
    ];
    for (const row of rows) {
      const error = await rejection(ecs.send(new TagResourceCommand({ resourceArn, tags: row.tags })));
      expect(error.name, row.name).toBe('InvalidParameterException');
    }
    await ecs.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'rebalancer:baseline', value: 'spot=0:3 od=2:1' }, { key: 'gone', value: '' }] }));
    await ecs.send(new UntagResourceCommand({ resourceArn, tagKeys: ['gone'] }));
    const listed = await ecs.send(new ListTagsForResourceCommand({ resourceArn }));
    const unknown = await rejection(ecs.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/ghost' })));
    expect(listed.tags).toEqual([{ key: 'rebalancer:baseline', value: 'spot=0:3 od=2:1' }]);
    expect(unknown.name).toBe('ResourceNotFoundException');
  });

  it('lists services with pagination (default page 10)', async () => {
    const services = Array.from({ length: 12 }, (_, i) => aService({ name: `svc${i}`, desiredCount: 0, runningCount: 0 }));
    const { ecs } = await start({ clusters: [aCluster({ services })] });
    const first = await ecs.send(new ListServicesCommand({ cluster: 'prod' }));
    const second = await ecs.send(new ListServicesCommand({ cluster: 'prod', nextToken: first.nextToken }));
    const badToken = await rejection(ecs.send(new ListServicesCommand({ cluster: 'prod', nextToken: 'xyz' })));
    expect(first.serviceArns).toHaveLength(10);
    expect(second.serviceArns).toEqual([
      'arn:aws:ecs:us-east-1:123456789012:service/prod/svc10',
      'arn:aws:ecs:us-east-1:123456789012:service/prod/svc11',
    ]);
    expect(second.nextToken).toBeUndefined();
    expect(badToken.name).toBe('InvalidParameterException');
  });

  it('describes capacity providers, Fargate included', async () => {
    const { ecs } = await start();
    const out = await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ['spot', 'FARGATE', 'ghost'] }));
    expect(out.capacityProviders?.map((p) => [p.name, p.autoScalingGroupProvider?.managedScaling?.status])).toEqual([
      ['spot', 'ENABLED'],
      ['FARGATE', undefined],
    ]);
    expect(out.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:capacity-provider/ghost', reason: 'MISSING' }]);
  });
});
