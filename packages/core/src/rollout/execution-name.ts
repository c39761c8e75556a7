// Step Functions execution names: 1–80 characters, no whitespace, no < > { } [ ] ? * " # % \ ^ |
// ~ ` $ & , ; : / and no control characters. A name can be reused only 90 days after its
// execution finished, so each rollout's name ends with its start time, and "is one running?"
// is answered by listing RUNNING executions and matching the per-service prefix.

const MAX_NAME = 80;
/** `-YYYYMMDDTHHMMSSZ` */
const SUFFIX_LENGTH = 17;

/**
 * The part of a rollout's execution name that depends only on the cluster and the service:
 * `rollout-<8 hex of FNV-1a(cluster/service)>-<cluster>.<service>`, the readable part cut so
 * that a timestamp suffix fits the 80-character limit (the hash keeps cut names distinct).
 * Characters Step Functions refuses become `_`.
 */
export function rolloutExecutionPrefix(cluster: string, service: string): string {
  const hash = fnv1a(`${cluster}/${service}`);
  const head = `rollout-${hash}-`;
  const readable = `${cluster}.${service}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  return head + readable.slice(0, MAX_NAME - SUFFIX_LENGTH - head.length);
}

/** The execution name of a rollout started at `startedAt` (ISO 8601): the prefix and `-20250101T000000Z`. */
export function rolloutExecutionName(cluster: string, service: string, startedAt: string): string {
  const stamp = new Date(Date.parse(startedAt)).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${rolloutExecutionPrefix(cluster, service)}-${stamp}`;
}

/** True when an execution name is a rollout of this cluster and service (by the prefix). */
export function isRolloutExecutionOf(name: string, cluster: string, service: string): boolean {
  return name.startsWith(`${rolloutExecutionPrefix(cluster, service)}-`);
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
