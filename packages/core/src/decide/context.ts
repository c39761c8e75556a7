import { ValidationError } from '../errors.js';
import { clusterNameFromArn } from '../events/arn.js';
import { isTimestamp } from '../events/validate.js';
import type { ClusterState, ContainerInstanceState, ServiceState } from '../model/cluster-state.js';
import type { DeferredDrain, Drift, PlanAction, Skip } from '../model/plan.js';
import type { AlarmSignal, InstanceSignal, Signal } from '../model/signal.js';
import { InstanceSignalKind } from '../model/signal.js';
import type { ClusterPolicy, Policy } from '../policy/schema.js';
import { isSpotProvider } from '../strategy/fallback.js';

/** One cluster the policy names and the loader returned a state for. */
export interface ManagedCluster {
  name: string;
  policy: ClusterPolicy;
  state: ClusterState;
  /** The services of the state the policy manages, sorted by name. */
  services: ServiceState[];
  isSpot: (provider: string) => boolean;
}

export interface InstanceMatch {
  cluster: ManagedCluster;
  instance: ContainerInstanceState;
}

/** Everything the decide functions share, built once per batch. */
export interface DecideContext {
  policy: Policy;
  now: string;
  nowMs: number;
  /** Sorted by name. */
  clusters: ManagedCluster[];
  /** Deduplicated and in canonical order, so the input order never shapes the plan; foreign signals left out. */
  signals: Signal[];
  /** Signals from an account or region the policy does not name, with the reason. */
  foreign: Skip[];
  /** The latest signal per alarm name in this batch: it says what state the alarm is in now. */
  latestAlarms: Map<string, AlarmSignal>;
  cluster(name: string): ManagedCluster | undefined;
  /** Every container instance of a managed cluster running the EC2 instance, in cluster order (for the EC2 ids the batch's instance signals name; [] for any other). */
  findInstances(ec2InstanceId: string): InstanceMatch[];
}

/** What each decide function contributes to the plan. */
export interface Decision {
  actions: PlanAction[];
  skipped: Skip[];
  warnings: string[];
  drift: Drift[];
  deferred: DeferredDrain[];
}

export function emptyDecision(): Decision {
  return { actions: [], skipped: [], warnings: [], drift: [], deferred: [] };
}

const instanceKinds: ReadonlySet<string> = new Set(Object.values(InstanceSignalKind));

export function isInstanceSignal(signal: Signal): signal is InstanceSignal {
  return instanceKinds.has(signal.kind);
}

/**
 * The value of an object's own property, never one of its prototype's: names from events and
 * files (`constructor`, `__proto__`, `toString`) index records like any other name.
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Whether the cluster policy manages a service of that name (`["*"]` manages all). */
export function isManagedService(policy: ClusterPolicy, service: string): boolean {
  return policy.services.includes('*') || policy.services.includes(service);
}

/**
 * A signal may name its cluster by ARN (`arn:aws:ecs:…:cluster/prod`; the parsers already give
 * the name); the policy names it. Anything that is not an ECS cluster ARN is taken as a name.
 */
export function clusterName(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? (clusterNameFromArn(nameOrArn) ?? nameOrArn) : nameOrArn;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted, without duplicates. */
export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareStrings);
}

/** Milliseconds of an ISO time, or NaN when it is absent or not a valid ISO time. */
export function timeMs(value: string | null | undefined): number {
  if (value === null || value === undefined || !isTimestamp(value)) return Number.NaN;
  return Date.parse(value);
}

/**
 * Why a signal from another account or region is not acted on, or undefined when the policy
 * names no accounts / regions or the signal's own are among them. A signal that does not say
 * (a tick, a hand-written event) is trusted.
 */
export function foreignReason(signal: Signal, policy: Pick<Policy, 'accounts' | 'regions'>): string | undefined {
  if (policy.accounts && signal.account !== undefined && !policy.accounts.includes(signal.account)) {
    return `event from account ${signal.account}, which the policy does not manage (accounts: ${policy.accounts.join(', ')})`;
  }
  if (policy.regions && signal.region !== undefined && !policy.regions.includes(signal.region)) {
    return `event from region ${signal.region}, which the policy does not manage (regions: ${policy.regions.join(', ')})`;
  }
  return undefined;
}

