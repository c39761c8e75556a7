// The simulated world a scenario describes, as the simulator takes it: one reading for the
// scenario runner and for `rebalancer sim serve`, so both start the same world.
import type { SimulationOptions } from '../model/options.js';
import type { Scenario } from './schema.js';

/** The simulation options of a scenario's world (clusters, providers, services, standalone tasks, timeouts, throttling). */
export function scenarioWorld(scenario: Scenario): SimulationOptions {
  return {
    clusters: scenario.clusters,
    start: scenario.start,
    seed: scenario.seed,
    providers: scenario.providers,
    services: scenario.services,
    standaloneTasks: scenario.standaloneTasks,
    ...(scenario.provisioningTimeoutSeconds !== undefined ? { provisioningTimeoutSeconds: scenario.provisioningTimeoutSeconds } : {}),
    ...(scenario.throttling !== undefined ? { throttling: scenario.throttling } : {}),
  };
}
