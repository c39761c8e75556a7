import { stringRead } from './validate.js';

// ECS ARNs: arn:PARTITION:ecs:REGION:ACCOUNT:RESOURCE-TYPE/... in the partitions aws, aws-cn, aws-us-gov.
const ECS_ARN_PREFIX = String.raw`^arn:aws(?:-[a-z]+)*:ecs:[a-z0-9-]+:\d{12}:`;

const CLUSTER_ARN = new RegExp(`${ECS_ARN_PREFIX}cluster/([^/]+)$`);
// Services created before the long-ARN format (2018-2021 opt-in) have `service/NAME`; newer ones `service/CLUSTER/NAME`.
const SERVICE_ARN = new RegExp(`${ECS_ARN_PREFIX}service/(?:[^/]+/)?([^/]+)$`);
const CAPACITY_PROVIDER_ARN = new RegExp(`${ECS_ARN_PREFIX}capacity-provider/([^/]+)$`);

/** The cluster name in `arn:aws:ecs:REGION:ACCOUNT:cluster/NAME`, or undefined when it is not one. */
export function clusterNameFromArn(arn: string): string | undefined {
  return CLUSTER_ARN.exec(arn)?.[1];
}

/** The service name in `…:service/NAME` or `…:service/CLUSTER/NAME`, or undefined when it is not one. */
export function serviceNameFromArn(arn: string): string | undefined {
  return SERVICE_ARN.exec(arn)?.[1];
}

/** The capacity provider name in `…:capacity-provider/NAME`, or undefined when it is not one. */
export function capacityProviderNameFromArn(arn: string): string | undefined {
  return CAPACITY_PROVIDER_ARN.exec(arn)?.[1];
}

export const clusterArnSchema = stringRead(clusterNameFromArn, 'expected an ECS cluster ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME)');

export const serviceArnSchema = stringRead(serviceNameFromArn, 'expected an ECS service ARN (arn:aws:ecs:REGION:ACCOUNT:service/[CLUSTER/]NAME)');

export const capacityProviderArnSchema = stringRead(capacityProviderNameFromArn, 'expected an ECS capacity provider ARN (arn:aws:ecs:REGION:ACCOUNT:capacity-provider/NAME)');
