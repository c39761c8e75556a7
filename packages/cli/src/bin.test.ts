// The `rebalancer` bin as a user runs it (`npx rebalancer …`): a real process, through tsx's
// loader, with no build step.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const repo = new URL('../../../', import.meta.url).pathname;
const bin = `${repo}packages/cli/bin/rebalancer.js`;
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: repo, encoding: 'utf8', timeout: 60_000 });

describe('the rebalancer bin', () => {
  it('prints a plan for the sample Spot warning and exits 0', () => {
    const result = run('plan', '--event', 'fixtures/events/ec2-spot-instance-interruption-warning.json', '--cluster', 'examples/cluster.json', '--policy', 'examples/policy.json');
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as { actions: { type: string }[] }).actions.filter((a) => a.type === 'drain')).toHaveLength(1);
  });

  it('exits 2 with one line naming the file on bad input, and no stack trace', () => {
    const result = run('validate', '--policy', 'no/such/policy.json');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('rebalancer: no/such/policy.json: no such file\n');
  });
});
