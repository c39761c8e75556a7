import { describe, expect, it } from 'vitest';
import { PermanentError, RetryableError, classifyError, isRetryable, isUnknownOutcome } from './errors.js';

const sdkError = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: 400 }, ...extra });

describe('classifyError', () => {
  it.each([
    { name: 'ECS throttling', error: sdkError('ThrottlingException'), retryable: true, unknownOutcome: false },
    { name: 'CloudWatch throttling', error: sdkError('Throttling'), retryable: true, unknownOutcome: false },
    { name: 'a 5xx', error: sdkError('ServerException', { $fault: 'server', $metadata: { httpStatusCode: 500 } }), retryable: true, unknownOutcome: true },
    { name: 'a 503 with an unknown code', error: sdkError('Weird', { $metadata: { httpStatusCode: 503 } }), retryable: true, unknownOutcome: true },
    { name: 'an SDK timeout', error: sdkError('TimeoutError', { $metadata: {} }), retryable: true, unknownOutcome: true },
    { name: 'a reset connection', error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), retryable: true, unknownOutcome: true },
    { name: 'an ECS resource limit', error: sdkError('LimitExceededException'), retryable: false, unknownOutcome: false },
    { name: 'access denied', error: sdkError('AccessDeniedException'), retryable: false, unknownOutcome: false },
    { name: 'an invalid parameter', error: sdkError('InvalidParameterException'), retryable: false, unknownOutcome: false },
    { name: 'a plain bug', error: new TypeError('x is undefined'), retryable: false, unknownOutcome: false },
  ])('$name is retryable: $retryable', ({ error, retryable, unknownOutcome }) => {
    const classified = classifyError(error, 'draining 10 container instances in prod');

    expect(classified).toBeInstanceOf(retryable ? RetryableError : PermanentError);
    expect(isRetryable(error)).toBe(retryable);
    // Throttling and 4xx answers are refusals; a 5xx, a timeout or a lost connection may have taken effect.
    expect(isUnknownOutcome(classified)).toBe(unknownOutcome);
    expect(classified.cause).toBe(error);
    expect(classified.message.startsWith('draining 10 container instances in prod: ')).toBe(true);
  });

  it('names the AWS code in the message once', () => {
    expect(classifyError(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }), 'listing services in prod').message).toBe('listing services in prod: ThrottlingException: Rate exceeded');
    expect(classifyError(Object.assign(new Error('ThrottlingException: slow'), { name: 'ThrottlingException' }), 'x').message).toBe('x: ThrottlingException: slow');
  });

  it('keeps an error that is already classified', () => {
    const error = new RetryableError('inner');
    expect(classifyError(error, 'outer')).toBe(error);
  });
});
