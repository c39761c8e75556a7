// Lambda entry of the react function (infra points at `packages/functions/src/handlers/react.handler`).
// Built at module scope: clients are reused across invocations, and a bad policy or a missing
// DLQ fails the cold start loudly instead of half-working.
import { createClients } from '../adapters/clients.js';
import { loadConfig } from '../config.js';
import { composeReactDeps } from './compose-react.js';
import { createReactHandler } from './create-react-handler.js';

const config = loadConfig();

// A policy naming no accounts or regions manages only this deployment's own (issue 9, finding 6).
export const handler = createReactHandler(composeReactDeps({ config, clients: createClients({ maxAttempts: config.maxAttempts }) }), {
  ownScope: { fallbackRegion: config.region },
});
