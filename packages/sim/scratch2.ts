import { createSimulation } from './src/index.js';
import { aCluster, instances, onDemandOnly } from './src/test-support/builders.js';
const sim = createSimulation({ clusters: [aCluster({ containerInstances: [...instances('prod', 'spot', 3), ...instances('prod', 'od', 2)] })] });
sim.updateService('prod', 'web', { capacityProviderStrategy: onDemandOnly, forceNewDeployment: true });
const dump = () => { const c = sim.cluster('prod'); const m: Record<string, number> = {}; for (const t of c.tasks.values()) { const k = `${t.deploymentId?.slice(-4)}:${t.provider}:${t.lastStatus}`; m[k] = (m[k] ?? 0) + 1; } console.log(sim.clock.elapsedSeconds(), JSON.stringify(m), c.services.get('web')!.deployments.map(d => d.status + '/' + d.rolloutState).join(',')); };
dump();
for (let i = 0; i < 6; i++) { sim.advance(30); dump(); }
console.log(sim.report().scaleOuts);
