// The ECS API's response shapes (AWS JSON 1.1) of the simulation's clusters, services,
// container instances and tasks: what DescribeX answers carry, as the SDK reads them.
import type { Strategy } from '@ecs-rebalancer/core';
import type { Simulation } from '../model/simulation.js';
import { FARGATE_PROVIDER_NAMES } from '../model/strategy-rules.js';
import { TaskSize, TaskStatus, taskGroup, type SimCluster, type SimInstance, type SimProvider, type SimService, type SimTask } from '../model/types.js';
import { compact, epochSeconds } from './protocol.js';

export function strategyOut(strategy: Strategy) {
  return strategy.map((i) => ({ capacityProvider: i.capacityProvider, weight: i.weight, base: i.base }));
}

export function tagsOut(tags: Map<string, string>) {
  return [...tags].map(([key, value]) => ({ key, value }));
}

export function managedScalingOut(p: SimProvider | undefined) {
  const ms = p?.managedScaling;
  return {
    status: ms?.enabled === false ? 'DISABLED' : 'ENABLED',
    targetCapacity: ms?.targetCapacity ?? 100,
    minimumScalingStepSize: ms?.minimumScalingStepSize ?? 1,
    maximumScalingStepSize: ms?.maximumScalingStepSize ?? 10000,
    instanceWarmupPeriod: ms?.instanceWarmupPeriod ?? 300,
  };
}

export function instanceAttributes(inst: SimInstance): Record<string, string> {
  return {
    'ecs.availability-zone': inst.availabilityZone,
    'ecs.instance-type': inst.instanceType,
    'ecs.cpu-architecture': inst.architecture,
    'ecs.os-type': 'linux',
    'ecs.capability.task-eni': 'true',
  };
}

export function instanceOut(sim: Simulation, inst: SimInstance, withTags: boolean) {
  const counts = sim.instanceCounts(inst);
  const used = counts.running + counts.pending;
  const cpuPerSlot = 512;
  const memPerSlot = 1920;
  const resources = (slots: number) => [
    { name: 'CPU', type: 'INTEGER', doubleValue: 0, longValue: 0, integerValue: slots * cpuPerSlot },
    { name: 'MEMORY', type: 'INTEGER', doubleValue: 0, longValue: 0, integerValue: slots * memPerSlot },
  ];
  return compact({
    containerInstanceArn: inst.arn,
    ec2InstanceId: inst.ec2InstanceId,
    capacityProviderName: inst.provider ?? undefined,
    version: 1,
    versionInfo: { agentVersion: '1.89.0', agentHash: 'simulated', dockerVersion: 'DockerVersion: 25.0.8' },
    remainingResources: resources(Math.max(0, inst.slots - used)),
    registeredResources: resources(inst.slots),
    status: inst.status,
    agentConnected: inst.agentConnected,
    runningTasksCount: counts.running,
    pendingTasksCount: counts.pending,
    attributes: Object.entries(instanceAttributes(inst)).map(([name, value]) => ({ name, value })),
    registeredAt: epochSeconds(inst.registeredAt),
    attachments: [],
    tags: withTags ? [] : undefined,
  });
}

export function serviceOut(sim: Simulation, cluster: SimCluster, svc: SimService, withTags: boolean) {
  const counts = sim.serviceCounts(svc);
  const taskDefinition = sim.arns.taskDefinition(svc.name, 1);
  return compact({
    serviceArn: svc.arn,
    serviceName: svc.name,
    clusterArn: cluster.arn,
    loadBalancers: [],
    serviceRegistries: [],
    status: 'ACTIVE',
    desiredCount: svc.desiredCount,
    runningCount: counts.running,
    pendingCount: counts.pending,
    capacityProviderStrategy: strategyOut(svc.strategy),
    taskDefinition,
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: svc.maximumPercent,
      minimumHealthyPercent: svc.minimumHealthyPercent,
    },
    deployments: svc.deployments.map((d, i) => {
      const dc = sim.serviceCounts(svc, d.id);
      return {
        id: d.id,
        status: d.status,
        taskDefinition,
        desiredCount: i === 0 ? svc.desiredCount : dc.running + dc.pending,
        pendingCount: dc.pending,
        runningCount: dc.running,
        failedTasks: d.failedTasks,
        createdAt: epochSeconds(d.createdAt),
        updatedAt: epochSeconds(d.updatedAt),
        capacityProviderStrategy: strategyOut(d.strategy),
        rolloutState: d.rolloutState,
        rolloutStateReason: d.rolloutStateReason,
      };
    }),
    events: [],
    createdAt: epochSeconds(svc.createdAt),
    placementConstraints: [],
    placementStrategy: [],
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: svc.deploymentController },
    tags: withTags ? tagsOut(svc.tags) : undefined,
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: false,
    availabilityZoneRebalancing: 'DISABLED',
  });
}

export function taskOut(sim: Simulation, cluster: SimCluster, task: SimTask) {
  const inst = task.instanceId ? cluster.instances.get(task.instanceId) : undefined;
  const fargate = FARGATE_PROVIDER_NAMES.has(task.provider);
  return compact({
    taskArn: task.arn,
    clusterArn: cluster.arn,
    taskDefinitionArn: sim.arns.taskDefinition(task.service ?? 'standalone', 1),
    containerInstanceArn: inst?.arn,
    capacityProviderName: task.provider,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    launchType: fargate ? 'FARGATE' : 'EC2',
    group: taskGroup(task),
    startedBy: task.deploymentId,
    availabilityZone: task.availabilityZone,
    cpu: (fargate ? TaskSize.Fargate : TaskSize.Ec2).cpu,
    memory: (fargate ? TaskSize.Fargate : TaskSize.Ec2).memory,
    createdAt: epochSeconds(task.createdAt),
    startedAt: task.startedAt === undefined ? undefined : epochSeconds(task.startedAt),
    stoppedAt: task.stoppedAt === undefined ? undefined : epochSeconds(task.stoppedAt),
    stoppingAt: task.stoppedAt === undefined ? undefined : epochSeconds(task.stoppedAt),
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    healthStatus: 'UNKNOWN',
    connectivity: task.lastStatus === TaskStatus.Running ? 'CONNECTED' : undefined,
    version: 1,
    containers: [],
    attachments: [],
    tags: [],
  });
}

export function clusterOut(sim: Simulation, cluster: SimCluster, withTags: boolean) {
  let running = 0;
  let pending = 0;
  for (const t of cluster.live.values()) {
    if (t.lastStatus === TaskStatus.Running) running++;
    else if (t.lastStatus !== TaskStatus.Stopped) pending++;
  }
  return compact({
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: 'ACTIVE',
    registeredContainerInstancesCount: [...cluster.instances.values()].filter((i) => i.status !== 'INACTIVE').length,
    runningTasksCount: running,
    pendingTasksCount: pending,
    activeServicesCount: cluster.services.size,
    statistics: [],
    tags: withTags ? tagsOut(cluster.tags) : undefined,
    settings: [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: [...cluster.providers],
    defaultCapacityProviderStrategy: strategyOut(cluster.defaultStrategy),
    attachments: [],
  });
}
