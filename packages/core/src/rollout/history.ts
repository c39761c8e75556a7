// Step Functions (standard) keeps at most 25,000 events in an execution's history; past that
// the execution fails. These are the events each state type writes when it runs once
// (Developer Guide, "History events"): a Lambda Task by function ARN writes TaskStateEntered,
// LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionSucceeded, TaskStateExited;
// a .waitForTaskToken Task writes TaskStateEntered, TaskScheduled, TaskStarted, TaskSubmitted,
// TaskSucceeded, TaskStateExited; Wait, Choice, Pass and Succeed write Entered and Exited; Fail
// writes Entered. A retry adds LambdaFunctionFailed, LambdaFunctionScheduled and
// LambdaFunctionStarted. The shape below is the one of ./definition.ts; a test
// there runs the definition and counts its events against `worstCaseHistoryEvents`.

export const HISTORY_EVENT_LIMIT = 25_000;
/** What a rollout the parser accepts may use at most, in the worst case: 80% of the limit. */
export const HISTORY_EVENT_BUDGET = HISTORY_EVENT_LIMIT * 0.8;

export const EVENTS_PER_STATE = {
  Task: 5,
  TaskToken: 6,
  Wait: 2,
  Choice: 2,
  Pass: 2,
  Succeed: 2,
  Fail: 1,
  Map: 2,
  Parallel: 2,
} as const;

export const EVENTS_PER_RETRY = 3;

/** Longest Wait of a bake while alarms are watched: an alarm entering ALARM stops the step within this. */
export const BAKE_WATCH_SECONDS = 60;
/** Times an operator may resume one rollout after an alarm pause (each resume bakes the step again). */
export const MAX_RESUMES = 3;
/** Transient failures a rollout's budget keeps room for (each retry writes three events). */
export const RETRY_RESERVE = 50;

export interface HistoryShape {
  steps: number;
  /** Most polls of one deployment before it times out (ceil(timeout / poll)). */
  pollsPerDeployment: number;
  /** Looks at the alarms in one bake: ceil(bake / 60) when alarms are watched, else 1. */
  bakeChecks: number;
  manualApproval: boolean;
  /** Alarm pauses resumed by the operator over the whole rollout. */
  resumes?: number;
  /** Transient failures retried over the whole rollout. */
  retries?: number;
}

/** How many times one bake of `bakeSeconds` looks at its alarms: every 60 s at most, once when there are none. */
export function bakeChecks(bakeSeconds: number, alarmCount: number): number {
  return alarmCount === 0 ? 1 : Math.max(1, Math.ceil(bakeSeconds / BAKE_WATCH_SECONDS));
}

/**
 * The most history events a rollout of this shape can write: every deployment (and the
 * rollback's) polled to the limit, every bake watched to its end, the last step failing at
 * the end of its bake and rolling back. A bake check (Wait, Task, Choice) costs 9 events, as
 * a deployment poll does.
 */
export function worstCaseHistoryEvents(shape: HistoryShape): number {
  const { Task, TaskToken, Wait, Choice, Pass, Fail } = EVENTS_PER_STATE;
  const poll = Wait + Task + Choice;
  const start = 1 + Task + Choice; // ExecutionStarted, Plan, IsDryRun
  const bake = shape.bakeChecks * poll;
  const perStep = Choice + Choice + (shape.manualApproval ? TaskToken : 0) + Task + shape.pollsPerDeployment * poll + bake + Pass;
  const perResume = TaskToken + Task + bake;
  // The last step fails its bake: no NextStep; AlarmFailed, Rollback, the rollback's polls, Fail, ExecutionFailed.
  const rollback = Pass + Task + shape.pollsPerDeployment * poll + Fail + 1;
  return start + shape.steps * perStep - Pass + rollback + (shape.resumes ?? 0) * perResume + (shape.retries ?? 0) * EVENTS_PER_RETRY;
}
