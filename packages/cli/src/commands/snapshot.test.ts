// `rebalancer sim serve` and `rebalancer snapshot` as a user runs them: real processes, the
// standalone simulator on 127.0.0.1, the real AWS CLI (Debian's awscli, installed by .ci/run)
// and the production adapters on the real SDK.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { parseClusterState } from '@ecs-rebalancer/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBinAsync, serveSimulator, type Served } from '../test-support/cli-process.js';
import { tempFiles } from '../test-support/temp-files.js';
import { SNAPSHOT_ACTIONS } from './snapshot.js';

const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
const file = tempFiles('snapshot-');
// No credentials and no profile of the machine: a loopback endpoint needs none.
const clean = Object.fromEntries(
  ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_ECS', 'AWS_ENDPOINT_URL_CLOUDWATCH'].map((k) => [k, undefined]),
);

let served: Served;
beforeAll(async () => {
  served = await serveSimulator(['--scenario', 'spot-storm']);
}, 90_000);
afterAll(async () => {
  expect(await served.stop()).toBe(0);
});

// Each AWS CLI call starts Python (1–3 s on this machine): asynchronously, so the test worker stays responsive.
async function aws(...args: string[]): Promise<unknown> {
  const { stdout: out } = await promisify(execFile)(AWS, [...args, '--endpoint-url', served.endpoint, '--region', 'us-east-1', '--output', 'json'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_PAGER: '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
  });
  return JSON.parse(out);
}

async function control(path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${served.endpoint}${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, ...((await res.json()) as Record<string, unknown>) };
}

