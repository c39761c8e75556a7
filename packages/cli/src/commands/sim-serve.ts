import { createSimulation, INSTANCE_INDEX_TABLE_NAME, instanceIndexTables, parseScenario, scenarioWorld, simControl, startSimServer } from '@ecs-rebalancer/sim';
import type { ScenarioTimelineEntry, SimulationOptions } from '@ecs-rebalancer/sim';
import { readClusterFiles } from '../cluster-files.js';
import { commandOptions } from '../args.js';
import { ExitCode, InputError } from '../errors.js';
import { readJsonFile, withFile, type Io } from '../io.js';
import { scenarioFile } from './scenario-files.js';

export const simServeUsage = 'rebalancer sim serve [--scenario FILE|NAME | --cluster FILE…] [--port N]';

/**
 * `rebalancer sim serve`: the simulator as a standalone endpoint on 127.0.0.1 — ECS (JSON 1.1),
 * CloudWatch (JSON 1.0) and EventBridge PutEvents, for the AWS CLI and SDKs through
 * `--endpoint-url` — plus a control endpoint (`/_sim/…`) that moves virtual time and injects
 * interruptions and alarms. Virtual time stands still until `/_sim/advance` moves it; ECS's
 * throttle buckets refill on virtual time plus wall time, so a person at a terminal is never
 * throttled for having paused. Runs until SIGINT or SIGTERM.
 */
export async function simServeCommand(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const values = parseOptions(argv);
  if (values.scenario && values.cluster) throw new InputError(`sim serve: --scenario and --cluster are exclusive (${simServeUsage})`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`sim serve: --port: expected a port number 0–65535, got "${values.port}"`);

  let options: SimulationOptions;
  let timeline: ScenarioTimelineEntry[] = [];
  let what: string;
  if (values.cluster) {
    const clusters = await readClusterFiles(values.cluster, io);
    options = { clusters, start: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString() };
    what = values.cluster.join(', ');
  } else {
    const file = scenarioFile(values.scenario ?? 'spot-storm', 'sim serve');
    const raw = await readJsonFile(file, io);
    const scenario = withFile(file, () => parseScenario(raw));
    options = scenarioWorld(scenario);
    timeline = scenario.timeline;
    what = `scenario ${scenario.name}`;
  }
  const wallStart = performance.now();
  const sim = createSimulation({ ...options, throttleClock: (virtual) => virtual + (performance.now() - wallStart) });
  let server;
  try {
    // The instance index's table as infra creates it; its partition throughput refills on the wall clock, as ECS's buckets do here.
    const dynamodb = instanceIndexTables({ now: () => sim.clock.now() + (performance.now() - wallStart), region: sim.region, accountId: sim.accountId });
    server = await startSimServer(sim, { port, control: simControl(sim, { timeline }), dynamodb });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`sim serve: cannot listen on 127.0.0.1:${port} (${code ?? (error as Error).message})`, { cause: error });
  }
  const clusters = [...sim.clusters.keys()];
  io.stdout.write(
    [
      `sim serve: ${server.endpoint} (ECS, CloudWatch, EventBridge, DynamoDB table ${INSTANCE_INDEX_TABLE_NAME}) from ${what}; clusters ${clusters.join(', ')}; virtual time ${sim.now()}`,
      `  aws ecs list-clusters --endpoint-url ${server.endpoint} --region us-east-1`,
      `  npx rebalancer snapshot --endpoint-url ${server.endpoint} --cluster ${clusters[0] ?? 'NAME'} --out my-cluster.json`,
      `  curl -s -XPOST ${server.endpoint}/_sim/advance -d '{"seconds": 60}'   (also /_sim/interrupt, /_sim/alarm, /_sim/capacity, /_sim/events, /_sim/status)`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  await server.close();
  io.stdout.write('sim serve: stopped\n');
  return ExitCode.Ok;
}

function parseOptions(argv: string[]) {
  return commandOptions('sim serve', simServeUsage, argv, { scenario: { type: 'string' }, cluster: { type: 'string', multiple: true }, port: { type: 'string' } });
}
