import type * as z from 'zod/mini';
import type { strategyItemSchema } from './cluster-state-schema.js';

/** One item of a capacity provider strategy, as ECS takes it in UpdateService. */
export type StrategyItem = z.output<typeof strategyItemSchema>;

export type Strategy = StrategyItem[];
