import * as z from 'zod';
import { ValidationError } from '../errors.js';
import type { Problem } from '../errors.js';
import { InstanceSignalKind } from '../model/signal.js';
import { zodProblems } from '../zod-problems.js';

/** Which provider is Spot is the operator's knowledge; ECS does not record it. */
export const ProviderKind = { Spot: 'spot', OnDemand: 'on-demand' } as const;
export type ProviderKind = (typeof ProviderKind)[keyof typeof ProviderKind];

export const ActionChoice = { Drain: 'drain', None: 'none' } as const;
export type ActionChoice = (typeof ActionChoice)[keyof typeof ActionChoice];

export const DEFAULT_MAX_DRAINING_FRACTION = 0.3;
export const DEFAULT_FALLBACK_MIN_SECONDS = 600;
export const DEFAULT_FALLBACK_OK_SECONDS = 300;
export const DEFAULT_RESTORE_AT_ONCE = 5;
export const DEFAULT_DRAIN_BEFORE_SECONDS = 3600;

const providerKind = z.enum(['spot', 'on-demand'], { error: () => 'expected "spot" or "on-demand"' });
const actionChoice = z.enum(['drain', 'none'], { error: () => 'expected "drain" or "none"' });
const name = z.string().min(1);

const fallbackSchema = z.strictObject({
  alarms: z.array(name).default([]),
  /** One on-demand provider, or a map from each Spot provider to its on-demand target. */
  to: z.union([name, z.record(name, name)], {
    error: (issue) => (issue.input === undefined ? 'required' : 'expected a provider name or a map from each Spot provider to its on-demand provider'),
  }),
  minSeconds: z.number().int().min(0).default(DEFAULT_FALLBACK_MIN_SECONDS),
  okSeconds: z.number().int().min(0).default(DEFAULT_FALLBACK_OK_SECONDS),
  restoreAtOnce: z.number().int().min(1).default(DEFAULT_RESTORE_AT_ONCE),
});

const clusterPolicySchema = z.strictObject({
  services: z.array(name).min(1).default(['*']),
  providers: z.record(z.string(), providerKind).default({}),
  fallback: fallbackSchema.optional(),
});

// One key per signal kind that may call for a drain, so a new kind cannot miss its action.
const drainKinds = Object.values(InstanceSignalKind);
const actionsShape = Object.fromEntries(drainKinds.map((kind) => [kind, actionChoice.default('drain')])) as {
  [K in InstanceSignalKind]: z.ZodDefault<typeof actionChoice>;
};
const actionsSchema = z.strictObject(actionsShape).default(() => Object.fromEntries(drainKinds.map((kind) => [kind, 'drain'])) as Record<InstanceSignalKind, ActionChoice>);

const guardrailsSchema = z
  .strictObject({ maxDrainingFraction: z.number().gt(0).max(1).default(DEFAULT_MAX_DRAINING_FRACTION) })
  .default({ maxDrainingFraction: DEFAULT_MAX_DRAINING_FRACTION });

const scheduledChangeSchema = z
  .strictObject({ drainBeforeSeconds: z.number().int().min(0).default(DEFAULT_DRAIN_BEFORE_SECONDS) })
  .default({ drainBeforeSeconds: DEFAULT_DRAIN_BEFORE_SECONDS });

export const policySchema = z.strictObject({
  clusters: z.record(name, clusterPolicySchema),
  actions: actionsSchema,
  guardrails: guardrailsSchema,
  scheduledChange: scheduledChangeSchema,
  /** Events from other accounts are skipped; absent: every account (the deployed functions fill in their own). */
  accounts: z.array(z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id')).min(1).optional(),
  /** Events from other regions are skipped; absent: every region (the deployed functions fill in their own). */
  regions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region such as us-east-1')).min(1).optional(),
  dryRun: z.boolean().default(false),
});

/** A policy as written by the operator (defaults may be missing). */
export type PolicyInput = z.input<typeof policySchema>;
/** A policy with every default filled in: what `decide` takes. */
export type Policy = z.output<typeof policySchema>;
export type ClusterPolicy = z.output<typeof clusterPolicySchema>;
export type FallbackPolicy = z.output<typeof fallbackSchema>;

/**
 * The on-demand provider a Spot provider's weight moves to in a fallback: `fallback.to` when
 * it names one provider, else its entry for that Spot provider (undefined: no target).
 */
export function fallbackTarget(fallback: Pick<FallbackPolicy, 'to'>, spotProvider: string): string | undefined {
  if (typeof fallback.to === 'string') return fallback.to;
  return Object.hasOwn(fallback.to, spotProvider) ? fallback.to[spotProvider] : undefined;
}

/** Every target `fallback.to` names, with the dotted path of each (`…fallback.to`, `…fallback.to.spot-x86`). */
export function fallbackTargets(fallback: Pick<FallbackPolicy, 'to'>, path: string): { target: string; path: string; from?: string }[] {
  if (typeof fallback.to === 'string') return [{ target: fallback.to, path }];
  return Object.entries(fallback.to).map(([from, target]) => ({ target, path: `${path}.${from}`, from }));
}

/**
 * Validates a policy and fills in the documented defaults. An invalid policy is rejected
 * whole: the ValidationError lists every problem with its dotted path. Beyond the schema,
 * every `fallback.to` target must be declared `on-demand` in the cluster's `providers` (or be
 * FARGATE), and each key of a `fallback.to` map must be a provider declared `spot` (or
 * FARGATE_SPOT): a typo must not silently disable a fallback.
 */
export function parsePolicy(input: unknown): Policy {
  const result = policySchema.safeParse(input);
  if (!result.success) throw new ValidationError('invalid policy', zodProblems(result.error));
  const problems = fallbackProblems(result.data);
  if (problems.length > 0) throw new ValidationError('invalid policy', problems);
  return result.data;
}

function fallbackProblems(policy: Policy): Problem[] {
  const problems: Problem[] = [];
  for (const [cluster, p] of Object.entries(policy.clusters)) {
    if (!p.fallback) continue;
    const kindOf = (provider: string): ProviderKind | undefined => (Object.hasOwn(p.providers, provider) ? p.providers[provider] : undefined);
    for (const { target, path, from } of fallbackTargets(p.fallback, `clusters.${cluster}.fallback.to`)) {
      if (from !== undefined && from !== 'FARGATE_SPOT' && kindOf(from) !== 'spot') {
        problems.push({ path, message: `"${from}" is not declared "spot" in clusters.${cluster}.providers` });
      }
      if (target === 'FARGATE_SPOT' || kindOf(target) === 'spot') {
        problems.push({ path, message: `"${target}" is a Spot provider: fallback must go to on-demand` });
      } else if (target !== 'FARGATE' && kindOf(target) !== 'on-demand') {
        const declared = Object.entries(p.providers).filter(([, k]) => k === 'on-demand').map(([n]) => n);
        problems.push({
          path,
          message: `"${target}" is not declared "on-demand" in clusters.${cluster}.providers (declared on-demand: ${declared.length > 0 ? declared.join(', ') : 'none'})`,
        });
      }
    }
  }
  return problems;
}

/** The policy used when none is given: every cluster it is shown is managed with the defaults. */
export function defaultPolicyFor(clusters: readonly string[]): Policy {
  return parsePolicy({ clusters: Object.fromEntries(clusters.map((c) => [c, {}])) });
}
