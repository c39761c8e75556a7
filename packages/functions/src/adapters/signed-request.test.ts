import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ECSClient } from '@aws-sdk/client-ecs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorCode, isRetryable } from '../errors.js';
import { capturingHandler, type WireRequest } from '../test-support/signed-clients.js';
import { DYNAMODB_SERVICE, signedJsonClient, SSM_SERVICE } from './signed-request.js';

const CREDENTIALS = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };
// The SDK's own SHA-256 (what its signer hashes with).
const SHA256 = new SSMClient({ region: 'eu-west-1' }).config.sha256;
const PARAMETER = { Parameter: { Name: '/rebalancer/kill-switch', Type: 'String', Value: 'paused', Version: 3 } };

type Captured = WireRequest;
const capturing = (answer: { status: number; body: unknown } = { status: 200, body: PARAMETER }) => capturingHandler(answer);

/** Recomputes a request's SigV4 signature from its own headers, as a verifier does: the one it carries must come out. */
async function verifies(request: Captured, region: string, service: string): Promise<boolean> {
  const date = request.headers['x-amz-date'] ?? '';
  const signingDate = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
  const verifier = new SignatureV4({ credentials: CREDENTIALS, region, service, sha256: SHA256, uriEscapePath: true });
  // The payload hash is recomputed from the body, as AWS does, not taken from the header.
  const { authorization: _carried, 'x-amz-content-sha256': _hash, ...unsigned } = request.headers;
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(request.headers['authorization'] ?? '')?.[1]?.split(';') ?? [];
  const again = await verifier.sign({ ...request, query: {}, headers: unsigned }, { signingDate, signableHeaders: new Set(signedHeaders) });
  return again.headers['authorization'] === request.headers['authorization'];
}

/** A carrier of its own for the call, as client-factory.ts builds one. */
function carrier(options: { region?: string; requestHandler?: unknown; maxAttempts?: number } = {}) {
  return new ECSClient({
    region: options.region ?? 'eu-west-1',
    credentials: CREDENTIALS,
    retryStrategy: new ConfiguredRetryStrategy(options.maxAttempts ?? 3, 1),
    ...(options.requestHandler ? { requestHandler: options.requestHandler as never } : {}),
  });
}

