// Failures of I/O, typed by what the caller must do with them: a retryable failure is
// reported in `batchItemFailures` so SQS delivers the record again; a permanent one will fail
// the same way every time, so it is logged and acknowledged with a skip reason.

/** What both kinds of I/O failure carry besides the message: the cause and its AWS code. */
abstract class IoFailure extends Error {
  /** The AWS error code or name of the cause (`ThrottlingException`), when it has one. */
  readonly code: string | undefined;
  constructor(message: string, options: { cause?: unknown; code?: string } = {}) {
    super(message, { cause: options.cause });
    this.code = options.code;
  }
}

/** A call that failed for a passing reason (throttling, 5xx, a timeout, the network). */
export class RetryableError extends IoFailure {
  override name = 'RetryableError' as const;
  readonly retryable = true;
}

/** A call that will fail the same way when repeated (access denied, invalid parameter, not found). */
export class PermanentError extends IoFailure {
  override name = 'PermanentError' as const;
  readonly retryable = false;
}

/** The function's environment is wrong (a bad policy): it must fail loudly at cold start. */
export class ConfigError extends Error {
  override name = 'ConfigError' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export type IoError = RetryableError | PermanentError;

// The codes the SDK's own retry strategy treats as throttling or transient
// (@smithy service-error-classification); after the SDK gave up on them they are still
// worth a later delivery of the record. Not LimitExceededException, which smithy lists: in
// ECS (and CloudWatch) it means a resource limit was reached (tags per resource, services
// per cluster), which fails the same way on every delivery.
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);
const TRANSIENT_CODES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
  // ECS: "These errors are usually caused by a server issue."
  'ServerException',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** The AWS error code (SDK v3 sets `name`), or a Node network error code. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as SdkErrorShape;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  return typeof e.name === 'string' ? e.name : typeof e.code === 'string' ? e.code : undefined;
}

/** True for throttling, 5xx, timeouts and network failures: worth trying again later. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof RetryableError) return true;
  if (error instanceof PermanentError || typeof error !== 'object' || error === null) return false;
  const e = error as SdkErrorShape;
  const code = errorCode(error);
  if (code !== undefined && (THROTTLING_CODES.has(code) || TRANSIENT_CODES.has(code) || NETWORK_CODES.has(code))) return true;
  if (e.$retryable !== undefined && e.$retryable !== null && e.$retryable !== false) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number') return status === 429 || status >= 500;
  return e.$fault === 'server';
}

/** True when the cause is throttling (a token bucket ran dry); such work must never be lost. */
function isThrottling(error: unknown): boolean {
  const code = error instanceof RetryableError || error instanceof PermanentError ? error.code : errorCode(error);
  return code !== undefined && THROTTLING_CODES.has(code);
}

/**
 * Wraps a failed call in RetryableError or PermanentError, with the cause attached and a
 * message that says what was being done (`draining 10 container instances in prod`). An error
 * already classified keeps its class, prefixed with the new context.
 */
export function classifyError(error: unknown, doing: string): IoError {
  if (error instanceof RetryableError || error instanceof PermanentError) return error;
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  const message = `${doing}: ${code && !detail.startsWith(code) ? `${code}: ` : ''}${detail}`;
  return isRetryable(error) ? new RetryableError(message, { cause: error, code }) : new PermanentError(message, { cause: error, code });
}

/** Runs an AWS call and classifies what it throws with what it was doing. */
export async function attempt<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyError(error, doing);
  }
}

// A call whose answer never came (a timeout, a reset connection) or that failed inside AWS
// (5xx) may have taken effect: ECS may have accepted the UpdateService before the answer was
// lost. Throttling and 4xx answers are definite: the request was refused, nothing changed.
const UNKNOWN_OUTCOME_CODES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError', ...NETWORK_CODES]);

/** True when a failed write may nevertheless have taken effect: re-read before deciding. */
export function isUnknownOutcome(error: unknown): boolean {
  const cause = error instanceof RetryableError || error instanceof PermanentError ? (error.cause ?? error) : error;
  if (isThrottling(cause)) return false;
  const code = error instanceof RetryableError || error instanceof PermanentError ? (error.code ?? errorCode(cause)) : errorCode(cause);
  if (code !== undefined && UNKNOWN_OUTCOME_CODES.has(code)) return true;
  if (code !== undefined && TRANSIENT_CODES.has(code)) return true;
  if (typeof cause !== 'object' || cause === null) return false;
  const e = cause as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number') return status >= 500;
  // No HTTP status at all: the request may have reached ECS and its answer been lost.
  return !(cause instanceof PermanentError) && e.$fault !== 'client' && isRetryable(cause);
}
