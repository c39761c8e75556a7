import { SimApiError } from '../errors.js';
import { nameFromIdentifier, parseEcsArn } from './arn.js';
import type { SimCluster, SimInstance, SimService, SimTask } from './types.js';
import type { SimWorld } from './world.js';

/** A cluster by name or ARN (default: `default`); ClusterNotFoundException otherwise. */
export function findCluster(w: SimWorld, name: string | undefined): SimCluster {
  const key = nameFromIdentifier(name ?? 'default', 'cluster');
  const cluster = w.clusters.get(key);
  if (!cluster) throw new SimApiError('ClusterNotFoundException', 'Cluster not found.');
  return cluster;
}

export function findService(cluster: SimCluster, identifier: string): SimService | undefined {
  if (identifier.startsWith('arn:')) {
    const parsed = parseEcsArn(identifier);
    if (parsed?.type !== 'service') return undefined;
    const [clusterName, name] = parsed.path.length === 2 ? parsed.path : [cluster.name, parsed.path[0]];
    if (clusterName !== cluster.name || !name) return undefined;
    return cluster.services.get(name);
  }
  return cluster.services.get(identifier);
}

/** An entry of a cluster's `map` by id, or by an ARN of `type` whose cluster part (if any) is this cluster. */
function byIdOrArn<T>(cluster: SimCluster, identifier: string, type: 'container-instance' | 'task', map: Map<string, T>): T | undefined {
  if (!identifier.startsWith('arn:')) return map.get(identifier);
  const parsed = parseEcsArn(identifier);
  if (parsed?.type !== type) return undefined;
  if (parsed.path.length === 2 && parsed.path[0] !== cluster.name) return undefined;
  return map.get(parsed.path[parsed.path.length - 1] ?? '');
}

export function findInstance(cluster: SimCluster, identifier: string): SimInstance | undefined {
  return byIdOrArn(cluster, identifier, 'container-instance', cluster.instances);
}

export function findTask(cluster: SimCluster, identifier: string): SimTask | undefined {
  return byIdOrArn(cluster, identifier, 'task', cluster.tasks);
}
