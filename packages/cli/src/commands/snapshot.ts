import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { parseClusterState, parsePolicy } from '@ecs-rebalancer/core';
import type { ClusterState } from '@ecs-rebalancer/core';
import { CloudWatchAlarmReader, EcsClusterReader, createClients, loadSnapshot } from '@ecs-rebalancer/functions';
import { commandOptions } from '../args.js';
import { ExitCode, InputError } from '../errors.js';
import { readJsonFile, withFile, type Io } from '../io.js';

export const snapshotUsage =
  'rebalancer snapshot --cluster NAME [--cluster NAME…] [--region R] [--out FILE] [--endpoint-url URL] [--alarm NAME…] [--policy FILE]';

/**
 * The IAM actions `snapshot` calls, all reads: the same calls the react handler's cluster
 * reader and alarm reader make for a full load (README, "Snapshot of a real cluster").
 */
export const SNAPSHOT_ACTIONS = [
  'ecs:DescribeClusters',
  'ecs:DescribeCapacityProviders',
  'ecs:ListServices',
  'ecs:DescribeServices',
  'ecs:ListContainerInstances',
  'ecs:DescribeContainerInstances',
  'cloudwatch:DescribeAlarms',
] as const;

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * `rebalancer snapshot`: reads real clusters, read-only, with the production adapters (the
 * EcsClusterReader the react handler uses, with a full load, and the CloudWatchAlarmReader),
 * and prints or writes their ClusterState: one object for one cluster, an array for several,
 * the shape `plan --cluster` and `simulate --cluster` take. The SDK's endpoint settings
 * (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_ECS`, `AWS_ENDPOINT_URL_CLOUDWATCH`) are honoured;
 * `--endpoint-url` sets both. Alarms are the ones named by `--alarm` and by the fallback of
 * each cluster in `--policy`.
 */
export async function snapshotCommand(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const values = parseOptions(argv);
  const clusters = [...new Set(values.cluster ?? [])];
  if (clusters.length === 0) throw new InputError(`snapshot: at least one --cluster is required (${snapshotUsage})`);
  const endpoint = values['endpoint-url'];
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(endpoint)) throw new InputError(`snapshot: --endpoint-url: expected a URL such as http://127.0.0.1:4566, got "${endpoint}"`);

  const alarmsOf = new Map<string, string[]>(clusters.map((c) => [c, [...(values.alarm ?? [])]]));
  if (values.policy) {
    const file = values.policy;
    const raw = await readJsonFile(file, io);
    const policy = withFile(file, () => parsePolicy(raw));
    for (const cluster of clusters) alarmsOf.get(cluster)!.push(...(policy.clusters[cluster]?.fallback?.alarms ?? []));
  }

  // A simulator or emulator on this machine takes any credentials and speaks for us-east-1.
  const endpoints = [endpoint, env.AWS_ENDPOINT_URL, env.AWS_ENDPOINT_URL_ECS, env.AWS_ENDPOINT_URL_CLOUDWATCH].filter((e): e is string => Boolean(e));
  const local = endpoints.length > 0 && endpoints.every(isLoopback);
  const region = values.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || (local ? 'us-east-1' : undefined);
  const noCredentials = !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE && !env.AWS_WEB_IDENTITY_TOKEN_FILE && !env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  const clients = createClients({
    maxAttempts: 3,
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(local && noCredentials ? { credentials: LOCAL_CREDENTIALS } : {}),
  });
  // `sim serve … &` right before: give a simulator on this machine a few seconds to listen.
  if (local) await Promise.all([...new Set(endpoints)].map((e) => waitForListener(e, 10_000)));
  let states: ClusterState[];
  try {
    const reader = new EcsClusterReader(clients.ecs, undefined, { cacheTtlMs: 0 });
    const requests = clusters.map((cluster) => ({ cluster, ec2InstanceIds: [], services: '*' as const, alarms: alarmsOf.get(cluster) ?? [], full: true, guardrail: false }));
    const snapshots = await loadSnapshot(requests, { clusters: reader, alarms: new CloudWatchAlarmReader(clients.cloudWatch) });
    states = snapshots.map((s) => s.state);
  } catch (error) {
    throw new InputError(`snapshot: ${awsFailure(error, region)}`, { cause: error });
  } finally {
    clients.ecs.destroy();
    clients.cloudWatch.destroy();
    clients.eventBridge.destroy();
    clients.sqs.destroy();
  }
  const missing = clusters.filter((c) => !states.some((s) => s.cluster === c));
  if (missing.length > 0) throw new InputError(`snapshot: no cluster named ${missing.join(', ')} in ${region ?? 'the configured region'}${endpoint ? ` at ${endpoint}` : ''}`);
  for (const cluster of clusters) {
    const state = states.find((s) => s.cluster === cluster)!;
    const unknown = (alarmsOf.get(cluster) ?? []).filter((a) => state.alarms[a] === undefined);
    if (unknown.length > 0) io.stderr.write(`snapshot: warning: no alarm named ${[...new Set(unknown)].join(', ')} (left out of ${cluster}'s alarms)\n`);
  }
  // What the adapters read is what the contract holds; checking it here catches a reader that drifts from the schema.
  const ordered = clusters.map((c) => {
    const state = states.find((s) => s.cluster === c)!;
    parseClusterState(state);
    return state;
  });
  const text = `${JSON.stringify(ordered.length === 1 ? ordered[0] : ordered, null, 2)}\n`;
  if (values.out) {
    await writeFile(values.out, text).catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`snapshot: cannot write ${values.out}: ${error.code ?? error.message}`, { cause: error });
    });
    const summary = ordered.map((s) => `${s.cluster} (${s.containerInstances.length} instances, ${s.services.length} services, ${Object.keys(s.alarms).length} alarms)`);
    io.stdout.write(`snapshot of ${summary.join(', ')} written to ${values.out}\n`);
  } else {
    io.stdout.write(text);
  }
  return ExitCode.Ok;
}

