// How ECS's answers map onto ClusterState: providers, container instances and what a load
// proves about the kept provider list. Pure functions of the SDK's shapes.
import type { CapacityProvider, ContainerInstance, Service } from '@aws-sdk/client-ecs';
import type { CapacityProviderState, ContainerInstanceState, DeploymentController, InstanceStatus, ProviderType, ServiceDeployment, ServiceState, Strategy } from '@ecs-rebalancer/core';
import { readRecord } from './ecs-service-tags.js';

// One EC2 instance runs at most one container instance per cluster, so 100 ids fill at most
// one page. ECS documents a 2,000-character limit for cluster query expressions (placement
// constraints); the filter is kept under it too.
const FILTER_MAX_IDS = 100;
const FILTER_MAX_LENGTH = 2000;
const INSTANCE_STATUSES: ReadonlySet<string> = new Set(['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED', 'INACTIVE']);
const ARCHITECTURES: ReadonlySet<string> = new Set(['x86_64', 'arm64']);
const OPTION_TYPES: ReadonlySet<string> = new Set(['ON_DEMAND', 'SPOT', 'RESERVED']);
const CONTROLLERS: ReadonlySet<string> = new Set(['ECS', 'CODE_DEPLOY', 'EXTERNAL']);

/**
 * One service of DescribeServices (with its tags) as ClusterState holds it: the one mapping
 * the cluster reader and the rollout share. The rebalancer's record comes from the tags
 * (ecs-service-tags.ts); `problems` says what of it could not be read (the caller decides:
 * the cluster reader blocks the service, a rollout refuses it).
 */
export function serviceStateOf(service: Service): { state: ServiceState; problems: string[] } {
  const { record, problems } = readRecord(service.tags);
  const controller = service.deploymentController?.type ?? 'ECS';
  const state: ServiceState = {
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
    // The record's phase and history (reliability, issue 9): the core reads them for stale
    // ALARMs after a restore, pending steps, and minSeconds doubling.
    ...(record.phase !== undefined && { fallbackPhase: record.phase }),
    ...(record.lastRestoredAt !== undefined && { lastRestoredAt: record.lastRestoredAt }),
    ...(record.recentFallbacks !== undefined && { recentFallbacks: record.recentFallbacks }),
  };
  return { state, problems };
}

/** A service's capacity provider strategy (ECS leaves base and weight out when 0). */
export function strategyOf(service: Service): Strategy {
  return (service.capacityProviderStrategy ?? []).map((item) => ({ capacityProvider: item.capacityProvider as string, base: item.base ?? 0, weight: item.weight ?? 0 }));
}

