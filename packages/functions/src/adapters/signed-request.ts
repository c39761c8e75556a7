// One AWS JSON-RPC call (awsJson1_0 / awsJson1_1) without the service's SDK client: a generated
// client carries every operation's schema and error class (client-ssm adds 74 KiB to a bundle
// for its one GetParameter). The call is made from the SDK's own parts, taken from an SDK
// client given as the carrier: its credentials, region, clock-skew offset, HTTP handler (a
// local run keeps the simulator's counted handler) and retry strategy, driven by the SDK's own
// retry middleware (so throttling, 5xx, timeouts and lost connections are classified and
// backed off exactly as the SDK does), signed by the SDK's own SigV4 signer.
//
// The wire (Smithy's AWS JSON 1.0 and 1.1 protocols): `POST /` with `X-Amz-Target:
// <prefix>.<Operation>` and `Content-Type: application/x-amz-json-1.0` (or 1.1); the body is
// the input as JSON; an error answer names its code in `__type` (`com.amazonaws.ssm#ParameterNotFound`,
// only the part after `#`), `code` or the `x-amzn-errortype` header. Input and output are the
// wire JSON as is: no blob or timestamp conversion (DynamoDB's `B` stays base64 text).
import { partition } from '@aws-sdk/core/client';
import { AwsSdkSigV4Signer } from '@aws-sdk/core/httpAuthSchemes';
import { decorateServiceException, ServiceException } from '@smithy/core/client';
import { HttpRequest, loadJsonRpcErrorCode } from '@smithy/core/protocols';
import { retryMiddleware } from '@smithy/core/retry';
import { SignatureV4 } from '@smithy/signature-v4';

/** What identifies a JSON-RPC service on the wire. */
export interface AwsJsonService {
  /** `awsJson1_0` (DynamoDB, SQS) or `awsJson1_1` (SSM, ECS). */
  protocol: 'awsJson1_0' | 'awsJson1_1';
  /** The `X-Amz-Target` prefix: `DynamoDB_20120810`, `AmazonSSM`. */
  targetPrefix: string;
  /** The SigV4 signing name: `dynamodb`, `ssm`. */
  signingName: string;
  /** The endpoint's first label (`dynamodb` in dynamodb.us-east-1.amazonaws.com); default the signing name. */
  endpointPrefix?: string;
  /** The SDK's service id, which names its endpoint variable (`AWS_ENDPOINT_URL_DYNAMODB`). */
  serviceId: string;
}

export const SSM_SERVICE: AwsJsonService = { protocol: 'awsJson1_1', targetPrefix: 'AmazonSSM', signingName: 'ssm', serviceId: 'SSM' };
export const DYNAMODB_SERVICE: AwsJsonService = { protocol: 'awsJson1_0', targetPrefix: 'DynamoDB_20120810', signingName: 'dynamodb', serviceId: 'DynamoDB' };
// SQS speaks AWS JSON 1.0 since 2023 (query-compatible: without `x-amzn-query-mode` its errors
// carry the JSON code, `QueueDoesNotExist`, the name the SDK's class has too).
export const SQS_SERVICE: AwsJsonService = { protocol: 'awsJson1_0', targetPrefix: 'AmazonSQS', signingName: 'sqs', serviceId: 'SQS' };
// CloudWatch speaks AWS JSON 1.0 too (query-compatible, as SQS); its target prefix is its
// service's internal name.
export const CLOUDWATCH_SERVICE: AwsJsonService = { protocol: 'awsJson1_0', targetPrefix: 'GraniteServiceVersion20100801', signingName: 'monitoring', serviceId: 'CloudWatch' };
export const EVENTBRIDGE_SERVICE: AwsJsonService = { protocol: 'awsJson1_1', targetPrefix: 'AWSEvents', signingName: 'events', serviceId: 'EventBridge' };

/** A timestamp of AWS JSON (epoch seconds, the protocols' default), or of an ISO string, as a Date; undefined when neither. */
export function wireDate(value: unknown): Date | undefined {
  const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/** What the SDK's response metadata says of a call (`$metadata` of every SDK output). */
export interface ResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  extendedRequestId?: string;
  cfId?: string;
  attempts?: number;
  totalRetryDelay?: number;
}

