import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimApiError } from '../errors.js';
import type { Simulation } from '../model/simulation.js';
import { CLOUDWATCH_TARGET_PREFIX, handleCloudWatch } from './cloudwatch.js';
import { ECS_TARGET_PREFIX, handleEcs } from './ecs.js';
import { EVENTBRIDGE_TARGET_PREFIX, handleEventBridge } from './eventbridge.js';
import type { Input } from './protocol.js';

export interface SimServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface SimServer {
  /** `http://127.0.0.1:PORT`: pass it as `endpoint` to the ECS, CloudWatch and EventBridge clients. */
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

interface Route {
  prefix: string;
  contentType: string;
  /** CloudWatch's JSON protocol is awsQueryCompatible: errors also carry `x-amzn-query-error`. */
  queryCompatible: boolean;
  handle: (sim: Simulation, action: string, input: Input) => unknown;
}

const ROUTES: readonly Route[] = [
  { prefix: ECS_TARGET_PREFIX, contentType: 'application/x-amz-json-1.1', queryCompatible: false, handle: handleEcs },
  { prefix: CLOUDWATCH_TARGET_PREFIX, contentType: 'application/x-amz-json-1.0', queryCompatible: true, handle: handleCloudWatch },
  { prefix: EVENTBRIDGE_TARGET_PREFIX, contentType: 'application/x-amz-json-1.1', queryCompatible: false, handle: handleEventBridge },
];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

let requestCounter = 0;

function send(res: ServerResponse, status: number, contentType: string, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': `sim-${(++requestCounter).toString(16).padStart(8, '0')}`,
    ...extra,
  });
  res.end(text);
}

function sendError(res: ServerResponse, route: Route | undefined, error: SimApiError): void {
  const headers: Record<string, string> = { 'x-amzn-errortype': error.code };
  if (route?.queryCompatible) headers['x-amzn-query-error'] = `${error.code};${error.httpStatus >= 500 ? 'Receiver' : 'Sender'}`;
  send(res, error.httpStatus, route?.contentType ?? 'application/x-amz-json-1.1', { __type: error.code, message: error.message }, headers);
}

async function serve(sim: Simulation, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const route = ROUTES.find((r) => target.startsWith(r.prefix));
  const body = await readBody(req);
  if (req.method !== 'POST' || !route) {
    sendError(
      res,
      route,
      new SimApiError(
        'UnknownOperationException',
        target
          ? `Unknown X-Amz-Target ${target}.`
          : 'The simulator serves the AWS JSON protocols only (X-Amz-Target header required; CloudWatch via JSON 1.0, not the query protocol).',
      ),
    );
    return;
  }
  let input: Input;
  try {
    const parsed: unknown = body.trim() === '' ? {} : JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    input = parsed as Input;
  } catch {
    sendError(res, route, new SimApiError('SerializationException', 'The request body is not a JSON object.'));
    return;
  }
  try {
    const out = route.handle(sim, target.slice(route.prefix.length), input);
    send(res, 200, route.contentType, out ?? {});
  } catch (error) {
    if (error instanceof SimApiError) sendError(res, route, error);
    else sendError(res, route, new SimApiError('ServerException', error instanceof Error ? error.message : String(error), { cause: error }));
  }
}

/**
 * Serves the simulation over HTTP on one endpoint for the ECS (JSON 1.1), CloudWatch
 * (JSON 1.0, query-compatible) and EventBridge (JSON 1.1) clients, routed by `X-Amz-Target`.
 * Signatures are not checked: any credentials work.
 */
export async function startSimServer(sim: Simulation, options: SimServerOptions = {}): Promise<SimServer> {
  const server = createServer((req, res) => {
    serve(sim, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, undefined, new SimApiError('ServerException', String(error)));
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
