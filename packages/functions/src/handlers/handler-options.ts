import type { OwnScopeOptions } from '../middleware/own-scope.js';

/** How createReactHandler / createTickHandler wrap the use-case. */
export interface HandlerOptions {
  /** The deployed function: a policy naming no `accounts` / `regions` takes the function's own. */
  ownScope?: OwnScopeOptions;
  /**
   * middy's early timeout: a wall-clock timer set to the context's remaining time that
   * answers for the handler just before Lambda would stop it (default on). Runs on a virtual
   * clock turn it off: there the runner models Lambda's timeout, and a wall-clock race would
   * make a slow machine's run differ.
   */
  wallClockTimeout?: boolean;
}

/** middy's plugin options for these options (timeoutEarlyInMillis 0 turns its timer off). */
export function middyOptions(options: HandlerOptions): { timeoutEarlyInMillis?: number } {
  return options.wallClockTimeout === false ? { timeoutEarlyInMillis: 0 } : {};
}
