// The infra checks as functions that return problems, so the tests can show both that the
// real resources pass and that a broken pattern or a wildcard grant is caught.
import type { RuleSpec } from '../event-rules.js';
import type { PolicyStatement } from '../iam-types.js';
import { asArray } from '../iam-types.js';
import { UNSCOPABLE_ACTIONS } from '../iam-statements.js';
import { clusterArn, containerInstancesArn, servicesArn, tasksArn, capacityProvidersArn } from '../arns.js';
import type { AccountScope } from '../arns.js';
import { matchesPattern, patternSyntaxProblems } from './event-pattern.js';
import type { Sample } from './samples.js';

/** Every way the rules disagree with the samples: a missed sample, a sample taken by the wrong rule, bad syntax. */
export function rulePatternProblems(rules: readonly RuleSpec[], samples: readonly Sample[]): string[] {
  const problems = rules.flatMap((r) => patternSyntaxProblems(r.pattern).map((p) => `${r.kind} rule: ${p}`));
  for (const rule of rules) {
    for (const sample of samples) {
      const matched = matchesPattern(rule.pattern, sample.event);
      if (sample.expected === rule.kind && !matched) problems.push(`${rule.kind} rule does not match ${sample.name}`);
      if (sample.expected !== rule.kind && matched) problems.push(`${rule.kind} rule matches ${sample.name}, which is not its event`);
    }
  }
  return problems;
}

function ecsResourceForms(scope: AccountScope, clusters: readonly string[]): Set<string> {
  return new Set(
    clusters.flatMap((c) => [clusterArn(scope, c), containerInstancesArn(scope, c), servicesArn(scope, c), tasksArn(scope, c)]),
  );
}

/**
 * Every over-broad grant among Allow statements: an action with a wildcard, a "*" resource
 * for an action that has a resource type (or without a condition that narrows it), and an
 * ECS resource outside the managed clusters.
 */
export function iamProblems(statements: readonly PolicyStatement[], scope: AccountScope, clusters: readonly string[]): string[] {
  const problems: string[] = [];
  const managed = ecsResourceForms(scope, clusters);
  const managedClusterArns = clusters.map((c) => clusterArn(scope, c)).sort();
  statements.forEach((s, i) => {
    if (s.Effect !== 'Allow') return;
    const name = s.Sid ?? `statement ${i}`;
    const actions = asArray(s.Action);
    const resources = asArray(s.Resource);
    for (const action of actions) {
      if (action.includes('*')) problems.push(`${name}: action ${action} has a wildcard`);
    }
    if (resources.includes('*')) {
      for (const action of actions) {
        const unscopable = UNSCOPABLE_ACTIONS[action];
        if (unscopable === undefined) {
          problems.push(`${name}: ${action} is granted on "*" but supports resource-level permissions`);
          continue;
        }
        const narrowed = Object.values(s.Condition ?? {}).flatMap((block) => asArray(block[unscopable.conditionKey] ?? []));
        if (JSON.stringify([...narrowed].sort()) !== JSON.stringify(managedClusterArns)) {
          problems.push(`${name}: ${action} on "*" must carry ${unscopable.conditionKey} = the managed clusters`);
        }
      }
    }
    for (const resource of resources) {
      if (resource !== '*' && !resource.startsWith('arn:')) problems.push(`${name}: resource ${resource} is not an ARN`);
      if (resource.startsWith('arn:') && /^arn:[^:]*:[^:]*:\*?:\*?:\*$/.test(resource)) problems.push(`${name}: resource ${resource} is a whole service`);
    }
    const ecsActions = actions.filter((a) => a.startsWith('ecs:'));
    if (ecsActions.length > 0) {
      for (const resource of resources) {
        if (resource === '*') continue;
        const isProviders = resource === capacityProvidersArn(scope) && ecsActions.every((a) => a === 'ecs:DescribeCapacityProviders');
        if (!managed.has(resource) && !isProviders) problems.push(`${name}: ECS resource ${resource} is outside the managed clusters`);
      }
    }
  });
  return problems;
}

/** The actions a role's statements allow, sorted. */
export function allowedActions(statements: readonly PolicyStatement[]): string[] {
  return [...new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => asArray(s.Action)))].sort();
}
