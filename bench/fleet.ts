// Realistic, deterministic cluster states for the benchmarks: several capacity providers
// (Spot and on-demand, arm64 and x86_64, plus the two Fargate providers), container
// instance ARNs in the long format ECS uses since 2018
// (arn:aws:ecs:REGION:ACCOUNT:container-instance/CLUSTER/ID, ID 32 hex digits), EC2 instance
// ids with 17 hex digits, a few DRAINING / REGISTERING instances, CODE_DEPLOY services and
// services at minimumHealthyPercent 100. A seeded generator keeps every run identical.
import type { ClusterState, ContainerInstanceState, InstanceStatus, PolicyInput, ServiceState, Strategy } from '@ecs-rebalancer/core';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const FALLBACK_ALARM_SUFFIX = 'spot-interruptions';

export const Provider = {
  SpotArm: 'spot-arm64',
  SpotX86: 'spot-x86',
  OnDemandArm: 'od-arm64',
  OnDemandX86: 'od-x86',
  Fargate: 'FARGATE',
  FargateSpot: 'FARGATE_SPOT',
} as const;
export type Provider = (typeof Provider)[keyof typeof Provider];

/** Share of the container instances in each ASG provider. */
const INSTANCE_MIX: readonly [Provider, number, readonly string[]][] = [
  [Provider.SpotArm, 0.4, ['m7g.large', 'm7g.xlarge', 'c7g.xlarge', 'r7g.large', 'm6g.xlarge']],
  [Provider.SpotX86, 0.25, ['m6i.large', 'm7i.xlarge', 'c6i.xlarge', 'm5.xlarge', 'c5.2xlarge']],
  [Provider.OnDemandArm, 0.2, ['m7g.large', 'm7g.xlarge', 'c7g.2xlarge']],
  [Provider.OnDemandX86, 0.15, ['m6i.xlarge', 'c6i.2xlarge']],
];

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1f'];

const SERVICE_WORDS = [
  'checkout', 'orders', 'payments', 'catalog', 'search', 'cart', 'users', 'auth', 'billing', 'invoices',
  'shipping', 'inventory', 'pricing', 'reviews', 'notifications', 'emails', 'images', 'reports', 'ledger', 'gateway',
];
const SERVICE_ROLES = ['api', 'worker', 'consumer', 'web', 'cron', 'grpc', 'sidecar', 'batch', 'stream', 'admin'];

