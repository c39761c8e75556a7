export {
  ActionChoice,
  DEFAULT_FALLBACK_MIN_SECONDS,
  DEFAULT_MAX_DRAINING_FRACTION,
  ProviderKind,
  defaultPolicyFor,
  parsePolicy,
  policySchema,
} from './schema.js';
export type { ClusterPolicy, FallbackPolicy, Policy, PolicyInput } from './schema.js';
