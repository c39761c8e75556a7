// The policy is read and validated when the app is deployed: a bad policy fails
// `sst deploy` before any resource changes, with the core's own messages (every problem,
// with its dotted path). The validated policy, defaults filled in, is what the functions
// receive, so a deployed function never sees a policy that the core would reject.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ValidationError, parseDeployablePolicy } from '@ecs-rebalancer/core';
import type { Policy } from '@ecs-rebalancer/core';

/** The policy file, relative to the repository root, unless REBALANCER_POLICY_FILE names another. */
export const DEFAULT_POLICY_FILE = 'rebalancer.policy.json';

/** A policy file that cannot be deployed. The message names the file and every problem. */
export class PolicyFileError extends Error {
  override name = 'PolicyFileError' as const;
  readonly file: string;
  readonly problems: string[];
  constructor(file: string, problems: string[], options?: { cause?: unknown }) {
    super(`${file}: ${problems.join('; ')}`, options);
    this.file = file;
    this.problems = problems;
  }
}

/** Parses and validates policy text; throws PolicyFileError naming `file` and every problem. */
export function parsePolicyText(text: string, file: string): Policy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PolicyFileError(file, [`not valid JSON: ${(error as Error).message}`], { cause: error });
  }
  return deployable(json, file);
}

// The core holds every check the deploy makes (the same function `rebalancer validate` calls).
function deployable(json: unknown, file: string): Policy {
  try {
    return parseDeployablePolicy(json);
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new PolicyFileError(
        file,
        error.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)),
        { cause: error },
      );
    }
    throw error;
  }
}

/** Reads the policy file (path relative to `root`) and validates it. */
export function loadPolicyFile(file: string = process.env.REBALANCER_POLICY_FILE ?? DEFAULT_POLICY_FILE, root: string = process.cwd()): Policy {
  let text: string;
  try {
    text = readFileSync(resolve(root, file), 'utf8');
  } catch (error) {
    throw new PolicyFileError(file, [`cannot be read: ${(error as Error).message}`], { cause: error });
  }
  return parsePolicyText(text, file);
}

/** The names of the clusters the policy manages, sorted so generated resources are stable. */
export function managedClusters(policy: Policy): string[] {
  return Object.keys(policy.clusters).sort();
}

/** Every cluster with the fallback alarms the policy names for it, sorted by cluster. */
export function fallbackAlarmsByCluster(policy: Policy): { cluster: string; alarms: string[] }[] {
  return managedClusters(policy).flatMap((cluster) => {
    const alarms = policy.clusters[cluster]?.fallback?.alarms ?? [];
    return alarms.length > 0 ? [{ cluster, alarms: [...alarms] }] : [];
  });
}

/** The validated policy as the functions receive it (REBALANCER_POLICY); too large a policy fails the deploy. */
export function policyEnvironmentValue(policy: Policy, file: string = DEFAULT_POLICY_FILE): string {
  return JSON.stringify(deployable(policy, file));
}
