// Deploy-time settings of the queue, the functions and the schedule. Plain data: the SST
// components read them, the tests assert on them.

/** Handlers, by path from the repository root: infra never imports runtime code. */
export const HANDLERS = {
  react: 'packages/functions/src/handlers/react.handler',
  tick: 'packages/functions/src/handlers/tick.handler',
  rollout: 'packages/functions/src/handlers/rollout.handler',
} as const;

/** The environment variable that carries the validated policy (JSON) to every function. */
export const POLICY_ENV = 'REBALANCER_POLICY';

/** The environment variable that carries the DLQ's URL to the react function (quarantine). */
export const DLQ_URL_ENV = 'REBALANCER_DLQ_URL';

/** The environment variable that names the kill switch's SSM parameter (every function reads it). */
export const KILL_SWITCH_ENV = 'REBALANCER_KILL_SWITCH_PARAMETER';
/** The event queue's URL and redrive limit, for the react function's re-presentation of deferred drains. */
export const QUEUE_URL_ENV = 'REBALANCER_QUEUE_URL';
/** The environment variable that names the instance index's DynamoDB table (react and tick). */
export const INDEX_TABLE_ENV = 'REBALANCER_INDEX_TABLE';

/**
 * The instance index: the EC2 id → container instance map of each managed cluster, shared by
 * every execution environment of the react and tick functions, one item per cluster (the
 * partition key), written whole after a whole listing and read with one BatchGetItem. On
 * demand: the storms it serves come without warning. `expiresAt` (epoch seconds) is the TTL
 * attribute, so the items of a cluster no longer managed go away on their own (DynamoDB
 * deletes expired items within days, and reads still return them until then). `localName`
 * is the table the simulator creates for local runs; deployed, SST names it.
 */
export const INSTANCE_INDEX_TABLE = {
  hashKey: { name: 'cluster', type: 'S' },
  ttlAttribute: 'expiresAt',
  localName: 'ecs-rebalancer-instance-index',
} as const;
export const MAX_RECEIVE_COUNT_ENV = 'REBALANCER_MAX_RECEIVE_COUNT';

/**
 * The kill switch: an SSM String parameter holding `active`, `paused` or `dry-run`, created
 * `active` by the deploy and then the operator's (the deploy ignores later changes to its
 * value). The functions read it with a 30 s cache: `aws ssm put-parameter --overwrite
 * --name NAME --value paused` stops every action within half a minute, without a redeploy.
 */
export function killSwitchParameterName(app: string, stage: string): string {
  return `/${app}/${stage}/kill-switch`;
}

/**
 * How SST bundles each function (sst.aws.Function `nodejs`), and how scripts/bundle.ts
 * bundles them for bench/bundle-size: the one description of the deployed bundle. SST's
 * esbuild keeps names by default and takes `minify` from here (its Go side reads a missing
 * `minify` as false); the SDK trims are esbuild plugins, in plain JavaScript because SST's
 * plugin bridge imports the file with a plain `node`. The path is from the repository root
 * (SST reads it relative to sst.config.ts). test/deploy-bundle.test.ts keeps both in step.
 */
export const LAMBDA_NODEJS = {
  format: 'esm',
  minify: true,
  plugins: 'scripts/lambda-bundle-plugins.mjs',
  esbuild: { keepNames: false },
} as const;

export const FUNCTION_DEFAULTS = {
  runtime: 'nodejs24.x',
  nodejs: LAMBDA_NODEJS,
  // Graviton: about 20% cheaper per GB-second than x86_64 for the same work.
  architecture: 'arm64',
  memory: '256 MB',
} as const;

export const REACT_TIMEOUT_SECONDS = 60;
export const TICK_TIMEOUT_SECONDS = 120;
export const ROLLOUT_TIMEOUT_SECONDS = 60;

