// One EventBridge rule per event kind on the default bus, each targeting the event queue,
// and the queue policy that admits exactly these rules.
import type { Policy } from '@ecs-rebalancer/core';
import type { AccountScope } from '../arns.js';
import { eventRules } from '../event-rules.js';
import type { RuleKind } from '../event-rules.js';
import { eventQueuePolicy } from '../queue-policy.js';

// The rule set (which kinds, their names) depends on the policy only; the patterns also on
// the account and region, which are known once the provider resolves them.
const PLACEHOLDER_SCOPE: AccountScope = { partition: 'aws', region: 'region', account: 'account' };

function patternJson(scope: AccountScope, policy: Policy, kind: RuleKind): string {
  const rule = eventRules(scope, policy).find((r) => r.kind === kind);
  if (rule === undefined) throw new Error(`no ${kind} rule for this policy`);
  return JSON.stringify(rule.pattern);
}

export function createRules(opts: {
  scope: $util.Output<AccountScope>;
  policy: Policy;
  queue: sst.aws.Queue;
  /** Roles that may send to the queue besides the rules (the react function's). */
  senderRoleArns?: $util.Input<string>[];
}) {
  const rules = eventRules(PLACEHOLDER_SCOPE, opts.policy).map((spec) => {
    const rule = new aws.cloudwatch.EventRule(spec.name, {
      description: spec.description,
      eventPattern: opts.scope.apply((scope) => patternJson(scope, opts.policy, spec.kind)),
    });
    new aws.cloudwatch.EventTarget(`${spec.name}Target`, { rule: rule.name, arn: opts.queue.arn });
    return rule;
  });
  const policy = new aws.sqs.QueuePolicy('EventQueuePolicy', {
    queueUrl: opts.queue.url,
    policy: $util
      .all([opts.queue.arn, $util.all(rules.map((r) => r.arn)), $util.all(opts.senderRoleArns ?? [])])
      .apply(([queueArn, ruleArns, senderRoleArns]) => JSON.stringify(eventQueuePolicy({ queueArn, ruleArns, senderRoleArns }))),
  });
  return { rules, policy };
}
