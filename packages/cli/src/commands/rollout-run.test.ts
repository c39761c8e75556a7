// `rollout run --local` runs real SDK clients against the simulator: no aws-sdk-client-mock
// in this file (it would intercept them).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';

const host = (provider: string, prefix: string, i: number, tasks: number, instanceType: string) => ({
  arn: `arn:aws:ecs:us-east-1:123456789012:container-instance/prod/${prefix}${i}`,
  ec2InstanceId: `i-${prefix}${String(i).padStart(4, '0')}`,
  capacityProvider: provider,
  status: 'ACTIVE',
  runningTasks: tasks,
  instanceType,
});
const clusterState = {
  cluster: 'prod',
  capacityProviders: [
    { name: 'od-x86', type: 'EC2_AUTOSCALING' },
    { name: 'od-arm', type: 'EC2_AUTOSCALING' },
  ],
  services: [{ name: 'web', desiredCount: 8, runningCount: 8, strategy: [{ capacityProvider: 'od-x86', base: 0, weight: 1 }], minimumHealthyPercent: 50, maximumPercent: 200 }],
  containerInstances: [0, 1, 2, 3].flatMap((i) => [host('od-x86', 'a', i, 2, 'm5.large'), host('od-arm', 'b', i, 0, 'm7g.large')]),
  alarms: { 'web-5xx': 'OK' },
};

function tmpFile(name: string, content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'rebalancer-rollout-')), name);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

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
