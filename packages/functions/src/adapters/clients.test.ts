import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createClients } from './clients.js';
import { createRolloutClients } from './rollout-clients.js';

describe('the one client factory', () => {
  it('builds each client once, on first use, at its own endpoint', async () => {
    // Prepare
    const clients = createClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', endpoints: { sqs: 'http://127.0.0.1:2' } });
    // Act
    const ecs = clients.ecs;
    // Assess
    expect(clients.ecs).toBe(ecs);
    expect((await clients.ecs.config.endpoint!()).port).toBe(1);
    expect(clients.sqs.service.targetPrefix).toBe('AmazonSQS');
    expect(Object.keys(clients).sort()).toEqual(['cloudWatch', 'dynamodb', 'ecs', 'ecsSingleAttempt', 'eventBridge', 'sqs', 'ssm']);
  });

  it('sends the signed services (SQS, EventBridge, SSM, DynamoDB) through the shared handler to their own endpoints', async () => {
    // Prepare
    const seen: { hostname: string; port?: number; target?: string }[] = [];
    const requestHandler = {
      async handle(request: { hostname: string; port?: number; headers: Record<string, string> }) {
        seen.push({ hostname: request.hostname, ...(request.port !== undefined ? { port: request.port } : {}), ...(request.headers['x-amz-target'] ? { target: request.headers['x-amz-target'] } : {}) });
        return { response: { statusCode: 200, headers: {}, body: Readable.from([Buffer.from('{}')]) } };
      },
    };
    const clients = createClients({ region: 'us-east-1', credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' }, requestHandler: requestHandler as never, endpoint: 'http://127.0.0.1:1', endpoints: { dynamodb: 'http://127.0.0.1:4', sqs: 'http://127.0.0.1:2' } });

    // Act
    await clients.dynamodb.call('BatchGetItem', { RequestItems: {} });
    await clients.ssm.call('GetParameter', { Name: 'p' });
    await clients.sqs.call('SendMessage', { QueueUrl: 'http://127.0.0.1:2/000000000000/q', MessageBody: 'x' });
    await clients.eventBridge.call('PutEvents', { Entries: [] });

    // Assess
    expect(seen).toEqual([
      { hostname: '127.0.0.1', port: 4, target: 'DynamoDB_20120810.BatchGetItem' },
      { hostname: '127.0.0.1', port: 1, target: 'AmazonSSM.GetParameter' },
      { hostname: '127.0.0.1', port: 2, target: 'AmazonSQS.SendMessage' },
      { hostname: '127.0.0.1', port: 1, target: 'AWSEvents.PutEvents' },
    ]);
  });

  it('gives the rollout Step Functions and no SQS or EventBridge client', async () => {
    const clients = createRolloutClients({ region: 'us-east-1', endpoints: { sfn: 'http://127.0.0.1:3' } });

    expect((await clients.sfn.config.endpoint!()).port).toBe(3);
    expect(Object.keys(clients).sort()).toEqual(['cloudWatch', 'ecs', 'ecsSingleAttempt', 'sfn', 'ssm']);
  });
});
