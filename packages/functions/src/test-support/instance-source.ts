import type { ContainerInstanceState } from '@ecs-rebalancer/core';
import type { InstanceSource } from '../adapters/ecs-instance-directory.js';

/**
 * The ECS reads of the instance directory over `instances` (read live: tests change their
 * statuses), counting each call: pages of 100, `status` filtering as ListContainerInstances
 * does (without it, every instance but INACTIVE), DescribeContainerInstances by 100.
 */
export function countingInstanceSource(instances: ContainerInstanceState[]) {
  const calls = { pages: 0, filtered: 0, described: 0 };
  const source: InstanceSource = {
    listPage: async (nextToken, status) => {
      calls.pages++;
      const listed = instances.filter((i) => (status === undefined ? i.status !== 'INACTIVE' : i.status === status));
      const from = Number(nextToken ?? 0);
      return { arns: listed.slice(from, from + 100).map((i) => i.arn), ...(from + 100 < listed.length ? { nextToken: String(from + 100) } : {}) };
    },
    listFiltered: async (ids) => {
      calls.filtered++;
      return instances.filter((i) => ids.includes(i.ec2InstanceId)).map((i) => i.arn);
    },
    describe: async (arns) => {
      calls.described += Math.ceil(arns.length / 100);
      return instances.filter((i) => arns.includes(i.arn)).map((i) => ({ ...i }));
    },
  };
  return { calls, source, reset: () => Object.assign(calls, { pages: 0, filtered: 0, described: 0 }) };
}
