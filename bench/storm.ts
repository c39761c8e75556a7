// Interruption storms as scenarios for the simulator: N Spot warnings spread over one minute
// across 5 clusters of 1.2 × N/5 container instances each, and the mixed storm of Karpenter's
// interruption benchmark (aws/karpenter-provider-aws pkg/controllers/interruption/
// interruption_benchmark_test.go: a third AWS Health scheduled changes, a third Spot warnings,
// the rest EC2 state changes with a state drawn from stopping, stopped, shutting-down and
// terminated, each message for an instance of its own). Deterministic for a seed.
import { aHealthScheduledChange, anInstanceStateChange } from '@ecs-rebalancer/core/test-support';
import type { ClusterState, ContainerInstanceState, ServiceState } from '@ecs-rebalancer/core';
import { parseScenario } from '@ecs-rebalancer/sim';
import type { Scenario } from '@ecs-rebalancer/sim';
import { ACCOUNT, REGION, ec2InstanceId, eventId, seededRandom } from './fleet.js';

export const STORM_CLUSTERS = 5;
/** Each cluster holds 1.2 × the instances the storm interrupts in it. */
export const HEADROOM = 1.2;
/** Virtual second of the first warning; the warnings arrive over the next 60 s. */
export const STORM_START_SECONDS = 60;
export const STORM_SPREAD_SECONDS = 60;
const SPOT = 'spot-arm64';
const ON_DEMAND = 'od-arm64';
const INSTANCE_TYPE = 'm7g.large';
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const SERVICES_PER_CLUSTER = 10;
/** Tasks per container instance at the start (m7g.large: 2 vCPU, 4 task slots in the simulator): room to take in a drained instance's tasks. */
const TASKS_PER_INSTANCE = 1;
const STATE_CHANGE_STATES = ['stopping', 'stopped', 'shutting-down', 'terminated'] as const;
const START = '2026-01-05T09:00:00Z';

export interface StormSpec {
  /** Messages in the storm. */
  messages: number;
  /** `spot`: every message a Spot warning. `mixed`: Karpenter's mix. */
  mix: 'spot' | 'mixed';
  seed?: number;
}

export interface Storm {
  name: string;
  scenario: Scenario;
  /** Per cluster: instances the storm names (warned, scheduled or state-changed) and instances in it. */
  perCluster: { cluster: string; targeted: number; spotWarnings: number; instances: number }[];
  spotWarnings: number;
  scheduledChanges: number;
  stateChanges: number;
  /** Virtual second (from the scenario start) each message arrives, with its cluster; Spot warnings by count. */
  arrivals: { cluster: string; at: number; count: number }[];
  /** EC2 id → virtual second of the scheduled change or state change that names it, and which of the two (the last, when both did). */
  namedAt: Map<string, { at: number; kind: 'scheduled' | 'state' }>;
}

