// `rollout start --dry-run` and `rollout run --local` share their checks: the same refusal,
// exit 2, one line, before anything runs. Through the real `rebalancer` process (tsx loader).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { GRAVITON_CLUSTER } from '../test-support/graviton-cluster.js';
import { runCli } from '../test-support/run-cli.js';
import { tempFiles } from '../test-support/temp-files.js';

const repo = new URL('../../../../', import.meta.url).pathname;
const bin = `${repo}packages/cli/bin/rebalancer.js`;
const scratch = tempFiles('rebalancer-rollout-checks-');

function rebalancer(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const clusterFile = (edit: (c: typeof GRAVITON_CLUSTER) => void = () => {}): string => {
  const cluster = structuredClone(GRAVITON_CLUSTER);
  edit(cluster);
  return scratch('cluster.json', JSON.stringify(cluster));
};
const move = ['--service', 'web', '--from', 'od-x86', '--to', 'od-arm'];

/**
 * Both commands on the same file and options, without --cluster (inferred from the file): as
 * real processes, one at a time (the machine is shared), or in this process (`runCli`, the
 * same main()) for the cases that only add another message.
 */
async function both(file: string, extra: string[], how: 'process' | 'in-process') {
  const run = how === 'process' ? rebalancer : runCli;
  const dry = await run(['rollout', 'start', '--dry-run', '--cluster-file', file, ...move, ...extra]);
  const local = await run(['rollout', 'run', '--local', '--cluster-file', file, ...move, '--bake', '0', ...extra]);
  return { dry, local };
}

/** The message after `rebalancer: rollout start: ` / `rebalancer: rollout run: `, or after the file name. */
const body = (stderr: string) => stderr.replace(/^rebalancer: (rollout (start|run): )?/, '');

describe('rollout start --dry-run and rollout run --local refuse the same things the same way', () => {
  it.each([
    { name: 'steps out of order', how: 'process', edit: () => {}, extra: ['--steps', '50,25,100'], message: /^--steps \(steps\[1\]\): must be greater than steps\[0\] \(50\)\n$/ },
    {
      name: 'a service in an active Spot fallback',
      how: 'process',
      edit: (c: typeof GRAVITON_CLUSTER) => Object.assign(c.services[0]!, { baseline: [{ capacityProvider: 'od-x86', base: 0, weight: 1 }], fallbackSince: '2025-01-01T00:00:00Z' }),
      extra: [],
      message: /^--service: prod\/web has an active Spot fallback \(since 2025-01-01T00:00:00Z\): wait for its restore before a rollout\n$/,
    },
    {
      name: 'a CODE_DEPLOY service',
      how: 'in-process',
      edit: (c: typeof GRAVITON_CLUSTER) => Object.assign(c.services[0]!, { deploymentController: 'CODE_DEPLOY' }),
      extra: [],
      message: /^--service: prod\/web uses the CODE_DEPLOY deployment controller/,
    },
    { name: 'an alarm the cluster does not have', how: 'in-process', edit: () => {}, extra: ['--alarm', 'web-5xx', '--alarm', 'web-p99'], message: /^--alarm \(alarms\[1\]\): alarm web-p99 does not exist in .*cluster\.json \(alarms\)\n$/ },
  ] as const)('$name ($how): exit 2, one line, the same message, nothing run', { timeout: 60_000 }, async ({ how, edit, extra, message }) => {
    const { dry, local } = await both(clusterFile(edit), [...extra], how);

    expect(dry.code, dry.stderr).toBe(2);
    expect(local.code, local.stderr).toBe(2);
    expect(body(dry.stderr)).toMatch(message);
    expect(body(local.stderr)).toBe(body(dry.stderr));
    expect(local.stdout).toBe('');
    expect(dry.stderr.split('\n')).toHaveLength(2);
  });

  it('--cluster defaults to the cluster the file names; a different --cluster is refused with the file and path', { timeout: 60_000 }, async () => {
    const file = clusterFile();
    const inferred = await rebalancer(['rollout', 'start', '--dry-run', '--cluster-file', file, ...move, '--steps', '50,100', '--json']);
    const local = await rebalancer(['rollout', 'run', '--local', '--cluster-file', file, ...move, '--steps', '100', '--bake', '0']);
    const mismatch = await runCli(['rollout', 'start', '--dry-run', '--cluster-file', file, '--cluster', 'staging', ...move]);

    expect(inferred.code, inferred.stderr).toBe(0);
    expect(JSON.parse(inferred.stdout)).toMatchObject({ cluster: 'prod', service: 'web', percents: [50, 100] });
    expect(local.code, local.stderr).toBe(0);
    expect(JSON.parse(local.stdout)).toMatchObject({ cluster: 'prod', status: 'SUCCEEDED' });
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toBe(`rebalancer: ${file}: cluster: "prod" is not --cluster staging\n`);
  });
});
