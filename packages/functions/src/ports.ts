// The capabilities the use-cases need from the outside world. Adapters implement them with
// AWS (named technology + port: EcsClusterReader); tests implement them with fakes that
// record calls. Every method that talks to AWS rejects with RetryableError or PermanentError
// (errors.ts), never with a raw SDK error.
import type { AlarmStateValue, ClusterState, ContainerInstanceState, LoadRequest, PlanAction, Strategy } from '@ecs-rebalancer/core';

/** One cluster as read for a batch, with the ARNs the writers need but the core does not. */
export interface ClusterSnapshot {
  state: ClusterState;
  /** Service name → service ARN (TagResource takes the ARN). */
  serviceArns: Record<string, string>;
  /**
   * Service name → why the rebalancer must not change that service (a short ARN cannot carry
   * its record; its record is unreadable). The core still sees the service; the executor
   * skips its strategy changes with this reason, which is permanent: no retry helps.
   */
  blocked?: Record<string, string>;
}

/** Reads what the core must see of the clusters a batch touches (alarms are left empty). */
export interface ClusterReader {
  load(requests: readonly LoadRequest[]): Promise<ClusterSnapshot[]>;
}

/** One managed cluster's container instances as last listed whole, shared by every execution environment. */
export interface InstanceIndexEntry {
  cluster: string;
  /** When the listing began (ms on the functions' clock): what it says is at least that old. */
  listedAt: number;
  /** Statuses and running tasks as listed: stale by the time they are read. */
  instances: ContainerInstanceState[];
  /** Container instance ARN → its `ecs.cpu-architecture`, where known. */
  architectures: Record<string, string>;
}

/** One cluster's DRAINING container instances as last listed (ListContainerInstances status=DRAINING). */
export interface DrainingListing {
  cluster: string;
  /** When the listing began (ms). */
  listedAt: number;
  arns: string[];
  /** True when the listing stopped at its page limit: the set is longer than `arns`. */
  capped: boolean;
}

/**
 * The account-wide instance index: who lists a cluster whole writes it, every execution
 * environment reads it before listing itself; likewise each cluster's DRAINING set for the
 * guardrail. Rejects with RetryableError or PermanentError; callers treat a failure as an
 * empty index.
 */
export interface InstanceIndex {
  /** The entries kept for these clusters; clusters without one are absent. */
  read(clusters: readonly string[]): Promise<Map<string, InstanceIndexEntry>>;
  /** Keeps the entry unless a newer listing of its cluster is kept already; false when it was refused (too big for one item, or older). */
  write(entry: InstanceIndexEntry): Promise<boolean>;
  /** The cluster's DRAINING set as last kept, if any. */
  readDraining(cluster: string): Promise<DrainingListing | undefined>;
  /** Keeps the DRAINING set unless a newer one is kept; false when refused. */
  writeDraining(listing: DrainingListing): Promise<boolean>;
  /** Claims the next listing of the cluster's DRAINING set at `now`: false when another environment claimed it within `leaseMs`. */
  claimDraining(cluster: string, now: number, leaseMs: number): Promise<boolean>;
}

/** Lists managed clusters whole and publishes them to the instance index (the tick). Never rejects for one cluster. */
export interface InstanceIndexRefresher {
  refresh(clusters: readonly string[]): Promise<{ cluster: string; instances: number; described: number; published: boolean }[]>;
}

/** Reads alarm states; alarms that do not exist are absent from the answer. */
export interface AlarmReader {
  states(alarmNames: readonly string[]): Promise<Record<string, AlarmStateValue>>;
  /**
   * The states with the time each began (CloudWatch's StateTransitionedTimestamp, ISO), in one
   * read: the core's okSeconds counts from it. Readers without it leave `changedAt` unknown.
   */
  statesWithTimes?(alarmNames: readonly string[]): Promise<Record<string, { state: AlarmStateValue; changedAt?: string }>>;
}

export const DrainStatus = {
  /** ECS accepted the change: the instance is DRAINING now. */
  Draining: 'draining',
  /** It was DRAINING already: counts as done. */
  AlreadyDraining: 'already-draining',
  /** ECS does not know the instance (deregistered meanwhile): reported, not retried. */
  Missing: 'missing',
  /** ECS refused it for another reason (INACTIVE, not ACTIVE yet): reported, not retried. */
  Refused: 'refused',
  /** The call for its chunk failed; `error` says whether to retry. */
  Failed: 'failed',
} as const;
export type DrainStatus = (typeof DrainStatus)[keyof typeof DrainStatus];

export interface InstanceDrainResult {
  containerInstanceArn: string;
  status: DrainStatus;
  /** ECS's failure reason and detail, or the error's message. */
  reason?: string;
  error?: Error;
}

/** Moves container instances to DRAINING; never rejects for a chunk, reports per instance. */
export interface InstanceDrainer {
  drain(cluster: string, containerInstanceArns: readonly string[]): Promise<InstanceDrainResult[]>;
}

export const RecordPhase = {
  /** The record is written, the fallback's UpdateService is not confirmed yet. */
  FallingBack: 'falling-back',
  /** The fallback strategy is confirmed in place. */
  Active: 'active',
  /** The restore's UpdateService was sent; the record is not cleared yet. */
  Restoring: 'restoring',
} as const;
export type RecordPhase = (typeof RecordPhase)[keyof typeof RecordPhase];

