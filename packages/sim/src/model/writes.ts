import type { Strategy } from '@ecs-rebalancer/core';
import { SimApiError, invalidParameter } from '../errors.js';
import { startDeployment } from './deployments.js';
import { newProvider } from './loading.js';
import { findCluster, findService } from './lookups.js';
import type { ServiceUpdate } from './options.js';
import { reconcile } from './scheduler.js';
import { FARGATE_PROVIDER_NAMES, strategiesEqual, strategyRejection } from './strategy-rules.js';
import type { SimCluster, SimService } from './types.js';
import type { SimWorld } from './world.js';

/**
 * UpdateService as ECS applies it. A strategy change needs `forceNewDeployment: true`;
 * services whose deployment controller is not ECS refuse strategy changes and forced
 * deployments; an empty strategy means the cluster's default. A new strategy or a forced
 * deployment starts a rolling deployment; desiredCount and the healthy percents change in
 * place.
 */
export function updateService(w: SimWorld, clusterName: string | undefined, serviceName: string, update: ServiceUpdate): SimService {
  const cluster = findCluster(w, clusterName);
  const svc = findService(cluster, serviceName);
  if (!svc) throw new SimApiError('ServiceNotFoundException', 'Service not found.');
  let strategy: Strategy | undefined;
  if (update.capacityProviderStrategy) {
    strategy = update.capacityProviderStrategy.length > 0 ? update.capacityProviderStrategy : cluster.defaultStrategy;
    const rejection = strategyRejection(strategy, cluster.providers);
    if (rejection) throw invalidParameter(rejection);
    if (strategy.length === 0) throw invalidParameter('The cluster has no default capacity provider strategy.');
  }
  const strategyChanged = strategy !== undefined && !strategiesEqual(strategy, svc.strategy);
  if (svc.deploymentController !== 'ECS' && (strategyChanged || update.forceNewDeployment)) {
    throw invalidParameter(
      `Unable to update the capacity provider strategy or force a new deployment on a service with the ${svc.deploymentController} deployment controller.`,
    );
  }
  if (strategyChanged && !update.forceNewDeployment) {
    throw invalidParameter(
      'When switching from launch type to capacity provider strategy on an existing service, or making a change to a capacity provider strategy on a service that is already using one, you must force a new deployment.',
    );
  }
  if (update.desiredCount !== undefined && (!Number.isInteger(update.desiredCount) || update.desiredCount < 0)) {
    throw invalidParameter('desiredCount must be a non-negative integer.');
  }
  const minPct = update.minimumHealthyPercent ?? svc.minimumHealthyPercent;
  const maxPct = update.maximumPercent ?? svc.maximumPercent;
  if (update.minimumHealthyPercent !== undefined && (!Number.isInteger(minPct) || minPct < 0 || minPct > 100)) {
    throw invalidParameter('minimumHealthyPercent must be between 0 and 100.');
  }
  if (update.maximumPercent !== undefined && (!Number.isInteger(maxPct) || maxPct < 100)) {
    throw invalidParameter('maximumPercent must be at least 100.');
  }

  svc.dirty = true;
  if (update.desiredCount !== undefined) svc.desiredCount = update.desiredCount;
  svc.minimumHealthyPercent = minPct;
  svc.maximumPercent = maxPct;
  if (strategyChanged || update.forceNewDeployment) {
    const next = strategy ?? svc.strategy;
    const deployment = startDeployment(w, cluster, svc, next, 'ECS deployment in progress.');
    if (strategyChanged) {
      w.strategyChanges.push({
        time: w.now(),
        cluster: cluster.name,
        service: svc.name,
        strategy: svc.strategy.map((i) => ({ ...i })),
        deploymentId: deployment.id,
      });
    }
  }
  reconcile(w);
  return svc;
}

/**
 * PutClusterCapacityProviders: replaces the cluster's provider list and default strategy
 * (the full list every time). A provider a service's strategy uses cannot be removed; an
 * unknown provider is rejected. Existing services are not touched.
 */
export function putClusterCapacityProviders(w: SimWorld, clusterName: string | undefined, providers: string[], defaultStrategy: Strategy): SimCluster {
  const cluster = findCluster(w, clusterName);
  for (const name of providers) {
    if (FARGATE_PROVIDER_NAMES.has(name) || cluster.providerState.has(name)) continue;
    const owner = [...w.clusters.values()].find((c) => c.providerState.has(name));
    if (owner) throw new SimApiError('ResourceInUseException', `The specified capacity provider ${name} is in use by another cluster.`);
    throw invalidParameter(`The specified capacity provider ${name} does not exist.`);
  }
  for (const name of cluster.providers) {
    if (providers.includes(name)) continue;
    const user = [...cluster.services.values()].find((s) => s.strategy.some((i) => i.capacityProvider === name));
    if (user) throw new SimApiError('ResourceInUseException', `The specified capacity provider ${name} is in use and cannot be removed.`);
  }
  const rejection = strategyRejection(defaultStrategy, providers);
  if (rejection) throw invalidParameter(rejection);
  for (const name of providers) {
    if (!cluster.providerState.has(name)) {
      const type = name as 'FARGATE' | 'FARGATE_SPOT';
      cluster.providerState.set(name, newProvider(w, name, type, { maxSize: 0 }, { desired: 0, instanceType: '', availabilityZones: [] }));
    }
  }
  cluster.providers = [...providers];
  cluster.defaultStrategy = defaultStrategy.map((i) => ({ ...i }));
  return cluster;
}
