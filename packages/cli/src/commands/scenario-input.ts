import { writeFile } from 'node:fs/promises';
import { parseScenario, vacuousExpectations, type Scenario } from '@ecs-rebalancer/sim';
import { readClusterFiles } from '../cluster-files.js';
import { InputError } from '../errors.js';
import { readJsonFile, withFile, type Io } from '../io.js';
import { scenarioFromFlags } from './scenario-from-flags.js';
import { DEFAULT_SCENARIO, scenarioFile } from './scenario-files.js';

export interface ScenarioOptions {
  scenario?: string | undefined;
  cluster?: string[] | undefined;
  policy?: string | undefined;
  storm?: string[] | undefined;
  alarm?: string[] | undefined;
  capacity?: string[] | undefined;
  duration?: string | undefined;
  save?: string | undefined;
}

/**
 * The scenario `simulate` runs: a scenario file (or the name of one in scenarios/), or one
 * built from `--cluster` snapshots and `--storm`/`--alarm`/`--capacity` flags; `--save` writes
 * the built one. Checked whole before anything runs; `notes` lists expectations that cannot fail.
 */
export async function scenarioInput(values: ScenarioOptions, io: Io): Promise<{ scenario: Scenario; notes: string[] }> {
  const built = Boolean(values.cluster?.length);
  if (built && values.scenario) throw new InputError('simulate: --scenario and --cluster are exclusive (a scenario file holds its clusters)');
  if (!built && (values.storm?.length || values.alarm?.length || values.capacity?.length || values.save || values.policy)) {
    throw new InputError('simulate: --storm, --alarm, --capacity, --policy and --save go with --cluster FILE (a snapshot)');
  }
  let raw: unknown;
  let file: string;
  if (built) {
    const clusters = await readClusterFiles(values.cluster!, io);
    let policy: unknown = { clusters: Object.fromEntries(clusters.map((c) => [c.cluster, {}])) };
    if (values.policy) policy = await readJsonFile(values.policy, io);
    raw = scenarioFromFlags(clusters, policy, { storm: values.storm ?? [], alarm: values.alarm ?? [], capacity: values.capacity ?? [], duration: values.duration });
    file = values.policy ? `the scenario built from ${values.cluster!.join(', ')} and ${values.policy}` : `the scenario built from ${values.cluster!.join(', ')}`;
  } else {
    file = scenarioFile(values.scenario ?? DEFAULT_SCENARIO);
    raw = await readJsonFile(file, io);
  }
  const scenario = withFile(file, () => parseScenario(raw));
  if (values.save) {
    await writeFile(values.save, `${JSON.stringify(raw, null, 2)}\n`).catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`simulate: --save ${values.save}: ${error.code ?? error.message}`, { cause: error });
    });
  }
  const notes = vacuousExpectations(scenario);
  if (built && !values.policy) notes.push('no --policy: every cluster is managed with the defaults (drains only: no provider is known as Spot, so nothing falls back)');
  return { scenario, notes };
}
