import * as z from 'zod';
import { ValidationError, clusterStateSchema, parseClusterState, parsePolicy, zodProblems } from '@ecs-rebalancer/core';
import type { ClusterState, Policy, Strategy } from '@ecs-rebalancer/core';
import { faultSchema } from '../server/faults.js';
import { DEFAULT_LATENCY, latencySchema } from './latency.js';
import { clusterProblems, timelineProblems } from './checks.js';

const strategy = z.array(z.strictObject({ capacityProvider: z.string().min(1), base: z.number().int().min(0), weight: z.number().int().min(0) }));
const at = z.number().min(0);

const eventEntry = z.strictObject({ at, event: z.record(z.string(), z.unknown()) });
const interruptEntry = z.strictObject({
  at,
  interrupt: z.strictObject({ cluster: z.string().min(1), capacityProvider: z.string().min(1), count: z.number().int().min(1) }),
});
const alarmEntry = z.strictObject({
  at,
  alarm: z.strictObject({ name: z.string().min(1), state: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']), reason: z.string().optional() }),
});
const capacityEntry = z.strictObject({
  at,
  capacity: z.strictObject({ cluster: z.string().min(1), capacityProvider: z.string().min(1), available: z.boolean() }),
});
const rolloutEntry = z.strictObject({ at, rollout: z.record(z.string(), z.unknown()) });
const TIMELINE_KINDS = { interrupt: interruptEntry, alarm: alarmEntry, capacity: capacityEntry, event: eventEntry, rollout: rolloutEntry };

const providerOptions = z.strictObject({
  launchDelaySeconds: z.number().min(0).optional(),
  registrationDelaySeconds: z.number().min(0).optional(),
  maxSize: z.number().int().min(0).optional(),
  minSize: z.number().int().min(0).optional(),
  managedScaling: z
    .union([
      z.literal(false),
      z.strictObject({
        targetCapacity: z.number().min(1).max(100).optional(),
        minimumScalingStepSize: z.number().int().min(1).optional(),
        maximumScalingStepSize: z.number().int().min(1).optional(),
        instanceWarmupPeriod: z.number().min(0).optional(),
      }),
    ])
    .optional(),
  managedDraining: z.boolean().optional(),
  autoScalingGroup: z.string().min(1).optional(),
  spot: z.boolean().optional(),
  slotsPerInstance: z.number().int().min(1).optional(),
  instanceType: z.string().optional(),
  availabilityZones: z.array(z.string()).optional(),
  capacityAvailable: z.boolean().optional(),
});

const expectations = z.strictObject({
  /** At most this many tasks lost to terminations (with the rebalancer). */
  tasksLostAtMost: z.number().int().min(0).optional(),
  /** Every interrupted instance was DRAINING at least this many seconds before it died. */
  drainedAtLeastSecondsBeforeTermination: z.number().min(0).optional(),
  /** The strategy of each `cluster/service` at the end. */
  strategies: z.record(z.string(), strategy).optional(),
  /** The strategy of each `cluster/service` at scenario second `atSeconds`: its last change at or before then, else the one it starts with. */
  strategiesAt: z.array(z.strictObject({ atSeconds: z.number().min(0), strategies: z.record(z.string(), strategy) })).optional(),
  /** At most this many calls answered ThrottlingException. */
  throttledAtMost: z.number().int().min(0).optional(),
  /** Nothing left in the queue or the DLQ at the end. */
  queueEmpty: z.boolean().optional(),
  /** Every rollout ended in this status. */
  rollouts: z.array(z.strictObject({ service: z.string(), status: z.enum(['SUCCEEDED', 'FAILED', 'ABORTED']) })).optional(),
  /** Fewer tasks lost than the same scenario without the rebalancer (checked by `simulate` when it runs both). */
  fewerTasksLostThanWithout: z.boolean().optional(),
  /** RUNNING / desired never fell below this, over all services together. */
  lowestRunningFractionAtLeast: z.number().min(0).max(1).optional(),
  /** At most this many task-seconds below the desired counts, over all services. */
  taskSecondsBelowDesiredAtMost: z.number().min(0).optional(),
  /** At most this many tasks failed to start (wrong CPU architecture, circuit breaker). */
  tasksFailedToStartAtMost: z.number().int().min(0).optional(),
  /** A strategy change came at most this many seconds after the first `EC2 Instance Launch Unsuccessful`. */
  fallbackWithinSecondsOfLaunchFailure: z.number().min(0).optional(),
  /** Each listed EC2 instance was drained by the rebalancer (UpdateContainerInstancesState), at scenario seconds in [notBeforeSeconds, notAfterSeconds]. */
  drainedByRebalancer: z
    .strictObject({ instances: z.array(z.string().min(1)).min(1), notBeforeSeconds: z.number().min(0).optional(), notAfterSeconds: z.number().min(0).optional() })
    .optional(),
});

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  start: z.iso.datetime({ offset: true }).default('2026-01-05T09:00:00Z'),
  seed: z.number().int().default(1),
  policy: z.unknown(),
  clusters: z.array(clusterStateSchema).min(1),
  providers: z.record(z.string(), providerOptions).default({}),
  /** Overrides of ECS's throttle buckets (burst, perSecond), to exercise throttling; false turns it off. */
  throttling: z
    .union([
      z.literal(false),
      z.partialRecord(
        z.enum(['container-instance-write', 'container-instance-read', 'service-write', 'service-read', 'cluster-write', 'cluster-read', 'task-read']),
        z.strictObject({ burst: z.number().int().min(1), perSecond: z.number().gt(0) }),
      ),
    ])
    .optional(),
  /** Per service (`cluster/service`): task start time, image architectures, circuit breaker. */
  services: z
    .record(
      z.string(),
      z.strictObject({
        startSeconds: z.number().min(0).optional(),
        architectures: z.array(z.enum(['x86_64', 'arm64'])).min(1).optional(),
        deploymentCircuitBreaker: z.strictObject({ enable: z.boolean(), rollback: z.boolean() }).optional(),
      }),
    )
    .default({}),
  /** Standalone tasks (RunTask) at the start: draining leaves them alone. */
  standaloneTasks: z.array(z.strictObject({ cluster: z.string().min(1), capacityProvider: z.string().min(1), count: z.number().int().min(1) })).default([]),
  /** Seconds a task may wait in PROVISIONING before ECS stops it (model default 1800). */
  provisioningTimeoutSeconds: z.number().min(1).optional(),
  durationSeconds: z.number().min(1).max(7 * 24 * 3600),
  /** The deployed schedule's rate (infra/settings.ts): the tick fires this often. */
  tickSeconds: z.number().min(10).default(300),
  /** When the first tick fires (default: after tickSeconds), e.g. 0 for a tick that publishes the instance index before a storm. */
  firstTickSeconds: z.number().min(0).optional(),
  /** Virtual seconds between two samples of the running tasks (the chart); pollers are continuous. */
  stepSeconds: z.number().min(1).max(60).default(5),
  timeline: z.array(z.union([eventEntry, interruptEntry, alarmEntry, capacityEntry, rolloutEntry])).default([]),
  /** Time on the path: event delivery, AWS round trips, cold starts, pollers (defaults and sources: packages/sim/README.md). */
  latency: latencySchema.default(DEFAULT_LATENCY),
  /** Faults the simulator injects on the wire (throttling, 5xx, timeouts, lost answers, partial failures). */
  faults: z.array(faultSchema).default([]),
  expect: expectations.default({}),
});

