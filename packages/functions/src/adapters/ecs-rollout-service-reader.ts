import { DescribeClustersCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { RolloutInputError } from '@ecs-rebalancer/core';
import type { CapacityProviderState, DeploymentController, ServiceDeployment, ServiceState, Strategy } from '@ecs-rebalancer/core';
import { attempt } from '../errors.js';
import type { Log } from '../ports.js';
import type { RolloutDeployments, RolloutService, RolloutServiceReader } from '../rollout-ports.js';
import { readRecord } from './ecs-service-tags.js';

const CONTROLLERS: ReadonlySet<string> = new Set(['ECS', 'CODE_DEPLOY', 'EXTERNAL']);
// The two Fargate providers are the only ones whose type follows from the name; every other
// provider a cluster lists is backed by an Auto Scaling group.
const FARGATE: ReadonlySet<string> = new Set(['FARGATE', 'FARGATE_SPOT']);

/**
 * Reads one service for a rollout: DescribeServices (with tags, which hold the rebalancer's
 * record: an active fallback must stop a rollout) and DescribeClusters for the providers
 * attached to the cluster. A service or cluster that does not exist, or is being deleted, is
 * the operator's mistake: RolloutInputError, not retried.
 */
export class EcsRolloutServiceReader implements RolloutServiceReader {
  constructor(
    private readonly ecs: ECSClient,
    private readonly log?: Log,
  ) {}

  async read(cluster: string, service: string): Promise<RolloutService> {
    const [found, providers] = await Promise.all([this.describe(cluster, service), this.providers(cluster)]);
    return {
      cluster: { cluster, capacityProviders: providers },
      service: this.serviceState(cluster, found),
      serviceArn: found.serviceArn as string,
      deployments: deploymentsOf(found),
    };
  }

  async deployments(cluster: string, service: string): Promise<RolloutDeployments> {
    const found = await this.describe(cluster, service);
    const { baseline, fallbackSince } = this.serviceState(cluster, found);
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

  private async providers(cluster: string): Promise<CapacityProviderState[]> {
    const out = await attempt(`describing cluster ${cluster}`, () => this.ecs.send(new DescribeClustersCommand({ clusters: [cluster] })));
    const found = out.clusters?.find((c) => c.clusterName === cluster || c.clusterArn === cluster);
    if (!found || (found.status !== undefined && found.status !== 'ACTIVE')) {
      throw new RolloutInputError('cluster', `cluster ${cluster} does not exist (${out.failures?.[0]?.reason ?? found?.status ?? 'MISSING'})`);
    }
    return (found.capacityProviders ?? []).map((name) => ({ name, type: FARGATE.has(name) ? (name as 'FARGATE' | 'FARGATE_SPOT') : 'EC2_AUTOSCALING' }));
  }

  private serviceState(cluster: string, service: Service): ServiceState {
    const { record, problems } = readRecord(service.tags);
    for (const problem of problems) this.log?.warn('rebalancer record on service is unreadable: that part is ignored', { cluster, service: service.serviceName, problem });
    const controller = service.deploymentController?.type ?? 'ECS';
    return {
      name: service.serviceName as string,
      desiredCount: service.desiredCount ?? 0,
      runningCount: service.runningCount ?? 0,
      strategy: strategyOf(service),
      minimumHealthyPercent: service.deploymentConfiguration?.minimumHealthyPercent ?? 100,
      maximumPercent: service.deploymentConfiguration?.maximumPercent ?? 200,
      deploymentController: (CONTROLLERS.has(controller) ? controller : 'ECS') as DeploymentController,
      baseline: record.baseline,
      fallbackSince: record.fallbackSince,
      applied: record.applied,
    };
  }
}

function strategyOf(service: Service): Strategy {
  return (service.capacityProviderStrategy ?? []).map((item) => ({ capacityProvider: item.capacityProvider as string, base: item.base ?? 0, weight: item.weight ?? 0 }));
}

function deploymentsOf(service: Service): ServiceDeployment[] {
  return (service.deployments ?? []).map((d) => ({
    ...(d.id ? { id: d.id } : {}),
    status: d.status ?? 'UNKNOWN',
    ...(d.rolloutState ? { rolloutState: d.rolloutState } : {}),
    ...(d.rolloutStateReason ? { rolloutStateReason: d.rolloutStateReason } : {}),
    ...(d.desiredCount !== undefined ? { desiredCount: d.desiredCount } : {}),
    ...(d.runningCount !== undefined ? { runningCount: d.runningCount } : {}),
    ...(d.failedTasks !== undefined ? { failedTasks: d.failedTasks } : {}),
  }));
}
