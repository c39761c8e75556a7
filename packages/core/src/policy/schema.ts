import * as z from 'zod';
import { ValidationError } from '../errors.js';
import { zodProblems } from '../zod-problems.js';

/** Which provider is Spot is the operator's knowledge; ECS does not record it. */
export const ProviderKind = { Spot: 'spot', OnDemand: 'on-demand' } as const;
export type ProviderKind = (typeof ProviderKind)[keyof typeof ProviderKind];

export const ActionChoice = { Drain: 'drain', None: 'none' } as const;
export type ActionChoice = (typeof ActionChoice)[keyof typeof ActionChoice];

export const DEFAULT_MAX_DRAINING_FRACTION = 0.3;
export const DEFAULT_FALLBACK_MIN_SECONDS = 600;

const providerKind = z.enum(['spot', 'on-demand'], { error: () => 'expected "spot" or "on-demand"' });
const actionChoice = z.enum(['drain', 'none'], { error: () => 'expected "drain" or "none"' });

const fallbackSchema = z.strictObject({
  alarms: z.array(z.string().min(1)).default([]),
  to: z.string().min(1),
  minSeconds: z.number().int().min(0).default(DEFAULT_FALLBACK_MIN_SECONDS),
});

const clusterPolicySchema = z.strictObject({
  services: z.array(z.string().min(1)).min(1).default(['*']),
  providers: z.record(z.string(), providerKind).default({}),
  fallback: fallbackSchema.optional(),
});

const actionsSchema = z
  .strictObject({
    'spot-interruption': actionChoice.default('drain'),
    'rebalance-recommendation': actionChoice.default('drain'),
    'instance-state': actionChoice.default('drain'),
    'scheduled-change': actionChoice.default('drain'),
    'capacity-reservation-interruption': actionChoice.default('drain'),
  })
  .default({
    'spot-interruption': 'drain',
    'rebalance-recommendation': 'drain',
    'instance-state': 'drain',
    'scheduled-change': 'drain',
    'capacity-reservation-interruption': 'drain',
  });

const guardrailsSchema = z
  .strictObject({ maxDrainingFraction: z.number().gt(0).max(1).default(DEFAULT_MAX_DRAINING_FRACTION) })
  .default({ maxDrainingFraction: DEFAULT_MAX_DRAINING_FRACTION });

export const policySchema = z.strictObject({
  clusters: z.record(z.string().min(1), clusterPolicySchema),
  actions: actionsSchema,
  guardrails: guardrailsSchema,
  dryRun: z.boolean().default(false),
});

/** A policy as written by the operator (defaults may be missing). */
export type PolicyInput = z.input<typeof policySchema>;
/** A policy with every default filled in: what `decide` takes. */
export type Policy = z.output<typeof policySchema>;
export type ClusterPolicy = z.output<typeof clusterPolicySchema>;
export type FallbackPolicy = z.output<typeof fallbackSchema>;

/**
 * Validates a policy and fills in the documented defaults. An invalid policy is rejected
 * whole: the ValidationError lists every problem with its dotted path. Beyond the schema it
 * checks that a fallback target is not itself a Spot provider.
 */
export function parsePolicy(input: unknown): Policy {
  const result = policySchema.safeParse(input);
  if (!result.success) {
    throw new ValidationError(
      'invalid policy',
      zodProblems(result.error),
    );
  }
  const problems = [];
  for (const [name, cluster] of Object.entries(result.data.clusters)) {
    const to = cluster.fallback?.to;
    if (to !== undefined && (cluster.providers[to] === 'spot' || to === 'FARGATE_SPOT')) {
      problems.push({ path: `clusters.${name}.fallback.to`, message: `"${to}" is a Spot provider: fallback must go to on-demand` });
    }
  }
  if (problems.length > 0) throw new ValidationError('invalid policy', problems);
  return result.data;
}

/** The policy used when none is given: every cluster it is shown is managed with the defaults. */
export function defaultPolicyFor(clusters: readonly string[]): Policy {
  return parsePolicy({ clusters: Object.fromEntries(clusters.map((c) => [c, {}])) });
}
