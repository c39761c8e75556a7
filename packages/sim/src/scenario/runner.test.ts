// The runner's path on the virtual clock, with scripted handlers that use the real SDK
// through the environment's request handler and retry strategy.
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DescribeContainerInstancesCommand, ECSClient, UpdateContainerInstancesStateCommand, UpdateServiceCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { aCluster } from '../test-support/builders.js';
import { DEPLOYED_EVENT_SOURCE } from './latency.js';
import { runScenario, type HandlerEnvironment, type HandlersFactory } from './runner.js';
import { parseScenario } from './schema.js';
import { QUEUE } from '@ecs-rebalancer/infra/settings';

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

function scenario(extra: Record<string, unknown> = {}) {
  return parseScenario({
    name: 'path',
    seed: 5,
    policy: { clusters: { prod: { providers: { spot: 'spot', od: 'on-demand' } } } },
    clusters: [aCluster()],
    durationSeconds: 900,
    tickSeconds: 3600,
    timeline: [{ at: 60, interrupt: { cluster: 'prod', capacityProvider: 'spot', count: 1 } }],
    ...extra,
  });
}

function ecsOf(env: HandlerEnvironment, maxAttempts = 3): ECSClient {
  return new ECSClient({ endpoint: env.endpoint, region: env.region, credentials: CREDENTIALS, requestHandler: env.sdk.requestHandler as never, retryStrategy: env.sdk.retryStrategy(maxAttempts) });
}

/** A react handler that records when each message arrives and answers with `answer`. */
function scripted(answer: (env: HandlerEnvironment, body: { id: string; 'detail-type': string }, receipt: string, attempt: number) => Promise<boolean>) {
  const seen: { id: string; at: number; attempt: number }[] = [];
  const factory: HandlersFactory = (env) => ({
    react: async (event) => {
      const failures: { itemIdentifier: string }[] = [];
      for (const record of event.Records) {
        const body = JSON.parse(record.body) as { id: string; 'detail-type': string };
        const attempt = Number(record.attributes.ApproximateReceiveCount);
        seen.push({ id: body.id, at: env.now().getTime(), attempt });
        if (!(await answer(env, body, record.receiptHandle, attempt))) failures.push({ itemIdentifier: record.messageId });
      }
      return { batchItemFailures: failures };
    },
    tick: async () => ({}),
  });
  return { factory, seen };
}

const isWarning = (body: { 'detail-type': string }) => body['detail-type'] === 'EC2 Spot Instance Interruption Warning';

