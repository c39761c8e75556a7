/** Builds and reads the ARNs ECS uses (the long ARN format, with the cluster in the path). */
export class ArnFormat {
  constructor(
    readonly region: string,
    readonly account: string,
  ) {}

  #ecs(resource: string): string {
    return `arn:aws:ecs:${this.region}:${this.account}:${resource}`;
  }

  cluster(name: string): string {
    return this.#ecs(`cluster/${name}`);
  }
  service(cluster: string, name: string): string {
    return this.#ecs(`service/${cluster}/${name}`);
  }
  task(cluster: string, id: string): string {
    return this.#ecs(`task/${cluster}/${id}`);
  }
  containerInstance(cluster: string, id: string): string {
    return this.#ecs(`container-instance/${cluster}/${id}`);
  }
  capacityProvider(name: string): string {
    return this.#ecs(`capacity-provider/${name}`);
  }
  taskDefinition(family: string, revision: number): string {
    return this.#ecs(`task-definition/${family}:${revision}`);
  }
  ec2Instance(id: string): string {
    return `arn:aws:ec2:${this.region}:${this.account}:instance/${id}`;
  }
  alarm(name: string): string {
    return `arn:aws:cloudwatch:${this.region}:${this.account}:alarm:${name}`;
  }
  autoScalingGroup(name: string): string {
    return `arn:aws:autoscaling:${this.region}:${this.account}:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/${name}`;
  }
}

/** The parts of an ECS ARN's resource path: `service/CLUSTER/NAME` gives {type: 'service', path: ['CLUSTER', 'NAME']}. */
export function parseEcsArn(arn: string): { type: string; path: string[] } | undefined {
  const m = /^arn:aws[a-z-]*:ecs:[^:]*:[^:]*:([a-z-]+)\/(.+)$/.exec(arn);
  if (!m?.[1] || !m[2]) return undefined;
  return { type: m[1], path: m[2].split('/') };
}

/** Accepts a short name or an ARN of `type`, returning the last path segment (the name or id). */
export function nameFromIdentifier(identifier: string, type: string): string {
  if (!identifier.startsWith('arn:')) return identifier;
  const parsed = parseEcsArn(identifier);
  if (!parsed || parsed.type !== type) return identifier;
  return parsed.path[parsed.path.length - 1] ?? identifier;
}
