import { describe, expect, it } from 'vitest';
import { parsePolicy } from '@ecs-rebalancer/core';
import { RuleKind, eventRules } from './event-rules.js';
import type { RuleSpec } from './event-rules.js';
import { matchesPattern } from './test-support/event-pattern.js';
import { rulePatternProblems } from './test-support/checks.js';
import { SAMPLE_SCOPE, samplePolicy, samples } from './test-support/samples.js';

const rules = eventRules(SAMPLE_SCOPE, samplePolicy());
const allSamples = samples();

function ruleOf(kind: RuleKind, from: readonly RuleSpec[] = rules): RuleSpec {
  const rule = from.find((r) => r.kind === kind);
  if (!rule) throw new Error(`no ${kind} rule`);
  return rule;
}

describe('eventRules', () => {
  it('has one rule per event kind, each with a unique name', () => {
    expect(rules.map((r) => r.kind).sort()).toEqual(Object.values(RuleKind).sort());
    expect(new Set(rules.map((r) => r.name)).size).toBe(rules.length);
  });

  // One row per (rule, sample): a failure names the rule and the event.
  const rows = rules.flatMap((rule) =>
    allSamples.map((sample) => [rule.kind, sample.expected === rule.kind ? 'matches' : 'rejects', sample.name, rule, sample] as const),
  );
  it.each(rows)('%s rule %s %s', (_kind, verdict, _name, rule, sample) => {
    expect(matchesPattern(rule.pattern, sample.event)).toBe(verdict === 'matches');
  });

  it('agrees with every sample and is well-formed', () => {
    expect(rulePatternProblems(rules, allSamples)).toEqual([]);
  });

  it('scopes the ECS rules to the managed clusters of this account and region', () => {
    const arns = ['arn:aws:ecs:us-west-2:111122223333:cluster/FargateCluster', 'arn:aws:ecs:us-west-2:111122223333:cluster/default'];
    expect(ruleOf(RuleKind.FargateSpotInterruption).pattern.detail).toMatchObject({ clusterArn: arns });
    expect(ruleOf(RuleKind.PlacementFailure).pattern.detail).toMatchObject({ clusterArn: arns });
  });

  it("filters every rule on the deployment's own account and region, or on the policy's accounts and regions", () => {
    expect(rules.map((r) => [r.pattern.account, r.pattern.region])).toEqual(rules.map(() => [['111122223333'], ['us-west-2']]));
    const named = parsePolicy({ clusters: { default: {} }, accounts: ['111122223333', '444455556666'], regions: ['us-west-2', 'eu-west-1'] });
    for (const rule of eventRules(SAMPLE_SCOPE, named)) expect(rule.pattern).toMatchObject({ account: ['111122223333', '444455556666'], region: ['us-west-2', 'eu-west-1'] });
  });

  it('leaves out the alarm rule when no cluster names a fallback alarm', () => {
    // Prepare
    const policy = parsePolicy({ clusters: { prod: { providers: { od: 'on-demand' }, fallback: { to: 'od' } } } });
    // Act
    const kinds = eventRules(SAMPLE_SCOPE, policy).map((r) => r.kind);
    // Assess
    expect(kinds).not.toContain(RuleKind.Alarm);
    expect(kinds).toHaveLength(Object.values(RuleKind).length - 1);
  });

  it('takes only the first notice of a Fargate Spot interruption and no closed Health event', () => {
    expect(ruleOf(RuleKind.FargateSpotInterruption).pattern.detail).toMatchObject({ lastStatus: ['RUNNING'], desiredStatus: ['STOPPED'] });
    expect(ruleOf(RuleKind.ScheduledChange).pattern.detail).toMatchObject({ statusCode: ['open', 'upcoming', { exists: false }] });
  });

  it('lists every fallback alarm of every cluster once', () => {
    const policy = parsePolicy({
      clusters: {
        b: { providers: { od: 'on-demand' }, fallback: { to: 'od', alarms: ['b-spot', 'shared'] } },
        a: { providers: { od: 'on-demand' }, fallback: { to: 'od', alarms: ['a-spot', 'shared'] } },
      },
    });
    expect(ruleOf(RuleKind.Alarm, eventRules(SAMPLE_SCOPE, policy)).pattern.detail).toEqual({ alarmName: ['a-spot', 'b-spot', 'shared'] });
  });
});

describe('the pattern check catches a broken rule', () => {
  function broken(kind: RuleKind, change: (rule: RuleSpec) => void): RuleSpec[] {
    return rules.map((r) => {
      if (r.kind !== kind) return r;
      const copy = structuredClone(r);
      change(copy);
      return copy;
    });
  }

  it.each([
    [
      'a misspelt detail-type on the spot-interruption rule',
      broken('spot-interruption', (r) => (r.pattern['detail-type'] = ['EC2 Spot Instance Interuption Warning'])),
      'spot-interruption rule does not match ec2-spot-instance-interruption-warning',
    ],
    [
      'the instance-state rule without its state filter',
      broken('instance-state', (r) => delete r.pattern.detail),
      'instance-state rule matches ec2-instance-state-change-running, which is not its event',
    ],
    [
      'the Fargate rule without its cluster scope',
      broken('fargate-spot-interruption', (r) => delete (r.pattern.detail as Record<string, unknown>).clusterArn),
      'fargate-spot-interruption rule matches ecs-task-state-change (Fargate Spot, unmanaged cluster), which is not its event',
    ],
    [
      'the placement rule scoped by cluster name in any account',
      broken('placement-failure', (r) => ((r.pattern.detail as Record<string, unknown>).clusterArn = [{ suffix: ':cluster/default' }])),
      'placement-failure rule matches ecs-service-action-placement-failure (managed name, other account), which is not its event',
    ],
    [
      'the Fargate rule without its lastStatus filter',
      broken('fargate-spot-interruption', (r) => delete (r.pattern.detail as Record<string, unknown>).lastStatus),
      'fargate-spot-interruption rule matches ecs-task-state-change (Fargate Spot SpotInterruption, lastStatus STOPPED), which is not its event',
    ],
    [
      'the scheduled-change rule without its statusCode filter',
      broken('scheduled-change', (r) => delete (r.pattern.detail as Record<string, unknown>).statusCode),
      'scheduled-change rule matches aws-health-ec2-scheduled-change (closed), which is not its event',
    ],
    [
      'the scheduled-change rule with anything-but closed alone (a missing statusCode matches no anything-but)',
      broken('scheduled-change', (r) => ((r.pattern.detail as Record<string, unknown>).statusCode = [{ 'anything-but': 'closed' }])),
      'scheduled-change rule does not match aws-health-ec2-scheduled-change',
    ],
    [
      'the scheduled-change rule with only the documented statuses',
      broken('scheduled-change', (r) => ((r.pattern.detail as Record<string, unknown>).statusCode = ['open', 'upcoming'])),
      'scheduled-change rule does not match aws-health-ec2-scheduled-change',
    ],
    [
      'the scheduled-change rule on the wrong category',
      broken('scheduled-change', (r) => ((r.pattern.detail as Record<string, unknown>).eventTypeCategory = ['scheduledchange'])),
      'scheduled-change rule does not match aws-health-ec2-scheduled-change',
    ],
    [
      'an empty alarm list',
      broken('alarm', (r) => ((r.pattern.detail as Record<string, unknown>).alarmName = [])),
      'alarm rule: detail.alarmName: an empty match list matches nothing (EventBridge rejects it)',
    ],
  ])('%s', (_name, brokenRules, expected) => {
    expect(rulePatternProblems(brokenRules, allSamples)).toContain(expected);
  });
});
