import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimApiError } from '../errors.js';
import type { Simulation } from '../model/simulation.js';
import { CLOUDWATCH_TARGET_PREFIX, handleCloudWatch } from './cloudwatch.js';
import { handleCloudWatchQuery, isCloudWatchQuery } from './cloudwatch-query.js';
import { DYNAMODB_TARGET_PREFIX, DynamoDbTables } from './dynamodb.js';
import { ECS_TARGET_PREFIX, handleEcs } from './ecs.js';
import { EVENTBRIDGE_TARGET_PREFIX, handleEventBridge } from './eventbridge.js';
import type { Input } from './protocol.js';

/** One call as it arrives on the wire. */
export interface WireCall {
  /** The X-Amz-Target prefix's service: `ecs`, `cloudwatch`, `eventbridge`, `dynamodb` or `sqs`. */
  service: string;
  action: string;
  input: Input;
  /** The request's number from its sender (`x-sim-request-seq`, scenario runs), if any. */
  seq?: number;
}

/** What the wire answers: a response, or a connection dropped without one. */
export type WireOutcome = { status: number; body: unknown; headers?: Record<string, string> } | { drop: true };

/** Runs the call (with `input` replaced, for partial failures) and gives its outcome. */
export type WireHandle = (input?: Input) => Promise<WireOutcome>;

export interface SimServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Wraps every call (the scenario runner's round trips on the virtual clock and injected faults). */
  around?: (call: WireCall, handle: WireHandle) => Promise<WireOutcome>;
  /** Serves SQS (`AmazonSQS.*`, JSON 1.0): the scenario runner's front of its queue. */
  sqs?: (action: string, input: Input, raw: { body: string; headers: Record<string, string> }) => Promise<WireOutcome>;
  /** The account's DynamoDB tables; default: none (every table is unknown until created on it). */
  dynamodb?: DynamoDbTables;
  /** Answers requests to `/_sim/…` (the control endpoint of `rebalancer sim serve`); absent, they are unknown operations. */
  control?: ControlHandler;
}

/** A control request (no X-Amz-Target): method, path with query, JSON body text; undefined for a path it does not serve. */
export type ControlHandler = (request: { method: string; url: string; body: string }) => { status: number; body: unknown } | undefined;

export interface SimServer {
  /** `http://127.0.0.1:PORT`: pass it as `endpoint` to the ECS, CloudWatch, EventBridge and DynamoDB clients. */
  endpoint: string;
  port: number;
  /** The DynamoDB tables it serves (create tables here). */
  dynamodb: DynamoDbTables;
  close(): Promise<void>;
}

interface Route {
  service: string;
  prefix: string;
  contentType: string;
  /** CloudWatch's JSON protocol is awsQueryCompatible: errors also carry `x-amzn-query-error`. */
  queryCompatible: boolean;
  handle: (sim: Simulation, action: string, input: Input) => unknown;
}

const ROUTES: readonly Route[] = [
  { service: 'ecs', prefix: ECS_TARGET_PREFIX, contentType: 'application/x-amz-json-1.1', queryCompatible: false, handle: handleEcs },
  { service: 'cloudwatch', prefix: CLOUDWATCH_TARGET_PREFIX, contentType: 'application/x-amz-json-1.0', queryCompatible: true, handle: handleCloudWatch },
  { service: 'eventbridge', prefix: EVENTBRIDGE_TARGET_PREFIX, contentType: 'application/x-amz-json-1.1', queryCompatible: false, handle: handleEventBridge },
];

const SQS_TARGET_PREFIX = 'AmazonSQS.';
const SQS_ROUTE: Route = { service: 'sqs', prefix: SQS_TARGET_PREFIX, contentType: 'application/x-amz-json-1.0', queryCompatible: true, handle: () => ({}) };

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

/** The wire form of an AWS error for a route (JSON body, `x-amzn-errortype`, the query-compatible header). */
export function errorOutcome(error: SimApiError, queryCompatible: boolean): WireOutcome {
  const headers: Record<string, string> = { 'x-amzn-errortype': error.code };
  if (queryCompatible) headers['x-amzn-query-error'] = `${error.code};${error.httpStatus >= 500 ? 'Receiver' : 'Sender'}`;
  return { status: error.httpStatus, body: { __type: error.code, message: error.message, ...error.extra }, headers };
}

