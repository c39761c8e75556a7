// `rollout run --local` runs real SDK clients against the simulator: no aws-sdk-client-mock
// in this file (it would intercept them).
import { describe, expect, it } from 'vitest';
import { GRAVITON_CLUSTER } from '../test-support/graviton-cluster.js';
import { runCli } from '../test-support/run-cli.js';
import { tempFiles } from '../test-support/temp-files.js';

const clusterState = GRAVITON_CLUSTER;
const scratch = tempFiles('rebalancer-rollout-');
const tmpFile = (name: string, content: unknown): string => scratch(name, typeof content === 'string' ? content : JSON.stringify(content));

const base = ['--cluster', 'prod', '--service', 'web', '--from', 'od-x86', '--to', 'od-arm'];

describe('rebalancer rollout run --local', () => {
  const file = () => tmpFile('cluster.json', clusterState);

  it('runs the state machine against the simulator and prints the outcome', async () => {
    const result = await runCli(['rollout', 'run', '--local', '--cluster-file', file(), ...base.slice(2), '--steps', '25,50,100', '--bake', '5m', '--alarm', 'web-5xx']);

    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { status: string; steps: { percent: number; runningTasks: Record<string, number> }[] };
    expect(summary.status).toBe('SUCCEEDED');
    expect(summary.steps.map((s) => s.runningTasks)).toEqual([
      { 'od-x86': 6, 'od-arm': 2 },
      { 'od-x86': 4, 'od-arm': 4 },
      { 'od-arm': 8 },
    ]);
  });

  it('exits 1 with the alarm named when it fires during a bake', async () => {
    const result = await runCli(['rollout', 'run', '--local', '--cluster-file', file(), ...base.slice(2), '--steps', '25,50,100', '--bake', '5m', '--alarm', 'web-5xx', '--set-alarm', '420:web-5xx:ALARM']);

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'FAILED', cause: expect.stringContaining('alarm web-5xx') });
  });

  it('asks stdin at each approval: approve goes on, the end of input aborts', async () => {
    const result = await runCli(['rollout', 'run', '--local', '--cluster-file', file(), ...base.slice(2), '--steps', '50,100', '--bake', '1m', '--approval', 'manual'], 'approve\n');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('step 1 (50%) waits for approval');
    expect(result.stderr).toContain('step 2 (100%) waits for approval');
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'ABORTED', steps: [{ percent: 50 }] });
  });
});
