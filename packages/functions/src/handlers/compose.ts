import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CloudWatchAlarmReader } from '../adapters/cloudwatch-alarm-reader.js';
import type { AwsClients } from '../adapters/clients.js';
import { EcsClusterReader } from '../adapters/ecs-cluster-reader.js';
import { EcsInstanceDrainer } from '../adapters/ecs-instance-drainer.js';
import { EcsStrategyWriter } from '../adapters/ecs-strategy-writer.js';
import { EventBridgeDecisionPublisher } from '../adapters/eventbridge-decision-publisher.js';
import { PowertoolsMetricsSink } from '../adapters/powertools-metrics-sink.js';
import { SqsQuarantine } from '../adapters/sqs-quarantine.js';
import type { FunctionConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import type { Clock, Quarantine } from '../ports.js';
import type { ReactDeps } from '../use-cases/handle-react.js';

export interface ComposeOptions {
  config: FunctionConfig;
  clients: AwsClients;
  /** Defaults to a Powertools Logger named after the config's service. */
  logger?: Logger;
  /** Defaults to Powertools Metrics in the config's namespace. */
  metrics?: Metrics;
  /** Defaults to the wall clock; the simulator passes its virtual one. */
  clock?: Clock;
}

export type RebalancerDeps = ReactDeps & { logger: Logger };

/**
 * Wires the AWS adapters to the ports both handlers use. Lambda calls it at module scope with
 * clients built from the environment; the scenario runner calls it with clients pointed at
 * the simulator and fauxqs, and its own clock.
 */
export function composeDeps(options: ComposeOptions): RebalancerDeps {
  const { config, clients } = options;
  const logger = options.logger ?? new Logger({ serviceName: config.serviceName });
  const metrics = options.metrics ?? new Metrics({ namespace: config.metricsNamespace, serviceName: config.serviceName });
  return {
    policy: config.policy,
    clusters: new EcsClusterReader(clients.ecs, logger),
    alarms: new CloudWatchAlarmReader(clients.cloudWatch),
    drainer: new EcsInstanceDrainer(clients.ecs),
    strategies: new EcsStrategyWriter(clients.ecs, logger),
    decisions: new EventBridgeDecisionPublisher(clients.eventBridge, { eventBus: config.eventBus }),
    quarantine: config.dlqUrl ? new SqsQuarantine(clients.sqs, config.dlqUrl) : noQuarantine,
    metrics: new PowertoolsMetricsSink(metrics),
    log: logger,
    logger,
    clock: options.clock ?? (() => new Date()),
  };
}

// Without a DLQ a poison record cannot be set aside: it is delivered again until the queue's
// redrive policy moves it to the DLQ.
const noQuarantine: Quarantine = {
  send: () => Promise.reject(new ConfigError('REBALANCER_DLQ_URL is not set: the record cannot be quarantined')),
};
