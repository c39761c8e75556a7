// The react handler as Lambda runs it: middy, the real adapters and SDK clients, with the AWS
// APIs answered by aws-sdk-client-mock (which stands in for the wire, after the SDK's retry).
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListServicesCommand,
  TagResourceCommand,
  UpdateContainerInstancesStateCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { FALLBACK_ALARM, aPolicy, aSpotWarning, aStrategy, anAlarmAction, anAlarmStateChange } from '@ecs-rebalancer/core/test-support';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClients } from '../adapters/clients.js';
import { CLOUDWATCH_SERVICE, EVENTBRIDGE_SERVICE, SQS_SERVICE } from '../adapters/signed-request.js';
import { RecordingSignedClient } from '../test-support/signed-clients.js';
import { composeReactDeps } from './compose-react.js';
import { createReactHandler } from './create-react-handler.js';

const ecs = mockClient(ECSClient);
const eventBridge = new RecordingSignedClient(EVENTBRIDGE_SERVICE);
const sqs = new RecordingSignedClient(SQS_SERVICE);
const cloudWatch = new RecordingSignedClient(CLOUDWATCH_SERVICE);

const DLQ = 'https://sqs.us-east-1.amazonaws.com/123456789012/rebalancer-dlq';
const ec2Id = (n: number): string => `i-${n.toString(16).padStart(17, '0')}`;
const ciArn = (id: string): string => `arn:aws:ecs:us-east-1:123456789012:container-instance/prod/${id.slice(2)}`;
const context = { functionName: 'react', awsRequestId: 'req-1' } as Context;

function anSqsEvent(bodies: unknown[]): SQSEvent {
  return {
    Records: bodies.map(
      (body, i) =>
        ({
          messageId: `m${i}`,
          body: typeof body === 'string' ? body : JSON.stringify(body),
          attributes: { SentTimestamp: String(Date.now()), ApproximateReceiveCount: '1' },
        }) as SQSRecord,
    ),
  };
}

function aHandler(options: Parameters<typeof createReactHandler>[1] = {}) {
  const deps = composeReactDeps({
    config: { policy: aPolicy(), dlqUrl: DLQ, eventBus: 'default', maxAttempts: 1, serviceName: 'ecs-rebalancer', metricsNamespace: 'EcsRebalancer' },
    clients: { ...createClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }), eventBridge, sqs, cloudWatch },
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'EcsRebalancer', serviceName: 'ecs-rebalancer' }),
  });
  return createReactHandler(deps, options);
}

/** Container-instance API calls: what the storm budget counts. */
const containerInstanceCalls = (): number =>
  ecs.commandCalls(ListContainerInstancesCommand).length +
  ecs.commandCalls(DescribeContainerInstancesCommand).length +
  ecs.commandCalls(UpdateContainerInstancesStateCommand).length;

let stdout: string[];

beforeEach(() => {
  ecs.reset();
  eventBridge.reset();
  sqs.reset();
  cloudWatch.reset();
  cloudWatch.on('DescribeAlarms', { MetricAlarms: [{ AlarmName: FALLBACK_ALARM, StateValue: 'ALARM' }] });
  ecs.on(TagResourceCommand).resolves({});
  ecs.on(UpdateServiceCommand).resolves({});
  stdout = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: 'prod', status: 'ACTIVE', capacityProviders: ['spot-arm64', 'od-arm64'] }] });
  ecs.on(DescribeCapacityProvidersCommand).resolves({
    capacityProviders: [
      { name: 'spot-arm64', autoScalingGroupProvider: { autoScalingGroupArn: 'arn:asg/spot' } },
      { name: 'od-arm64', autoScalingGroupProvider: { autoScalingGroupArn: 'arn:asg/od' } },
    ],
  });
  ecs.on(ListServicesCommand).resolves({ serviceArns: ['arn:aws:ecs:us-east-1:123456789012:service/prod/web'] });
  ecs.on(DescribeServicesCommand).resolves({
    services: [{ serviceName: 'web', serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web', status: 'ACTIVE', desiredCount: 10, runningCount: 10, capacityProviderStrategy: aStrategy(), deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 200 } }],
  });
  ecs.on(ListContainerInstancesCommand).callsFake((input: { filter?: string }) => ({
    containerInstanceArns: (input.filter?.match(/i-[0-9a-f]+/g) ?? []).map(ciArn),
  }));
  ecs.on(DescribeContainerInstancesCommand).callsFake((input: { containerInstances: string[] }) => ({
    containerInstances: input.containerInstances.map((arn) => ({
      containerInstanceArn: arn,
      ec2InstanceId: `i-${arn.slice(arn.lastIndexOf('/') + 1)}`,
      capacityProviderName: 'spot-arm64',
      status: 'ACTIVE',
      runningTasksCount: 2,
    })),
  }));
  ecs.on(UpdateContainerInstancesStateCommand).callsFake((input: { containerInstances: string[] }) => ({
    containerInstances: input.containerInstances.map((arn) => ({ containerInstanceArn: arn, status: 'DRAINING' })),
    failures: [],
  }));
  eventBridge.on('PutEvents', (input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'x' })) }));
  sqs.on('SendMessage', { MessageId: 'q' });
});

