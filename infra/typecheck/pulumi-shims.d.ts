// Declarations that stand in for @pulumi/pulumi and @pulumi/aws in the offline type-check
// of sst.config.ts and infra/components (see ./sst-env.ts). `sst install` downloads those
// packages (about 300 MB) from the npm registry, so a fresh clone has no copy of them.
//
// - @pulumi/pulumi: Input, Output and Unwrap are the real definitions (pulumi 3.215,
//   output.d.ts, Apache-2.0); the rest is loose on purpose (any where unsure), so the
//   check never fails on a mistake of this file.
// - @pulumi/aws: only the resources and functions infra/components uses, with the argument
//   names of @pulumi/aws 7.20.0 (the version SST 4.17.1 pins). Anything else SST's own
//   sources import from it is missing here and types as `any`.
// `npm run typecheck:sst -w infra` checks against the real packages when the network is there.

declare module '@pulumi/pulumi' {
  export type Input<T> = T | Promise<T> | OutputInstance<T>;
  export type Inputs = Record<string, Input<any>>;
  export type Unwrap<T> = T extends Promise<infer U1>
    ? UnwrapSimple<U1>
    : T extends OutputInstance<infer U2>
      ? UnwrapSimple<U2>
      : UnwrapSimple<T>;
  type primitive = Function | string | number | boolean | undefined | null;
  export type UnwrapSimple<T> = T extends primitive
    ? T
    : T extends Resource
      ? T
      : T extends [any, ...any[]]
        ? UnwrappedObject<T>
        : T extends Array<infer U>
          ? UnwrappedArray<U>
          : T extends object
            ? UnwrappedObject<T>
            : never;
  export type UnwrappedArray<T> = Array<Unwrap<T>>;
  export type UnwrappedObject<T> = { [P in keyof T]: Unwrap<T[P]> };
  export interface OutputInstance<T> {
    apply<U>(func: (t: T) => Promise<U>): Output<U>;
    apply<U>(func: (t: T) => OutputInstance<U>): Output<U>;
    apply<U>(func: (t: T) => U): Output<U>;
    get(): T;
  }
  export type Output<T> = OutputInstance<T> & Lifted<T>;
  export const Output: { create<T>(val: Input<T>): Output<Unwrap<T>>; isInstance<T>(obj: any): obj is Output<T> };
  export type Lifted<T> = T extends string
    ? LiftedObject<String, NonFunctionPropertyNames<String>>
    : T extends Array<infer U>
      ? { readonly [n: number]: Output<U>; readonly length: Output<number> }
      : T extends object
        ? LiftedObject<T, NonFunctionPropertyNames<T>>
        : {};
  type NonFunctionPropertyNames<T> = { [K in keyof T]: T[K] extends Function ? never : K }[keyof T];
  export type LiftedObject<T, K extends keyof T> = {
    [P in K]: T[P] extends OutputInstance<infer T1> ? Output<T1> : T[P] extends Promise<infer T2> ? Output<T2> : Output<T[P]>;
  };

  export function output<T>(val: Input<T>): Output<Unwrap<T>>;
  export function all<T1, T2, T3, T4, T5, T6, T7, T8>(values: [Input<T1>, Input<T2>, Input<T3>, Input<T4>, Input<T5>, Input<T6>, Input<T7>, Input<T8>]): Output<[Unwrap<T1>, Unwrap<T2>, Unwrap<T3>, Unwrap<T4>, Unwrap<T5>, Unwrap<T6>, Unwrap<T7>, Unwrap<T8>]>;
  export function all<T1, T2, T3, T4, T5, T6, T7>(values: [Input<T1>, Input<T2>, Input<T3>, Input<T4>, Input<T5>, Input<T6>, Input<T7>]): Output<[Unwrap<T1>, Unwrap<T2>, Unwrap<T3>, Unwrap<T4>, Unwrap<T5>, Unwrap<T6>, Unwrap<T7>]>;
  export function all<T1, T2, T3, T4, T5, T6>(values: [Input<T1>, Input<T2>, Input<T3>, Input<T4>, Input<T5>, Input<T6>]): Output<[Unwrap<T1>, Unwrap<T2>, Unwrap<T3>, Unwrap<T4>, Unwrap<T5>, Unwrap<T6>]>;
  export function all<T1, T2, T3, T4, T5>(values: [Input<T1>, Input<T2>, Input<T3>, Input<T4>, Input<T5>]): Output<[Unwrap<T1>, Unwrap<T2>, Unwrap<T3>, Unwrap<T4>, Unwrap<T5>]>;
  export function all<T1, T2, T3, T4>(values: [Input<T1>, Input<T2>, Input<T3>, Input<T4>]): Output<[Unwrap<T1>, Unwrap<T2>, Unwrap<T3>, Unwrap<T4>]>;
  export function all<T1, T2, T3>(values: [Input<T1>, Input<T2>, Input<T3>]): Output<[Unwrap<T1>, Unwrap<T2>, Unwrap<T3>]>;
  export function all<T1, T2>(values: [Input<T1>, Input<T2>]): Output<[Unwrap<T1>, Unwrap<T2>]>;
  export function all<T>(ds: Input<T>[]): Output<Unwrap<T>[]>;
  export function interpolate(literals: TemplateStringsArray, ...placeholders: Input<any>[]): Output<string>;
  export function concat(...params: Input<any>[]): Output<string>;
  export function jsonStringify(obj: Input<any>, replacer?: any, space?: string | number): Output<string>;
  export function jsonParse(text: Input<string>, reviver?: any): Output<any>;
  export function secret<T>(val: Input<T>): Output<Unwrap<T>>;

