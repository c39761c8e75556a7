import { parseArgs } from 'node:util';
import { parseDeployablePolicy } from '@ecs-rebalancer/core';
import { ExitCode, InputError } from '../errors.js';
import { readJsonFile, withFile, type Io } from '../io.js';

export const validateUsage = 'rebalancer validate --policy FILE';

/** `rebalancer validate`: checks a policy file; prints the policy with its defaults filled in. */
export async function validateCommand(argv: string[], io: Io): Promise<number> {
  let file: string | undefined;
  try {
    file = parseArgs({ args: argv, options: { policy: { type: 'string' } }, strict: true }).values.policy;
  } catch (error) {
    throw new InputError(`validate: ${(error as Error).message} (${validateUsage})`);
  }
  if (!file) throw new InputError(`validate: --policy is required (${validateUsage})`);
  const raw = await readJsonFile(file, io);
  const policyFile = file;
  // The same check the deploy makes (infra/policy-file.ts), with the same messages.
  const policy = withFile(policyFile, () => parseDeployablePolicy(raw));
  const clusters = Object.keys(policy.clusters);
  io.stdout.write(`${policyFile}: valid policy for ${clusters.length} cluster(s): ${clusters.join(', ') || '(none)'}${policy.dryRun ? ' (dryRun)' : ''}\n`);
  io.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
  return ExitCode.Ok;
}
