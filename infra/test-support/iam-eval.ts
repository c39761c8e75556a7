// A small evaluator of resource-based policies, for tests: enough of IAM's logic for the
// queue policies (explicit Deny wins; a statement applies when principal, action, resource
// and every condition match; condition operators used there).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
import type { PolicyDocument, PolicyStatement } from '../iam-types.js';
import { asArray } from '../iam-types.js';

export interface Request {
  /** `service:events.amazonaws.com` or an IAM principal ARN. */
  principal: string;
  action: string;
  resource: string;
  /** Request context keys (`aws:SourceArn`, `aws:SecureTransport` as "true"/"false"). */
  context: Record<string, string | undefined>;
}

export type Verdict = 'allow' | 'deny' | 'no-decision';

function glob(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(value);
}

function principalMatches(s: PolicyStatement, principal: string): boolean {
  if (s.Principal === '*') return true;
  if (s.Principal === undefined) return false;
  if ('Service' in s.Principal) return asArray(s.Principal.Service).some((svc) => `service:${svc}` === principal);
  return asArray(s.Principal.AWS).includes(principal);
}

function conditionMatches(operator: string, key: string, values: string[], context: Request['context']): boolean {
  const actual = context[key];
  switch (operator) {
    case 'Bool':
    case 'StringEquals':
    case 'ArnEquals':
      return actual !== undefined && values.some((v) => (operator === 'ArnEquals' ? glob(v, actual) : v === actual));
    case 'ArnLike':
    case 'StringLike':
      return actual !== undefined && values.some((v) => glob(v, actual));
    // Negated operators: a key missing from the request matches (IAM documents this).
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return actual === undefined || !values.some((v) => glob(v, actual));
    case 'StringNotEquals':
      return actual === undefined || !values.includes(actual);
    default:
      throw new Error(`condition operator ${operator} is not modelled`);
  }
}

function applies(s: PolicyStatement, r: Request): boolean {
  return (
    principalMatches(s, r.principal) &&
    asArray(s.Action).some((a) => glob(a, r.action)) &&
    asArray(s.Resource).some((res) => glob(res, r.resource)) &&
    Object.entries(s.Condition ?? {}).every(([op, keys]) =>
      Object.entries(keys).every(([key, values]) => conditionMatches(op, key, asArray(values), r.context)),
    )
  );
}

/** What the resource policy says about a request: explicit deny, allow, or nothing. */
export function evaluate(policy: PolicyDocument, request: Request): Verdict {
  const matching = policy.Statement.filter((s) => applies(s, request));
  if (matching.some((s) => s.Effect === 'Deny')) return 'deny';
  if (matching.some((s) => s.Effect === 'Allow')) return 'allow';
  return 'no-decision';
}
