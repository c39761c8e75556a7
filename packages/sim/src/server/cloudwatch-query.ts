import { SimApiError } from '../errors.js';
import type { Simulation } from '../model/simulation.js';
import { handleCloudWatch } from './cloudwatch.js';
import type { Input } from './protocol.js';

/**
 * CloudWatch's older awsQuery protocol, which clients built before CloudWatch moved to JSON
 * 1.0 still speak (the AWS CLI v2 of Debian 12, botocore 2.9, for one): a form-encoded POST
 * (`Action=DescribeAlarms&Version=2010-08-01&AlarmNames.member.1=…`) answered with XML in the
 * 2010-08-01 namespace. Lists are `Name.member.N`; timestamps are ISO 8601. The request is
 * turned into the JSON input the JSON handlers take, and their output into XML.
 */
const CLOUDWATCH_QUERY_VERSION = '2010-08-01';
const NAMESPACE = `http://monitoring.amazonaws.com/doc/${CLOUDWATCH_QUERY_VERSION}/`;
const NUMERIC = new Set(['MaxRecords']);

export function isCloudWatchQuery(contentType: string | undefined, body: string): boolean {
  return /application\/x-www-form-urlencoded/.test(contentType ?? '') && /(^|&)Version=2010-08-01(&|$)/.test(body);
}

/** Answers one query-protocol request: status and XML body. */
export function handleCloudWatchQuery(sim: Simulation, body: string, requestId: string): { status: number; xml: string } {
  const form = new URLSearchParams(body);
  const action = form.get('Action') ?? '';
  try {
    const output = handleCloudWatch(sim, action, queryInput(form));
    const xml = `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${toXml(output)}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
    return { status: 200, xml };
  } catch (error) {
    const e = error instanceof SimApiError ? error : new SimApiError('InternalFailure', String(error));
    const type = e.httpStatus >= 500 ? 'Receiver' : 'Sender';
    const xml = `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${escapeXml(e.code)}</Code><Message>${escapeXml(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    return { status: e.httpStatus, xml };
  }
}

/** `AlarmNames.member.2=b` → `{AlarmNames: [, 'b']}`; scalars stay strings except the numeric members. */
function queryInput(form: URLSearchParams): Input {
  const input: Input = {};
  const lists = new Map<string, string[]>();
  for (const [key, value] of form) {
    if (key === 'Action' || key === 'Version') continue;
    const member = /^([A-Za-z]+)\.member\.(\d+)$/.exec(key);
    if (member) {
      const list = lists.get(member[1]!) ?? [];
      list[Number(member[2]) - 1] = value;
      lists.set(member[1]!, list);
    } else input[key] = NUMERIC.has(key) ? Number(value) : value;
  }
  for (const [key, list] of lists) input[key] = list.filter((v) => v !== undefined);
  return input;
}

function toXml(value: unknown, key = ''): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item) => `<member>${toXml(item, key)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toXml(v, k)}</${k}>`)
      .join('');
  }
  // The JSON protocols carry timestamps as epoch seconds; the query protocol as ISO 8601.
  if (typeof value === 'number' && /(Timestamp|Date)$/.test(key)) return new Date(value * 1000).toISOString();
  return escapeXml(String(value));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
