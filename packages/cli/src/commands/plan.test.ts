import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';
import { tempFiles } from '../test-support/temp-files.js';

const repo = new URL('../../../../', import.meta.url).pathname;
const event = (name: string) => join(repo, 'fixtures/events', `${name}.json`);
const cluster = join(repo, 'examples/cluster.json');
const policy = join(repo, 'examples/policy.json');

const tmpFile = tempFiles('rebalancer-cli-');

describe('rebalancer plan', () => {
  it('prints a plan with one drain for the sample Spot warning', async () => {
    // Act
    const result = await runCli(['plan', '--event', event('ec2-spot-instance-interruption-warning'), '--cluster', cluster, '--policy', policy]);
    // Assess
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as { actions: { type: string; containerInstances?: string[]; reason?: string; eventIds?: string[] }[] };
    const drains = plan.actions.filter((a) => a.type === 'drain');
    expect(drains).toHaveLength(1);
    expect(drains[0]).toMatchObject({
      reason: 'spot-interruption',
      containerInstances: ['arn:aws:ecs:us-east-1:123456789012:container-instance/prod/0f1e2d3c4b5a69788796a5b4c3d2e1f0'],
      eventIds: ['1e5527d7-bb36-4607-3370-4164db56a40e'],
    });
  });

  it('is deterministic: the same input prints the same bytes', async () => {
    const args = ['plan', '--event', event('ec2-instance-rebalance-recommendation'), '--cluster', cluster, '--policy', policy];
    const a = await runCli(args);
    const b = await runCli(args);
    expect(a.stdout).toBe(b.stdout);
  });

  it('reads events from standard input and accepts an array', async () => {
    const events = [event('ec2-spot-instance-interruption-warning'), event('cloudwatch-alarm-state-change')].map((f) => JSON.parse(readFileSync(f, 'utf8')) as unknown);
    const result = await runCli(['plan', '--event', '-', '--cluster', cluster], JSON.stringify(events));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveProperty('actions');
  });

  it('manages every given cluster with the defaults when no policy is given', async () => {
    const result = await runCli(['plan', '--event', event('ec2-spot-instance-interruption-warning'), '--cluster', cluster]);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { actions: { type: string }[] }).actions.some((a) => a.type === 'drain')).toBe(true);
  });

  it.each([
    ['a missing event file', () => ['--event', '/nonexistent/e.json', '--cluster', cluster], /^rebalancer: \/nonexistent\/e\.json: no such file\n$/],
    ['broken JSON', () => ['--event', tmpFile('e.json', '{"id": '), '--cluster', cluster], /e\.json: invalid JSON at line 1, column 8: unexpected end of input \(expected a value\)\n$/],
    ['a malformed event', () => ['--event', tmpFile('e.json', JSON.stringify({ ...JSON.parse(readFileSync(event('ec2-spot-instance-interruption-warning'), 'utf8')), detail: { 'instance-action': 'terminate' } })), '--cluster', cluster], /e\.json: detail\.instance-id: /],
    ['a malformed event in an array', () => ['--event', tmpFile('e.json', JSON.stringify([JSON.parse(readFileSync(event('ec2-spot-instance-interruption-warning'), 'utf8')), { source: 'aws.ec2' }])), '--cluster', cluster], /e\.json: \[1\]\./],
    ['an unknown field value in the policy', () => ['--event', event('ec2-spot-instance-interruption-warning'), '--cluster', cluster, '--policy', tmpFile('p.json', '{"clusters":{"prod":{"providers":{"spot-arm64":"cheap"}}}}')], /p\.json: clusters\.prod\.providers\.spot-arm64: expected "spot" or "on-demand"\n$/],
    ['a bad cluster file', () => ['--event', event('ec2-spot-instance-interruption-warning'), '--cluster', tmpFile('c.json', '{"cluster":"prod","capacityProviders":[{"name":"x","type":"EC3"}]}')], /c\.json: capacityProviders\[0\]\.type: /],
    ['a missing --cluster', () => ['--event', event('ec2-spot-instance-interruption-warning')], /--cluster is required/],
    ['an unknown option', () => ['--event', event('ec2-spot-instance-interruption-warning'), '--cluster', cluster, '--polcy', policy], /Unknown option '--polcy'/],
    ['a bad --now', () => ['--event', event('ec2-spot-instance-interruption-warning'), '--cluster', cluster, '--now', 'yesterday'], /--now: expected an ISO 8601 time/],
  ])('exits 2 with one line and no stack trace on %s', async (_name, args, message) => {
    const result = await runCli(['plan', ...args()]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('rebalancer validate', () => {
  it('accepts the example policy', async () => {
    const result = await runCli(['validate', '--policy', policy]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/valid policy for 1 cluster\(s\): prod/);
  });

  it('rejects an unknown key with its path', async () => {
    const result = await runCli(['validate', '--policy', tmpFile('p.json', '{"clusters":{},"guardrail":{}}')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/p\.json: guardrail: unknown key\n$/);
  });

  it.each([
    ['no cluster', '{"clusters":{}}', 'clusters: the policy manages no cluster'],
    [
      'two clusters sharing a first fallback alarm',
      '{"clusters":{"a":{"providers":{"od":"on-demand"},"fallback":{"to":"od","alarms":["spot"]}},"b":{"providers":{"od":"on-demand"},"fallback":{"to":"od","alarms":["spot"]}}}}',
      'clusters.b.fallback.alarms[0]: "spot" is already the fallback alarm of cluster a',
    ],
    [
      'a typo in fallback.to',
      '{"clusters":{"prod":{"providers":{"spot-arm":"spot","od-arm":"on-demand"},"fallback":{"to":"od-armm"}}}}',
      'clusters.prod.fallback.to: "od-armm" is not declared "on-demand" in clusters.prod.providers (declared on-demand: od-arm)',
    ],
  ])('refuses what the deploy refuses (%s), with the deploy’s message', async (_name, text, message) => {
    const result = await runCli(['validate', '--policy', tmpFile('p.json', text)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe('rebalancer', () => {
  it('exits 2 with usage on an unknown command', async () => {
    const result = await runCli(['plna']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command "plna"/);
  });
});
