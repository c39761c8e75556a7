import type { DecisionEvent, DecisionPublisher, Log, MetricsSink } from '../ports.js';
import type { ActionReport } from './apply-plan.js';

/**
 * Publishes one decision event per action and counts the actions by type and outcome. A lost
 * decision event is logged and counted, never retried through the queue: the action it
 * reports has been carried out, and carrying the record again would not bring the event back.
 */
export async function reportDecisions(
  reports: readonly ActionReport[],
  deps: { decisions: DecisionPublisher; metrics: MetricsSink; log: Log },
  context: { time: string; dryRun: boolean },
): Promise<void> {
  for (const r of reports) deps.metrics.count('Actions', 1, { Type: r.action.type, Outcome: r.outcome });
  if (reports.length === 0) return;
  const events: DecisionEvent[] = reports.map((r) => ({
    action: r.action,
    outcome: r.outcome,
    dryRun: context.dryRun,
    time: context.time,
    ...(r.problems.length > 0 ? { problems: r.problems } : {}),
  }));
  let failed: { event: DecisionEvent; reason: string }[];
  try {
    failed = (await deps.decisions.publish(events)).failed;
  } catch (error) {
    failed = events.map((event) => ({ event, reason: (error as Error).message }));
  }
  for (const { event, reason } of failed) {
    deps.log.error('decision event not published', { eventIds: event.action.eventIds, decision: event.action.type, outcome: event.outcome, reason });
  }
  if (failed.length > 0) deps.metrics.count('DecisionEventsFailed', failed.length);
}
