// CloudWatch Alarm State Change, in its two shapes.
// 1. EventBridge: source `aws.cloudwatch`, detail-type `CloudWatch Alarm State Change`
//    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html
//    Reads resources[0] (the alarm ARN), detail.alarmName, detail.state.value,
//    detail.state.timestamp, detail.previousState.value, detail.configuration.alarmRule and
//    detail.configuration.metrics[].expression.
// 2. Direct alarm action (the alarm invokes a Lambda function; no EventBridge envelope):
//    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions-Lambda.html
//    `{source: "aws.cloudwatch", alarmArn, accountId, time, region, alarmData: {…same as detail…}}`.
//    It has no `id` nor `detail-type`; its event id is `${alarmArn}@${alarmData.state.timestamp}`,
//    the timestamp as given, so a redelivery of the same transition has the same id.
// CloudWatch writes timestamps as `2019-10-02T17:04:40.989+0000`; signals carry them as ISO `…Z`.
// state.reasonData (JSON inside a string) is not read: it is absent for some alarms.
// A composite alarm has configuration.alarmRule instead of metrics; a metric-math alarm has
// entries with an `expression` among its metrics.
import * as z from 'zod/mini';
import { AlarmKind, AlarmStateValue } from '../model/index.js';
import type { AlarmSignal } from '../model/index.js';
import { signalBase } from './envelope.js';
import type { EventEnvelope, EventRegistryEntry } from './envelope.js';
import { checkShape, isoTimestamp, nonEmptyString, timestampSchema } from './validate.js';

const alarmStateValue = z.enum([AlarmStateValue.Ok, AlarmStateValue.Alarm, AlarmStateValue.InsufficientData]);

const alarmDataSchema = z.object({
  alarmName: nonEmptyString,
  state: z.object({ value: alarmStateValue, timestamp: timestampSchema }),
  previousState: z.optional(z.object({ value: z.optional(alarmStateValue) })),
  configuration: z.optional(
    z.object({
      alarmRule: z.optional(z.string()),
      metrics: z.optional(z.array(z.object({ expression: z.optional(z.string()) }))),
    }),
  ),
});
type AlarmData = z.output<typeof alarmDataSchema>;

const alarmActionSchema = z.object({
  source: z.literal('aws.cloudwatch'),
  alarmArn: nonEmptyString,
  accountId: z.optional(nonEmptyString),
  time: timestampSchema,
  region: z.optional(nonEmptyString),
  alarmData: alarmDataSchema,
});

/** Which kind of alarm the configuration describes: composite, metric math, or a single metric. */
export function alarmKindOf(configuration: AlarmData['configuration']): AlarmKind {
  if (configuration?.alarmRule !== undefined) return AlarmKind.Composite;
  if (configuration?.metrics?.some((m) => m.expression !== undefined)) return AlarmKind.MetricMath;
  return AlarmKind.Metric;
}

function alarmFields(data: AlarmData) {
  return {
    alarmName: data.alarmName,
    state: data.state.value,
    ...(data.previousState?.value !== undefined && { previousState: data.previousState.value }),
    stateTimestamp: isoTimestamp(data.state.timestamp),
    alarmKind: alarmKindOf(data.configuration),
  };
}

/**
 * Reads a CloudWatch Alarm State Change delivered by EventBridge into one `alarm` signal:
 * name, ARN (from `resources[0]` when present), new and previous state, the state's timestamp
 * as ISO, and the alarm kind (metric, metric-math or composite). Throws `MalformedEventError`
 * (for example `detail.state.value`) when the detail is malformed.
 */
export function parseAlarmStateChange(event: EventEnvelope): AlarmSignal[] {
  const data = checkShape(alarmDataSchema, event.detail, ['detail']);
  const alarmArn = event.resources[0];
  return [{ kind: 'alarm', ...signalBase(event), ...(alarmArn !== undefined && { alarmArn }), ...alarmFields(data) }];
}

/**
 * True when `raw` is the payload an alarm sends when it invokes a Lambda function directly:
 * `source` "aws.cloudwatch" with an `alarmData` object and no EventBridge `detail-type`.
 */
export function isAlarmActionPayload(raw: unknown): boolean {
  return (
    typeof raw === 'object' &&
    raw !== null &&
    !Array.isArray(raw) &&
    (raw as Record<string, unknown>)['source'] === 'aws.cloudwatch' &&
    'alarmData' in raw &&
    !('detail-type' in raw)
  );
}

/**
 * Reads the direct alarm-action payload into one `alarm` signal. It has no event id, so the
 * id is the alarm ARN and the state timestamp as given (`arn:…:alarm:NAME@2023-08-04T12:36:15.490+0000`):
 * the same transition delivered twice gets the same id. Throws `MalformedEventError` (for
 * example `alarmData.state.timestamp`) when the payload is malformed.
 */
export function parseAlarmAction(raw: unknown): AlarmSignal[] {
  const p = checkShape(alarmActionSchema, raw);
  return [
    {
      kind: 'alarm',
      eventId: `${p.alarmArn}@${p.alarmData.state.timestamp}`,
      time: isoTimestamp(p.time),
      ...(p.region !== undefined && { region: p.region }),
      ...(p.accountId !== undefined && { account: p.accountId }),
      alarmArn: p.alarmArn,
      ...alarmFields(p.alarmData),
    },
  ];
}

export const alarmStateChange = {
  source: 'aws.cloudwatch',
  detailType: 'CloudWatch Alarm State Change',
  parse: parseAlarmStateChange,
} as const satisfies EventRegistryEntry;
