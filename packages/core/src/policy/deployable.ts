import { ValidationError } from '../errors.js';
import type { Problem } from '../errors.js';
import { parsePolicy } from './schema.js';
import type { Policy } from './schema.js';

/**
 * Lambda caps a function's environment variables at 4 KB in all; the validated policy travels
 * in one (REBALANCER_POLICY) beside a few others, so it must stay under this many bytes.
 */
export const MAX_POLICY_ENV_BYTES = 3500;

/**
 * Every check the deploy makes on a policy, in one place: the infra (sst deploy) and
 * `rebalancer validate` both call it, so they refuse the same policies with the same
 * messages. It is parsePolicy (shape, defaults, fallback targets declared on-demand) and
 * then what only a deployment needs: at least one cluster (every rule and IAM statement is
 * scoped to the managed clusters), no two clusters sharing a first fallback alarm (the app
 * creates that alarm under the name the policy gives), and the policy as JSON, defaults
 * filled in, under MAX_POLICY_ENV_BYTES. Throws a ValidationError listing every problem with
 * its path; returns the policy with defaults filled in.
 */
export function parseDeployablePolicy(input: unknown): Policy {
  const policy = parsePolicy(input);
  const problems = deployProblems(policy);
  if (problems.length > 0) throw new ValidationError('invalid policy', problems);
  return policy;
}

/** What a deployment refuses in a policy that parsePolicy accepts (see parseDeployablePolicy). */
export function deployProblems(policy: Policy): Problem[] {
  const clusters = Object.keys(policy.clusters).sort();
  if (clusters.length === 0) return [{ path: 'clusters', message: 'the policy manages no cluster' }];
  const problems: Problem[] = [];
  const owner = new Map<string, string>();
  for (const cluster of clusters) {
    const first = policy.clusters[cluster]?.fallback?.alarms[0];
    if (first === undefined) continue;
    const other = owner.get(first);
    if (other === undefined) owner.set(first, cluster);
    else problems.push({ path: `clusters.${cluster}.fallback.alarms[0]`, message: `"${first}" is already the fallback alarm of cluster ${other}` });
  }
  const bytes = policyEnvironmentBytes(policy);
  if (bytes > MAX_POLICY_ENV_BYTES) {
    problems.push({
      path: '',
      message: `the policy is ${bytes} bytes as JSON; Lambda environment variables hold at most 4 KB in all (keep it under ${MAX_POLICY_ENV_BYTES})`,
    });
  }
  return problems;
}

/** The size in bytes of the policy as the functions receive it: JSON, defaults filled in, UTF-8. */
export function policyEnvironmentBytes(policy: Policy): number {
  return new TextEncoder().encode(JSON.stringify(policy)).length;
}
