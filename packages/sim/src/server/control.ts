import type { AlarmStateValue } from '@ecs-rebalancer/core';
import { SimApiError } from '../errors.js';
import type { EventBridgeEvent } from '../model/events.js';
import type { Simulation } from '../model/simulation.js';
import type { ScenarioTimelineEntry } from '../scenario/schema.js';
import { applyEntry as applyTimelineEntry } from '../scenario/timeline.js';
import type { ControlHandler } from './server.js';

/**
 * The control endpoint of a standalone simulator (`rebalancer sim serve`): time stands still
 * until a client moves it, and events happen when a client injects them or when the
 * scenario's timeline reaches them. Every event the simulation emits (the Spot warnings, the
 * alarm state changes, task state changes) is kept in order, so a client can read them and
 * feed them to `rebalancer plan`.
 *
 *   GET  /_sim/status                       virtual time, clusters, timeline entries still to come
 *   GET  /_sim/events?since=N               emitted EventBridge events from index N
 *   GET  /_sim/report                       the simulator's report (drains, interruptions, calls …)
 *   POST /_sim/advance   {"seconds": 60}    moves time on, applying timeline entries due on the way
 *   POST /_sim/interrupt {"cluster", "capacityProvider", "count"} | {"ec2InstanceId"}
 *   POST /_sim/alarm     {"name", "state", "reason"?}
 *   POST /_sim/capacity  {"cluster", "capacityProvider", "available"}
 */
export function simControl(sim: Simulation, options: { timeline?: readonly ScenarioTimelineEntry[] } = {}): ControlHandler {
  const start = sim.clock.now();
  const emitted: EventBridgeEvent[] = [];
  sim.events.subscribe((event) => emitted.push(event));
  const timeline = [...(options.timeline ?? [])].sort((a, b) => a.at - b.at);
  const applied: string[] = [];
  const elapsed = () => (sim.clock.now() - start) / 1000;

  // The scenario runner's own timeline entries (timeline.ts), so a Health event stops its
  // instances here as it does in `simulate`; sim serve runs no rollout.
  const applyEntry = (entry: ScenarioTimelineEntry): string => {
    const said: string[] = [];
    const say = (line: string) => said.push(line);
    applyTimelineEntry(entry, { sim, say, rollout: (r) => say(`rollout of ${String(r.service)} not started (sim serve runs no rollout)`) });
    return said.join('; ');
  };

  const routes: Record<string, (body: Record<string, unknown>, query: URLSearchParams) => unknown> = {
    'GET /_sim/status': () => ({
      time: sim.now(),
      elapsedSeconds: elapsed(),
      clusters: [...sim.clusters.keys()].map((name) => ({ name, runningTasks: sim.runningByProvider(name) })),
      events: emitted.length,
      applied,
      timeline: timeline.map((e) => ({ at: e.at, kind: Object.keys(e).find((k) => k !== 'at') })),
    }),
    'GET /_sim/events': (_body, query) => {
      const since = Number(query.get('since') ?? 0);
      if (!Number.isInteger(since) || since < 0) throw new ControlError('since must be a non-negative integer');
      return { events: emitted.slice(since), next: emitted.length };
    },
    'GET /_sim/report': () => sim.report(),
    'POST /_sim/advance': (body) => {
      const seconds = body.seconds;
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 7 * 24 * 3600) {
        throw new ControlError('seconds must be a number of seconds between 0 and 604800');
      }
      const from = emitted.length;
      const target = elapsed() + seconds;
      // Steps of at most 5 s, as the scenario runner moves, so timeline entries land on time.
      while (elapsed() < target) {
        const next = timeline[0];
        const until = Math.min(target, elapsed() + 5, next ? Math.max(next.at, elapsed()) : Infinity);
        if (until > elapsed()) sim.advance(until - elapsed());
        while (timeline.length > 0 && timeline[0]!.at <= elapsed()) applied.push(`t+${Math.round(elapsed())}s ${applyEntry(timeline.shift()!)}`);
      }
      return { time: sim.now(), elapsedSeconds: elapsed(), events: emitted.slice(from) };
    },
    'POST /_sim/interrupt': (body) => {
      const from = emitted.length;
      if (typeof body.ec2InstanceId === 'string') sim.interruptInstance(body.ec2InstanceId);
      else {
        const { cluster, capacityProvider, count } = body;
        if (typeof cluster !== 'string' || typeof capacityProvider !== 'string' || typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
          throw new ControlError('expected {"ec2InstanceId"} or {"cluster", "capacityProvider", "count" (an integer ≥ 1)}');
        }
        sim.interrupt(cluster, capacityProvider, count);
      }
      return { events: emitted.slice(from) };
    },
    'POST /_sim/alarm': (body) => {
      const { name, state, reason } = body;
      if (typeof name !== 'string' || !['OK', 'ALARM', 'INSUFFICIENT_DATA'].includes(String(state))) {
        throw new ControlError('expected {"name", "state": "OK" | "ALARM" | "INSUFFICIENT_DATA"}');
      }
      const from = emitted.length;
      sim.setAlarm(name, state as AlarmStateValue, typeof reason === 'string' ? reason : undefined);
      return { events: emitted.slice(from) };
    },
    'POST /_sim/capacity': (body) => {
      const { cluster, capacityProvider, available } = body;
      if (typeof cluster !== 'string' || typeof capacityProvider !== 'string' || typeof available !== 'boolean') {
        throw new ControlError('expected {"cluster", "capacityProvider", "available": true | false}');
      }
      sim.setCapacityAvailable(cluster, capacityProvider, available);
      return { ok: true };
    },
  };

  return ({ method, url, body }) => {
    const parsed = new URL(url, 'http://sim');
    const route = routes[`${method} ${parsed.pathname}`];
    if (!route) return { status: 404, body: { message: `no control route ${method} ${parsed.pathname}; routes: ${Object.keys(routes).join(', ')}` } };
    try {
      const input: unknown = body.trim() === '' ? {} : JSON.parse(body);
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ControlError('the body must be a JSON object');
      return { status: 200, body: route(input as Record<string, unknown>, parsed.searchParams) };
    } catch (error) {
      // The simulation refuses an unknown cluster or provider with a RangeError: the client's mistake.
      if (error instanceof ControlError || error instanceof RangeError || error instanceof SyntaxError || error instanceof SimApiError) {
        return { status: 400, body: { message: error instanceof SimApiError ? `${error.code}: ${error.message}` : error.message } };
      }
      throw error;
    }
  };
}

class ControlError extends Error {
  override name = 'ControlError' as const;
}