function sendError(res: ServerResponse, route: Route | undefined, error: SimApiError): void {
  const out = errorOutcome(error, route?.queryCompatible ?? false) as { status: number; body: unknown; headers: Record<string, string> };
  send(res, out.status, route?.contentType ?? 'application/x-amz-json-1.1', out.body, out.headers);
}

/** DynamoDB's route: its tables live beside the simulation, its calls count with the others. */
function dynamoDbRoute(tables: DynamoDbTables): Route {
  return {
    service: 'dynamodb',
    prefix: DYNAMODB_TARGET_PREFIX,
    contentType: 'application/x-amz-json-1.0',
    queryCompatible: false,
    handle: (sim, action, input) => {
      sim.recordApiCall(action, false);
      return tables.handle(action, input);
    },
  };
}

async function serve(sim: Simulation, options: SimServerOptions, routes: readonly Route[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const route = routes.find((r) => target.startsWith(r.prefix)) ?? (options.sqs && target.startsWith(SQS_TARGET_PREFIX) ? SQS_ROUTE : undefined);
  const body = await readBody(req);
  if (!target && req.method === 'POST' && isCloudWatchQuery(req.headers['content-type'], body)) {
    const requestId = `sim-${(++requestCounter).toString(16).padStart(8, '0')}`;
    const { status, xml } = handleCloudWatchQuery(sim, body, requestId);
    res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml), 'x-amzn-requestid': requestId });
    res.end(xml);
    return;
  }
  if (!target && options.control && (req.url ?? '').startsWith('/_sim/')) {
    const answer = options.control({ method: req.method ?? 'GET', url: req.url ?? '/', body });
    if (answer) return send(res, answer.status, 'application/json', answer.body);
  }
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
    sendError(res, route, new SimApiError(route.service === 'dynamodb' ? 'com.amazon.coral.service#SerializationException' : 'SerializationException', 'The request body is not a JSON object.'));
    return;
  }
  const action = target.slice(route.prefix.length);
  const handle: WireHandle = async (given = input) => {
    try {
      if (route === SQS_ROUTE) return await options.sqs!(action, given, { body, headers: flat(req.headers) });
      return { status: 200, body: route.handle(sim, action, given) ?? {} };
    } catch (error) {
      if (error instanceof SimApiError) return errorOutcome(error, route.queryCompatible);
      const code = route.service === 'dynamodb' ? 'com.amazonaws.dynamodb.v20120810#InternalServerError' : 'ServerException';
      return errorOutcome(new SimApiError(code, error instanceof Error ? error.message : String(error), { cause: error, httpStatus: 500 }), route.queryCompatible);
    }
  };
  const seq = Number(req.headers['x-sim-request-seq'] ?? Number.NaN);
  const call: WireCall = { service: route.service, action, input, ...(Number.isInteger(seq) ? { seq } : {}) };
  const outcome = options.around ? await options.around(call, handle) : await handle();
  if ('drop' in outcome) {
    res.destroy();
    return;
  }
  send(res, outcome.status, route.contentType, outcome.body, outcome.headers);
}

function flat(headers: IncomingMessage['headers']): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v]])));
}

/**
 * Serves the simulation over HTTP on one endpoint for the ECS (JSON 1.1), CloudWatch
 * (JSON 1.0, query-compatible), EventBridge (JSON 1.1) and DynamoDB (JSON 1.0) clients, routed
 * by `X-Amz-Target`.
 * Signatures are not checked: any credentials work.
 */
export async function startSimServer(sim: Simulation, options: SimServerOptions = {}): Promise<SimServer> {
  const dynamodb = options.dynamodb ?? new DynamoDbTables({ now: () => sim.clock.now(), region: sim.region, accountId: sim.accountId });
  const routes = [...ROUTES, dynamoDbRoute(dynamodb)];
  const server = createServer((req, res) => {
    serve(sim, options, routes, req, res).catch((error: unknown) => {
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
    dynamodb,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
