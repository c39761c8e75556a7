// The tick's composition, which the react one extends (compose-react.ts). Neither the drainer
// nor the quarantine is wired here: the tick's import graph, which its IAM role is checked
// against, must not reach them.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Policy } from '@ecs-rebalancer/core';
import { CloudWatchAlarmReader } from '../adapters/cloudwatch-alarm-reader.js';
import type { AwsClients } from '../adapters/clients.js';
import { DynamoDbInstanceIndex, type DynamoDbCaller } from '../adapters/dynamodb-instance-index.js';
import { EcsClusterReader } from '../adapters/ecs-cluster-reader.js';
import { EcsInstanceIndexRefresher } from '../adapters/instance-index-refresh.js';
import { EcsStrategyWriter } from '../adapters/ecs-strategy-writer.js';
import { EventBridgeDecisionPublisher } from '../adapters/eventbridge-decision-publisher.js';
import { PowertoolsMetricsSink, metricsLogger } from '../adapters/powertools-metrics-sink.js';
import { SsmKillSwitch } from '../adapters/ssm-kill-switch.js';
import type { FunctionConfig } from '../config.js';
import type { AlarmReader, Clock, ClusterReader, DecisionPublisher, InstanceIndex, InstanceIndexRefresher, KillSwitch, Log, MetricsSink, Sleep, StrategyWriter } from '../ports.js';

export interface ComposeOptions {
  config: FunctionConfig;
  /** The tick needs no SQS client; the react composition asks for it too. */
  clients: Pick<AwsClients, 'ecs' | 'cloudWatch' | 'eventBridge'> & Partial<Pick<AwsClients, 'ecsSingleAttempt' | 'ssm'>> & { dynamodb?: DynamoDbCaller };
  /** Overrides the DynamoDB instance index of `config.instanceIndexTable` (tests). */
  instanceIndex?: InstanceIndex;
  /** Overrides the SSM kill switch (local runs and tests). */
  killSwitch?: KillSwitch;
  /** Every wait inside a handler (retries of entries, drain rounds); the simulator passes one on its virtual clock. */
  sleep?: Sleep;
  /** Defaults to a Powertools Logger named after the config's service. */
  logger?: Logger;
  /** Defaults to Powertools Metrics in the config's namespace. */
  metrics?: Metrics;
  /** Defaults to the wall clock; the simulator passes its virtual one. */
  clock?: Clock;
  /** Every jitter (retry back-off, redelivery spread, lease owner ids) in [0, 1); defaults to Math.random, the simulator passes a seeded one. */
  random?: () => number;
}

/** The tick's ports, which the react function uses too: load, decide, change strategies, report. */
export interface TickHandlerDeps {
  policy: Policy;
  clusters: ClusterReader;
  alarms: AlarmReader;
  strategies: StrategyWriter;
  decisions: DecisionPublisher;
  metrics: MetricsSink;
  /** What the sink writes to; the handler's logMetrics publishes it. */
  powertoolsMetrics: Metrics;
  log: Log;
  logger: Logger;
  clock: Clock;
  killSwitch?: KillSwitch;
  /** The tick's refresh of the shared instance index, when one is configured. */
  instanceIndex?: InstanceIndexRefresher;
}

/**
 * Wires the AWS adapters of the tick, which the react function uses too. The tick restores
 * and reports drift; it never drains and never quarantines. Lambda calls the compositions at
 * module scope with clients built from the environment; the scenario runner calls them with
 * clients pointed at the simulator and fauxqs, and its own clock.
 */
export function composeTickDeps(options: ComposeOptions): TickHandlerDeps {
  const { config, clients } = options;
  const logger = options.logger ?? new Logger({ serviceName: config.serviceName });
  const metrics = options.metrics ?? new Metrics({ namespace: config.metricsNamespace, serviceName: config.serviceName, logger: metricsLogger(logger) });
  const clock = options.clock ?? (() => new Date());
  const instanceIndex = instanceIndexOf(options, logger);
  // Built once per container: its short-lived cache of attached providers and service lists
  // serves every batch the container handles, aged by the same clock as the decisions.
  const clusters = new EcsClusterReader(clients.ecs, logger, { clock, ...(instanceIndex ? { instanceIndex } : {}) });
  return {
    policy: config.policy,
    clusters,
    ...(instanceIndex ? { instanceIndex: new EcsInstanceIndexRefresher(clusters, clock, logger) } : {}),
    alarms: new CloudWatchAlarmReader(clients.cloudWatch),
    strategies: new EcsStrategyWriter(clients.ecs, logger, { updateClient: clients.ecsSingleAttempt, clock, ...ownerOf(options.random) }),
    decisions: new EventBridgeDecisionPublisher(clients.eventBridge, {
      eventBus: config.eventBus,
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
    }),
    metrics: new PowertoolsMetricsSink(metrics),
    powertoolsMetrics: metrics,
    log: logger,
    logger,
    clock,
    ...killSwitchOf(options, logger, clock),
  };
}

/** The shared instance index: the given one, else the DynamoDB table of the config (none without a table or a DynamoDB caller). */
function instanceIndexOf(options: ComposeOptions, log: Log): InstanceIndex | undefined {
  if (options.instanceIndex) return options.instanceIndex;
  const table = options.config.instanceIndexTable;
  if (table === undefined) return undefined;
  if (!options.clients.dynamodb) {
    log.warn('REBALANCER_INDEX_TABLE is set but no DynamoDB client is given: each environment learns the instance map alone', { table });
    return undefined;
  }
  return new DynamoDbInstanceIndex(options.clients.dynamodb, table, log);
}

/** The strategy writer's lease owner id, drawn once per writer from `random` when one is given. */
function ownerOf(random: (() => number) | undefined): { owner?: () => string } {
  if (!random) return {};
  const owner = random().toString(36).slice(2, 10);
  return { owner: () => owner };
}

function killSwitchOf(options: ComposeOptions, log: Log, clock: Clock): { killSwitch?: KillSwitch } {
  if (options.killSwitch) return { killSwitch: options.killSwitch };
  const name = options.config.killSwitchParameter;
  if (name === undefined || !options.clients.ssm) return {};
  return { killSwitch: new SsmKillSwitch(options.clients.ssm, name, { clock, log }) };
}
