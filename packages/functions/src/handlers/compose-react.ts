import type { Logger } from '@aws-lambda-powertools/logger';
import type { AwsClients } from '../adapters/clients.js';
import { EcsClusterReader } from '../adapters/ecs-cluster-reader.js';
import { drainerNotingDirectory } from '../adapters/ecs-instance-directory.js';
import { EcsInstanceDrainer } from '../adapters/ecs-instance-drainer.js';
import { SqsQuarantine } from '../adapters/sqs-quarantine.js';
import { SqsRedelivery } from '../adapters/sqs-redelivery.js';
import { ConfigError } from '../errors.js';
import type { Quarantine } from '../ports.js';
import type { ReactDeps } from '../use-cases/handle-react.js';
import { composeShared } from './compose.js';
import type { ComposeOptions } from './compose.js';

export interface ReactComposeOptions extends ComposeOptions {
  clients: Pick<AwsClients, 'ecs' | 'cloudWatch' | 'eventBridge' | 'sqs'> & Partial<Pick<AwsClients, 'ecsSingleAttempt' | 'ssm'>>;
}

export type ReactHandlerDeps = ReactDeps & { logger: Logger };

/**
 * The react function's dependencies: the shared ones, plus the instance drainer
 * (ecs:UpdateContainerInstancesState) and the quarantine of unparseable records (sqs:SendMessage
 * to the DLQ), which only this function's role allows.
 */
export function composeReactDeps(options: ReactComposeOptions): ReactHandlerDeps {
  const { config, clients } = options;
  const shared = composeShared(options);
  const drainer = new EcsInstanceDrainer(clients.ecs);
  return {
    ...shared,
    // The reader's instance directory learns from every drain what it set (DRAINING).
    drainer: shared.clusters instanceof EcsClusterReader ? drainerNotingDirectory(drainer, shared.clusters.directory) : drainer,
    quarantine: config.dlqUrl ? new SqsQuarantine(clients.sqs, config.dlqUrl) : noQuarantine,
    redelivery: new SqsRedelivery(clients.sqs, config.queueUrl),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(config.maxReceiveCount === undefined ? {} : { maxReceiveCount: config.maxReceiveCount }),
  };
}

// Without a DLQ a poison record cannot be set aside: it is delivered again until the queue's
// redrive policy moves it to the DLQ.
const noQuarantine: Quarantine = {
  send: () => Promise.reject(new ConfigError('REBALANCER_DLQ_URL is not set: the record cannot be quarantined')),
};
