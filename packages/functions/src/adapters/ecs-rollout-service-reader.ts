import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { RolloutInputError } from '@ecs-rebalancer/core';
import { attempt } from '../errors.js';
import type { Log } from '../ports.js';
import type { RolloutDeployments, RolloutService, RolloutServiceReader } from '../rollout-ports.js';
import { EcsClusterReader } from './ecs-cluster-reader.js';
import { deploymentsOf, serviceStateOf, strategyOf } from './ecs-cluster-state.js';

/**
 * Reads one service for a rollout with the cluster reader's own mapping (serviceStateOf) and
 * provider reading (EcsClusterReader.capacityProviders: DescribeClusters and
 * DescribeCapacityProviders, so a Managed Instances provider and its `capacityOptionType` are
 * what the plan sees): DescribeServices with tags, which hold the rebalancer's record (an
 * active fallback must stop a rollout). A service or cluster that does not exist, or is being
 * deleted, and a record that cannot be read (the cluster reader leaves such a service alone
 * too) are the operator's to fix: RolloutInputError, not retried.
 */
export class EcsRolloutServiceReader implements RolloutServiceReader {
  private readonly clusters: EcsClusterReader;

  constructor(
    private readonly ecs: ECSClient,
    private readonly log?: Log,
  ) {
    this.clusters = new EcsClusterReader(ecs, log);
  }

  async read(cluster: string, service: string): Promise<RolloutService> {
    const [found, providers] = await Promise.all([this.describe(cluster, service), this.clusters.capacityProviders(cluster)]);
    if (providers === undefined) throw new RolloutInputError('cluster', `cluster ${cluster} does not exist or is INACTIVE`);
    return { cluster: { cluster, capacityProviders: providers }, service: this.stateOf(cluster, found), serviceArn: found.serviceArn as string, deployments: deploymentsOf(found) };
  }

  async deployments(cluster: string, service: string): Promise<RolloutDeployments> {
    const found = await this.describe(cluster, service);
    const { baseline, fallbackSince } = this.stateOf(cluster, found);
    return { serviceArn: found.serviceArn as string, strategy: strategyOf(found), deployments: deploymentsOf(found), baseline, fallbackSince };
  }

  private async describe(cluster: string, service: string): Promise<Service> {
    const out = await attempt(`describing service ${service} in ${cluster}`, () =>
      this.ecs.send(new DescribeServicesCommand({ cluster, services: [service], include: ['TAGS'] })),
    );
    const found = out.services?.find((s) => s.serviceName === service || s.serviceArn === service);
    if (!found?.serviceArn || (found.status !== undefined && found.status !== 'ACTIVE')) {
      const why = out.failures?.[0]?.reason ?? found?.status ?? 'MISSING';
      throw new RolloutInputError('service', `service ${service} in cluster ${cluster} cannot be rolled out (${why})`);
    }
    return found;
  }

  private stateOf(cluster: string, service: Service): RolloutService['service'] {
    const { state, problems } = serviceStateOf(service);
    if (problems.length > 0) {
      this.log?.warn('rebalancer record on service is unreadable: no rollout', { cluster, service: service.serviceName, problems });
      throw new RolloutInputError('service', `the rebalancer's record on service ${state.name} in ${cluster} is unreadable (${problems.join('; ')}): fix or remove the ecs-rebalancer:* tags first`);
    }
    return state;
  }
}
