export {
  ActionChoice,
  DEFAULT_DRAIN_BEFORE_SECONDS,
  DEFAULT_FALLBACK_MIN_SECONDS,
  DEFAULT_FALLBACK_OK_SECONDS,
  DEFAULT_MAX_DRAINING_FRACTION,
  DEFAULT_RESTORE_AT_ONCE,
  ProviderKind,
  defaultPolicyFor,
  fallbackTarget,
  fallbackTargets,
  parsePolicy,
  policySchema,
} from './schema.js';
export type { ClusterPolicy, FallbackPolicy, Policy, PolicyInput } from './schema.js';
export { MAX_POLICY_ENV_BYTES, deployProblems, parseDeployablePolicy, policyEnvironmentBytes } from './deployable.js';
