import { describe, expect, it } from 'vitest';
import { aFargateSpotInterruption, malformedPath } from '../test-support/events.js';
import { loadEvent } from '@ecs-rebalancer/fixtures';
import { parseEvent } from './parse.js';

describe('ECS Task State Change', () => {
  it('ignores the real sample, a RUNNING task', () => {
    expect(parseEvent(loadEvent('ecs-task-state-change'))).toMatchObject([
      { kind: 'ignored', source: 'aws.ecs', detailType: 'ECS Task State Change', eventId: '3317b2af-7005-947d-b652-f55e762e571a' },
    ]);
  });

  for (const stopCode of ['TerminationNotice', 'SpotInterruption'] as const) {
    it(`reads stopCode ${stopCode} as a Fargate Spot interruption`, () => {
      expect(parseEvent(aFargateSpotInterruption({ stopCode, cluster: 'prod', group: 'service:web', taskId: 'abc123' }))).toEqual([
        {
          kind: 'fargate-spot-interruption',
          eventId: '3317b2af-7005-947d-b652-f55e762e571a',
          time: '2020-01-23T17:57:58Z',
          region: 'us-west-2',
          account: '111122223333',
          cluster: 'prod',
          taskArn: 'arn:aws:ecs:us-west-2:111122223333:task/prod/abc123',
          group: 'service:web',
          capacityProvider: 'FARGATE_SPOT',
          stopCode,
        },
      ]);
    });
  }

  it('does without group and capacityProviderName', () => {
    const event = aFargateSpotInterruption();
    delete event['detail']['group'];
    delete event['detail']['capacityProviderName'];
    const [signal] = parseEvent(event);
    expect(signal).toMatchObject({ kind: 'fargate-spot-interruption', cluster: 'FargateCluster' });
    expect(signal).not.toHaveProperty('group');
    expect(signal).not.toHaveProperty('capacityProvider');
  });

  for (const stopCode of ['EssentialContainerExited', 'UserInitiated', 'ServiceSchedulerInitiated', 'TaskFailedToStart']) {
    it(`ignores a task stopped with ${stopCode}`, () => {
      const event = aFargateSpotInterruption();
      event['detail']['stopCode'] = stopCode;
      expect(parseEvent(event)).toMatchObject([
        { kind: 'ignored', reason: `task state change has stopCode ${stopCode}: not a Fargate Spot interruption` },
      ]);
    });
  }

  // ECS sends a Task State Change for each transition of the stopping task, each with the stopCode.
  const laterTransitions: { name: string; lastStatus?: string; desiredStatus?: string }[] = [
    { name: 'DEACTIVATING', lastStatus: 'DEACTIVATING', desiredStatus: 'STOPPED' },
    { name: 'STOPPING', lastStatus: 'STOPPING', desiredStatus: 'STOPPED' },
    { name: 'DEPROVISIONING', lastStatus: 'DEPROVISIONING', desiredStatus: 'STOPPED' },
    { name: 'STOPPED', lastStatus: 'STOPPED', desiredStatus: 'STOPPED' },
    { name: 'no lastStatus', desiredStatus: 'STOPPED' },
    { name: 'desiredStatus still RUNNING', lastStatus: 'RUNNING', desiredStatus: 'RUNNING' },
  ];
  for (const row of laterTransitions) {
    it(`ignores a Fargate Spot interruption's later notice: ${row.name}`, () => {
      const event = aFargateSpotInterruption({ stopCode: 'TerminationNotice' });
      delete event['detail']['lastStatus'];
      if (row.lastStatus !== undefined) event['detail']['lastStatus'] = row.lastStatus;
      event['detail']['desiredStatus'] = row.desiredStatus;
      expect(parseEvent(event)).toMatchObject([
        {
          kind: 'ignored',
          reason: `task state change with stopCode TerminationNotice, lastStatus ${row.lastStatus ?? '(none)'}, desiredStatus ${row.desiredStatus}: a Fargate Spot interruption counts once, at its first notice (lastStatus RUNNING, desiredStatus STOPPED)`,
        },
      ]);
    });
  }

  it('reads one interruption from the whole sequence of its task state changes', () => {
    // Prepare
    const sequence = ['RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'].map((lastStatus, i) => {
      const event = aFargateSpotInterruption({ id: `transition-${i}`, stopCode: 'SpotInterruption' });
      event['detail']['lastStatus'] = lastStatus;
      return event;
    });

    // Act
    const signals = sequence.flatMap((event) => parseEvent(event));

    // Assess
    expect(signals.filter((s) => s.kind === 'fargate-spot-interruption').map((s) => s.eventId)).toEqual(['transition-0']);
  });

  const malformed: { name: string; change: (detail: Record<string, any>) => void; path: string }[] = [
    { name: 'clusterArn missing', change: (d) => delete d['clusterArn'], path: 'detail.clusterArn' },
    { name: 'clusterArn not a cluster ARN', change: (d) => (d['clusterArn'] = 'prod'), path: 'detail.clusterArn' },
    { name: 'taskArn missing', change: (d) => delete d['taskArn'], path: 'detail.taskArn' },
    { name: 'stopCode not a string', change: (d) => (d['stopCode'] = 1), path: 'detail.stopCode' },
  ];
  for (const { name, change, path } of malformed) {
    it(`rejects ${name} at ${path}`, () => {
      const event = aFargateSpotInterruption();
      change(event['detail']);
      expect(malformedPath(() => parseEvent(event))).toBe(path);
    });
  }
});
