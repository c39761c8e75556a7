/** One item of a capacity provider strategy, as ECS takes it in UpdateService. */
export interface StrategyItem {
  capacityProvider: string;
  base: number;
  weight: number;
}

export type Strategy = StrategyItem[];