/** Splits `total` into `parts` whole numbers that differ by at most one. */
export function spread(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/** How many of `total` messages arrive in each second of the minute: message k at second floor(k × 60 / total). */
export function overTheMinute(total: number): number[] {
  const counts = Array.from({ length: STORM_SPREAD_SECONDS }, () => 0);
  for (let k = 0; k < total; k++) {
    const s = Math.floor((k * STORM_SPREAD_SECONDS) / total);
    counts[s] = (counts[s] ?? 0) + 1;
  }
  return counts;
}

function hex(random: () => number, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Builds the storm's scenario: clusters, the policy as an operator would deploy it, the timeline. */
export function buildStorm(spec: StormSpec): Storm {
  const random = seededRandom(spec.seed ?? 11);
  const spotTotal = spec.mix === 'spot' ? spec.messages : Math.floor(spec.messages / 3);
  const scheduledTotal = spec.mix === 'spot' ? 0 : Math.floor(spec.messages / 3);
  const stateTotal = spec.messages - spotTotal - scheduledTotal;
  const spotPer = spread(spotTotal, STORM_CLUSTERS);
  const scheduledPer = spread(scheduledTotal, STORM_CLUSTERS);
  const statePer = spread(stateTotal, STORM_CLUSTERS);
  const startMs = Date.parse(START);

  const clusters: ClusterState[] = [];
  const timeline: unknown[] = [];
  const perCluster: Storm['perCluster'] = [];
  const policyClusters: Record<string, unknown> = {};
  const arrivals: Storm['arrivals'] = [];
  const namedAt: Storm['namedAt'] = new Map();
  for (let c = 0; c < STORM_CLUSTERS; c++) {
    const cluster = `storm-${String.fromCharCode(97 + c)}`;
    const spotWarned = spotPer[c] ?? 0;
    const others = (scheduledPer[c] ?? 0) + (statePer[c] ?? 0);
    const targeted = spotWarned + others;
    const instances = Math.ceil(targeted * HEADROOM);
    // Spot warnings hit the Spot provider; scheduled changes and state changes name on-demand
    // instances, whose ids are known here (the simulator picks the warned Spot instances itself).
    const spotCount = others === 0 ? Math.ceil(spotWarned * 1.1) : Math.ceil(spotWarned * HEADROOM);
    const onDemandCount = Math.max(1, instances - spotCount);
    const containerInstances: ContainerInstanceState[] = [];
    for (let i = 0; i < spotCount + onDemandCount; i++) {
      containerInstances.push({
        arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container-instance/${cluster}/${hex(random, 32)}`,
        ec2InstanceId: ec2InstanceId(random),
        capacityProvider: i < spotCount ? SPOT : ON_DEMAND,
        status: 'ACTIVE',
        runningTasks: TASKS_PER_INSTANCE,
        availabilityZone: ZONES[i % ZONES.length] ?? 'us-east-1a',
        instanceType: INSTANCE_TYPE,
      });
    }
    const tasks = spread(containerInstances.length * TASKS_PER_INSTANCE, SERVICES_PER_CLUSTER);
    const services: ServiceState[] = tasks.map((desiredCount, s) => ({
      name: `svc-${String(s).padStart(2, '0')}`,
      desiredCount,
      runningCount: desiredCount,
      strategy: [
        { capacityProvider: SPOT, base: 0, weight: Math.round((3 * spotCount) / Math.max(1, onDemandCount)) || 1 },
        { capacityProvider: ON_DEMAND, base: 1, weight: 1 },
      ].map((item) => ({ ...item, weight: Math.min(1000, item.weight) })),
      minimumHealthyPercent: 50,
      maximumPercent: 200,
      deploymentController: 'ECS',
      baseline: null,
      fallbackSince: null,
    }));
    clusters.push({
      cluster,
      capacityProviders: [
        { name: SPOT, type: 'EC2_AUTOSCALING' },
        { name: ON_DEMAND, type: 'EC2_AUTOSCALING' },
      ],
      services,
      containerInstances,
      alarms: { [`${cluster}-spot-interruptions`]: 'OK' },
    });
    policyClusters[cluster] = {
      services: ['*'],
      providers: { [SPOT]: 'spot', [ON_DEMAND]: 'on-demand' },
      fallback: { alarms: [`${cluster}-spot-interruptions`], to: ON_DEMAND, minSeconds: 600 },
    };
    perCluster.push({ cluster, targeted, spotWarnings: spotWarned, instances: containerInstances.length });

    // Spread over the minute: second s gets its share of this cluster's messages.
    overTheMinute(spotWarned).forEach((count, s) => {
      if (count === 0) return;
      timeline.push({ at: STORM_START_SECONDS + s, interrupt: { cluster, capacityProvider: SPOT, count } });
      arrivals.push({ cluster, at: STORM_START_SECONDS + s, count });
    });
    const onDemand = containerInstances.filter((ci) => ci.capacityProvider === ON_DEMAND).map((ci) => ci.ec2InstanceId);
    const named = [
      ...Array.from({ length: scheduledPer[c] ?? 0 }, () => 'scheduled' as const),
      ...Array.from({ length: statePer[c] ?? 0 }, () => 'state' as const),
    ];
    // Interleave the two kinds over the minute, as they would arrive.
    const order = named.map((kind) => ({ kind, k: random() })).sort((a, b) => a.k - b.k);
    order.forEach(({ kind }, i) => {
      const instanceId = onDemand[i % onDemand.length] ?? '';
      const at = STORM_START_SECONDS + Math.floor((i * STORM_SPREAD_SECONDS) / Math.max(1, order.length));
      const time = iso(startMs + at * 1000);
      arrivals.push({ cluster, at, count: 1 });
      namedAt.set(instanceId, { at, kind });
      const envelope = { id: eventId(random), time, region: REGION, account: ACCOUNT };
      const event =
        kind === 'scheduled'
          ? aHealthScheduledChange({ ...envelope, instanceIds: [instanceId] })
          : anInstanceStateChange({ ...envelope, instanceId, state: STATE_CHANGE_STATES[Math.floor(random() * STATE_CHANGE_STATES.length)] ?? 'stopping' });
      if (kind === 'scheduled') {
        // Starts within the policy's drainBeforeSeconds (3600 by default): drained at once.
        const detail = event['detail'] as Record<string, unknown>;
        detail['startTime'] = new Date(startMs + (at + 1800) * 1000).toUTCString();
        detail['endTime'] = new Date(startMs + (at + 3600) * 1000).toUTCString();
      }
      timeline.push({ at, event });
    });
  }

  const name = spec.mix === 'spot' ? `spot-storm-${spec.messages}` : `mixed-storm-${spec.messages}`;
  const scenario = parseScenario({
    name,
    description: `${spec.messages} ${spec.mix === 'spot' ? 'Spot warnings' : 'messages in Karpenter’s mix'} over ${STORM_SPREAD_SECONDS} s across ${STORM_CLUSTERS} clusters`,
    start: START,
    seed: spec.seed ?? 11,
    policy: { clusters: policyClusters },
    clusters,
    providers: { [SPOT]: { launchDelaySeconds: 120 }, [ON_DEMAND]: { launchDelaySeconds: 120 } },
    // Long enough for the last warning's termination (120 s after it) and the state after it.
    durationSeconds: STORM_START_SECONDS + STORM_SPREAD_SECONDS + 120 + 60,
    // The deployed tick (every 5 minutes) ran at some point before the storm: here at 0, 60 s
    // before its first warning, listing every cluster into the shared instance index. Its
    // calls are the storm's too; the next tick would come after the run.
    firstTickSeconds: 0,
    stepSeconds: 5,
    timeline,
  });
  return { name, scenario, perCluster, arrivals, namedAt, spotWarnings: spotTotal, scheduledChanges: scheduledTotal, stateChanges: stateTotal };
}
