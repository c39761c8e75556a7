// The tick handler as Lambda runs it: middy, the real adapters and SDK clients, with the AWS
// APIs answered by aws-sdk-client-mock.
import { Logger } from '@aws-lambda-powertools/logger';
import {
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListServicesCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { FALLBACK_ALARM, aPolicy, aScheduledEvent, aStrategy } from '@ecs-rebalancer/core/test-support';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClients } from '../adapters/clients.js';
import { CLOUDWATCH_SERVICE, EVENTBRIDGE_SERVICE } from '../adapters/signed-request.js';
import { RecordingSignedClient } from '../test-support/signed-clients.js';
import { RecordTag, recordTags } from '../adapters/ecs-service-tags.js';
import { composeTickDeps } from './compose.js';
import { createTickHandler } from './create-tick-handler.js';

const ecs = mockClient(ECSClient);
const cloudWatch = new RecordingSignedClient(CLOUDWATCH_SERVICE);
const eventBridge = new RecordingSignedClient(EVENTBRIDGE_SERVICE);
const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/prod/web';
const FALLEN_BACK = aStrategy(0, 4, 2);
const NOW = new Date('2024-03-01T12:05:00Z');

function aHandler() {
  return createTickHandler(
    composeTickDeps({
      config: { policy: aPolicy(), dlqUrl: undefined, eventBus: 'default', maxAttempts: 1, serviceName: 'ecs-rebalancer', metricsNamespace: 'EcsRebalancer' },
      clients: { ...createClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }), eventBridge, cloudWatch },
      logger: new Logger({ logLevel: 'SILENT' }),
      clock: () => NOW,
    }),
  );
}

beforeEach(() => {
  ecs.reset();
  cloudWatch.reset();
  eventBridge.reset();
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: 'prod', status: 'ACTIVE', capacityProviders: ['spot-arm64', 'od-arm64'] }] });
  ecs.on(DescribeCapacityProvidersCommand).resolves({ capacityProviders: [{ name: 'spot-arm64', autoScalingGroupProvider: { autoScalingGroupArn: 'arn:asg/spot' } }, { name: 'od-arm64', autoScalingGroupProvider: { autoScalingGroupArn: 'arn:asg/od' } }] });
  ecs.on(ListServicesCommand).resolves({ serviceArns: [SERVICE_ARN] });
  ecs.on(ListContainerInstancesCommand).resolves({ containerInstanceArns: [] });
  ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        serviceName: 'web',
        serviceArn: SERVICE_ARN,
        status: 'ACTIVE',
        desiredCount: 4,
        runningCount: 4,
        capacityProviderStrategy: FALLEN_BACK,
        deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 200 },
        tags: recordTags({ baseline: aStrategy(), fallbackSince: '2024-03-01T11:00:00.000Z', applied: FALLEN_BACK }).tags,
      },
    ],
  });
  ecs.on(TagResourceCommand).resolves({});
  ecs.on(UntagResourceCommand).resolves({});
  ecs.on(UpdateServiceCommand).resolves({ service: { serviceArn: SERVICE_ARN } });
  cloudWatch.on('DescribeAlarms', { MetricAlarms: [{ AlarmName: FALLBACK_ALARM, StateValue: 'OK', StateTransitionedTimestamp: Date.parse('2024-01-01T00:00:00Z') / 1000 }] });
  eventBridge.on('PutEvents', { FailedEntryCount: 0, Entries: [{ EventId: 'x' }] });
});

afterEach(() => vi.restoreAllMocks());

describe('tick handler', () => {
  it('restores the baseline kept in the service tags once the fallback is due and its alarm OK', async () => {
    // Act
    const result = await aHandler()(aScheduledEvent({ time: NOW.toISOString() }) as ScheduledEvent, { functionName: 'tick' } as Context);

    // Assess
    expect(result).toMatchObject({ actions: 1, failed: 0 });
    expect(ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({ cluster: 'prod', service: 'web', capacityProviderStrategy: aStrategy(), forceNewDeployment: true });
    expect(ecs.commandCalls(UntagResourceCommand)[0]?.args[0].input.tagKeys).toEqual(expect.arrayContaining([RecordTag.Baseline, RecordTag.FallbackSince]));
    expect(ecs.commandCalls(ListContainerInstancesCommand)[0]?.args[0].input.filter).toBeUndefined();
    expect(cloudWatch.inputsOf('DescribeAlarms')[0]?.AlarmNames).toEqual([FALLBACK_ALARM]);
  });
});
