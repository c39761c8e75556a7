// Plain-text tables for benchmark output: readable in a terminal and in a CI log.

export type Cell = string | number;

/** Renders rows under headers; numbers (and cells that look like figures) are right-aligned. */
export function formatTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => headers.map((_, i) => cellText(row[i])));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((row) => row[i]?.length ?? 0)));
  const right = headers.map((_, i) => rows.length > 0 && rows.every((row) => isFigure(row[i])));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (right[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}

function cellText(cell: Cell | undefined): string {
  if (cell === undefined) return '';
  return typeof cell === 'number' ? formatNumber(cell) : cell;
}

function isFigure(cell: Cell | undefined): boolean {
  return typeof cell === 'number' || (typeof cell === 'string' && /^[-+]?[\d.,]+\s*[a-zA-Zµ/%]*$/.test(cell)) || cell === '-' || cell === '';
}

/** A number with at most `digits` decimals and thousands separators: 12,345.6 */
export function formatNumber(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString('en-US', { maximumFractionDigits: Number.isInteger(n) ? 0 : digits });
}

/** Bytes in KiB / MiB with one decimal, or plain bytes below 1 KiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

/** A duration given in microseconds, shown in µs with one decimal: 1,808.9 µs */
export function formatMicros(us: number): string {
  return `${us.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} µs`;
}

/** A duration given in milliseconds, with one decimal: 42.5 ms */
export function formatMillis(ms: number): string {
  return `${ms.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} ms`;
}
