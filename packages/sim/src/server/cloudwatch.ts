import { SimApiError } from '../errors.js';
import type { Simulation } from '../model/simulation.js';
import { compact, epochSeconds, optionalInteger, optionalString, paginate, readTimestamp, stringList, type Input } from './protocol.js';

/**
 * `X-Amz-Target` prefix of CloudWatch. The installed @aws-sdk/client-cloudwatch (3.11xx) speaks
 * AWS JSON 1.0 with `awsQueryCompatible` (content-type application/x-amz-json-1.0, header
 * `x-amzn-query-mode: true`), not the older awsQuery form encoding; members keep their
 * PascalCase names and timestamps are epoch seconds.
 */
export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.';

type Handler = (sim: Simulation, input: Input) => unknown;

function records(input: Input, fallback: number): number {
  const n = optionalInteger(input, 'MaxRecords', 'InvalidParameterValue');
  if (n === undefined) return fallback;
  if (n < 1 || n > 100) throw new SimApiError('InvalidParameterValue', 'MaxRecords must be between 1 and 100.');
  return n;
}

const HANDLERS: Readonly<Record<string, Handler>> = {
  DescribeAlarms(sim, input) {
    const names = stringList(input, 'AlarmNames', 'InvalidParameterValue');
    const prefix = optionalString(input, 'AlarmNamePrefix', 'InvalidParameterValue');
    if (names && names.length > 100) throw new SimApiError('InvalidParameterValue', 'AlarmNames can have at most 100 items.');
    if (names && prefix !== undefined) {
      throw new SimApiError('InvalidParameterCombination', 'AlarmNames and AlarmNamePrefix cannot be used together.');
    }
    const state = optionalString(input, 'StateValue', 'InvalidParameterValue');
    const types = stringList(input, 'AlarmTypes', 'InvalidParameterValue');
    const alarms =
      types && !types.includes('MetricAlarm')
        ? []
        : [...sim.alarms.alarms.values()]
            .filter((a) => !names || names.includes(a.name))
            .filter((a) => prefix === undefined || a.name.startsWith(prefix))
            .filter((a) => state === undefined || a.state === state)
            .sort((a, b) => a.name.localeCompare(b.name));
    const { page, nextToken } = paginate(alarms, {
      maxResults: records(input, 50),
      nextToken: optionalString(input, 'NextToken', 'InvalidNextToken'),
      query: `alarms|${(names ?? []).join(',')}|${prefix ?? ''}|${state ?? ''}`,
      errorCode: 'InvalidNextToken',
    });
    return compact({
      CompositeAlarms: [],
      MetricAlarms: page.map((a) => ({
        AlarmName: a.name,
        AlarmArn: a.arn,
        AlarmDescription: 'simulated alarm',
        AlarmConfigurationUpdatedTimestamp: epochSeconds(sim.clock.start),
        ActionsEnabled: true,
        OKActions: [],
        AlarmActions: [],
        InsufficientDataActions: [],
        StateValue: a.state,
        StateReason: a.reason,
        StateUpdatedTimestamp: epochSeconds(a.updatedAt),
        StateTransitionedTimestamp: epochSeconds(a.updatedAt),
        MetricName: a.name,
        Namespace: 'Simulated',
        Statistic: 'Sum',
        Dimensions: [],
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      })),
      NextToken: nextToken,
    });
  },

  DescribeAlarmHistory(sim, input) {
    const name = optionalString(input, 'AlarmName', 'InvalidParameterValue');
    const type = optionalString(input, 'HistoryItemType', 'InvalidParameterValue');
    const start = readTimestamp(input.StartDate, 'StartDate');
    const end = readTimestamp(input.EndDate, 'EndDate');
    const scanBy = optionalString(input, 'ScanBy', 'InvalidParameterValue') ?? 'TimestampDescending';
    const types = stringList(input, 'AlarmTypes', 'InvalidParameterValue');
    const items =
      (type !== undefined && type !== 'StateUpdate') || (types && !types.includes('MetricAlarm'))
        ? []
        : sim.alarms.history
            .filter((h) => name === undefined || h.alarmName === name)
            .filter((h) => start === undefined || h.timestamp >= start)
            .filter((h) => end === undefined || h.timestamp <= end)
            .sort((a, b) => (scanBy === 'TimestampAscending' ? a.timestamp - b.timestamp : b.timestamp - a.timestamp));
    const { page, nextToken } = paginate(items, {
      maxResults: records(input, 100),
      nextToken: optionalString(input, 'NextToken', 'InvalidNextToken'),
      query: `history|${name ?? ''}|${type ?? ''}|${start ?? ''}|${end ?? ''}|${scanBy}`,
      errorCode: 'InvalidNextToken',
    });
    return compact({
      AlarmHistoryItems: page.map((h) => ({
        AlarmName: h.alarmName,
        AlarmType: 'MetricAlarm',
        Timestamp: epochSeconds(h.timestamp),
        HistoryItemType: 'StateUpdate',
        HistorySummary: `Alarm updated from ${h.oldState} to ${h.newState}`,
        HistoryData: JSON.stringify({
          version: '1.0',
          oldState: { stateValue: h.oldState, stateReason: h.oldReason },
          newState: { stateValue: h.newState, stateReason: h.newReason },
        }),
      })),
      NextToken: nextToken,
    });
  },
};

/** Runs one CloudWatch action (counted; CloudWatch is not throttled by the simulator). */
export function handleCloudWatch(sim: Simulation, action: string, input: Input): unknown {
  sim.recordApiCall(action, false);
  const handler = HANDLERS[action];
  if (!handler) throw new SimApiError('UnknownOperationException', `The simulator does not implement CloudWatch ${action}.`);
  return handler(sim, input);
}