/** A local HTTP server answering each request with the next of `answers` ('drop' closes the connection unanswered). */
async function serve(answers: ('drop' | { status: number; body: unknown; headers?: Record<string, string> })[]) {
  const seen: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers[Math.min(seen.length, answers.length) - 1] ?? 'drop';
      if (answer === 'drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `r-${seen.length}`, ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

afterEach(() => vi.useRealTimers());

describe('signedJsonClient against the SDK client it replaces', () => {
  it('builds the request client-ssm builds for GetParameter: same target, content type, host, body and a signature a verifier accepts', async () => {
    // Prepare
    vi.useFakeTimers({ now: new Date('2026-03-01T12:34:56Z'), toFake: ['Date'] });
    const oracle = capturing();
    const ours = capturing();
    const ssm = new SSMClient({ region: 'eu-west-1', credentials: CREDENTIALS, requestHandler: oracle.handler as never });

    // Act
    const sdkOutput = await ssm.send(new GetParameterCommand({ Name: '/rebalancer/kill-switch' }));
    const output = await signedJsonClient(carrier({ requestHandler: ours.handler }), SSM_SERVICE, { env: {} }).call('GetParameter', { Name: '/rebalancer/kill-switch' });

    // Assess
    const [sdk, mine] = [oracle.requests[0], ours.requests[0]];
    if (!sdk || !mine) throw new Error('no request captured');
    const matters = ['content-type', 'x-amz-target', 'host', 'content-length', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'];
    const pick = (r: Captured) => ({ method: r.method, protocol: r.protocol, hostname: r.hostname, path: r.path, body: r.body, ...Object.fromEntries(matters.map((h) => [h, r.headers[h]])) });
    expect(pick(mine)).toEqual(pick(sdk));
    expect(mine.headers['host']).toBe('ssm.eu-west-1.amazonaws.com');
    expect(mine.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE\/20260301\/eu-west-1\/ssm\/aws4_request, SignedHeaders=[^ ]*content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target/);
    expect(await verifies(sdk, 'eu-west-1', 'ssm')).toBe(true);
    expect(await verifies(mine, 'eu-west-1', 'ssm')).toBe(true);
    expect(await verifies({ ...mine, body: mine.body.replace('kill-switch', 'kill-swatch') }, 'eu-west-1', 'ssm')).toBe(false);
    expect(mine.headers['amz-sdk-request']).toBe('attempt=1; max=3');
    const { $metadata, ...rest } = output;
    expect(rest).toEqual(PARAMETER);
    expect(sdkOutput.Parameter?.Value).toBe('paused');
    expect($metadata).toMatchObject({ httpStatusCode: 200, requestId: 'r-1', attempts: 1 });
  });

  it('throws what client-ssm throws for an error answer: named by the code after "#", client fault, with its metadata', async () => {
    // Prepare
    const answer = { status: 400, body: { __type: 'com.amazonaws.ssm#ParameterNotFound', message: 'Parameter /x not found.' } };
    const oracle = capturing(answer);
    const ours = capturing(answer);
    const ssm = new SSMClient({ region: 'eu-west-1', credentials: CREDENTIALS, requestHandler: oracle.handler as never });

    // Act
    const sdkError = await ssm.send(new GetParameterCommand({ Name: '/x' })).then(
      () => ({}) as Record<string, unknown>,
      (e: unknown) => e as Record<string, unknown>,
    );
    const error = await signedJsonClient(carrier({ requestHandler: ours.handler }), SSM_SERVICE, { env: {} })
      .call('GetParameter', { Name: '/x' })
      .catch((e: unknown) => e as Record<string, unknown>);

    // Assess
    const shape = (e: Record<string, unknown>) => ({ name: e['name'], message: e['message'], $fault: e['$fault'], status: (e['$metadata'] as { httpStatusCode?: number }).httpStatusCode, isError: e instanceof Error });
    expect(shape(error)).toEqual(shape(sdkError));
    expect(shape(error)).toEqual({ name: 'ParameterNotFound', message: 'Parameter /x not found.', $fault: 'client', status: 400, isError: true });
    expect(errorCode(error)).toBe('ParameterNotFound');
    expect(ours.requests).toHaveLength(1);
  });
});

describe('signedJsonClient over the wire', () => {
  it('retries a throttled call as the SDK does and returns the answer that follows', async () => {
    const server = await serve([{ status: 400, body: { __type: 'com.amazonaws.ssm#ThrottlingException', message: 'Rate exceeded' } }, { status: 200, body: PARAMETER }]);
    try {
      const out = await signedJsonClient(carrier(), SSM_SERVICE, { endpoint: server.endpoint }).call('GetParameter', { Name: '/rebalancer/kill-switch' });

      expect(out.$metadata).toMatchObject({ httpStatusCode: 200, requestId: 'r-2', attempts: 2 });
      expect(server.seen.map((s) => s.headers['amz-sdk-request'])).toEqual(['attempt=1; max=3', 'attempt=2; max=3']);
      expect(server.seen[0]?.headers['amz-sdk-invocation-id']).toBe(server.seen[1]?.headers['amz-sdk-invocation-id']);
      expect(server.seen.map((s) => JSON.parse(s.body))).toEqual([{ Name: '/rebalancer/kill-switch' }, { Name: '/rebalancer/kill-switch' }]);
    } finally {
      await server.close();
    }
  });

  it('retries an answer lost with its connection and a 500, and gives up after maxAttempts with the network code', async () => {
    const recovering = await serve(['drop', { status: 500, body: { __type: 'InternalServerError', message: 'oops' } }, { status: 200, body: PARAMETER }]);
    const lost = await serve(['drop']);
    try {
      const out = await signedJsonClient(carrier(), SSM_SERVICE, { endpoint: recovering.endpoint }).call('GetParameter', { Name: 'p' });
      const error = await signedJsonClient(carrier({ maxAttempts: 2 }), SSM_SERVICE, { endpoint: lost.endpoint })
        .call('GetParameter', { Name: 'p' })
        .catch((e: unknown) => e);

      expect(out.$metadata.attempts).toBe(3);
      expect(recovering.seen).toHaveLength(3);
      expect(lost.seen).toHaveLength(2);
      expect(errorCode(error)).toBe('ECONNRESET');
      expect(isRetryable(error)).toBe(true);
    } finally {
      await recovering.close();
      await lost.close();
    }
  });

  it('does not retry an error that fails the same way every time, and names it by its code (awsJson1_0, DynamoDB)', async () => {
    const server = await serve([{ status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed' } }]);
    try {
      const error = await signedJsonClient(carrier(), DYNAMODB_SERVICE, { endpoint: server.endpoint })
        .call('PutItem', { TableName: 't', Item: { pk: { S: 'a' } } })
        .catch((e: unknown) => e as Record<string, unknown>);

      expect(server.seen).toHaveLength(1);
      expect(server.seen[0]?.headers['x-amz-target']).toBe('DynamoDB_20120810.PutItem');
      expect(server.seen[0]?.headers['content-type']).toBe('application/x-amz-json-1.0');
      expect(server.seen[0]?.headers['authorization']).toMatch(/\/eu-west-1\/dynamodb\/aws4_request, /);
      expect(errorCode(error)).toBe('ConditionalCheckFailedException');
      expect(error).toMatchObject({ $fault: 'client', message: 'The conditional request failed', $metadata: { httpStatusCode: 400, attempts: 1 } });
      expect(isRetryable(error)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('takes the code from x-amzn-errortype when the body has none', async () => {
    const server = await serve([{ status: 400, body: {}, headers: { 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/' } }]);
    try {
      const error = await signedJsonClient(carrier({ maxAttempts: 1 }), SSM_SERVICE, { endpoint: server.endpoint })
        .call('GetParameter', { Name: 'p' })
        .catch((e: unknown) => e);

      expect(errorCode(error)).toBe('AccessDeniedException');
    } finally {
      await server.close();
    }
  });
});

describe('signedJsonClient endpoints', () => {
  it.each([
    ['a commercial region', 'us-east-1', {}, 'https:', 'ssm.us-east-1.amazonaws.com'],
    ['a China region', 'cn-north-1', {}, 'https:', 'ssm.cn-north-1.amazonaws.com.cn'],
    ['AWS_ENDPOINT_URL_SSM over AWS_ENDPOINT_URL', 'us-east-1', { AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:4566', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }, 'http:', '127.0.0.1'],
    ['AWS_ENDPOINT_URL', 'us-east-1', { AWS_ENDPOINT_URL: 'http://localhost:9' }, 'http:', 'localhost'],
    ['none when told to ignore them', 'us-east-1', { AWS_ENDPOINT_URL: 'http://localhost:9', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, 'https:', 'ssm.us-east-1.amazonaws.com'],
  ])('%s', async (_name, region, env, protocol, hostname) => {
    const ours = capturing();

    await signedJsonClient(carrier({ region, requestHandler: ours.handler }), SSM_SERVICE, { env }).call('GetParameter', { Name: 'p' });

    expect({ protocol: ours.requests[0]?.protocol, hostname: ours.requests[0]?.hostname }).toEqual({ protocol, hostname });
    expect(ours.requests[0]?.headers['authorization']).toContain(`/${region}/ssm/aws4_request`);
  });
});
