import * as z from 'zod/mini';
import { ValidationError } from '../errors.js';
import type { Problem } from '../errors.js';
import { InstanceSignalKind } from '../model/signal.js';
import { safeParseEnglish, zodProblems } from '../zod-problems.js';

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
const name = z.string().check(z.minLength(1));
const nonNegativeInt = z.number().check(z.int(), z.gte(0));

const fallbackSchema = z.strictObject({
  alarms: z._default(z.array(name), []),
  /** One on-demand provider, or a map from each Spot provider to its on-demand target. */
  to: z.union([name, z.record(name, name)], {
    error: (issue) => (issue.input === undefined ? 'required' : 'expected a provider name or a map from each Spot provider to its on-demand provider'),
  }),
  minSeconds: z._default(nonNegativeInt, DEFAULT_FALLBACK_MIN_SECONDS),
  okSeconds: z._default(nonNegativeInt, DEFAULT_FALLBACK_OK_SECONDS),
  restoreAtOnce: z._default(z.number().check(z.int(), z.gte(1)), DEFAULT_RESTORE_AT_ONCE),
});

const clusterPolicySchema = z.strictObject({
  services: z._default(z.array(name).check(z.minLength(1)), ['*']),
  providers: z._default(z.record(z.string(), providerKind), {}),
  fallback: z.optional(fallbackSchema),
});

// One key per signal kind that may call for a drain, so a new kind cannot miss its action.
const drainKinds = Object.values(InstanceSignalKind);
const actionsShape = Object.fromEntries(drainKinds.map((kind) => [kind, z._default(actionChoice, 'drain')])) as {
  [K in InstanceSignalKind]: z.ZodMiniDefault<typeof actionChoice>;
};
const actionsSchema = z._default(
  z.strictObject(actionsShape),
  () => Object.fromEntries(drainKinds.map((kind) => [kind, 'drain'])) as Record<InstanceSignalKind, ActionChoice>,
);

const guardrailsSchema = z._default(
  z.strictObject({ maxDrainingFraction: z._default(z.number().check(z.gt(0), z.lte(1)), DEFAULT_MAX_DRAINING_FRACTION) }),
  { maxDrainingFraction: DEFAULT_MAX_DRAINING_FRACTION },
);

const scheduledChangeSchema = z._default(z.strictObject({ drainBeforeSeconds: z._default(nonNegativeInt, DEFAULT_DRAIN_BEFORE_SECONDS) }), {
  drainBeforeSeconds: DEFAULT_DRAIN_BEFORE_SECONDS,
});

export const policySchema = z.strictObject({
  clusters: z.record(name, clusterPolicySchema),
  actions: actionsSchema,
  guardrails: guardrailsSchema,
  scheduledChange: scheduledChangeSchema,
  /** Events from other accounts are skipped; absent: every account (the deployed functions fill in their own). */
  accounts: z.optional(z.array(z.string().check(z.regex(/^\d{12}$/, 'expected a 12-digit AWS account id'))).check(z.minLength(1))),
  /** Events from other regions are skipped; absent: every region (the deployed functions fill in their own). */
  regions: z.optional(z.array(z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region such as us-east-1'))).check(z.minLength(1))),
  dryRun: z._default(z.boolean(), false),
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
  const result = safeParseEnglish(policySchema, input);
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
