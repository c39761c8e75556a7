// `rebalancer simulate` through the real process: a scenario built from a snapshot, and the
// input mistakes refused before any work starts.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runBinAsync } from '../test-support/cli-process.js';
import { tempFiles } from '../test-support/temp-files.js';

const file = tempFiles('simulate-cli-');
const scenario = (change: (s: Record<string, unknown> & { timeline: Record<string, unknown>[] }) => void) => {
  const s = JSON.parse(readFileSync(`${REPO}scenarios/spot-storm.json`, 'utf8')) as Record<string, unknown> & { timeline: Record<string, unknown>[] };
  change(s);
  return file('scenario.json', JSON.stringify(s));
};

describe('simulate --cluster SNAPSHOT --storm …', () => {
  it('runs a storm on a snapshot with a policy, saves the scenario it built and writes the report', { timeout: 180_000 }, async () => {
    const saved = join(dirname(file('x', '')), 'storm.json');
    const report = join(dirname(saved), 'report');
    const result = await runBinAsync([
      'simulate', '--cluster', 'examples/cluster.json', '--policy', 'examples/policy.json',
      '--storm', 'spot-arm64:3@60', '--alarm', 'prod-spot-interruptions:ALARM@90', '--alarm', 'prod-spot-interruptions:OK@900',
      '--save', saved, '--report', report,
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('interrupt: 3 instance(s) of spot-arm64 in prod get the two-minute warning');
    expect(result.stdout).toMatch(/fallback prod\/web/);
    // The timeline says why, under the batch it belongs to: the plan's warnings and skip reasons.
    expect(result.stdout).toMatch(/^\[t\+ +\d+s\] react: batch of 3 record\(s\) → drain 3 in prod \(spot-interruption\)\n {12}warning: service api has minimumHealthyPercent 100/m);
    expect(result.stdout).toMatch(/^ {12}skipped: instance i-\w+ (in prod is already DRAINING|is in no managed cluster)/m);
    expect(result.stdout).toMatch(/^ECS calls: \d+ \(/m);
    expect(result.stdout).toMatch(/^other AWS calls: \d+ \(.*DescribeAlarms/m);
    const built = JSON.parse(readFileSync(saved, 'utf8')) as { timeline: unknown[]; durationSeconds: number };
    expect(built.timeline).toEqual([
      { at: 60, interrupt: { cluster: 'prod', capacityProvider: 'spot-arm64', count: 3 } },
      { at: 90, alarm: { name: 'prod-spot-interruptions', state: 'ALARM' } },
      { at: 900, alarm: { name: 'prod-spot-interruptions', state: 'OK' } },
    ]);
    expect(built.durationSeconds).toBe(2100);
    expect(readFileSync(join(report, 'index.html'), 'utf8')).toContain('<title>ecs-rebalancer report — storm on prod</title>');
    // The saved scenario runs as a scenario file.
    const again = await runBinAsync(['simulate', '--scenario', saved, '--json']);
    expect(again.status).toBe(0);
    expect((JSON.parse(again.stdout) as { interrupted: string[] }).interrupted).toHaveLength(3);
  });

  it.each([
    ['a storm on a provider the cluster lacks', ['--storm', 'spot-x86:2'], /scenario built from examples\/cluster\.json: timeline\[0\]\.interrupt\.capacityProvider: "spot-x86" is not a capacity provider of prod \(it has spot-arm64, od-arm64\)\n$/],
    ['more warnings than instances', ['--storm', 'spot-arm64:99@60'], /timeline\[0\]\.interrupt\.count: 99 is more than the 3 ACTIVE instance\(s\) of spot-arm64 in prod\n$/],
    ['a malformed --storm', ['--storm', 'spot-arm64'], /--storm spot-arm64: expected \[CLUSTER\/\]PROVIDER:COUNT\[@SECONDS\]/],
    ['an unknown alarm state', ['--alarm', 'a:ALRAM@5'], /state "ALRAM" is not one of OK, ALARM, INSUFFICIENT_DATA\n$/],
  ])('refuses %s in one line with exit 2', async (_name, flags, message) => {
    const result = await runBinAsync(['simulate', '--cluster', 'examples/cluster.json', ...flags]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stdout).toBe('');
  });
});

describe('simulate input checked before any work starts', () => {
  it('refuses --report onto an existing file at once, in one line', async () => {
    const existing = file('report.html', 'not a directory');
    const started = Date.now();
    const result = await runBinAsync(['simulate', '--report', existing]);
    expect(result.stderr).toBe(`rebalancer: simulate: --report ${existing}: is a file, not a directory (the report writes index.html and summary.json into a directory)\n`);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('names the allowed states and the path of an unknown alarm state', async () => {
    const bad = scenario((s) => (s.timeline[1]!.alarm = { name: 'prod-spot-interruptions', state: 'ALRAM' }));
    const result = await runBinAsync(['simulate', '--scenario', bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`rebalancer: ${bad}: timeline[1].alarm.state: Invalid option: expected one of "OK"|"ALARM"|"INSUFFICIENT_DATA"\n`);
  });

  it('refuses an interrupt on an unknown provider instead of a RangeError stack trace', async () => {
    const bad = scenario((s) => (s.timeline[0] = { at: 60, interrupt: { cluster: 'prod', capacityProvider: 'spot-amd64', count: 2 } }));
    const result = await runBinAsync(['simulate', '--scenario', bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`rebalancer: ${bad}: timeline[0].interrupt.capacityProvider: "spot-amd64" is not a capacity provider of prod (it has spot-arm64, od-arm64)\n`);
  });

  it('reports expectations that cannot fail, such as strategies expected to be the initial ones', { timeout: 180_000 }, async () => {
    const vacuous = scenario((s) => {
      s.timeline = [];
      s.expect = { strategies: { 'prod/web': [{ capacityProvider: 'spot-arm64', base: 0, weight: 3 }, { capacityProvider: 'od-arm64', base: 2, weight: 1 }] }, tasksLostAtMost: 0 };
      s.durationSeconds = 60;
    });
    const result = await runBinAsync(['simulate', '--scenario', vacuous]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('note: expect.strategies["prod/web"] is the strategy prod/web starts with: it passes even if nothing reacts');
    expect(result.stdout).toContain('note: expect.tasksLostAtMost: the timeline interrupts nothing, so no task can be lost');
  });
});

