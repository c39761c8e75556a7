import type { ClusterState } from '@ecs-rebalancer/core';
import { InputError } from '../errors.js';

export interface StormFlags {
  storm: readonly string[];
  alarm: readonly string[];
  capacity: readonly string[];
  duration?: string | undefined;
}

const DEFAULT_STORM_AT = 60;
const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;

/**
 * A scenario, as the JSON a scenario file holds, built from a cluster snapshot and flags:
 *   --storm [CLUSTER/]PROVIDER:COUNT[@SECONDS]   COUNT Spot warnings at once (default at 60 s)
 *   --alarm NAME:STATE@SECONDS                    an alarm changes state
 *   --capacity [CLUSTER/]PROVIDER:off|on@SECONDS  the provider's capacity goes away or comes back
 * The cluster may be left out when there is one. It runs until 20 minutes after the last
 * entry (at least 30 minutes), long enough for a fallback's minimum and a restore.
 */
export function scenarioFromFlags(clusters: readonly ClusterState[], policy: unknown, flags: StormFlags): Record<string, unknown> {
  if (flags.storm.length + flags.alarm.length + flags.capacity.length === 0) {
    throw new InputError('simulate: --cluster needs at least one --storm, --alarm or --capacity (e.g. --storm spot-arm64:3@60)');
  }
  const timeline: Record<string, unknown>[] = [];
  for (const value of flags.storm) {
    const m = /^(?:([^/:@]+)\/)?([^/:@]+):(\d+)(?:@(\d+(?:\.\d+)?))?$/.exec(value);
    if (!m) throw new InputError(`simulate: --storm ${value}: expected [CLUSTER/]PROVIDER:COUNT[@SECONDS], e.g. spot-arm64:3@60`);
    const cluster = clusterFor(clusters, m[1], m[2]!, `--storm ${value}`);
    timeline.push({ at: m[4] === undefined ? DEFAULT_STORM_AT : Number(m[4]), interrupt: { cluster, capacityProvider: m[2], count: Number(m[3]) } });
  }
  for (const value of flags.alarm) {
    const m = /^(.+):([A-Z_]+)@(\d+(?:\.\d+)?)$/.exec(value);
    if (!m) throw new InputError(`simulate: --alarm ${value}: expected NAME:STATE@SECONDS, e.g. prod-spot-interruptions:ALARM@90`);
    if (!(ALARM_STATES as readonly string[]).includes(m[2]!)) throw new InputError(`simulate: --alarm ${value}: state "${m[2]}" is not one of ${ALARM_STATES.join(', ')}`);
    timeline.push({ at: Number(m[3]), alarm: { name: m[1], state: m[2] } });
  }
  for (const value of flags.capacity) {
    const m = /^(?:([^/:@]+)\/)?([^/:@]+):(off|on)@(\d+(?:\.\d+)?)$/.exec(value);
    if (!m) throw new InputError(`simulate: --capacity ${value}: expected [CLUSTER/]PROVIDER:off@SECONDS or :on@SECONDS, e.g. spot-arm64:off@60`);
    const cluster = clusterFor(clusters, m[1], m[2]!, `--capacity ${value}`);
    timeline.push({ at: Number(m[4]), capacity: { cluster, capacityProvider: m[2], available: m[3] === 'on' } });
  }
  timeline.sort((a, b) => Number(a.at) - Number(b.at));
  const last = Math.max(...timeline.map((e) => Number(e.at)));
  const duration = flags.duration === undefined ? Math.max(1800, Math.ceil((last + 1200) / 60) * 60) : Number(flags.duration);
  if (!Number.isFinite(duration) || duration <= 0) throw new InputError(`simulate: --duration: expected a number of seconds, got "${flags.duration}"`);
  const names = clusters.map((c) => c.cluster);
  return {
    name: `storm on ${names.join(', ')}`,
    description: `built by rebalancer simulate from ${[...flags.storm.map((s) => `--storm ${s}`), ...flags.alarm.map((a) => `--alarm ${a}`), ...flags.capacity.map((c) => `--capacity ${c}`)].join(' ')}`,
    policy,
    clusters,
    durationSeconds: duration,
    timeline,
  };
}

function clusterFor(clusters: readonly ClusterState[], named: string | undefined, provider: string, flag: string): string {
  if (named !== undefined) return named;
  const holding = clusters.filter((c) => c.capacityProviders.some((p) => p.name === provider));
  if (clusters.length === 1) return clusters[0]!.cluster;
  if (holding.length === 1) return holding[0]!.cluster;
  throw new InputError(`simulate: ${flag}: ${holding.length === 0 ? `no cluster has capacity provider ${provider}` : `several clusters have ${provider}`}; name it as CLUSTER/${provider}`);
}