/**
 * How the react function consumes the queue. A storm (an AZ losing its Spot capacity) sends
 * hundreds of warnings within seconds, each naming one instance; the two-minute warning
 * leaves time to wait a few seconds and drain them together: one ListContainerInstances and
 * one UpdateContainerInstancesState per 10 instances instead of one per event, which keeps
 * ECS's container-instance buckets (reads 20/s, writes 40/s) out of throttling. Lambda
 * allows a batch size above 10 only with a batching window of at least 1 s.
 */
export const BATCH = {
  size: 100,
  windowSeconds: 5,
  partialResponses: true,
  /**
   * Lambda's ScalingConfig.MaximumConcurrency (2–1,000): at most this many invocations at
   * once; more messages wait in the queue. Without it the mapping scales to 1,000 pollers
   * (+300 a minute), and every new execution environment learns each cluster itself (its own
   * instance directory): in the mixed storm 79 environments listed the same clusters into
   * ECS's throttle. Measured on the simulator (bench/interruption-storm, seed 11,
   * 2026-12-02, per-environment caches, before the shared instance index) at caps
   * 2 / 5 / 10 / 20 / none:
   * - mixed 15,000: ECS calls 6,287 / 8,624 / 10,489 / 19,943 / 25,794; throttled 801 /
   *   2,264 / 3,676 / 13,079 / 17,819; deadlines missed 0 / 0 / 0 / 0 / 183; tasks lost
   *   0 / 0 / 0 / 0 / 751; arrival→DRAINING p99 49.5 / 226 / 175 / 119 / 146 s; last
   *   DRAINING 109 / 240 / 238 / 183 / 240 s; queue wait before the first receive p99
   *   47.7 / 47.0 / 45.9 / 49.0 / 29.0 s;
   * - Spot 5,000: calls per instance 0.188 at 2, 0.244 from 5 up (p99 9.4 vs 18.4 s);
   *   Spot 1,000: 0.166 at every cap (one environment is enough).
   * 2 wins on every storm measured; its cost is the wait in the queue (p99 48 s vs 29 s).
   * Where capping stops helping: mixed 30,000 misses 2,609 / 2,664 / 3,033 deadlines at
   * 2 / 5 / 10 (messages wait ~160 s whatever the cap; uncapped not measured).
   * With the shared instance index (main of 2026-12-02 05:10, caps 2 / none): mixed 15,000
   * ECS calls 4,613 / 7,012, throttled 353 / 1,376, missed 0 / 0, lost 0 / 0, p99
   * arrival→DRAINING 134.6 / 169.8 s, queue wait max 7.6 / 28.7 s, environments 2 / 17;
   * Spot 5,000 0.151 calls per instance at every cap. 2 still spends the fewest calls and
   * waits least.
   */
  maximumConcurrency: 2,
} as const;

/**
 * The queue. Lambda's guidance for SQS event sources: a visibility timeout of at least six
 * times the function timeout plus the batching window, so a batch that Lambda retries is
 * not redelivered meanwhile. After `maxReceiveCount` failed receives a message moves to the
 * DLQ. Messages that can never succeed do not wait for this: the handler quarantines them.
 */
export const QUEUE = {
  visibilityTimeoutSeconds: 6 * REACT_TIMEOUT_SECONDS + BATCH.windowSeconds,
  maxReceiveCount: 5,
  // An event older than a day is about an instance that is long gone.
  retentionSeconds: 24 * 60 * 60,
  // The DLQ keeps what it holds for the SQS maximum, 14 days, for an operator to read.
  dlqRetentionSeconds: 14 * 24 * 60 * 60,
} as const;

/** The tick: restores that are due and drift reports. Restores wait `minSeconds` (600 by default) anyway. */
export const TICK_SCHEDULE = 'rate(5 minutes)';

/** Alarm thresholds on the pipeline itself. */
export const PIPELINE_ALARMS = {
  // A warning gives two minutes: a message that waited longer than that has missed its instance.
  oldestMessageAgeSeconds: 120,
  periodSeconds: 60,
} as const;