  export class Resource {
    readonly urn: Output<string>;
  }
  export class CustomResource extends Resource {
    readonly id: Output<string>;
    constructor(t: string, name: string, props?: Inputs, opts?: CustomResourceOptions);
  }
  export class ComponentResource<TData = any> extends Resource {
    constructor(type: string, name: string, args?: Inputs, opts?: ComponentResourceOptions, remote?: boolean);
    protected registerOutputs(outputs?: Inputs | Promise<Inputs> | Output<Inputs>): void;
  }
  export interface ResourceOptions {
    id?: Input<string>;
    parent?: Resource;
    dependsOn?: Input<Input<Resource>[]> | Input<Resource>;
    protect?: boolean;
    ignoreChanges?: string[];
    retainOnDelete?: boolean;
    aliases?: any[];
    provider?: any;
    transformations?: any[];
    transforms?: any[];
    version?: string;
    [key: string]: any;
  }
  export interface CustomResourceOptions extends ResourceOptions {
    deleteBeforeReplace?: boolean;
    replaceOnChanges?: string[];
  }
  export interface ComponentResourceOptions extends ResourceOptions {
    providers?: any;
  }
  export interface InvokeOptions {
    [key: string]: any;
  }
  export interface InvokeOutputOptions extends InvokeOptions {}
  export const runtime: any;
  export const asset: any;
  export const log: any;
  export const dynamic: any;
  export const automation: any;
  export class Config {
    constructor(name?: string);
    get(key: string): string | undefined;
    require(key: string): string;
  }
  export class StackReference extends CustomResource {}
  export function getStack(): string;
  export function getProject(): string;
  export function getOrganization(): string;
  export function isSecret<T>(val: Output<T>): Promise<boolean>;
  export function unsecret<T>(val: Output<T>): Output<T>;
}

declare module '@pulumi/aws' {
  import type { CustomResource, CustomResourceOptions, Input, InvokeOutputOptions, Output } from '@pulumi/pulumi';

  export function getCallerIdentityOutput(args?: {}, opts?: InvokeOutputOptions): Output<{ readonly accountId: string; readonly arn: string; readonly id: string; readonly userId: string }>;
  export function getRegionOutput(args?: { region?: Input<string> }, opts?: InvokeOutputOptions): Output<{ readonly description: string; readonly endpoint: string; readonly id: string; readonly name: string; readonly region: string }>;
  export function getPartitionOutput(args?: {}, opts?: InvokeOutputOptions): Output<{ readonly dnsSuffix: string; readonly id: string; readonly partition: string; readonly reverseDnsPrefix: string }>;

  type Tags = Input<{ [key: string]: Input<string> }>;

  export namespace dynamodb {
    interface TableArgs {
      attributes?: Input<Input<{ name: Input<string>; type: Input<string> }>[]>;
      billingMode?: Input<string>;
      deletionProtectionEnabled?: Input<boolean>;
      globalSecondaryIndexes?: Input<any[]>;
      hashKey?: Input<string>;
      localSecondaryIndexes?: Input<any[]>;
      name?: Input<string>;
      pointInTimeRecovery?: Input<{ enabled: Input<boolean>; recoveryPeriodInDays?: Input<number> }>;
      rangeKey?: Input<string>;
      readCapacity?: Input<number>;
      region?: Input<string>;
      serverSideEncryption?: Input<{ enabled: Input<boolean>; kmsKeyArn?: Input<string> }>;
      streamEnabled?: Input<boolean>;
      streamViewType?: Input<string>;
      tableClass?: Input<string>;
      tags?: Tags;
      ttl?: Input<{ attributeName?: Input<string>; enabled?: Input<boolean> }>;
      writeCapacity?: Input<number>;
    }
    class Table extends CustomResource {
      constructor(name: string, args?: TableArgs, opts?: CustomResourceOptions);
      readonly arn: Output<string>;
      readonly name: Output<string>;
    }
  }

