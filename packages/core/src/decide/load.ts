import type { Signal } from '../model/signal.js';
import type { ClusterPolicy, Policy } from '../policy/schema.js';
import { clusterName, compareStrings, foreignReason, isInstanceSignal, isManagedService, ownValue, uniqueSorted } from './context.js';

/** What the state loader must read of one cluster for a batch. */
export interface LoadRequest {
  cluster: string;
  /** EC2 instance ids to look up (ListContainerInstances filter `ec2InstanceId in [...]`). */
  ec2InstanceIds: string[];
  /** Service names to describe, or every service of the cluster. */
  services: string[] | '*';
  /** Alarm names whose state to read. */
  alarms: string[];
  /**
   * Read every container instance of the cluster: `rebalancer snapshot` asks for it. planLoad
   * never does (a tick decides restores, pending fallbacks and drift, none of which looks at an
   * instance).
   */
  full?: boolean;
  /**
   * Read every ACTIVE and DRAINING instance of the providers the named instances belong to:
   * the draining guardrail divides by them. Only a batch with a rebalance recommendation
   * needs it (interruption drains are never deferred), so a pure interruption storm costs one
   * ListContainerInstances and one DescribeContainerInstances per 100 instances.
   */
  guardrail: boolean;
  /**
   * True when only instance signals ask for this cluster: decide then reads its services for
   * nothing but the minimumHealthyPercent warning, so a reader may answer them from a copy
   * up to a minute old. Absent when anything else (a fallback, a restore, a tick) needs them.
   */
  servicesForWarningsOnly?: boolean;
  /**
   * EC2 ids that only EC2 state changes (stopping, stopped, shutting-down, terminated) name in
   * this batch: the instance is leaving, most often after a Spot warning that some execution
   * environment has drained already, so a status a reader kept from earlier is likely stale
   * (read it again rather than drain on it), and an id that a fresh listing of the whole
   * cluster did not hold has nothing to drain there. Absent when there is none.
   */
  recheckStatus?: string[];
  /**
   * True when a signal may make a service of this cluster fall back (an ALARM on one of its
   * fallback alarms, a placement failure, a Spot capacity shortage): decide then refuses a
   * Spot weight a target of an architecture the service does not run on, so the reader fills
   * `capacityProviders[].architecture` and `services[].cpuArchitectures`, which cost calls no
   * other decision needs. Absent otherwise.
   */
  architectures?: boolean;
}

interface Draft {
  ec2InstanceIds: Set<string>;
  /** Ids named by instance-state signals, and by anything else. */
  leaving: Set<string>;
  other: Set<string>;
  services: Set<string> | '*';
  alarms: Set<string>;
  guardrail: boolean;
  /** Something other than an instance signal needs the services. */
  servicesDecide: boolean;
  /** A fallback may be decided: architectures are needed. */
  architectures: boolean;
}

/**
 * Tells the state loader which clusters a batch needs and what of each, so the handler reads
 * no more than decide will look at; pure. Instance signals ask every managed cluster for those
 * instance ids (a Spot warning does not say which cluster) and its managed services; a
 * placement failure asks its cluster for the service it names, a Fargate Spot interruption
 * for the cluster alone; an alarm asks each cluster whose `fallback.alarms` lists it for its
 * managed services and all its fallback alarms; a tick asks every managed cluster for its
 * managed services and fallback alarms but no container instance (a tick decides restores,
 * pending fallbacks and drift, none of which looks at an instance). A
 * rebalance recommendation also asks for the guardrail's whole-provider counts
 * (`guardrail`), and so does a scheduled change (the guardrail covers it too). A Spot
 * capacity shortage asks every cluster with a `fallback` for its managed services (the group
 * is matched to a provider by the providers' `autoScalingGroup`). Signals that cannot lead to
 * an action ask for nothing: ignored ones, those from an account or region the policy does
 * not name, and instance signals whose policy action is `none` (but a Spot or capacity
 * reservation warning is still looked up: it is counted whatever the action). Only clusters
 * the policy names are loaded. Ids that only EC2 state changes name are also listed in
 * `recheckStatus` (see there). A cluster where a fallback may be decided (an ALARM, a
 * placement failure of a cluster with `fallback`, a Spot capacity shortage) also asks for
 * `architectures`. Sorted by cluster, lists sorted and without duplicates.
 */