/** A service's deployments as a rollout waits on them. */
export function deploymentsOf(service: Service): ServiceDeployment[] {
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

/** One provider of DescribeCapacityProviders as ClusterState holds it. */
export function providerState(provider: CapacityProvider): CapacityProviderState {
  const name = provider.name as string;
  const declared = (provider as { type?: string }).type;
  if (declared === 'FARGATE' || declared === 'FARGATE_SPOT') return { name, type: declared };
  if (declared === 'MANAGED_INSTANCES' || provider.managedInstancesProvider !== undefined) {
    const option = provider.managedInstancesProvider?.instanceLaunchTemplate?.capacityOptionType;
    return { name, type: 'MANAGED_INSTANCES' as ProviderType, ...(option && OPTION_TYPES.has(option) ? { capacityOptionType: option } : {}) } as CapacityProviderState;
  }
  const groupArn = provider.autoScalingGroupProvider?.autoScalingGroupArn;
  const group = groupArn?.includes('autoScalingGroupName/') ? groupArn.slice(groupArn.lastIndexOf('autoScalingGroupName/') + 'autoScalingGroupName/'.length) : undefined;
  return { name, type: 'EC2_AUTOSCALING', ...(group ? { autoScalingGroup: group } : {}) } as CapacityProviderState;
}

/**
 * A provider's architecture, when every instance of it this load read reports the same
 * `ecs.cpu-architecture` (ECS sets the attribute on registration); otherwise unknown, and the
 * core does not refuse a move for it.
 */
export function withArchitectures(providers: readonly CapacityProviderState[], instances: readonly ContainerInstanceState[], architectures: ReadonlyMap<string, string>): CapacityProviderState[] {
  const seen = new Map<string, Set<string>>();
  for (const i of instances) {
    const arch = architectures.get(i.arn);
    if (i.capacityProvider === null || arch === undefined) continue;
    seen.set(i.capacityProvider, (seen.get(i.capacityProvider) ?? new Set()).add(arch));
  }
  return providers.map((p) => {
    const archs = seen.get(p.name);
    const only = archs?.size === 1 ? [...archs][0]! : undefined;
    return only !== undefined && ARCHITECTURES.has(only) ? ({ ...p, architecture: only } as CapacityProviderState) : p;
  });
}

export function instanceState(ci: ContainerInstance): ContainerInstanceState[] {
  // ECS Anywhere instances (mi-…) have no EC2 id and never receive EC2 events.
  if (!ci.containerInstanceArn || !ci.ec2InstanceId || !ci.status || !INSTANCE_STATUSES.has(ci.status)) return [];
  const attribute = (name: string): string | undefined => ci.attributes?.find((a) => a.name === name)?.value;
  const availabilityZone = attribute('ecs.availability-zone');
  const instanceType = attribute('ecs.instance-type');
  return [
    {
      arn: ci.containerInstanceArn,
      ec2InstanceId: ci.ec2InstanceId,
      capacityProvider: ci.capacityProviderName ?? null,
      status: ci.status as InstanceStatus,
      runningTasks: ci.runningTasksCount ?? 0,
      ...(availabilityZone ? { availabilityZone } : {}),
      ...(instanceType ? { instanceType } : {}),
    },
  ];
}

/**
 * True when the services or the instances name a provider the list lacks: a provider must be
 * attached to the cluster before a strategy or an instance can use it.
 */
export function namesUnknownProvider(
  providers: readonly CapacityProviderState[],
  services: readonly { state: ServiceState }[],
  instances: readonly ContainerInstanceState[],
): boolean {
  const attached = new Set(providers.map((p) => p.name));
  return (
    instances.some((i) => i.capacityProvider !== null && !attached.has(i.capacityProvider)) ||
    services.some((s) => s.state.strategy.some((item) => !attached.has(item.capacityProvider)))
  );
}

/**
 * True for the long service ARN format, `arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME`.
 * ECS tags only resources with long ARNs: a service created before its account (or the role
 * that created it) opted in to `serviceLongArnFormat` has `service/NAME` and cannot carry the
 * rebalancer's record.
 */
export function isLongServiceArn(arn: string): boolean {
  return /:service\/[^/]+\/[^/]+$/.test(arn);
}

/** Why a service with a short ARN is never changed: TagResource would fail on every retry. */
export function shortArnReason(service: string): string {
  return (
    `service ${service} uses the short ARN format; opt in to the long format (aws ecs put-account-setting --name serviceLongArnFormat) ` +
    'so the rebalancer can keep its record (the setting applies to services created after it: recreate the service)'
  );
}

/**
 * `ec2InstanceId in [i-a, i-b]` filters covering the ids, each with at most 100 ids and 2,000
 * characters.
 */
export function ec2InstanceFilters(ids: readonly string[]): string[] {
  const filters: string[] = [];
  let current: string[] = [];
  const render = (list: readonly string[]): string => `ec2InstanceId in [${list.join(', ')}]`;
  for (const id of new Set(ids)) {
    if (current.length > 0 && (current.length >= FILTER_MAX_IDS || render([...current, id]).length > FILTER_MAX_LENGTH)) {
      filters.push(render(current));
      current = [];
    }
    current.push(id);
  }
  if (current.length > 0) filters.push(render(current));
  return filters;
}

/** The last `/`-separated part of an ECS ARN (a service's or a container instance's id). */
export function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
