// The react bundle as deployed (scripts/bundle.ts: minified, SDK bundled, the credential
// chain reduced to the environment) loaded in a fresh node with Lambda's environment, run on
// a Spot warning against the simulator: it must sign its calls with the environment's
// credentials and drain the instance; with a kill switch, it must read it from SSM (signed
// by signed-request.ts, no client-ssm bundled) and, paused, drain nothing.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { aCluster, aSpotWarning, someInstances } from '@ecs-rebalancer/core/test-support';
import { createSimulation, startSimServer } from '@ecs-rebalancer/sim';
import { describe, expect, it } from 'vitest';
import { HANDLERS, bundleEntry } from '../scripts/bundle.js';

function runBundle(outfile: string, env: Record<string, string>, event: unknown): Promise<string> {
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(outfile).href)});
const out = await handler(${JSON.stringify(event)}, { awsRequestId: 'r', functionName: 'f', getRemainingTimeInMillis: () => 60000 });
process.stdout.write('RESULT ' + JSON.stringify(out ?? null));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}: ${stderr.slice(0, 2000)}`))));
  });
}

const CLUSTER = aCluster({ cluster: 'prod', services: [], containerInstances: someInstances(2, {}, 'abcd') });

/** A local SSM answering every GetParameter with `value`, recording the requests' headers. */
async function serveParameter(value: string) {
  const seen: Record<string, string | string[] | undefined>[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ Parameter: { Name: '/ecs-rebalancer/kill-switch', Type: 'String', Value: value, Version: 1 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let bundled: ReturnType<typeof bundleEntry> | undefined;
const reactBundle = () => (bundled ??= bundleEntry('react', HANDLERS.react, { outdir: mkdtempSync(join(tmpdir(), 'react-bundle-')) }));

describe('the react bundle as deployed', () => {
  it.each([
    ['signs with the environment credentials and drains a warned instance', undefined, 1],
    ['reads the kill switch from SSM, signed with the same credentials, and paused drains nothing', 'paused', 0],
  ])('%s', { timeout: 120_000 }, async (_name, killSwitch, drains) => {
    // Prepare
    const bundle = await reactBundle();
    const sim = createSimulation({ clusters: [CLUSTER], start: '2026-01-05T09:00:00Z', seed: 3 });
    const server = await startSimServer(sim);
    const ssm = await serveParameter(killSwitch ?? 'active');
    const warning = aSpotWarning({ id: 'e1', instanceId: CLUSTER.containerInstances[0]?.ec2InstanceId ?? '', time: '2026-01-05T09:00:00Z', region: sim.region, account: sim.accountId });
    const event = { Records: [{ messageId: 'm1', receiptHandle: 'h', body: JSON.stringify(warning), attributes: { ApproximateReceiveCount: '1' }, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:q', awsRegion: 'us-east-1' }] };
    try {
      // Act
      const stdout = await runBundle(
        bundle.outfile,
        {
          AWS_REGION: sim.region,
          AWS_ACCESS_KEY_ID: 'ASIALAMBDAROLE',
          AWS_SECRET_ACCESS_KEY: 'secret',
          AWS_SESSION_TOKEN: 'token',
          AWS_ENDPOINT_URL: server.endpoint,
          AWS_ENDPOINT_URL_SSM: ssm.endpoint,
          AWS_LAMBDA_FUNCTION_NAME: 'ecs-rebalancer-react',
          REBALANCER_POLICY: JSON.stringify({ clusters: { prod: { providers: Object.fromEntries(CLUSTER.capacityProviders.map((p) => [p.name, p.name.includes('spot') ? 'spot' : 'on-demand']))  } } }),
          REBALANCER_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/ecs-rebalancer-dlq',
          ...(killSwitch ? { REBALANCER_KILL_SWITCH_PARAMETER: '/ecs-rebalancer/kill-switch' } : {}),
        },
        event,
      );

      // Assess
      expect(stdout.slice(stdout.indexOf('RESULT'))).toBe('RESULT {"batchItemFailures":[]}');
      expect(sim.report().drains.map((d) => d.ec2InstanceId)).toEqual(CLUSTER.containerInstances.slice(0, drains).map((i) => i.ec2InstanceId));
      expect(ssm.seen.map((h) => [h['x-amz-target'], h['x-amz-security-token'], /^AWS4-HMAC-SHA256 Credential=ASIALAMBDAROLE\/\d{8}\/[a-z0-9-]+\/ssm\/aws4_request, /.test(String(h['authorization']))])).toEqual(
        killSwitch ? [['AmazonSSM.GetParameter', 'token', true]] : [],
      );
    } finally {
      await server.close();
      await ssm.close();
    }
  });
});

describe('what the bundles leave out', () => {
  it('bundles neither the default credential chain, the event-stream codec nor whole SDK package.json files, and says why if a stream were called', { timeout: 120_000 }, async () => {
    // Act
    const bundle = await reactBundle();

    // Assess
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs.filter((p) => p.includes('@smithy/core/dist-es/submodules/event-streams/') || p.includes('credential-provider-node'))).toEqual([]);
    // The kill switch's one GetParameter goes through signed-request.ts: no generated SSM client.
    expect(inputs.filter((p) => p.includes('@aws-sdk/client-ssm/'))).toEqual([]);
    expect(inputs).toContain('scripts/no-event-streams.ts');
    const code = readFileSync(bundle.outfile, 'utf8');
    expect(code).toContain('event streams are not bundled');
    // Of an SDK client's package.json only the version (its User-Agent) is kept.
    expect(code).not.toContain('devDependencies');
  });
});
