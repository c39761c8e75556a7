// `rebalancer simulate` with and without --baseline, through main() as the bin runs it.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '@ecs-rebalancer/cli';

async function simulate(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(['simulate', ...args], { stdout, stderr });
  return { code, out, err };
}

describe('rebalancer simulate baselines', () => {
  it('runs ECS own Spot draining alone with --baseline, and fails the default scenario', async () => {
    const { code, out } = await simulate(['--baseline', 'ecs-spot-draining', '--json']);
    const summary = JSON.parse(out) as { baseline: string; drained: string[]; interrupted: string[]; expectations: { passed: boolean }; ecsCalls: number };
    expect(summary.baseline).toBe('ecs-spot-draining');
    expect(summary.drained).toEqual(expect.arrayContaining(summary.interrupted));
    expect(summary.ecsCalls).toBe(0);
    expect(summary.expectations.passed).toBe(false);
    expect(code).toBe(1);
  }, 120_000);

  it('takes --without-rebalancer as --baseline nothing, and refuses an unknown baseline', async () => {
    const { out } = await simulate(['--without-rebalancer', '--json', '--scenario', 'spot-storm']);
    expect((JSON.parse(out) as { baseline: string; drained: string[] }).baseline).toBe('nothing');
    const bad = await simulate(['--baseline', 'karpenter']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--baseline must be one of nothing, ecs-spot-draining/);
  }, 120_000);

  it('shows the rebalancer and both baselines side by side, with baselines and without in --json', async () => {
    const { code, out } = await simulate(['--json']);
    const summary = JSON.parse(out) as { baseline: null; baselines: Record<string, { tasksLost: number }>; without: { tasksLost: number }; expectations: { passed: boolean } };
    expect(summary.baseline).toBeNull();
    expect(Object.keys(summary.baselines).sort()).toEqual(['ecs-spot-draining', 'nothing']);
    expect(summary.without).toEqual(summary.baselines.nothing);
    expect(summary.expectations.passed).toBe(true);
    expect(code).toBe(0);
    const table = await simulate(['--scenario', 'spot-storm']);
    expect(table.out).toMatch(/rebalancer\s+nothing reacts\s+ECS Spot draining/);
  }, 180_000);
});
