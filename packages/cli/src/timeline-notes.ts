import { Logger } from '@aws-lambda-powertools/logger';

type LogArgs = Parameters<Logger['info']>;

/**
 * A Powertools Logger that also keeps, for the simulator's timeline, what a run decided but
 * did not do: every skipped signal with the reason `decide` gave (the same text `plan`
 * prints), every plan warning, drift, quarantined records and batches sent back. The
 * handlers log these records already; nothing is added to their code. `take()` returns
 * the lines since the last call, in order, repeated reasons counted once with "×N".
 */
export class TimelineNotesLogger extends Logger {
  #lines: string[] = [];

  take(): string[] {
    const counted = new Map<string, number>();
    for (const line of this.#lines) counted.set(line, (counted.get(line) ?? 0) + 1);
    this.#lines = [];
    return [...counted].map(([line, n]) => (n > 1 ? `${line} (×${n})` : line));
  }

  override info(input: LogArgs[0], ...extra: LogArgs[1][]): void {
    this.#note([input, ...extra] as unknown as LogArgs);
    super.info(input, ...(extra as []));
  }

  override warn(input: LogArgs[0], ...extra: LogArgs[1][]): void {
    this.#note([input, ...extra] as unknown as LogArgs);
    super.warn(input, ...(extra as []));
  }

  override error(input: LogArgs[0], ...extra: LogArgs[1][]): void {
    this.#note([input, ...extra] as unknown as LogArgs);
    super.error(input, ...(extra as []));
  }

  #note([message, ...extra]: LogArgs): void {
    const fields = Object.assign({}, ...extra.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null && !(e instanceof Error))) as Record<string, unknown>;
    const decision = fields.decision as { skipped?: unknown } | string | undefined;
    if (typeof decision === 'object' && decision !== null && Array.isArray(decision.skipped)) {
      for (const reason of decision.skipped) this.#lines.push(`skipped: ${String(reason)}`);
    }
    if (decision === 'warning') this.#lines.push(`warning: ${String(fields.warning)}`);
    else if (decision === 'drift') this.#lines.push(`drift: ${String(message)} (${String(fields.cluster ?? '')}/${String(fields.service ?? '')})`);
    else if (decision === 'quarantine') this.#lines.push(`quarantined: ${String(fields.error)}`);
    else if (decision === 'retry') this.#lines.push(`retry: ${String(message)}${fields.error ? ` (${String(fields.error)})` : ''}`);
  }
}
