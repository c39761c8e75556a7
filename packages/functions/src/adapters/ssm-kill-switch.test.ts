import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Log } from '../ports.js';
import { createClients } from './clients.js';
import { KILL_SWITCH_CACHE_MS, SsmKillSwitch } from './ssm-kill-switch.js';

const NAME = '/ecs-rebalancer/kill-switch';
type Answer = 'drop' | { status: number; body: unknown };

// A local SSM: each GetParameter is answered by `answer` (the same for every attempt).
let answer: Answer = { status: 200, body: {} };
const calls: { target: string | undefined; body: unknown }[] = [];
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    calls.push({ target: req.headers['x-amz-target'] as string | undefined, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    if (answer === 'drop') {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(answer.body));
  });
});
let endpoint = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  calls.length = 0;
});

const value = (v: string): Answer => ({ status: 200, body: { Parameter: { Name: NAME, Type: 'String', Value: v, Version: 1 } } });
const notFound: Answer = { status: 400, body: { __type: 'com.amazonaws.ssm#ParameterNotFound', message: '' } };
const throttled: Answer = { status: 400, body: { __type: 'com.amazonaws.ssm#ThrottlingException', message: 'Rate exceeded' } };

function recordingLog(): Log & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The switch as the functions build it: the SSM client of createClients, on the local endpoint. */
function aSwitch() {
  let now = Date.parse('2026-01-05T09:00:00Z');
  const log = recordingLog();
  const clients = createClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
    endpoints: { ssm: endpoint },
    retryStrategy: new ConfiguredRetryStrategy(2, 1),
  });
  const killSwitch = new SsmKillSwitch(clients.ssm, NAME, { clock: () => new Date(now), log });
  return { killSwitch, log, advance: (ms: number) => (now += ms) };
}

describe('SsmKillSwitch', () => {
  it.each([
    ['active', value('active'), 'active'],
    ['paused, whatever its case and spaces', value(' Paused\n'), 'paused'],
    ['dry-run', value('dry-run'), 'dry-run'],
    ['a value that is none of the three, as paused', value('pause'), 'paused'],
    ['a parameter that does not exist, as active', notFound, 'active'],
  ])('reads %s', async (_name, given, mode) => {
    answer = given;
    const { killSwitch } = aSwitch();

    expect(await killSwitch.mode()).toEqual({ mode, source: `ssm:${NAME}` });
    expect(calls).toEqual([{ target: 'AmazonSSM.GetParameter', body: { Name: NAME } }]);
  });

  it('logs a value that is none of the three as an error', async () => {
    answer = value('stop');
    const { killSwitch, log } = aSwitch();

    await killSwitch.mode();

    expect(log.lines).toEqual([{ level: 'error', message: 'kill switch value is not active, paused or dry-run: treated as paused' }]);
  });

  it('reads SSM once per cache period, then again', async () => {
    answer = value('paused');
    const { killSwitch, advance } = aSwitch();

    await killSwitch.mode();
    advance(KILL_SWITCH_CACHE_MS - 1);
    answer = value('active');
    const cached = await killSwitch.mode();
    advance(1);
    const fresh = await killSwitch.mode();

    expect([cached.mode, fresh.mode]).toEqual(['paused', 'active']);
    expect(calls).toHaveLength(2);
  });

  it.each([
    ['throttled past its retries', throttled],
    ['unanswered', 'drop' as const],
  ])('keeps the last value read when SSM is %s, and is active before any', async (_name, failure) => {
    const { killSwitch, advance, log } = aSwitch();
    answer = failure;
    const before = await killSwitch.mode();
    answer = value('paused');
    advance(KILL_SWITCH_CACHE_MS);
    await killSwitch.mode();
    answer = failure;
    advance(KILL_SWITCH_CACHE_MS);
    const after = await killSwitch.mode();

    expect([before.mode, after.mode]).toEqual(['active', 'paused']);
    expect(log.lines.map((l) => l.level)).toEqual(['warn', 'warn']);
    // Two attempts per failed read (the retry strategy's maxAttempts), one for the good one.
    expect(calls).toHaveLength(5);
  });
});
