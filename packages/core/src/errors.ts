/** A JSON path in dotted form (`clusters.prod.providers.spot-arm64`, `detail.instance-id`). */
export type JsonPath = (string | number)[];

export function formatPath(path: readonly (string | number | symbol)[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
}

export interface Problem {
  path: string;
  message: string;
}

/** Input that does not have the documented shape. Names the JSON path of each problem. */
export class ValidationError extends Error {
  override name = 'ValidationError' as const;
  readonly problems: Problem[];
  constructor(what: string, problems: Problem[], options?: { cause?: unknown }) {
    super(`${what}: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`, options);
    this.problems = problems;
  }
}

/** An event that cannot be parsed: it will never parse, so it is quarantined, not retried. */
export class MalformedEventError extends Error {
  override name = 'MalformedEventError' as const;
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(path ? `${path}: ${message}` : message, options);
    this.path = path;
  }
}

/** A rollout input or state that cannot be planned. */
export class RolloutInputError extends Error {
  override name = 'RolloutInputError' as const;
  readonly path: string;
  constructor(path: string, message: string) {
    super(path ? `${path}: ${message}` : message);
    this.path = path;
  }
}
