// The event queue and its DLQ. Encryption is SSE-SQS (SQS-managed keys): EventBridge can
// send to it with no KMS key policy, which SSE-KMS with the AWS managed key would not allow.
import { QUEUE } from '../settings.js';

export function createQueues() {
  const deadLetterQueue = new sst.aws.Queue('DeadLetterQueue', {
    transform: {
      queue: (args) => {
        args.sqsManagedSseEnabled = true;
        args.messageRetentionSeconds = QUEUE.dlqRetentionSeconds;
      },
    },
  });
  const queue = new sst.aws.Queue('EventQueue', {
    visibilityTimeout: `${QUEUE.visibilityTimeoutSeconds} seconds`,
    dlq: { queue: deadLetterQueue.arn, retry: QUEUE.maxReceiveCount },
    transform: {
      queue: (args) => {
        args.sqsManagedSseEnabled = true;
        args.messageRetentionSeconds = QUEUE.retentionSeconds;
      },
    },
  });
  return { queue, deadLetterQueue };
}