/** mulberry32: a tiny seeded PRNG, so a benchmark measures the same input every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(random: () => number, digits: number): string {
  let out = '';
  while (out.length < digits) out += Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, digits);
}

/** An EC2 instance id as EC2 issues them since 2016: `i-0` and 16 more hex digits. */
export function ec2InstanceId(random: () => number): string {
  return `i-0${hex(random, 16)}`;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

export interface FleetOptions {
  cluster: string;
  instances: number;
  services: number;
  seed: number;
  /** Share of managed services whose strategy someone changed by hand since the rebalancer set it. */
  driftShare?: number;
  /** Share of services in an active fallback that began `fallbackAgeSeconds` ago. */
  fallbackShare?: number;
  fallbackAgeSeconds?: number;
  /** ISO time the fallback ages count back from. */
  now?: string;
}

/** The strategy shapes seen in a real cluster, with how often each appears. */
const STRATEGY_MIX: readonly [number, () => Strategy][] = [
  [0.5, () => [item(Provider.SpotArm, 0, 3), item(Provider.OnDemandArm, 2, 1)]],
  [0.2, () => [item(Provider.SpotX86, 0, 2), item(Provider.OnDemandX86, 1, 1)]],
  [0.1, () => [item(Provider.OnDemandArm, 0, 1)]],
  [0.07, () => [item(Provider.SpotArm, 0, 2), item(Provider.SpotX86, 0, 2), item(Provider.OnDemandArm, 2, 1)]],
  [0.05, () => [item(Provider.FargateSpot, 0, 4), item(Provider.Fargate, 1, 1)]],
  [0.05, () => [item(Provider.SpotArm, 2, 1)]],
  [0.03, () => [item(Provider.OnDemandX86, 1, 1), item(Provider.SpotX86, 0, 1)]],
];

function item(capacityProvider: string, base: number, weight: number): Strategy[number] {
  return { capacityProvider, base, weight };
}

/** A cluster state of `instances` container instances and `services` services, deterministic for a seed. */
export function aFleetCluster(options: FleetOptions): ClusterState {
  const random = seededRandom(options.seed);
  const { cluster } = options;

  const containerInstances: ContainerInstanceState[] = [];
  for (const [provider, share, types] of INSTANCE_MIX) {
    const count = Math.round(options.instances * share);
    for (let i = 0; i < count && containerInstances.length < options.instances; i++) {
      const roll = random();
      const status: InstanceStatus = roll < 0.03 ? 'DRAINING' : roll < 0.04 ? 'REGISTERING' : 'ACTIVE';
      containerInstances.push({
        arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container-instance/${cluster}/${hex(random, 32)}`,
        ec2InstanceId: ec2InstanceId(random),
        capacityProvider: provider,
        status,
        runningTasks: status === 'REGISTERING' ? 0 : Math.floor(random() * 12),
        availabilityZone: pick(random, ZONES),
        instanceType: pick(random, types),
      });
    }
  }

  const now = Date.parse(options.now ?? '2024-05-01T12:00:00Z');
  const services: ServiceState[] = [];
  for (let i = 0; i < options.services; i++) {
    const name = `${pick(random, SERVICE_WORDS)}-${pick(random, SERVICE_ROLES)}-${String(i).padStart(3, '0')}`;
    let roll = random();
    const shape = STRATEGY_MIX.find(([share]) => (roll -= share) < 0) ?? STRATEGY_MIX[0];
    const strategy = shape ? shape[1]() : [];
    const desiredCount = 2 + Math.floor(random() * 38);
    const service: ServiceState = {
      name,
      desiredCount,
      runningCount: random() < 0.9 ? desiredCount : Math.max(0, desiredCount - 1 - Math.floor(random() * 3)),
      strategy,
      minimumHealthyPercent: random() < 0.1 ? 100 : 50,
      maximumPercent: 200,
      deploymentController: random() < 0.02 ? 'CODE_DEPLOY' : 'ECS',
      baseline: null,
      fallbackSince: null,
      // The rebalancer records what it set; most services were touched by an earlier restore.
      applied: random() < 0.6 ? strategy.map((s) => ({ ...s })) : null,
    };
    if (service.applied && random() < (options.driftShare ?? 0)) {
      // Someone edited the strategy by hand in the console.
      service.strategy = service.strategy.map((s) => ({ ...s, weight: s.weight + 1 }));
    }
    services.push(service);
  }
  for (const service of services) {
    const givesSpot = service.strategy.some((s) => s.capacityProvider.startsWith('spot-') && s.weight > 0);
    if (!givesSpot || service.deploymentController !== 'ECS' || random() >= (options.fallbackShare ?? 0)) continue;
    // A fallback that already happened: baseline kept, Spot at weight 0, its weight on od-arm64.
    service.baseline = service.strategy.map((s) => ({ ...s }));
    const moved = service.strategy.filter((s) => s.capacityProvider.startsWith('spot-')).reduce((sum, s) => sum + s.weight, 0);
    service.strategy = [
      ...service.strategy.map((s) => (s.capacityProvider.startsWith('spot-') ? { ...s, base: 0, weight: 0 } : { ...s })),
    ];
    const target = service.strategy.find((s) => s.capacityProvider === Provider.OnDemandArm);
    if (target) target.weight += moved;
    else service.strategy.push(item(Provider.OnDemandArm, 0, moved));
    service.applied = service.strategy.map((s) => ({ ...s }));
    service.fallbackSince = new Date(now - (options.fallbackAgeSeconds ?? 3600) * 1000).toISOString();
  }

  return {
    cluster,
    capacityProviders: [
      { name: Provider.SpotArm, type: 'EC2_AUTOSCALING' },
      { name: Provider.SpotX86, type: 'EC2_AUTOSCALING' },
      { name: Provider.OnDemandArm, type: 'EC2_AUTOSCALING' },
      { name: Provider.OnDemandX86, type: 'EC2_AUTOSCALING' },
      { name: Provider.Fargate, type: 'FARGATE' },
      { name: Provider.FargateSpot, type: 'FARGATE_SPOT' },
    ],
    services,
    containerInstances,
    alarms: { [`${cluster}-${FALLBACK_ALARM_SUFFIX}`]: 'OK', [`${cluster}-api-5xx`]: 'OK' },
    // CloudWatch's StateTransitionedTimestamp: the alarms have been OK for half the fallback's age.
    alarmsChangedAt: Object.fromEntries(
      [`${cluster}-${FALLBACK_ALARM_SUFFIX}`, `${cluster}-api-5xx`].map((name) => [name, new Date(now - ((options.fallbackAgeSeconds ?? 3600) * 1000) / 2).toISOString()]),
    ),
  };
}

/** The cluster policy an operator would write for a fleet cluster (DESIGN.md Policy contract). */
export function fleetClusterPolicy(cluster: string, fallback: { okSeconds?: number; restoreAtOnce?: number } = {}): PolicyInput['clusters'][string] {
  return {
    services: ['*'],
    providers: {
      [Provider.SpotArm]: 'spot',
      [Provider.SpotX86]: 'spot',
      [Provider.OnDemandArm]: 'on-demand',
      [Provider.OnDemandX86]: 'on-demand',
    },
    fallback: { alarms: [`${cluster}-${FALLBACK_ALARM_SUFFIX}`], to: Provider.OnDemandArm, minSeconds: 600, ...fallback },
  };
}

/** Spot container instances that are ACTIVE: the ones a Spot warning would drain. */
export function activeSpotInstances(state: ClusterState): ContainerInstanceState[] {
  return state.containerInstances.filter((ci) => ci.status === 'ACTIVE' && (ci.capacityProvider ?? '').startsWith('spot-'));
}

/** An EventBridge event id: a UUID, deterministic for the generator. */
export function eventId(random: () => number): string {
  const h = hex(random, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