describe('runScenario on one virtual clock', () => {
  it('delivers the warning after the delivery delay and the batching window, from infra/settings.ts', async () => {
    const { factory, seen } = scripted(async () => true);
    const result = await runScenario({ scenario: scenario(), handlers: factory });
    const warnedAt = Date.parse(result.report.interruptions[0]!.warnedAt);
    const first = seen[0]!;
    const delay = (first.at - warnedAt) / 1000;
    // delivery 0.1–0.5 s + the 5 s window + a cold start (0.6 s)
    expect(delay).toBeGreaterThanOrEqual(DEPLOYED_EVENT_SOURCE.windowSeconds + 0.1 + 0.6);
    expect(delay).toBeLessThanOrEqual(DEPLOYED_EVENT_SOURCE.windowSeconds + 0.5 + 0.6 + 0.01);
    expect(result.invocations[0]).toMatchObject({ kind: 'react', cold: true });
  });

  it('shows a failed record again only after the deployed visibility timeout', async () => {
    const { factory, seen } = scripted(async (_env, body, _receipt, attempt) => !isWarning(body) || attempt > 1);
    const result = await runScenario({ scenario: scenario(), handlers: factory });
    const warning = seen.filter((s) => s.id === result.report.interruptions[0]!.eventId);
    expect(warning.map((w) => w.attempt)).toEqual([1, 2]);
    const gap = (warning[1]!.at - warning[0]!.at) / 1000;
    expect(QUEUE.visibilityTimeoutSeconds).toBe(365);
    // Visible again 365 s after the receive, then a new batching window (the first delivery
    // also waited for a cold start; the retry finds the environment the t+180 s event warmed).
    expect(gap).toBeGreaterThanOrEqual(QUEUE.visibilityTimeoutSeconds - 1);
    expect(gap).toBeLessThanOrEqual(QUEUE.visibilityTimeoutSeconds + DEPLOYED_EVENT_SOURCE.windowSeconds + 1);
    expect(result.queue.retried).toBe(1);
  });

  it('honours ChangeMessageVisibility from the handler on the virtual clock', async () => {
    const { factory, seen } = scripted(async (env, body, receipt, attempt) => {
      if (!isWarning(body) || attempt > 1) return true;
      const sqs = new SQSClient({ endpoint: env.sqsEndpoint, region: env.region, credentials: CREDENTIALS, useQueueUrlAsEndpoint: false, requestHandler: env.sdk.requestHandler as never });
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/ecs-rebalancer-events', ReceiptHandle: receipt, VisibilityTimeout: 10 }));
      return false;
    });
    const result = await runScenario({ scenario: scenario(), handlers: factory });
    const warning = seen.filter((s) => s.id === result.report.interruptions[0]!.eventId);
    expect(warning).toHaveLength(2);
    const gap = (warning[1]!.at - warning[0]!.at) / 1000;
    expect(gap).toBeGreaterThanOrEqual(10);
    expect(gap).toBeLessThan(10 + DEPLOYED_EVENT_SOURCE.windowSeconds + 1);
  });

  it('lets the termination happen while a slow handler is still working', async () => {
    // Every call takes 30 s: the drain's three calls end after the instance is gone.
    const { factory } = scripted(async (env, body) => {
      if (!isWarning(body)) return true;
      const ecs = ecsOf(env);
      const described = await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'prod', containerInstances: ['spot0000', 'spot0001', 'spot0002'] }));
      await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
      const target = described.containerInstances!.find((c) => c.ec2InstanceId === (JSON.parse(JSON.stringify(body)) as { detail: { 'instance-id': string } }).detail['instance-id']);
      await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: 'prod', containerInstances: [target!.containerInstanceArn!], status: 'DRAINING' }));
      return true;
    });
    const slow = await runScenario({ scenario: scenario({ latency: { call: { minMs: 30_000, maxMs: 30_000 } } }), handlers: factory });
    const fast = await runScenario({ scenario: scenario(), handlers: factory });
    const lead = (r: typeof slow) => r.report.interruptions[0]!.secondsBeforeTermination;
    expect(lead(fast)).toBeGreaterThan(110);
    expect(lead(fast)).toBeLessThan(120);
    // 2.5 calls of 30 s before the drain takes effect (the third takes effect halfway).
    expect(lead(slow)).toBeGreaterThan(120 - 5 - 1.2 - 75 - 1);
    expect(lead(slow)).toBeLessThan(120 - 5 - 75);
  });

  it('backs off on the virtual clock when ECS throttles, and counts the injected faults', async () => {
    const attempts: number[] = [];
    const { factory } = scripted(async (env, body) => {
      if (!isWarning(body)) return true;
      const before = env.now().getTime();
      await ecsOf(env, 6).send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
      attempts.push(env.now().getTime() - before);
      return true;
    });
    const result = await runScenario({
      scenario: scenario({ faults: [{ action: 'DescribeServices', kind: 'throttling', times: 3 }] }),
      handlers: factory,
    });
    expect(result.faultsInjected).toEqual({ throttling: 3 });
    // Three throttled tries, then success: back-off of up to 1 + 2 + 4 s (full jitter), plus four round trips.
    expect(attempts[0]).toBeGreaterThan(4 * 20);
    expect(attempts[0]).toBeLessThan(7000 + 4 * 80);
  });

  it('applies a call whose answer is lost, and fails the listed items of a partial failure', async () => {
    const outcomes: string[] = [];
    const { factory } = scripted(async (env, body) => {
      if (!isWarning(body)) return true;
      const ecs = ecsOf(env, 1);
      try {
        await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 12 }));
        outcomes.push('answered');
      } catch (error) {
        outcomes.push((error as { code?: string; name: string }).code ?? (error as Error).name);
      }
      const drained = await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: 'prod', containerInstances: ['spot0000', 'spot0001'], status: 'DRAINING' }));
      outcomes.push(`drained ${drained.containerInstances!.length}, failed ${drained.failures!.map((f) => `${f.arn}:${f.reason}`).join(',')}`);
      return true;
    });
    const result = await runScenario({
      scenario: scenario({
        faults: [
          { action: 'UpdateService', kind: 'lost-answer', seconds: 2 },
          { action: 'UpdateContainerInstancesState', kind: 'partial', count: 1, reason: 'MISSING' },
        ],
      }),
      handlers: factory,
    });
    expect(outcomes).toEqual(['ECONNRESET', 'drained 1, failed spot0000:MISSING']);
    expect(result.report.apiCalls.UpdateService).toBe(1);
    expect(result.faultsInjected).toEqual({ 'lost-answer': 1, partial: 1 });
    const final = result.report.strategies;
    expect(final['prod/web']).toBeDefined();
  });

  it('gives each execution environment its own module scope: the factory runs at every cold start', async () => {
    // The first invocation works for 150 s, so the shutting-down event's batch (t+180 s) finds
    // no idle environment and starts a second one; each keeps its own count.
    const seenBy: { environment: number; invocation: number }[] = [];
    let built = 0;
    const factory: HandlersFactory = (env) => {
      const environment = ++built;
      let invocations = 0;
      return {
        react: async () => {
          seenBy.push({ environment, invocation: ++invocations });
          if (environment === 1 && invocations === 1) await env.sleep(150_000);
          return { batchItemFailures: [] };
        },
        tick: async () => ({}),
      };
    };
    const result = await runScenario({ scenario: scenario(), handlers: factory });
    const reacts = result.invocations.filter((i) => i.kind === 'react').sort((a, b) => a.t - b.t);
    expect(built).toBe(2);
    // Started in this order: the warning in environment 1, the shutting-down event in a new
    // environment 2 while 1 still works, the terminated event in 2 again (warm).
    expect(reacts.slice(0, 3).map((i) => [i.environment, i.cold])).toEqual([
      [1, true],
      [2, true],
      [2, false],
    ]);
    expect(seenBy.slice(0, 3)).toEqual([
      { environment: 1, invocation: 1 },
      { environment: 2, invocation: 1 },
      { environment: 2, invocation: 2 },
    ]);
    expect(new Set(reacts.filter((i) => i.cold).map((i) => i.environment))).toEqual(new Set([1, 2]));
  });

  it('lets more calls be out at once than an agent would give sockets: each waits on the virtual clock, none on a socket', async () => {
    let answered = 0;
    const { factory } = scripted(async (env, body) => {
      if (!isWarning(body)) return true;
      const ecs = ecsOf(env);
      await Promise.all(Array.from({ length: 80 }, () => ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] })).then(() => answered++)));
      return true;
    });
    await runScenario({ scenario: scenario({ latency: { call: { minMs: 1000, maxMs: 1000 } } }), handlers: factory });
    expect(answered).toBe(80);
  });
});
