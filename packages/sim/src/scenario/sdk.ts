// What the handlers' SDK clients need in a sim run: an HTTP handler the runner can count
// (see virtual-time.ts), and a retry strategy whose back-off waits on the virtual clock.
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { VirtualScheduler } from './virtual-time.js';

/** The part of smithy's HttpRequest the handler reads. */
interface WireRequest {
  method: string;
  protocol?: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/** An SDK `requestHandler` (smithy HttpHandler shape). */
export interface SimRequestHandler {
  metadata: { handlerProtocol: string };
  handle(request: WireRequest, options?: { abortSignal?: AbortSignal }): Promise<{ response: { statusCode: number; reason?: string; headers: Record<string, string>; body: Readable } }>;
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): Record<string, never>;
  destroy(): void;
}

/** The header that carries a request's number (its place in the handlers' order of sending) to the wire. */
export const REQUEST_SEQ_HEADER = 'x-sim-request-seq';

/** Real milliseconds to wait, drawn per use: tests inject it to stand for a loaded machine. */
export type RealJitter = () => number;

/** Waits `jitter()` real milliseconds (nothing without a jitter). */
export async function realDelay(jitter: RealJitter | undefined): Promise<void> {
  const ms = jitter?.() ?? 0;
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * HTTP/1.1 over node:http for the local endpoints, counted by the scheduler from send until
 * the whole body is in (so no byte of an answer is in flight when the runner moves time),
 * each request numbered for the wire (REQUEST_SEQ_HEADER, see VirtualScheduler.admit).
 * A dropped connection surfaces as Node's ECONNRESET, which the SDK retries as transient.
 * `jitter` (tests) delays each request before it is sent and its answer before it is handed
 * back, in real time.
 */
export function countedRequestHandler(scheduler: VirtualScheduler, onRequest?: (counting: boolean) => void, jitter?: RealJitter): SimRequestHandler {
  // No socket limit: a request waiting for a socket is neither held by the wire nor done, so
  // with every socket held on the virtual clock the runner could never move time again.
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    handle(request, options = {}) {
      onRequest?.(true);
      const sent = async (seq: number) => {
        await realDelay(jitter);
        const answer = await send(agent, request, seq, options.abortSignal);
        await realDelay(jitter);
        return answer;
      };
      return scheduler.track(sent).finally(() => onRequest?.(false));
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy: () => agent.destroy(),
  };
}

type Answer = Awaited<ReturnType<SimRequestHandler['handle']>>;

/** One request over `agent`, resolved once the whole answer is in. */
function send(agent: Agent, request: WireRequest, seq: number, abortSignal: AbortSignal | undefined): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const query = Object.entries(request.query ?? {})
      .flatMap(([k, v]) => (v === null ? [encodeURIComponent(k)] : [v].flat().map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`)))
      .join('&');
    const req = httpRequest(
      {
        agent,
        method: request.method,
        hostname: request.hostname,
        ...(request.port !== undefined ? { port: request.port } : {}),
        path: query ? `${request.path}?${query}` : request.path,
        headers: { ...request.headers, [REQUEST_SEQ_HEADER]: String(seq) },
        ...(abortSignal ? { signal: abortSignal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ response: { statusCode: res.statusCode ?? 0, ...(res.statusMessage ? { reason: res.statusMessage } : {}), headers: flatHeaders(res.headers), body: Readable.from([Buffer.concat(chunks)]) } }),
        );
      },
    );
    req.on('error', reject);
    const body = request.body;
    if (body === undefined || body === null) req.end();
    else if (typeof body === 'string' || body instanceof Uint8Array) req.end(body);
    else if (body instanceof Readable) body.pipe(req);
    else req.end(String(body));
  });
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

interface RetryErrorInfo {
  errorType: 'TRANSIENT' | 'THROTTLING' | 'SERVER_ERROR' | 'CLIENT_ERROR';
}

class Token {
  constructor(
    readonly count: number,
    readonly cost: number | undefined,
  ) {}
  getRetryCount(): number {
    return this.count;
  }
  getRetryDelay(): number {
    return 0;
  }
  getRetryCost(): number | undefined {
    return this.cost;
  }
}

/**
 * The SDK's standard retry strategy (smithy `StandardRetryStrategy`, as installed: retry
 * THROTTLING and TRANSIENT errors until `maxAttempts`, full-jitter exponential back-off from
 * 50 ms, 1 s for throttling, at most 20 s; a client retry quota of 500 tokens, 14 per retry,
 * 5 per throttling retry, refunded on success), with its wait on the virtual clock: the token
 * comes back after the virtual delay and tells the middleware to wait 0 ms more. The adaptive
 * mode's client-side rate limiter (production's `retryMode: 'adaptive'`) is not modelled.
 */
export class VirtualRetryStrategy {
  readonly mode = 'standard';
  #capacity = 500;
  readonly #maxAttempts: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;

  constructor(maxAttempts: number, sleep: (ms: number) => Promise<void>, random: () => number) {
    this.#maxAttempts = maxAttempts;
    this.#sleep = sleep;
    this.#random = random;
  }

  async acquireInitialRetryToken(): Promise<Token> {
    return new Token(0, undefined);
  }

  async refreshRetryTokenForRetry(token: Token, errorInfo: RetryErrorInfo): Promise<Token> {
    const throttling = errorInfo.errorType === 'THROTTLING';
    const retryable = throttling || errorInfo.errorType === 'TRANSIENT';
    const cost = throttling ? 5 : 14;
    if (!retryable || token.getRetryCount() + 1 >= this.#maxAttempts || this.#capacity < cost) throw new Error('No retry token available');
    this.#capacity -= cost;
    const base = throttling ? 1000 : 50;
    await this.#sleep(Math.floor(this.#random() * Math.min(base * 2 ** token.getRetryCount(), 20_000)));
    return new Token(token.getRetryCount() + 1, cost);
  }

  recordSuccess(token: Token): void {
    this.#capacity = Math.min(500, this.#capacity + (token.getRetryCost() ?? 1));
  }

  async maxAttempts(): Promise<number> {
    return this.#maxAttempts;
  }
}
