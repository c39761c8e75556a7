import { decide, defaultPolicyFor, parseEvents, parsePolicy } from '@ecs-rebalancer/core';
import { readClusterFiles } from '../cluster-files.js';
import type { ClusterState, Policy, Signal } from '@ecs-rebalancer/core';
import { commandOptions } from '../args.js';
import { ExitCode, InputError } from '../errors.js';
import { readJsonFile, withFile, type Io } from '../io.js';

export const planUsage = 'rebalancer plan --event FILE|- --cluster FILE [--cluster FILE…] [--policy FILE] [--now ISO]';

/** What `plan --help` adds to the usage line: what happens without `--policy`, and the inputs. */
export const planHelp = [
  '  --event FILE|-    one EventBridge event or an array of them (- reads standard input)',
  '  --cluster FILE    a ClusterState, or an array of them (what `rebalancer snapshot` writes); repeatable',
  '  --policy FILE     the policy; without it every cluster given is managed with the defaults:',
  '                    services ["*"], every action "drain", guardrails.maxDrainingFraction 0.3,',
  '                    providers {} (only FARGATE_SPOT counts as Spot), no fallback (no strategy is changed), dryRun false',
  '  --now ISO         the decision time; default the latest event\'s time (never the wall clock)',
].join('\n');

/**
 * `rebalancer plan`: reads events, cluster states and a policy, prints the Plan as JSON.
 * No AWS call and no clock: `--now` defaults to the latest event's time, so the same input
 * always prints the same bytes.
 */
export async function planCommand(argv: string[], io: Io): Promise<number> {
  const values = parseOptions(argv);
  const eventFile = values.event;
  if (!eventFile) throw new InputError(`plan: --event is required (${planUsage})`);
  const clusterFiles = values.cluster ?? [];
  if (clusterFiles.length === 0) throw new InputError(`plan: at least one --cluster is required (${planUsage})`);

  const events = await readJsonFile(eventFile, io);
  const parsed: Signal[] = withFile(eventFile, () => parseEvents(events));
  const states: ClusterState[] = await readClusterFiles(clusterFiles, io);
  const names = states.map((s) => s.cluster);

  let policy: Policy;
  if (values.policy) {
    const policyFile = values.policy;
    const raw = await readJsonFile(policyFile, io);
    policy = withFile(policyFile, () => parsePolicy(raw));
  } else {
    policy = defaultPolicyFor(names);
  }
  const now = values.now ? parseNow(values.now) : latestTime(parsed);
  const plan = decide(parsed, states, policy, now);
  io.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
  return ExitCode.Ok;
}

function parseOptions(argv: string[]) {
  return commandOptions('plan', planUsage, argv, {
        event: { type: 'string' },
        cluster: { type: 'string', multiple: true },
        policy: { type: 'string' },
        now: { type: 'string' },
      });
}

function parseNow(value: string): string {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms)) throw new InputError(`plan: --now: expected an ISO 8601 time, got "${value}"`);
  return new Date(ms).toISOString();
}

/** The latest event time among the signals; the Unix epoch when there is none. */
function latestTime(signals: readonly Signal[]): string {
  let latest = 0;
  for (const s of signals) {
    const ms = Date.parse(s.time);
    if (!Number.isNaN(ms) && ms > latest) latest = ms;
  }
  return new Date(latest).toISOString();
}