describe('rebalancer sim serve, read by the AWS CLI', () => {
  it('lists and describes clusters, services, container instances, capacity providers and alarms', { timeout: 180_000 }, async () => {
    expect(await aws('ecs', 'list-clusters')).toEqual({ clusterArns: ['arn:aws:ecs:us-east-1:123456789012:cluster/prod'] });
    const cluster = (await aws('ecs', 'describe-clusters', '--clusters', 'prod')) as { clusters: { capacityProviders: string[] }[] };
    expect(cluster.clusters[0]!.capacityProviders).toEqual(['spot-arm64', 'od-arm64']);
    const services = (await aws('ecs', 'list-services', '--cluster', 'prod')) as { serviceArns: string[] };
    expect(services.serviceArns.map((a) => a.split('/').pop()).sort()).toEqual(['api', 'web']);
    const web = (await aws('ecs', 'describe-services', '--cluster', 'prod', '--services', 'web')) as { services: { capacityProviderStrategy: unknown[] }[] };
    expect(web.services[0]!.capacityProviderStrategy).toEqual([
      { capacityProvider: 'spot-arm64', base: 0, weight: 3 },
      { capacityProvider: 'od-arm64', base: 2, weight: 1 },
    ]);
    // The CLI pages on its own (--page-size 5): every instance comes back, once.
    const listed = (await aws('ecs', 'list-container-instances', '--cluster', 'prod', '--page-size', '5')) as { containerInstanceArns: string[] };
    expect(new Set(listed.containerInstanceArns).size).toBe(12);
    const described = (await aws('ecs', 'describe-container-instances', '--cluster', 'prod', '--container-instances', ...listed.containerInstanceArns.slice(0, 3))) as {
      containerInstances: { ec2InstanceId: string; status: string }[];
    };
    expect(described.containerInstances.map((c) => c.status)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
    const providers = (await aws('ecs', 'describe-capacity-providers', '--capacity-providers', 'spot-arm64')) as { capacityProviders: { name: string }[] };
    expect(providers.capacityProviders.map((p) => p.name)).toEqual(['spot-arm64']);
    // Debian's AWS CLI speaks CloudWatch's query protocol (form in, XML out).
    const alarms = (await aws('cloudwatch', 'describe-alarms', '--alarm-names', 'prod-spot-interruptions')) as { MetricAlarms: { AlarmName: string; StateValue: string }[] };
    expect(alarms.MetricAlarms).toMatchObject([{ AlarmName: 'prod-spot-interruptions', StateValue: 'OK' }]);
  });

  it('moves virtual time and injects an interruption and an alarm through the control endpoint', { timeout: 120_000 }, async () => {
    const interrupted = await control('/_sim/interrupt', { cluster: 'prod', capacityProvider: 'spot-arm64', count: 1 });
    const events = interrupted.events as { 'detail-type': string; detail: { 'instance-id': string } }[];
    expect(events.map((e) => e['detail-type'])).toEqual(['EC2 Spot Instance Interruption Warning']);
    const alarm = await control('/_sim/alarm', { name: 'prod-spot-interruptions', state: 'ALARM' });
    expect((alarm.events as { 'detail-type': string }[])[0]!['detail-type']).toBe('CloudWatch Alarm State Change');
    expect(await aws('cloudwatch', 'describe-alarms', '--state-value', 'ALARM')).toMatchObject({ MetricAlarms: [{ AlarmName: 'prod-spot-interruptions' }] });
    const advanced = await control('/_sim/advance', { seconds: 130 });
    expect(advanced.elapsedSeconds).toBeGreaterThanOrEqual(130);
    // Two minutes after its warning the instance is gone; a Spot warning of the scenario's timeline (t=60) came too.
    const report = (await control('/_sim/report')) as { interruptions: { ec2InstanceId: string; terminatedAt: string | null }[] };
    expect(report.interruptions.find((i) => i.ec2InstanceId === events[0]!.detail['instance-id'])?.terminatedAt).not.toBeNull();
    expect(report.interruptions.length).toBeGreaterThan(1);
    expect(await control('/_sim/interrupt', { cluster: 'prod', capacityProvider: 'nope', count: 1 })).toMatchObject({ status: 400, message: expect.stringContaining('nope') });
  });
});

describe('rebalancer snapshot against sim serve', () => {
  it('writes the ClusterState that plan takes, alarms from the policy included, with no credentials configured', async () => {
    const out = `${file('x', '')}.json`;
    const callsBefore = ((await control('/_sim/report')) as { apiCalls: Record<string, number> }).apiCalls;
    const result = await runBinAsync(['snapshot', '--endpoint-url', served.endpoint, '--cluster', 'prod', '--policy', 'examples/policy.json', '--out', out], { env: clean });
    // Only reads, and only the ones the README's IAM policy for snapshot allows.
    const callsAfter = ((await control('/_sim/report')) as { apiCalls: Record<string, number> }).apiCalls;
    const made = Object.keys(callsAfter).filter((k) => callsAfter[k] !== callsBefore[k]);
    expect(made.map((a) => (a === 'DescribeAlarms' ? `cloudwatch:${a}` : `ecs:${a}`)).sort()).toEqual([...SNAPSHOT_ACTIONS].sort());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^snapshot of prod \(\d+ instances, 2 services, 1 alarms\) written to /);
    const state = parseClusterState(JSON.parse(readFileSync(out, 'utf8')));
    expect(state.capacityProviders.map((p) => p.name)).toEqual(['spot-arm64', 'od-arm64']);
    expect(state.services.map((s) => s.name).sort()).toEqual(['api', 'web']);
    expect(Object.keys(state.alarms)).toEqual(['prod-spot-interruptions']);
    expect(state.containerInstances.length).toBeGreaterThan(0);
    expect(state.containerInstances.every((i) => i.instanceType && i.availabilityZone)).toBe(true);

    const plan = await runBinAsync(['plan', '--event', 'fixtures/events/ec2-spot-instance-interruption-warning.json', '--cluster', out]);
    expect(plan.status).toBe(0);
    expect(JSON.parse(plan.stdout)).toHaveProperty('skipped');
  });

  it('takes its endpoints from AWS_ENDPOINT_URL_ECS and AWS_ENDPOINT_URL_CLOUDWATCH', async () => {
    const result = await runBinAsync(['snapshot', '--cluster', 'prod', '--alarm', 'prod-spot-interruptions'], {
      env: { ...clean, AWS_ENDPOINT_URL_ECS: served.endpoint, AWS_ENDPOINT_URL_CLOUDWATCH: served.endpoint },
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ cluster: 'prod', alarms: { 'prod-spot-interruptions': expect.any(String) } });
  });

  it('names a cluster that does not exist, in one line with exit 2', async () => {
    const result = await runBinAsync(['snapshot', '--endpoint-url', served.endpoint, '--cluster', 'prod', '--cluster', 'staging'], { env: clean });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`rebalancer: snapshot: no cluster named staging in us-east-1 at ${served.endpoint}\n`);
  });
});