  export namespace sqs {
    interface QueuePolicyArgs {
      policy: Input<string>;
      queueUrl: Input<string>;
      region?: Input<string>;
    }
    class QueuePolicy extends CustomResource {
      constructor(name: string, args: QueuePolicyArgs, opts?: CustomResourceOptions);
      readonly policy: Output<string>;
      readonly queueUrl: Output<string>;
    }
    interface QueueArgs {
      contentBasedDeduplication?: Input<boolean>;
      deduplicationScope?: Input<string>;
      delaySeconds?: Input<number>;
      fifoQueue?: Input<boolean>;
      fifoThroughputLimit?: Input<string>;
      kmsDataKeyReusePeriodSeconds?: Input<number>;
      kmsMasterKeyId?: Input<string>;
      maxMessageSize?: Input<number>;
      messageRetentionSeconds?: Input<number>;
      name?: Input<string>;
      namePrefix?: Input<string>;
      policy?: Input<string>;
      receiveWaitTimeSeconds?: Input<number>;
      redriveAllowPolicy?: Input<string>;
      redrivePolicy?: Input<string>;
      region?: Input<string>;
      sqsManagedSseEnabled?: Input<boolean>;
      tags?: Tags;
      visibilityTimeoutSeconds?: Input<number>;
    }
    class Queue extends CustomResource {
      constructor(name: string, args?: QueueArgs, opts?: CustomResourceOptions);
      readonly arn: Output<string>;
      readonly name: Output<string>;
      readonly url: Output<string>;
    }
  }

  export namespace cloudwatch {
    interface EventRuleArgs {
      description?: Input<string>;
      eventBusName?: Input<string>;
      eventPattern?: Input<string>;
      forceDestroy?: Input<boolean>;
      isEnabled?: Input<boolean>;
      name?: Input<string>;
      namePrefix?: Input<string>;
      region?: Input<string>;
      roleArn?: Input<string>;
      scheduleExpression?: Input<string>;
      state?: Input<string>;
      tags?: Tags;
    }
    class EventRule extends CustomResource {
      constructor(name: string, args?: EventRuleArgs, opts?: CustomResourceOptions);
      readonly arn: Output<string>;
      readonly name: Output<string>;
    }
    interface EventTargetArgs {
      arn: Input<string>;
      deadLetterConfig?: Input<{ arn?: Input<string> }>;
      eventBusName?: Input<string>;
      forceDestroy?: Input<boolean>;
      input?: Input<string>;
      inputPath?: Input<string>;
      region?: Input<string>;
      retryPolicy?: Input<{ maximumEventAgeInSeconds?: Input<number>; maximumRetryAttempts?: Input<number> }>;
      roleArn?: Input<string>;
      rule: Input<string>;
      sqsTarget?: Input<{ messageGroupId?: Input<string> }>;
      targetId?: Input<string>;
    }
    class EventTarget extends CustomResource {
      constructor(name: string, args: EventTargetArgs, opts?: CustomResourceOptions);
      readonly arn: Output<string>;
      readonly rule: Output<string>;
    }
    interface MetricAlarmArgs {
      actionsEnabled?: Input<boolean>;
      alarmActions?: Input<Input<string>[]>;
      alarmDescription?: Input<string>;
      comparisonOperator: Input<string>;
      datapointsToAlarm?: Input<number>;
      dimensions?: Input<{ [key: string]: Input<string> }>;
      evaluateLowSampleCountPercentiles?: Input<string>;
      evaluationPeriods: Input<number>;
      extendedStatistic?: Input<string>;
      insufficientDataActions?: Input<Input<string>[]>;
      metricName?: Input<string>;
      name?: Input<string>;
      namespace?: Input<string>;
      okActions?: Input<Input<string>[]>;
      period?: Input<number>;
      region?: Input<string>;
      statistic?: Input<string>;
      tags?: Tags;
      threshold?: Input<number>;
      thresholdMetricId?: Input<string>;
      treatMissingData?: Input<string>;
      unit?: Input<string>;
    }
    class MetricAlarm extends CustomResource {
      constructor(name: string, args: MetricAlarmArgs, opts?: CustomResourceOptions);
      readonly arn: Output<string>;
      readonly name: Output<string>;
    }
  }