export function buildContext(signals: readonly Signal[], states: readonly ClusterState[], policy: Policy, now: string): DecideContext {
  const nowMs = timeMs(now);
  if (Number.isNaN(nowMs)) throw new ValidationError('invalid decision time', [{ path: 'now', message: `"${now}" is not an ISO 8601 time` }]);

  const stateByName = new Map<string, ClusterState>();
  for (const state of states) if (!stateByName.has(state.cluster)) stateByName.set(state.cluster, state);
  const clusters: ManagedCluster[] = Object.keys(policy.clusters)
    .sort(compareStrings)
    .flatMap((name) => {
      const state = stateByName.get(name);
      const clusterPolicy = ownValue(policy.clusters, name);
      if (!state || !clusterPolicy) return [];
      const services = state.services
        .filter((s) => isManagedService(clusterPolicy, s.name))
        .sort((a, b) => compareStrings(a.name, b.name));
      return [{ name, policy: clusterPolicy, state, services, isSpot: (p: string) => isSpotProvider(p, clusterPolicy, state) }];
    });
  const byName = new Map(clusters.map((c) => [c.name, c]));

  const foreign: Skip[] = [];
  const ordered = canonicalSignals(signals).filter((signal) => {
    const reason = foreignReason(signal, policy);
    if (reason !== undefined) foreign.push({ eventId: signal.eventId, reason });
    return reason === undefined;
  });

  // Only the instances the batch names are indexed: a cluster has far more instances than a
  // batch has signals, and an index entry per instance costs more than the scan.
  const byEc2Id = new Map<string, InstanceMatch[]>();
  for (const signal of ordered) if (isInstanceSignal(signal)) byEc2Id.set(signal.ec2InstanceId, []);
  for (const cluster of clusters) {
    for (const instance of cluster.state.containerInstances) byEc2Id.get(instance.ec2InstanceId)?.push({ cluster, instance });
  }
  const latestAlarms = new Map<string, AlarmSignal>();
  for (const signal of ordered) {
    if (signal.kind !== 'alarm') continue;
    const known = latestAlarms.get(signal.alarmName);
    if (!known || compareAlarmTime(signal, known) > 0) latestAlarms.set(signal.alarmName, signal);
  }

  return {
    policy,
    now,
    nowMs,
    clusters,
    signals: ordered,
    foreign,
    latestAlarms,
    cluster: (name) => byName.get(clusterName(name)),
    findInstances: (id) => byEc2Id.get(id) ?? [],
  };
}

// Duplicates (EventBridge and SQS both deliver at least once) are the same event id about the
// same subject; a Health event's several instances share one id and are not duplicates.
function canonicalSignals(signals: readonly Signal[]): Signal[] {
  // Times parsed once per distinct time (a storm's events share seconds), the canonical JSON
  // only for the pairs that need it: a sort makes O(n log n) comparisons.
  const parsed = new Map<string, number>();
  const msOf = (time: string): number => {
    let ms = parsed.get(time);
    if (ms === undefined) parsed.set(time, (ms = timeMs(time)));
    return ms;
  };
  const keyed = signals.map((signal) => ({ signal, ms: msOf(signal.time), json: undefined as string | undefined }));
  const json = (k: (typeof keyed)[number]): string => (k.json ??= canonicalJson(k.signal));
  keyed.sort(
    (a, b) => compareParsedTime(a.signal.time, a.ms, b.signal.time, b.ms) || compareStrings(a.signal.eventId, b.signal.eventId) || compareStrings(json(a), json(b)),
  );
  const seen = new Set<string>();
  const result: Signal[] = [];
  for (const { signal } of keyed) {
    const key = `${signal.kind}\u0000${signal.eventId}\u0000${isInstanceSignal(signal) ? signal.ec2InstanceId : ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(signal);
  }
  return result;
}

function compareAlarmTime(a: AlarmSignal, b: AlarmSignal): number {
  return compareTime(a.stateTimestamp, b.stateTimestamp) || compareTime(a.time, b.time) || compareStrings(a.eventId, b.eventId);
}

function compareTime(a: string, b: string): number {
  return compareParsedTime(a, timeMs(a), b, timeMs(b));
}

function compareParsedTime(a: string, ta: number, b: string, tb: number): number {
  if (Number.isNaN(ta) || Number.isNaN(tb) || ta === tb) return compareStrings(a, b);
  return ta - tb;
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => compareStrings(a, b)))
      : v,
  );
}
