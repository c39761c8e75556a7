// Builders for readable decision tests: each returns a valid value with the DESIGN.md sample
// defaults (cluster prod, providers spot-arm64 / od-arm64, service web), overridable field by field.
import type {
  CapacityProviderState,
  ClusterState,
  ContainerInstanceState,
  ServiceState,
} from '../model/cluster-state.js';
import type { Strategy } from '../model/strategy.js';
import { parsePolicy } from '../policy/schema.js';
import type { Policy, PolicyInput } from '../policy/schema.js';

export const SPOT = 'spot-arm64';
export const ON_DEMAND = 'od-arm64';
export const FALLBACK_ALARM = 'prod-spot-interruptions';
/** When aCluster's fallback alarm last changed state (to OK): long before any test's time. */
export const ALARM_OK_SINCE = '2000-01-01T00:00:00Z';

export function aStrategy(spotWeight = 3, onDemandWeight = 1, onDemandBase = 2): Strategy {
  return [
    { capacityProvider: SPOT, base: 0, weight: spotWeight },
    { capacityProvider: ON_DEMAND, base: onDemandBase, weight: onDemandWeight },
  ];
}

export function aService(overrides: Partial<ServiceState> = {}): ServiceState {
  return {
    name: 'web',
    desiredCount: 10,
    runningCount: 10,
    strategy: aStrategy(),
    minimumHealthyPercent: 50,
    maximumPercent: 200,
    deploymentController: 'ECS',
    baseline: null,
    fallbackSince: null,
    ...overrides,
  };
}

export interface InstanceOverrides extends Partial<ContainerInstanceState> {
  /** Cluster name used in the default ARN. */
  cluster?: string;
}

export function anInstance(overrides: InstanceOverrides = {}): ContainerInstanceState {
  const { cluster = 'prod', ...rest } = overrides;
  const ec2InstanceId = rest.ec2InstanceId ?? 'i-0b662ef9931388ba0';
  return {
    arn: `arn:aws:ecs:us-east-1:123456789012:container-instance/${cluster}/${ec2InstanceId.replace(/^i-/, '')}`,
    ec2InstanceId,
    capacityProvider: SPOT,
    status: 'ACTIVE',
    runningTasks: 4,
    availabilityZone: 'us-east-1b',
    instanceType: 'm7g.large',
    ...rest,
  };
}

/** `count` instances with ids i-<prefix>000 … (zero-padded so they sort as numbered). */
export function someInstances(count: number, overrides: InstanceOverrides = {}, prefix = 'a'): ContainerInstanceState[] {
  return Array.from({ length: count }, (_, i) =>
    anInstance({ ...overrides, ec2InstanceId: `i-${prefix}${String(i).padStart(4, '0')}` }),
  );
}

export function aCluster(overrides: Partial<ClusterState> = {}): ClusterState {
  const providers: CapacityProviderState[] = [
    { name: SPOT, type: 'EC2_AUTOSCALING' },
    { name: ON_DEMAND, type: 'EC2_AUTOSCALING' },
  ];
  return {
    cluster: 'prod',
    capacityProviders: providers,
    services: [aService()],
    containerInstances: [],
    alarms: { [FALLBACK_ALARM]: 'OK' },
    // As the alarm reader gives it: OK for hours, so okSeconds does not hold a restore back.
    alarmsChangedAt: { [FALLBACK_ALARM]: ALARM_OK_SINCE },
    ...overrides,
  };
}

type ClusterPolicyInput = PolicyInput['clusters'][string];

/** The DESIGN.md sample cluster policy for prod. */
export function aClusterPolicy(overrides: ClusterPolicyInput = {}): ClusterPolicyInput {
  return {
    services: ['*'],
    providers: { [SPOT]: 'spot', [ON_DEMAND]: 'on-demand' },
    fallback: { alarms: [FALLBACK_ALARM], to: ON_DEMAND, minSeconds: 600 },
    ...overrides,
  };
}

/** A parsed policy (defaults filled); `clusters` defaults to prod with aClusterPolicy(). */
export function aPolicy(overrides: Partial<PolicyInput> = {}): Policy {
  return parsePolicy({ clusters: { prod: aClusterPolicy() }, ...overrides });
}