export function planLoad(signals: readonly Signal[], policy: Policy): LoadRequest[] {
  const drafts = new Map<string, Draft>();
  const draft = (cluster: string): Draft => {
    const d = drafts.get(cluster) ?? {
      ec2InstanceIds: new Set<string>(),
      leaving: new Set<string>(),
      other: new Set<string>(),
      services: new Set<string>(),
      alarms: new Set<string>(),
      guardrail: false,
      servicesDecide: false,
      architectures: false,
    };
    drafts.set(cluster, d);
    return d;
  };
  const addServices = (d: Draft, services: readonly string[] | '*'): void => {
    if (d.services === '*') return;
    if (services === '*') d.services = '*';
    else for (const s of services) d.services.add(s);
  };
  const managedServices = (p: ClusterPolicy): string[] | '*' => (p.services.includes('*') ? '*' : p.services);
  const clusters = Object.entries(policy.clusters);

  for (const signal of signals) {
    if (foreignReason(signal, policy) !== undefined) continue;
    if (isInstanceSignal(signal)) {
      const counted = signal.kind === 'spot-interruption' || signal.kind === 'capacity-reservation-interruption';
      if (!counted && policy.actions[signal.kind] === 'none') continue;
      for (const [name, p] of clusters) {
        const d = draft(name);
        d.ec2InstanceIds.add(signal.ec2InstanceId);
        (signal.kind === 'instance-state' ? d.leaving : d.other).add(signal.ec2InstanceId);
        if (signal.kind === 'rebalance-recommendation' || signal.kind === 'scheduled-change') d.guardrail = true;
        addServices(d, managedServices(p));
      }
    } else if (signal.kind === 'spot-capacity-shortage') {
      for (const [name, p] of clusters) {
        if (!p.fallback) continue;
        const d = draft(name);
        d.servicesDecide = true;
        d.architectures = true;
        addServices(d, managedServices(p));
      }
    } else if (signal.kind === 'placement-failure' || signal.kind === 'fargate-spot-interruption') {
      const name = clusterName(signal.cluster);
      const p = ownValue(policy.clusters, name);
      if (!p) continue;
      const d = draft(name);
      if (signal.kind === 'placement-failure' && isManagedService(p, signal.service)) {
        d.servicesDecide = true;
        d.architectures ||= p.fallback !== undefined;
        addServices(d, [signal.service]);
      }
    } else if (signal.kind === 'alarm') {
      for (const [name, p] of clusters) {
        if (!p.fallback?.alarms.includes(signal.alarmName)) continue;
        const d = draft(name);
        d.servicesDecide = true;
        d.architectures ||= signal.state === 'ALARM';
        addServices(d, managedServices(p));
        for (const a of p.fallback.alarms) d.alarms.add(a);
      }
    } else if (signal.kind === 'tick') {
      for (const [name, p] of clusters) {
        const d = draft(name);
        d.servicesDecide = true;
        addServices(d, managedServices(p));
        for (const a of p.fallback?.alarms ?? []) d.alarms.add(a);
      }
    }
  }

  return [...drafts.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([cluster, d]) => ({ cluster, d, recheck: uniqueSorted([...d.leaving].filter((id) => !d.other.has(id))) }))
    .map(({ cluster, d, recheck }) => ({
      cluster,
      ec2InstanceIds: uniqueSorted(d.ec2InstanceIds),
      services: d.services === '*' ? '*' : uniqueSorted(d.services),
      alarms: uniqueSorted(d.alarms),
      guardrail: d.guardrail,
      ...(!d.servicesDecide && d.ec2InstanceIds.size > 0 && { servicesForWarningsOnly: true }),
      ...(recheck.length > 0 && { recheckStatus: recheck }),
      ...(d.architectures && { architectures: true }),
    }));
}
