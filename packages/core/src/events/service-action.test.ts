import { describe, expect, it } from 'vitest';
import { aPlacementFailure, malformedPath } from '../test-support/events.js';
import { loadEvent } from '@ecs-rebalancer/fixtures';
import { parseEvent } from './parse.js';

describe('ECS Service Action', () => {
  it('parses the real placement-failure sample', () => {
    expect(parseEvent(loadEvent('ecs-service-action-placement-failure'))).toEqual([
      {
        kind: 'placement-failure',
        eventId: 'ddca6449-b258-46c0-8653-e0e3a6d0468b',
        time: '2019-11-19T19:55:38Z',
        region: 'us-west-2',
        account: '111122223333',
        cluster: 'default',
        service: 'servicetest',
        capacityProviders: ['FARGATE_SPOT'],
        reason: 'RESOURCE:FARGATE',
      },
    ]);
  });

  const arnFormats = [
    { name: 'the long service ARN (service/CLUSTER/NAME)', arnFormat: 'long' },
    { name: 'the old service ARN (service/NAME)', arnFormat: 'short' },
  ] as const;
  for (const { name, arnFormat } of arnFormats) {
    it(`takes the service name from ${name}`, () => {
      const event = aPlacementFailure({ cluster: 'prod', service: 'web', arnFormat, capacityProviders: ['spot-arm64', 'od-arm64'] });
      expect(parseEvent(event)[0]).toMatchObject({
        kind: 'placement-failure',
        cluster: 'prod',
        service: 'web',
        capacityProviders: ['spot-arm64', 'od-arm64'],
      });
    });
  }

  it('gives no capacity providers when the event lists none, and no reason when it has none', () => {
    const event = aPlacementFailure();
    delete event['detail']['capacityProviderArns'];
    delete event['detail']['reason'];
    const [signal] = parseEvent(event);
    expect(signal).toMatchObject({ kind: 'placement-failure', capacityProviders: [] });
    expect(signal).not.toHaveProperty('reason');
  });

  for (const eventName of ['SERVICE_STEADY_STATE', 'CAPACITY_PROVIDER_STEADY_STATE', 'SERVICE_DEPLOYMENT_FAILED']) {
    it(`ignores ${eventName}`, () => {
      const event = aPlacementFailure();
      event['detail'] = { eventType: 'INFO', eventName, clusterArn: event['detail']['clusterArn'] };
      expect(parseEvent(event)).toEqual([
        {
          kind: 'ignored',
          eventId: 'ddca6449-b258-46c0-8653-e0e3a6d0468b',
          time: '2019-11-19T19:55:38Z',
          region: 'us-west-2',
          account: '111122223333',
          source: 'aws.ecs',
          detailType: 'ECS Service Action',
          reason: `ECS service action ${eventName} is not a placement failure`,
        },
      ]);
    });
  }

  const malformed: { name: string; change: (event: Record<string, any>) => void; path: string }[] = [
    { name: 'eventName missing', change: (e) => delete e['detail']['eventName'], path: 'detail.eventName' },
    { name: 'clusterArn missing', change: (e) => delete e['detail']['clusterArn'], path: 'detail.clusterArn' },
    {
      name: 'a capacity provider that is not an ARN',
      change: (e) => e['detail']['capacityProviderArns'].push('FARGATE'),
      path: 'detail.capacityProviderArns[1]',
    },
    { name: 'the service ARN missing', change: (e) => (e['resources'] = []), path: 'resources[0]' },
    {
      name: 'a first resource that is not a service ARN',
      change: (e) => (e['resources'] = ['arn:aws:ecs:us-west-2:111122223333:cluster/default']),
      path: 'resources[0]',
    },
  ];
  for (const { name, change, path } of malformed) {
    it(`rejects ${name} at ${path}`, () => {
      const event = aPlacementFailure();
      change(event);
      expect(malformedPath(() => parseEvent(event))).toBe(path);
    });
  }
});