/** The rebalancer's record kept on a service: what to restore, since when, and what it last set. */
export interface StrategyRecord {
  baseline: Strategy | null;
  fallbackSince: string | null;
  applied: Strategy | null;
  /** Which step of a fallback or restore the record is in; null without a fallback (or a record written before phases). */
  phase?: RecordPhase | null;
  /** When the last restore of the service was confirmed (ISO). */
  lastRestoredAt?: string | null;
  /** Start times (ISO) of the fallbacks of the last hour, oldest first. */
  recentFallbacks?: string[];
}

export interface StrategyChangeRequest {
  cluster: string;
  service: string;
  serviceArn: string;
  strategy: Strategy;
  /** The record to keep with the new strategy. */
  record: StrategyRecord;
  /**
   * The service as loaded: its strategy, and the record to put back if the change fails. The
   * decision was taken on it: if the service holds anything else when the change is made,
   * the change is refused with a RetryableError, to be decided again on fresh state.
   */
  previous: { strategy: Strategy; record: StrategyRecord };
}

export const StrategyWriteResult = { Updated: 'updated', Unchanged: 'unchanged' } as const;
export type StrategyWriteResult = (typeof StrategyWriteResult)[keyof typeof StrategyWriteResult];

/** A service that already runs its baseline: only the record goes, its strategy stays. */
export interface ClearRecordRequest {
  cluster: string;
  service: string;
  serviceArn: string;
  /** The strategy the service runs, kept as `applied` so the tick does not call it drift. */
  strategy: Strategy;
  /** The record as loaded: if the service holds another one (or another strategy) now, nothing is written. */
  previousRecord: StrategyRecord;
}

/** Changes a service's capacity provider strategy and keeps the record beside it. */
export interface StrategyWriter {
  write(change: StrategyChangeRequest): Promise<StrategyWriteResult>;
  /** Removes the baseline and its start time without touching the strategy (no redeploy). */
  clearRecord(request: ClearRecordRequest): Promise<void>;
}

export const Outcome = {
  Done: 'done',
  DryRun: 'dry-run',
  /** The kill switch is set to `paused`: nothing was done. */
  Paused: 'paused',
  Unchanged: 'unchanged',
  Partial: 'partial',
  Failed: 'failed',
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

/** One decision as others may subscribe to it (EventBridge detail-type `Rebalancer Decision`). */
export interface DecisionEvent {
  action: PlanAction;
  outcome: Outcome;
  dryRun: boolean;
  /** When the decision was taken (ISO). */
  time: string;
  /** Per-instance or error details, when the outcome is not plain `done`. */
  problems?: string[];
}

export interface PublishResult {
  published: number;
  failed: { event: DecisionEvent; reason: string }[];
}

export interface DecisionPublisher {
  publish(events: readonly DecisionEvent[]): Promise<PublishResult>;
}

/** A queue message that can never be processed, as the quarantine keeps it. */
export interface PoisonRecord {
  messageId: string;
  body: string;
  /** SQS ApproximateReceiveCount, when known. */
  receiveCount?: number;
}

/** Sends a poison record to the dead-letter queue with the error attached; then it may be acknowledged. */
export interface Quarantine {
  send(record: PoisonRecord, error: Error & { path?: string }): Promise<void>;
}

/** Counts and timings, aggregated per invocation and flushed once (EMF). */
export interface MetricsSink {
  count(name: string, value: number, dimensions?: Record<string, string>): void;
  milliseconds(name: string, value: number, dimensions?: Record<string, string>): void;
  flush(): void;
}

export type LogAttributes = Record<string, unknown>;

/** Structured logging; the Powertools Logger satisfies it. */
export interface Log {
  debug(message: string, ...attributes: LogAttributes[]): void;
  info(message: string, ...attributes: LogAttributes[]): void;
  warn(message: string, ...attributes: LogAttributes[]): void;
  error(message: string, ...attributes: LogAttributes[]): void;
}

/** The only clock of the functions: Lambda passes the wall clock, the simulator its virtual one. */
export type Clock = () => Date;

export const SwitchMode = { Active: 'active', Paused: 'paused', DryRun: 'dry-run' } as const;
export type SwitchMode = (typeof SwitchMode)[keyof typeof SwitchMode];

/**
 * The kill switch every function reads before it acts: `paused` stops every action (drains,
 * strategy changes, rollout steps) and `dry-run` changes nothing, without a redeploy. Never
 * rejects: when the switch cannot be read, the adapter answers the last value it read.
 */
export interface KillSwitch {
  mode(): Promise<{ mode: SwitchMode; source: string }>;
}

/** A received queue message, as its visibility can be changed. */
export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  /** The queue's ARN (the SQS record's eventSourceARN). */
  queueArn?: string;
}

/**
 * Brings received messages back after `seconds` instead of the queue's visibility timeout
 * (ChangeMessageVisibility), and sends a fresh copy of one for a re-presentation later than
 * a visibility change can reach. Rejects with RetryableError or PermanentError.
 */
export interface Redelivery {
  after(messages: readonly ReceivedMessage[], seconds: number): Promise<void>;
  /** Sends `body` again to the queue, delivered after `delaySeconds` (at most 900). */
  requeue(body: string, delaySeconds: number, attributes?: Record<string, string>): Promise<void>;
}

/** Waits; the simulator passes one that moves its virtual clock. */
export type Sleep = (ms: number) => Promise<void>;