  export namespace lambda {
    // Only the attributes SST's Function component exposes to the app; SST creates it.
    class Function extends CustomResource {
      constructor(name: string, args: any, opts?: CustomResourceOptions);
      readonly arn: Output<string>;
      readonly name: Output<string>;
      readonly invokeArn: Output<string>;
      readonly qualifiedArn: Output<string>;
      readonly version: Output<string>;
      readonly role: Output<string>;
    }
    interface PermissionArgs {
      action: Input<string>;
      eventSourceToken?: Input<string>;
      function: Input<string | Function>;
      functionUrlAuthType?: Input<string>;
      principal: Input<string>;
      principalOrgId?: Input<string>;
      qualifier?: Input<string>;
      region?: Input<string>;
      sourceAccount?: Input<string>;
      sourceArn?: Input<string>;
      statementId?: Input<string>;
      statementIdPrefix?: Input<string>;
    }
    class Permission extends CustomResource {
      constructor(name: string, args: PermissionArgs, opts?: CustomResourceOptions);
      readonly function: Output<string>;
      readonly statementId: Output<string>;
    }
    interface FunctionEventInvokeConfigArgs {
      functionName: Input<string>;
      destinationConfig?: Input<{ onFailure?: Input<{ destination: Input<string> }>; onSuccess?: Input<{ destination: Input<string> }> }>;
      maximumEventAgeInSeconds?: Input<number>;
      maximumRetryAttempts?: Input<number>;
      qualifier?: Input<string>;
      region?: Input<string>;
    }
    class FunctionEventInvokeConfig extends CustomResource {
      constructor(name: string, args: FunctionEventInvokeConfigArgs, opts?: CustomResourceOptions);
      readonly functionName: Output<string>;
    }
    // SST's Queue.subscribe creates it; the app reaches its args through subscribe's transform.
    interface EventSourceMappingArgs {
      functionName: Input<string>;
      eventSourceArn?: Input<string>;
      batchSize?: Input<number>;
      maximumBatchingWindowInSeconds?: Input<number>;
      functionResponseTypes?: Input<Input<string>[]>;
      filterCriteria?: Input<{ filters?: Input<Input<{ pattern?: Input<string> }>[]> }>;
      scalingConfig?: Input<{ maximumConcurrency?: Input<number> }>;
      enabled?: Input<boolean>;
      region?: Input<string>;
    }
    class EventSourceMapping extends CustomResource {
      constructor(name: string, args: EventSourceMappingArgs, opts?: CustomResourceOptions);
      readonly arn: Output<string>;
      readonly uuid: Output<string>;
    }
  }

  export namespace ssm {
    interface ParameterArgs {
      name?: Input<string>;
      type: Input<string>;
      value?: Input<string>;
      description?: Input<string>;
      tier?: Input<string>;
      allowedPattern?: Input<string>;
      overwrite?: Input<boolean>;
      tags?: Input<Record<string, Input<string>>>;
    }
    class Parameter extends CustomResource {
      constructor(name: string, args: ParameterArgs, opts?: CustomResourceOptions);
      readonly arn: Output<string>;
      readonly name: Output<string>;
      readonly value: Output<string>;
    }
  }

  export namespace sfn {
    interface StateMachineArgs {
      definition: Input<string>;
      loggingConfiguration?: Input<{ includeExecutionData?: Input<boolean>; level?: Input<string>; logDestination?: Input<string> }>;
      name?: Input<string>;
      namePrefix?: Input<string>;
      publish?: Input<boolean>;
      region?: Input<string>;
      roleArn: Input<string>;
      tags?: Tags;
      tracingConfiguration?: Input<{ enabled?: Input<boolean> }>;
      type?: Input<string>;
    }
    class StateMachine extends CustomResource {
      constructor(name: string, args: StateMachineArgs, opts?: CustomResourceOptions);
      readonly arn: Output<string>;
      readonly name: Output<string>;
    }
  }

  export namespace iam {
    interface RoleArgs {
      assumeRolePolicy: Input<string>;
      description?: Input<string>;
      forceDetachPolicies?: Input<boolean>;
      managedPolicyArns?: Input<Input<string>[]>;
      maxSessionDuration?: Input<number>;
      name?: Input<string>;
      namePrefix?: Input<string>;
      path?: Input<string>;
      permissionsBoundary?: Input<string>;
      tags?: Tags;
    }
    class Role extends CustomResource {
      constructor(name: string, args: RoleArgs, opts?: CustomResourceOptions);
      readonly arn: Output<string>;
      readonly name: Output<string>;
    }
    interface RolePolicyArgs {
      name?: Input<string>;
      namePrefix?: Input<string>;
      policy: Input<string>;
      role: Input<string | Role>;
    }
    class RolePolicy extends CustomResource {
      constructor(name: string, args: RolePolicyArgs, opts?: CustomResourceOptions);
      readonly name: Output<string>;
    }
  }
}
