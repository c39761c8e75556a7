// ARN builders for the resources the rebalancer's IAM statements and rule patterns name.
// Formats: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-account-settings.html#ecs-resource-ids
// (the long ARN format, which carries the cluster name in service, task and container-instance
// ARNs; ECS made it the default in 2021 and tagging services requires it).

/** Where the app is deployed: every ARN it scopes to lives in this account and region. */
export interface AccountScope {
  partition: string;
  region: string;
  account: string;
}

function ecs(scope: AccountScope, resource: string): string {
  return `arn:${scope.partition}:ecs:${scope.region}:${scope.account}:${resource}`;
}

export function clusterArn(scope: AccountScope, cluster: string): string {
  return ecs(scope, `cluster/${cluster}`);
}

export function containerInstancesArn(scope: AccountScope, cluster: string): string {
  return ecs(scope, `container-instance/${cluster}/*`);
}

export function servicesArn(scope: AccountScope, cluster: string): string {
  return ecs(scope, `service/${cluster}/*`);
}

export function tasksArn(scope: AccountScope, cluster: string): string {
  return ecs(scope, `task/${cluster}/*`);
}

/** Capacity providers are account-level resources: their ARN names no cluster. */
export function capacityProvidersArn(scope: AccountScope): string {
  return ecs(scope, 'capacity-provider/*');
}

export function alarmsArn(scope: AccountScope): string {
  return `arn:${scope.partition}:cloudwatch:${scope.region}:${scope.account}:alarm:*`;
}

/** An SSM parameter; `name` starts with `/` for a path parameter (the ARN then holds it once). */
export function ssmParameterArn(scope: AccountScope, name: string): string {
  return `arn:${scope.partition}:ssm:${scope.region}:${scope.account}:parameter/${name.replace(/^\//, '')}`;
}

/** One alarm by name. */
export function alarmArn(scope: AccountScope, name: string): string {
  return `arn:${scope.partition}:cloudwatch:${scope.region}:${scope.account}:alarm:${name}`;
}

/** One service by name (long ARN format). */
export function serviceArn(scope: AccountScope, cluster: string, service: string): string {
  return ecs(scope, `service/${cluster}/${service}`);
}

export function defaultBusArn(scope: AccountScope): string {
  return `arn:${scope.partition}:events:${scope.region}:${scope.account}:event-bus/default`;
}

export function ruleArn(scope: AccountScope, rule: string): string {
  return `arn:${scope.partition}:events:${scope.region}:${scope.account}:rule/${rule}`;
}

export function stateMachineArn(scope: AccountScope, name: string): string {
  return `arn:${scope.partition}:states:${scope.region}:${scope.account}:stateMachine:${name}`;
}

/** Every execution of the named state machine (execution ARNs carry the state machine's name). */
export function executionsArn(scope: AccountScope, stateMachineName: string): string {
  return `arn:${scope.partition}:states:${scope.region}:${scope.account}:execution:${stateMachineName}:*`;
}
