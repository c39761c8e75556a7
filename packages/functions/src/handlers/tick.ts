// Lambda entry of the tick function (infra points at `packages/functions/src/handlers/tick.handler`),
// invoked by the schedule rule every few minutes.
import { createClients } from '../adapters/clients.js';
import { loadConfig } from '../config.js';
import { composeTickDeps } from './compose.js';
import { createTickHandler } from './create-tick-handler.js';

const config = loadConfig();

// A policy naming no accounts or regions manages only this deployment's own (issue 9, finding 6).
export const handler = createTickHandler(composeTickDeps({ config, clients: createClients({ maxAttempts: config.maxAttempts }) }), {
  ownScope: { fallbackRegion: config.region },
});