function parseOptions(argv: string[]) {
  return commandOptions('snapshot', snapshotUsage, argv, {
        cluster: { type: 'string', multiple: true },
        region: { type: 'string' },
        out: { type: 'string' },
        'endpoint-url': { type: 'string' },
        alarm: { type: 'string', multiple: true },
        policy: { type: 'string' },
      });
}

function waitForListener(url: string, withinMs: number): Promise<void> {
  const { hostname, port, protocol } = new URL(url);
  const deadline = Date.now() + withinMs;
  const attempt = (): Promise<void> =>
    new Promise((resolve) => {
      const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || (protocol === 'https:' ? 443 : 80)) });
      socket.once('connect', () => (socket.destroy(), resolve()));
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) return resolve(); // the reader's own error will say what is wrong
        setTimeout(() => void attempt().then(resolve), 200);
      });
    });
  return attempt();
}

function isLoopback(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** One line for a failed read: what was being done and why, with the usual causes named. */
function awsFailure(error: unknown, region: string | undefined): string {
  const e = error as Error & { cause?: Error };
  const root = e.cause ?? e;
  const name = root.name ?? '';
  if (/CredentialsProviderError/.test(name) || /Could not load credentials/.test(root.message)) return 'no AWS credentials found (set AWS_PROFILE or AWS_ACCESS_KEY_ID, or use --endpoint-url for a local simulator)';
  if (/Region is missing/i.test(root.message)) return 'no region: pass --region or set AWS_REGION';
  if (/AccessDenied/.test(name)) return `access denied (${root.message}); the IAM policy snapshot needs is in the README`;
  if (/ECONNREFUSED|ENOTFOUND|connect/.test(`${(root as NodeJS.ErrnoException).code ?? ''} ${root.message}`)) return `cannot reach the endpoint (${root.message})`;
  return `${e.message}${region ? ` (region ${region})` : ''}`.replace(/\s*\n\s*/g, ' ');
}