/** The parts of a resolved SDK client configuration the call uses (any v3 client's `config`). */
export interface CarrierConfig {
  requestHandler: unknown;
  retryStrategy: () => Promise<unknown>;
  maxAttempts: () => Promise<number>;
  credentials: unknown;
  region: () => Promise<string>;
  sha256: unknown;
  streamCollector: (body: unknown) => Promise<Uint8Array>;
  systemClockOffset: number;
  disableClockSkewCorrection?: () => Promise<boolean>;
  useFipsEndpoint?: () => Promise<boolean>;
  useDualstackEndpoint?: () => Promise<boolean>;
  logger?: unknown;
}

export interface SignedJsonOptions {
  /** The endpoint (`http://127.0.0.1:4566`); default `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, then the regional one. */
  endpoint?: string;
  /** Where the `AWS_ENDPOINT_URL*` variables are read; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Calls of one JSON-RPC service. */
export interface SignedJsonClient {
  readonly service: AwsJsonService;
  /** One call: `operation` (`GetParameter`) with the wire input; resolves to the wire output and `$metadata`. Throws as the SDK does: an error named by the AWS code, with `$fault` and `$metadata`. */
  call<O extends object = Record<string, unknown>>(operation: string, input: object, options?: { abortSignal?: AbortSignal }): Promise<O & { $metadata: ResponseMetadata }>;
  /** Closes the carrier's connections (a CLI run that must exit). */
  destroy(): void;
}

interface WireResponse {
  statusCode: number;
  headers: Record<string, string>;
  body?: unknown;
}
interface Handler {
  handle(request: HttpRequest, options?: { abortSignal?: AbortSignal }): Promise<{ response: WireResponse }>;
}

/** An SDK v3 client lending its parts (only `config` is read, and `destroy` to close). */
export type Carrier = { config: CarrierConfig; destroy?: () => void };

/**
 * A client of `service` made of the SDK parts of `carrier` (an SDK v3 client whose own
 * operations are never called through it: give it a client of its own, so its adaptive retry
 * bucket measures this service's throttling and nobody else's). Given as a function, the
 * carrier is built on the first call: a function that never calls the service never builds it.
 */
export function signedJsonClient(carrier: Carrier | (() => Carrier), service: AwsJsonService, options: SignedJsonOptions = {}): SignedJsonClient {
  const env = options.env ?? process.env;
  const configured = options.endpoint ?? configuredEndpoint(service, env);
  const contentType = `application/x-amz-json-${service.protocol === 'awsJson1_0' ? '1.0' : '1.1'}`;
  let built: ReturnType<typeof partsOf> | undefined;
  const parts = () => (built ??= partsOf(typeof carrier === 'function' ? carrier() : carrier, service));

  return {
    service,
    destroy: () => built?.carrier.destroy?.(),
    async call<O extends object>(operation: string, input: object, callOptions: { abortSignal?: AbortSignal } = {}) {
      const { config, signer, signingConfig, retried } = parts();
      const region = await config.region();
      const url = new URL(configured ?? (await regionalEndpoint(service, region, config)));
      const body = JSON.stringify(input);
      const port = url.port ? Number(url.port) : undefined;
      const request = new HttpRequest({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(port !== undefined ? { port } : {}),
        path: url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`,
        headers: {
          'content-type': contentType,
          'x-amz-target': `${service.targetPrefix}.${operation}`,
          'content-length': String(Buffer.byteLength(body)),
          host: port !== undefined ? `${url.hostname}:${port}` : url.hostname,
          'user-agent': 'ecs-rebalancer signed-request',
        },
        body,
      });
      const attempt = async (args: { request: HttpRequest }) => {
        const signingProperties: Record<string, unknown> = { config: signingConfig, context: {}, signingRegion: region, signingName: service.signingName };
        // The identity argument is unused: the SignatureV4 above holds the carrier's credentials.
        const signed = (await signer.sign(args.request, {} as never, signingProperties)) as HttpRequest;
        let response: WireResponse;
        try {
          ({ response } = await (config.requestHandler as Handler).handle(signed, callOptions.abortSignal ? { abortSignal: callOptions.abortSignal } : {}));
        } catch (error) {
          return signer.errorHandler(signingProperties)(error as Error);
        }
        const text = response.body === undefined || response.body === null ? '' : new TextDecoder().decode(await config.streamCollector(response.body));
        const $metadata = metadataOf(response);
        if (response.statusCode < 200 || response.statusCode >= 300) return signer.errorHandler(signingProperties)(errorOf(response, text, $metadata, `${service.targetPrefix}.${operation}`));
        signer.successHandler(response as never, signingProperties);
        return { response, output: { ...parseOutput(text, $metadata, `${service.targetPrefix}.${operation}`), $metadata } };
      };
      const context = callOptions.abortSignal ? { __smithy_context: { abortSignal: callOptions.abortSignal } } : {};
      const { output } = await retried(attempt as never, context as never)({ request, input } as never);
      return output as unknown as O & { $metadata: ResponseMetadata };
    },
  };
}

/** What a call takes from the carrier: its config, the SigV4 signer of `service`, the retry middleware. */
function partsOf(carrier: Carrier, service: AwsJsonService) {
  const config = carrier.config;
  const signer = new AwsSdkSigV4Signer();
  const sigv4 = new SignatureV4({ credentials: config.credentials as never, region: config.region, service: service.signingName, sha256: config.sha256 as never, uriEscapePath: true });
  // What AwsSdkSigV4Signer reads and writes: the signer and the clock-skew offset it corrects
  // from a `Date` answer (shared with the carrier: one clock).
  const signingConfig = {
    signer: async () => sigv4,
    get systemClockOffset() {
      return config.systemClockOffset;
    },
    set systemClockOffset(offset: number) {
      config.systemClockOffset = offset;
    },
    ...(config.disableClockSkewCorrection ? { disableClockSkewCorrection: config.disableClockSkewCorrection } : {}),
  };
  const retried = retryMiddleware({ retryStrategy: config.retryStrategy, maxAttempts: config.maxAttempts, logger: config.logger } as never);
  return { carrier, config, signer, signingConfig, retried };
}

/** The SDK's configured endpoints: `AWS_ENDPOINT_URL_<SERVICE ID>`, then `AWS_ENDPOINT_URL`, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`. */
function configuredEndpoint(service: AwsJsonService, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS']?.toLowerCase() === 'true') return undefined;
  const specific = env[`AWS_ENDPOINT_URL_${service.serviceId.toUpperCase().replace(/ /g, '_')}`];
  return specific || env['AWS_ENDPOINT_URL'] || undefined;
}

/** `https://<prefix>[-fips].<region>.<dns suffix of the region's partition>` (`amazonaws.com`, `amazonaws.com.cn`, ...; `api.aws` dual-stack). */
async function regionalEndpoint(service: AwsJsonService, region: string, config: CarrierConfig): Promise<string> {
  const of = partition(region);
  const fips = (await config.useFipsEndpoint?.()) === true;
  const dualStack = (await config.useDualstackEndpoint?.()) === true;
  return `https://${service.endpointPrefix ?? service.signingName}${fips ? '-fips' : ''}.${region}.${dualStack ? of.dualStackDnsSuffix : of.dnsSuffix}`;
}

function metadataOf(response: WireResponse): ResponseMetadata {
  const h = response.headers;
  const meta: ResponseMetadata = { httpStatusCode: response.statusCode };
  const requestId = h['x-amzn-requestid'] ?? h['x-amzn-request-id'] ?? h['x-amz-request-id'];
  if (requestId !== undefined) meta.requestId = requestId;
  if (h['x-amz-id-2'] !== undefined) meta.extendedRequestId = h['x-amz-id-2'];
  if (h['x-amz-cf-id'] !== undefined) meta.cfId = h['x-amz-cf-id'];
  return meta;
}

function parseOutput(text: string, $metadata: ResponseMetadata, target: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw Object.assign(new Error(`${target}: the answer is not a JSON object: ${text.slice(0, 200)}`), { name: 'SerializationError', $metadata });
}

/** The SDK's error for an error answer: named by the AWS code, `$fault` by the status, the body's fields on it. */
function errorOf(response: WireResponse, text: string, $metadata: ResponseMetadata, target: string): ServiceException {
  let data: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) data = value as Record<string, unknown>;
  } catch {
    // an error page that is not JSON (a proxy, a load balancer): named by the status
  }
  const code = loadJsonRpcErrorCode(response as never, data) ?? String(response.statusCode);
  const message = data['message'] ?? data['Message'];
  const error = new ServiceException({
    name: code,
    $fault: response.statusCode >= 500 ? 'server' : 'client',
    $metadata,
    message: typeof message === 'string' ? message : `${target} failed with HTTP ${response.statusCode}`,
  });
  error.$response = response as never;
  const { message: _m, Message: _M, ...fields } = data;
  return decorateServiceException(error, fields);
}
