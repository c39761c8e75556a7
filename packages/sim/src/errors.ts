/**
 * An error the simulated AWS API answers with. `code` is the wire error type (`__type` in
 * the JSON protocols), which the AWS SDK turns into the exception's `name`.
 */
export class SimApiError extends Error {
  override readonly name = 'SimApiError';
  readonly code: string;
  readonly httpStatus: number;
  /** Members the error's JSON body carries besides `__type` and `message` (DynamoDB's ThrottlingReasons). */
  extra: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options: { httpStatus?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.httpStatus = options.httpStatus ?? (code === 'ServerException' ? 500 : 400);
  }
}

/** ECS answers bad input with InvalidParameterException (HTTP 400). */
export function invalidParameter(message: string): SimApiError {
  return new SimApiError('InvalidParameterException', message);
}