afterEach(() => vi.restoreAllMocks());

describe('react handler', () => {
  it('drains a storm of 200 Spot warnings in one cluster with at most ceil(200/10) + 10 container-instance calls', async () => {
    // Prepare
    const ids = Array.from({ length: 200 }, (_, i) => ec2Id(i));
    const event = anSqsEvent(ids.map((instanceId, i) => aSpotWarning({ instanceId, id: `e${i}` })));
    // The cluster holds exactly these 200 instances: an unfiltered listing pages through them.
    ecs.on(ListContainerInstancesCommand).callsFake((input: { filter?: string; nextToken?: string }) => {
      if (input.filter !== undefined) return { containerInstanceArns: (input.filter.match(/i-[0-9a-f]+/g) ?? []).map(ciArn) };
      const from = Number(input.nextToken ?? 0);
      return { containerInstanceArns: ids.slice(from, from + 100).map(ciArn), ...(from + 100 < ids.length ? { nextToken: String(from + 100) } : {}) };
    });

    // Act
    const response = await aHandler()(event, context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const drained = ecs.commandCalls(UpdateContainerInstancesStateCommand).flatMap((c) => c.args[0].input.containerInstances ?? []);
    expect(new Set(drained)).toEqual(new Set(ids.map(ciArn)));
    expect(ecs.commandCalls(UpdateContainerInstancesStateCommand)).toHaveLength(20);
    expect(containerInstanceCalls()).toBeLessThanOrEqual(Math.ceil(200 / 10) + 10);
    const emf = stdout.flatMap((s) => s.split('\n')).filter((l) => l.includes('"SpotInterruptions"')).map((l) => JSON.parse(l));
    expect(emf).toMatchObject([{ Cluster: 'prod', SpotInterruptions: 200 }]);
  });

  it('publishes through Powertools logMetrics: ColdStart on the first invocation only, and what was counted when the invocation fails', async () => {
    // Prepare: Lambda says an on-demand container is starting
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const handler = aHandler();
    vi.unstubAllEnvs();
    const emf = () => stdout.flatMap((s) => s.split('\n')).filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l) as Record<string, unknown>);

    // Act
    await expect(handler({ detail: 'not an event' }, context)).rejects.toThrow();
    await expect(handler({ detail: 'not an event either' }, context)).rejects.toThrow();

    // Assess
    expect(emf().filter((m) => 'ColdStart' in m)).toMatchObject([{ ColdStart: 1, function_name: 'react', service: 'ecs-rebalancer' }]);
    expect(emf().filter((m) => 'MalformedInvocations' in m)).toMatchObject([{ MalformedInvocations: 1 }, { MalformedInvocations: 1 }]);
  });

  it('quarantines a poison record in the DLQ with its error while the rest of its batch succeeds', async () => {
    const response = await aHandler()(anSqsEvent([aSpotWarning({ instanceId: ec2Id(1), id: 'e1' }), 'not json']), context);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sqs.inputsOf('SendMessage').map((i) => [i.QueueUrl, i.MessageBody, i.MessageAttributes?.['SourceMessageId']?.StringValue])).toEqual([
      [DLQ, 'not json', 'm1'],
    ]);
    expect(ecs.commandCalls(UpdateContainerInstancesStateCommand)).toHaveLength(1);
  });

  it('returns the records of a throttled drain for another delivery, so nothing is lost', async () => {
    ecs.on(UpdateContainerInstancesStateCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }));

    const response = await aHandler()(anSqsEvent([aSpotWarning({ instanceId: ec2Id(1), id: 'e1' }), aSpotWarning({ instanceId: ec2Id(2), id: 'e2' })]), context);

    expect(response?.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m0', 'm1']);
  });

  it('changes nothing under dryRun', async () => {
    const deps = composeReactDeps({
      config: { policy: aPolicy({ dryRun: true }), dlqUrl: DLQ, eventBus: 'default', maxAttempts: 1, serviceName: 'ecs-rebalancer', metricsNamespace: 'EcsRebalancer' },
      clients: { ...createClients({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }), eventBridge, sqs, cloudWatch },
      logger: new Logger({ logLevel: 'SILENT' }),
    });

    const response = await createReactHandler(deps)(anSqsEvent([aSpotWarning({ instanceId: ec2Id(1), id: 'e1' })]), context);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(ecs.commandCalls(UpdateContainerInstancesStateCommand)).toHaveLength(0);
    const details = eventBridge.inputsOf('PutEvents').flatMap((i: { Entries: { Detail: string }[] }) => i.Entries).map((e) => JSON.parse(e.Detail));
    expect(details.map((d) => [d.action.type, d.outcome, d.dryRun])).toEqual([
      ['drain', 'dry-run', true],
      ['metric', 'dry-run', true],
    ]);
  });

  it('acts on the payload of an alarm action that invokes the function directly, with no Records', async () => {
    // Prepare: the fallback alarm's action names the react function
    const event = anAlarmAction({ alarmName: FALLBACK_ALARM, state: 'ALARM', previousState: 'OK', account: '123456789012' });

    // Act
    const response = await aHandler()(event, context);

    // Assess: web falls back, as it would for the EventBridge event through the queue
    expect(response).toBeUndefined();
    const update = ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input;
    expect(update).toMatchObject({ cluster: 'prod', service: 'web', forceNewDeployment: true });
    expect(update?.capacityProviderStrategy?.find((i) => i.capacityProvider === 'spot-arm64')?.weight).toBe(0);
    expect(ecs.commandCalls(TagResourceCommand)).toHaveLength(2);
    expect(sqs.inputsOf('SendMessage')).toHaveLength(0);
  });

  it("deployed (ownScope), skips an ALARM from another account and one from another region: the policy defaults to the function's own", async () => {
    // Prepare: the policy names no accounts nor regions; the function runs in 123456789012, us-east-1
    const deployed = { ...context, invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:react' } as Context;
    const alarm = (id: string, envelope: Record<string, string>) => ({ ...anAlarmStateChange({ id, alarmName: FALLBACK_ALARM, state: 'ALARM', previousState: 'OK' }), ...envelope });
    const handler = aHandler({ ownScope: { fallbackRegion: 'us-east-1' } });

    // Act
    const foreign = await handler(anSqsEvent([alarm('a', { account: '999999999999', region: 'us-east-1' }), alarm('r', { account: '123456789012', region: 'ap-south-1' })]), deployed);

    // Assess: nothing changed, both acknowledged; the same ALARM from this account and region falls back
    expect(foreign).toEqual({ batchItemFailures: [] });
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    await handler(anSqsEvent([alarm('own', { account: '123456789012', region: 'us-east-1' })]), deployed);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
  });

  it('fails the invocation of a malformed direct payload, for Lambda\'s retries and on-failure destination', async () => {
    const event = anAlarmAction({ alarmName: FALLBACK_ALARM, account: '123456789012' });
    delete event['alarmData']['state'];

    await expect(aHandler()(event, context)).rejects.toMatchObject({ name: 'MalformedEventError' });
    expect(ecs.calls()).toHaveLength(0);
    expect(sqs.inputsOf('SendMessage')).toHaveLength(0);
  });
});

describe('react handler and the wall clock', () => {
  // A context that says 20 ms are left, and a drain that takes 60 ms of real time.
  const short = { ...context, getRemainingTimeInMillis: () => 20 } as Context;
  const slowDrain = () =>
    ecs.on(UpdateContainerInstancesStateCommand).callsFake(async (input: { containerInstances: string[] }) => {
      await new Promise((resolve) => setTimeout(resolve, 60));
      return { containerInstances: input.containerInstances.map((arn) => ({ containerInstanceArn: arn, status: 'DRAINING' })), failures: [] };
    });

  it('answers early on the wall clock as deployed (middy timeoutEarly), and not with wallClockTimeout off (runs on a virtual clock)', async () => {
    // Prepare
    slowDrain();
    const event = () => anSqsEvent([aSpotWarning({ instanceId: ec2Id(1), id: 'e1' })]);

    // Act
    const deployed = await aHandler()(event(), short).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    const virtual = await aHandler({ wallClockTimeout: false })(event(), short);

    // Assess
    expect(deployed).toBe('TimeoutError');
    expect(virtual).toEqual({ batchItemFailures: [] });
  });
});
