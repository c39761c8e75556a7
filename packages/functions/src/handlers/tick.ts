// Lambda entry of the tick function (infra points at `packages/functions/src/handlers/tick.handler`),
// invoked by the schedule rule every few minutes.
import { createClients } from '../adapters/clients.js';
import { loadConfig } from '../config.js';
import { composeTickDeps } from './compose-tick.js';
import { createTickHandler } from './create-tick-handler.js';

const config = loadConfig();

export const handler = createTickHandler(composeTickDeps({ config, clients: createClients({ maxAttempts: config.maxAttempts }) }));