export type ScenarioTimelineEntry = z.output<typeof scenarioSchema>['timeline'][number];
export type ScenarioExpectations = z.output<typeof expectations>;

export interface Scenario extends Omit<z.output<typeof scenarioSchema>, 'policy' | 'clusters'> {
  policy: Policy;
  clusters: ClusterState[];
  expect: ScenarioExpectations & { strategies?: Record<string, Strategy> };
}

/**
 * Validates a scenario file and fills in its defaults; the policy and each cluster go through
 * the core's own validation, so their problems carry the same paths as `plan` reports.
 */
export function parseScenario(input: unknown): Scenario {
  const entries = timelineProblems((input as { timeline?: unknown } | null)?.timeline, TIMELINE_KINDS);
  if (entries.length > 0) throw new ValidationError('invalid scenario', entries);
  const result = scenarioSchema.safeParse(input);
  if (!result.success) throw new ValidationError('invalid scenario', zodProblems(result.error));
  const data = result.data;
  const policy = nested('policy', () => parsePolicy(data.policy));
  const clusters = data.clusters.map((c, i) => nested(`clusters[${i}]`, () => parseClusterState(c)));
  const problems = [
    ...data.timeline.flatMap((entry, i) => (entry.at > data.durationSeconds ? [{ path: `timeline[${i}].at`, message: `${entry.at} is after durationSeconds ${data.durationSeconds}` }] : [])),
    ...clusterProblems(data.timeline, clusters),
    ...(data.expect.strategiesAt ?? []).flatMap((point, i) =>
      point.atSeconds > data.durationSeconds ? [{ path: `expect.strategiesAt[${i}].atSeconds`, message: `${point.atSeconds} is after durationSeconds ${data.durationSeconds}` }] : [],
    ),
  ];
  if (problems.length > 0) throw new ValidationError('invalid scenario', problems);
  return { ...data, policy, clusters, timeline: [...data.timeline].sort((a, b) => a.at - b.at) };
}

function nested<T>(prefix: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ValidationError(
        'invalid scenario',
        error.problems.map((p) => ({ path: p.path ? `${prefix}.${p.path}`.replace('.[', '[') : prefix, message: p.message })),
      );
    }
    throw error;
  }
}
