import type { Logger } from '@aws-lambda-powertools/logger';
import type { AwsClients } from '../adapters/clients.js';
import { EcsClusterReader } from '../adapters/ecs-cluster-reader.js';
import { drainerNotingDirectory } from '../adapters/ecs-instance-directory.js';
import { EcsInstanceDrainer } from '../adapters/ecs-instance-drainer.js';
import { SqsQuarantine } from '../adapters/sqs-quarantine.js';
import { SqsRedelivery } from '../adapters/sqs-redelivery.js';
import { ConfigError } from '../errors.js';
import type { ReactDeps } from '../use-cases/handle-react.js';
import { composeTickDeps } from './compose.js';
import type { ComposeOptions } from './compose.js';

export interface ReactComposeOptions extends ComposeOptions {
  clients: Pick<AwsClients, 'ecs' | 'cloudWatch' | 'eventBridge' | 'sqs'> & Partial<Pick<AwsClients, 'ecsSingleAttempt' | 'ssm'>>;
}

export type ReactHandlerDeps = ReactDeps & { logger: Logger };

/**
 * The react function's dependencies: the shared ones, plus the instance drainer
 * (ecs:UpdateContainerInstancesState) and the quarantine of unparseable records (sqs:SendMessage
 * to the DLQ), which only this function's role allows. Without a DLQ a poison record could
 * not be set aside: the composition refuses to start (a cold start fails loudly instead of
 * half-working).
 */
export function composeReactDeps(options: ReactComposeOptions): ReactHandlerDeps {
  const { config, clients } = options;
  if (!config.dlqUrl) throw new ConfigError('REBALANCER_DLQ_URL is not set: poison records could not be quarantined');
  const shared = composeTickDeps(options);
  const drainer = new EcsInstanceDrainer(clients.ecs);
  return {
    ...shared,
    // The reader's instance directory learns from every drain what it set (DRAINING).
    drainer: shared.clusters instanceof EcsClusterReader ? drainerNotingDirectory(drainer, shared.clusters.directory) : drainer,
    quarantine: new SqsQuarantine(clients.sqs, config.dlqUrl),
    redelivery: new SqsRedelivery(clients.sqs, config.queueUrl),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(config.maxReceiveCount === undefined ? {} : { maxReceiveCount: config.maxReceiveCount }),
  };
}
