import type { Logger } from '@aws-lambda-powertools/logger';
import type { TickDeps } from '../use-cases/handle-tick.js';
import { composeShared } from './compose.js';
import type { ComposeOptions } from './compose.js';

export type TickHandlerDeps = TickDeps & { logger: Logger };

/**
 * The tick function's dependencies: the shared ones and nothing else. The tick restores and
 * reports drift; it never drains and never quarantines, so neither adapter is in its import
 * graph, and its role allows neither call.
 */
export function composeTickDeps(options: ComposeOptions): TickHandlerDeps {
  return composeShared(options);
}
