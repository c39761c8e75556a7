import { invalidParameter } from '../errors.js';
import { findCluster, findInstance } from './lookups.js';
import type { InstanceStateFailure } from './options.js';
import { reconcile } from './scheduler.js';
import { setInstanceStatus } from './tasks.js';
import type { SimInstance } from './types.js';
import type { SimWorld } from './world.js';

/**
 * UpdateContainerInstancesState: at most 10 instances; only ACTIVE ⇄ DRAINING. Unknown
 * instances come back as failures with reason MISSING, deregistered ones with INACTIVE,
 * and instances in any other status (REGISTERING, DEREGISTERING…) with INVALID_STATE (the
 * simulator's wording: ECS documents only that an error is returned).
 */
export function updateContainerInstancesState(
  w: SimWorld,
  clusterName: string | undefined,
  identifiers: string[],
  status: string,
): { containerInstances: SimInstance[]; failures: InstanceStateFailure[] } {
  const cluster = findCluster(w, clusterName);
  if (status !== 'ACTIVE' && status !== 'DRAINING') {
    throw invalidParameter(`Container instance status ${status} is not valid for this action; use ACTIVE or DRAINING.`);
  }
  if (identifiers.length === 0 || identifiers.length > 10) {
    throw invalidParameter('containerInstances can have at most 10 items and at least 1.');
  }
  const containerInstances: SimInstance[] = [];
  const failures: InstanceStateFailure[] = [];
  for (const identifier of identifiers) {
    const inst = findInstance(cluster, identifier);
    const arn = inst?.arn ?? (identifier.startsWith('arn:') ? identifier : w.arns.containerInstance(cluster.name, identifier));
    if (!inst) {
      failures.push({ arn, reason: 'MISSING' });
      continue;
    }
    if (inst.status === 'INACTIVE') {
      failures.push({ arn, reason: 'INACTIVE', detail: 'The container instance is deregistered.' });
      continue;
    }
    if (inst.status !== 'ACTIVE' && inst.status !== 'DRAINING') {
      failures.push({ arn, reason: 'INVALID_STATE', detail: `Container instance status ${inst.status} cannot be changed to ${status}.` });
      continue;
    }
    if (inst.status !== status) setInstanceStatus(w, inst, status);
    containerInstances.push(inst);
  }
  reconcile(w);
  return { containerInstances, failures };
}
