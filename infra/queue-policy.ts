// Resource policies of the event queue and its DLQ.
// - EventBridge delivers to SQS as the service principal events.amazonaws.com and sets
//   aws:SourceArn to the ARN of the rule that matched; allowing exactly those ARNs keeps
//   other accounts' and other apps' rules out (the confused-deputy guard).
//   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions
// - Within the account an IAM principal whose own policy allows sqs:SendMessage could still
//   send; the explicit Deny on any sender without one of the rule ARNs closes that too.
// - aws:SecureTransport is "false" for requests over plain HTTP: denying them requires TLS.
import type { PolicyDocument } from './iam-types.js';

/** The event queue's policy: SendMessage only from the given rules, TLS only. */
export function eventQueuePolicy(opts: { queueArn: string; ruleArns: readonly string[]; senderRoleArns?: readonly string[] }): PolicyDocument {
  if (opts.ruleArns.length === 0) throw new Error('the event queue policy needs at least one rule ARN');
  const ruleArns = [...opts.ruleArns];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowEventsFromTheRebalancerRules',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: opts.queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': ruleArns } },
      },
      {
        Sid: 'DenySendFromAnyOtherSource',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sqs:SendMessage',
        Resource: opts.queueArn,
        // A request without aws:SourceArn matches ArnNotEquals too: it is denied. The keys of
        // one condition operator are ANDed: a sender role listed in `senderRoleArns` (the react
        // function, which sends fresh copies of deferred drains) is not denied.
        Condition: {
          ArnNotEquals: { 'aws:SourceArn': ruleArns, ...(opts.senderRoleArns && opts.senderRoleArns.length > 0 ? { 'aws:PrincipalArn': [...opts.senderRoleArns] } : {}) },
        },
      },
      denyInsecureTransport(opts.queueArn),
    ],
  };
}

/**
 * The DLQ's policy: TLS only. SQS itself moves messages here after `maxReceiveCount`
 * (redrive needs no policy); the react function sends quarantined records with its role.
 */
export function deadLetterQueuePolicy(opts: { queueArn: string }): PolicyDocument {
  return { Version: '2012-10-17', Statement: [denyInsecureTransport(opts.queueArn)] };
}

function denyInsecureTransport(queueArn: string): PolicyDocument['Statement'][number] {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 'sqs:*',
    Resource: queueArn,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}
