import { DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { attempt } from '../errors.js';
import type { RolloutTaskCounter } from '../rollout-ports.js';

// ListTasks pages by 100; DescribeTasks takes at most 100 tasks per call.
const PAGE = 100;

/** Counts a service's RUNNING tasks per capacity provider, the evidence a step record keeps. */
export class EcsRolloutTaskCounter implements RolloutTaskCounter {
  constructor(private readonly ecs: ECSClient) {}

  async runningByProvider(cluster: string, service: string): Promise<Record<string, number>> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await attempt(`listing the tasks of ${service} in ${cluster}`, () =>
        this.ecs.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'RUNNING', maxResults: PAGE, nextToken })),
      );
      arns.push(...(out.taskArns ?? []));
      nextToken = out.nextToken;
    } while (nextToken);
    const counts: Record<string, number> = {};
    for (let i = 0; i < arns.length; i += PAGE) {
      const piece = arns.slice(i, i + PAGE);
      const out = await attempt(`describing ${piece.length} tasks of ${service} in ${cluster}`, () => this.ecs.send(new DescribeTasksCommand({ cluster, tasks: piece })));
      for (const task of out.tasks ?? []) {
        if (task.lastStatus !== 'RUNNING') continue;
        const provider = task.capacityProviderName ?? task.launchType ?? 'unknown';
        counts[provider] = (counts[provider] ?? 0) + 1;
      }
    }
    return counts;
  }
}
