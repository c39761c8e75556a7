export { main } from './main.js';
export { ExitCode, InputError } from './errors.js';
export { readJsonFile, withFile } from './io.js';
export type { Io } from './io.js';
export { localHandlers, localRollouts } from './local-handlers.js';
export { rolloutDriver, runLocalRollout, simulationTime, startLocalRollout } from './rollout-local.js';
export type { LocalPause, LocalRollout, LocalRolloutOptions, LocalRolloutSummary, LocalRolloutTime } from './rollout-local.js';
export { SNAPSHOT_ACTIONS } from './commands/snapshot.js';
