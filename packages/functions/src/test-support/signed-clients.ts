// Test doubles of signed-request.ts: a client that records calls and answers from a script,
// and an SDK requestHandler that records the wire requests (the SDK's own client and ours
// alike), so a test compares what both would send.
import { Readable } from 'node:stream';
import { ECSClient } from '@aws-sdk/client-ecs';
import type { AwsJsonService, ResponseMetadata, SignedJsonClient } from '../adapters/signed-request.js';
import { signedJsonClient } from '../adapters/signed-request.js';

type Answer = object | Error | ((input: any) => object);

/** A SignedJsonClient that answers each operation from `on(...)`: the answers in turn, the last one repeated. */
export class RecordingSignedClient implements SignedJsonClient {
  readonly calls: { operation: string; input: any }[] = [];
  private readonly answers = new Map<string, Answer[]>();

  constructor(readonly service: AwsJsonService) {}

  on(operation: string, ...answers: Answer[]): this {
    this.answers.set(operation, answers);
    return this;
  }

  /** The inputs of the calls of `operation`, in order. */
  inputsOf(operation: string): any[] {
    return this.calls.filter((c) => c.operation === operation).map((c) => c.input);
  }

  reset(): void {
    this.calls.length = 0;
    this.answers.clear();
  }

  async call<O extends object>(operation: string, input: object): Promise<O & { $metadata: ResponseMetadata }> {
    this.calls.push({ operation, input: structuredClone(input) });
    const list = this.answers.get(operation);
    if (!list || list.length === 0) throw new Error(`RecordingSignedClient: no answer for ${this.service.targetPrefix}.${operation}`);
    const answer = list.length > 1 ? list.shift()! : list[0]!;
    if (answer instanceof Error) throw answer;
    const out = typeof answer === 'function' ? answer(input) : answer;
    return { ...(out as O), $metadata: { httpStatusCode: 200, attempts: 1 } };
  }

  destroy(): void {}
}

export interface WireRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** An SDK requestHandler that records each request and answers `status` with `body` as JSON. */
export function capturingHandler(answer: { status: number; body: unknown } = { status: 200, body: {} }) {
  const requests: WireRequest[] = [];
  const handler = {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: Omit<WireRequest, 'body'> & { body: unknown }) {
      requests.push({ ...request, headers: { ...request.headers }, body: typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body as Uint8Array) });
      return { response: { statusCode: answer.status, headers: { 'x-amzn-requestid': 'r-1', 'content-type': 'application/x-amz-json-1.1' }, body: Readable.from([Buffer.from(JSON.stringify(answer.body))]) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  return { requests, handler };
}

export const TEST_CREDENTIALS = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };

/** A signed client of `service` whose wire is `handler`, as client-factory.ts builds one. */
export function signedClientOn(service: AwsJsonService, handler: unknown, region = 'us-east-1'): SignedJsonClient {
  return signedJsonClient(new ECSClient({ region, credentials: TEST_CREDENTIALS, requestHandler: handler as never }), service, { env: {} });
}

/** What a test compares of two clients' requests: host, target, content type, credential scope, body. */
export function wireOf(request: WireRequest | undefined) {
  return {
    host: request?.headers['host'],
    target: request?.headers['x-amz-target'],
    type: request?.headers['content-type'],
    scope: /Credential=[^/]+\/\d+\/([^,]+),/.exec(request?.headers['authorization'] ?? '')?.[1],
    body: JSON.parse(request?.body ?? 'null') as unknown,
  };
}
