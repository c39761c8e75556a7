// Step Functions (standard) keeps at most 25,000 events in an execution's history; past that
// the execution fails. These are the events each state type writes when it runs once
// (Developer Guide, "History events"): a Lambda Task by function ARN writes TaskStateEntered,
// LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionSucceeded, TaskStateExited;
// a .waitForTaskToken Task writes TaskStateEntered, TaskScheduled, TaskStarted, TaskSubmitted,
// TaskSucceeded, TaskStateExited; Wait, Choice, Pass and Succeed write Entered and Exited; Fail
// writes Entered. A retry adds LambdaFunctionFailed, LambdaFunctionScheduled and
// LambdaFunctionStarted.

export const HISTORY_EVENT_LIMIT = 25_000;

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

export interface HistoryShape {
  steps: number;
  /** Most polls of one deployment before it times out (ceil(timeout / poll)). */
  pollsPerDeployment: number;
  manualApproval: boolean;
  /** Alarm pauses resumed by the operator over the whole rollout. */
  resumes?: number;
  /** Transient failures retried over the whole rollout. */
  retries?: number;
}

/**
 * The most history events a rollout of this shape can write: every deployment (and the
 * rollback's) polled to the limit, the last step failing its bake and rolling back. Bakes
 * are single Wait states, so their length does not count.
 */
export function worstCaseHistoryEvents(shape: HistoryShape): number {
  const { Task, TaskToken, Wait, Choice, Pass, Fail } = EVENTS_PER_STATE;
  const poll = Wait + Task + Choice;
  const start = 1 + Task + Choice; // ExecutionStarted, Plan, IsDryRun
  const perStep =
    Choice + Choice + (shape.manualApproval ? TaskToken : 0) + Task + shape.pollsPerDeployment * poll + Wait + Task + Choice + Pass;
  const perResume = TaskToken + Task + Wait + Task + Choice;
  // The last step fails its bake: AlarmFailed, Rollback, the rollback's polls, Fail, ExecutionFailed.
  const rollback = Pass + Task + shape.pollsPerDeployment * poll + Fail + 1;
  return start + shape.steps * perStep - Pass + rollback + (shape.resumes ?? 0) * perResume + (shape.retries ?? 0) * EVENTS_PER_RETRY;
}
