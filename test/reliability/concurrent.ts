// Several react containers handling batches at the same moment against one simulator: the
// scenario runner hands batches to one handler at a time, so races are staged here.
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { composeReactDeps, createClients, createReactHandler, readRecord } from '@ecs-rebalancer/functions';
import type { Strategy } from '@ecs-rebalancer/core';
import { createSimulation, startSimServer } from '@ecs-rebalancer/sim';
import type { Scenario } from '@ecs-rebalancer/sim';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export interface RaceOutcome {
  updateServiceCalls: number;
  deployments: Record<string, number>;
  strategies: Record<string, Strategy>;
  baselines: Record<string, Strategy | null>;
  rejected: number;
}

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Invokes one react container per entry of `batches`, all at once, each with its batch of
 * events as SQS records. `operatorStrategy` is put on prod/web by another client just before
 * the `operatorAtDescribe`-th DescribeServices answer; `redeliver` hands records reported
 * failed to a fresh container once more.
 */
export async function concurrentReact(
  scenario: Scenario,
  batches: unknown[][],
  options: { operatorStrategy?: Strategy; operatorAtDescribe?: number; redeliver?: boolean } = {},
): Promise<RaceOutcome> {
  const sim = createSimulation({ clusters: scenario.clusters, start: scenario.start, seed: scenario.seed, providers: scenario.providers });
  // The alarm is ALARM in CloudWatch too: an ALARM event the alarm contradicts is stale.
  sim.setAlarm('ServerCpuTooHigh', 'ALARM');
  const server = await startSimServer(sim);
  try {
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    const operator = new ECSClient({ endpoint: server.endpoint, region: sim.region, credentials: CREDENTIALS });
    let describes = 0;
    const container = () => {
      const clients = createClients({ region: sim.region, endpoint: server.endpoint, credentials: CREDENTIALS });
      if (options.operatorStrategy) {
        clients.ecs.middlewareStack.add(
          (next, context) => async (args) => {
            if ((context as { commandName?: string }).commandName === 'DescribeServicesCommand' && ++describes === options.operatorAtDescribe) {
              await operator.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', capacityProviderStrategy: options.operatorStrategy, forceNewDeployment: true }));
            }
            return next(args);
          },
          { step: 'initialize', name: 'operatorChange' },
        );
      }
      const deps = composeReactDeps({
        config: { policy: scenario.policy, dlqUrl: 'http://127.0.0.1:1/dlq', queueUrl: 'http://127.0.0.1:1/q', eventBus: 'default', maxAttempts: 6, serviceName: 'ecs-rebalancer', metricsNamespace: 'EcsRebalancer' },
        clients,
        logger: new Logger({ logLevel: 'SILENT' }),
        metrics: new Metrics({ namespace: 'EcsRebalancer' }),
        clock: () => new Date(sim.clock.now()),
      });
      return createReactHandler(deps);
    };
    const records = (events: unknown[], n: number) => ({
      Records: events.map((e, i) => ({ messageId: `m${n}-${i}`, receiptHandle: `rh${n}-${i}`, body: JSON.stringify(e), attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(sim.clock.now()) } })),
    });
    const context = { getRemainingTimeInMillis: () => 60_000 } as never;
    const handlers = batches.map(() => container());
    const results = await Promise.allSettled(handlers.map((h, n) => h(records(batches[n]!, n) as never, context)));
    let rejected = results.filter((r) => r.status === 'rejected').length;
    if (options.redeliver) {
      const again = results.flatMap((r, n) => (r.status === 'fulfilled' && r.value && r.value.batchItemFailures.length > 0 ? [n] : []));
      for (const n of again) {
        const r = await container()(records(batches[n]!, n) as never, context).catch(() => {
          rejected += 1;
          return undefined;
        });
        void r;
      }
    }
    const report = sim.report();
    const deployments: Record<string, number> = {};
    // Every deployment ECS started (a forced deployment with an unchanged strategy counts too), less the one each service starts with.
    for (const d of report.deployments) deployments[`${d.cluster}/${d.service}`] = (deployments[`${d.cluster}/${d.service}`] ?? 0) + 1;
    for (const s of scenario.clusters.flatMap((c) => c.services.map((v) => `${c.cluster}/${v.name}`))) if (deployments[s] !== undefined) deployments[s] -= 1;
    const described = await operator.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'], include: ['TAGS'] }));
    const baselines = { 'prod/web': readRecord(described.services?.[0]?.tags).record.baseline };
    return { updateServiceCalls: report.apiCalls['UpdateService'] ?? 0, deployments, strategies: report.strategies, baselines, rejected };
  } finally {
    await server.close();
  }
}
