// The `ecs-spot-draining` baseline: nothing of ours reacts, and the ECS agent on each Spot
// instance (ECS_ENABLE_SPOT_INSTANCE_DRAINING=true) sets its own container instance to
// DRAINING when the interruption notice appears in instance metadata. ECS Developer Guide,
// "Spot Instance draining": only the `terminate` and `stop` instance-actions are honoured,
// not `hibernate`. The agent polls the metadata; its delay is modelled as AGENT_POLL_SECONDS.
import type { EventBridgeEvent } from '../model/events.js';
import type { Simulation } from '../model/simulation.js';
import type { VirtualScheduler } from './virtual-time.js';

/** Seconds from the notice to the agent's UpdateContainerInstancesState (its metadata poll). */
export const AGENT_POLL_SECONDS = 5;

export function agentSpotDraining(sim: Simulation, scheduler: VirtualScheduler, say: (line: string) => void): void {
  sim.events.subscribe((event: EventBridgeEvent) => {
    if (event.source !== 'aws.ec2' || event['detail-type'] !== 'EC2 Spot Instance Interruption Warning') return;
    const detail = event.detail as { 'instance-id'?: string; 'instance-action'?: string };
    if (detail['instance-action'] === 'hibernate' || !detail['instance-id']) return;
    const id = detail['instance-id'];
    scheduler.at(scheduler.now() + AGENT_POLL_SECONDS * 1000, () => {
      for (const cluster of sim.clusters.values()) {
        for (const inst of cluster.instances.values()) {
          if (inst.ec2InstanceId !== id || inst.status !== 'ACTIVE') continue;
          sim.updateContainerInstancesState(cluster.name, [inst.arn], 'DRAINING');
          say(`ecs agent: ${id} sets itself DRAINING (Spot interruption notice)`);
        }
      }
    });
  });
}
