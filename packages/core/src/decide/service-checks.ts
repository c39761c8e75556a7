import type { ServiceState } from '../model/cluster-state.js';

/**
 * Why ECS would refuse a strategy change for this service, or undefined when it accepts one.
 * Changing a strategy takes UpdateService with forceNewDeployment; a CODE_DEPLOY service
 * refuses it, and an EXTERNAL one may only change desired count, placement and grace period.
 */
export function controllerProblem(service: ServiceState): string | undefined {
  const controller = service.deploymentController ?? 'ECS';
  if (controller === 'CODE_DEPLOY') return `service ${service.name} uses the CODE_DEPLOY deployment controller: ECS refuses a forced deployment for it`;
  if (controller === 'EXTERNAL') return `service ${service.name} uses the EXTERNAL deployment controller: UpdateService cannot change its capacity provider strategy`;
  return undefined;
}
