import type { Policy, Strategy } from '@ecs-rebalancer/core';
import { splitByStrategy } from '../model/placement.js';
import type { SimReport } from '../model/types.js';

/** One run to draw: its label (the rebalancer, a baseline) and what the simulator recorded. */
export interface ChartRun {
  label: string;
  report: SimReport;
}

/** What every chart of one report shares, so the runs are read on the same axes. */
export interface ChartScale {
  seconds: number;
  maxTasks: number;
  providers: string[];
}

export const PROVIDER_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f'];
const WIDTH = 1000;
const PANEL = 240;
const M = { left: 56, right: 30, top: 64, bottom: 40 };

/** The x span, y span and provider colours common to every run of a report. */
export function chartScale(runs: readonly ChartRun[], initialStrategies: ReadonlyMap<string, { desiredCount: number; strategy: Strategy }[]>): ChartScale {
  const providers = new Set<string>();
  let maxTasks = 1;
  let seconds = 1;
  for (const { report } of runs) {
    seconds = Math.max(seconds, report.elapsedSeconds);
    for (const [cluster, samples] of Object.entries(report.running)) {
      for (const s of samples) for (const [p, n] of Object.entries(s.byProvider)) (providers.add(p), (maxTasks = Math.max(maxTasks, n)));
      for (const d of desiredSeries(report, cluster, initialStrategies.get(cluster) ?? [])) for (const [p, n] of d.byProvider) (providers.add(p), (maxTasks = Math.max(maxTasks, n)));
    }
  }
  return { seconds, maxTasks: niceCeiling(maxTasks), providers: [...providers].sort() };
}

/**
 * An SVG chart of one run, one panel per cluster: RUNNING tasks per capacity provider (solid)
 * and the tasks each provider should hold by the services' strategies (dashed, the desired
 * split), alarm periods shaded and named, Spot warnings (red ticks) and terminations (×),
 * drains by reason (triangles), and every strategy change drawn and labelled on the chart
 * ("fallback web, api", "restore web"). Plain SVG, no script, no dependency.
 */
export function runChart(
  run: ChartRun,
  scale: ChartScale,
  context: { policy: Policy; initial: ReadonlyMap<string, { name: string; desiredCount: number; strategy: Strategy }[]> },
): string {
  const { report } = run;
  const clusters = Object.keys(report.running).sort();
  const height = clusters.length * (PANEL + M.top + M.bottom);
  const start = Date.parse(report.start);
  const tOf = (iso: string) => (Date.parse(iso) - start) / 1000;
  const x = (t: number) => M.left + (Math.min(t, scale.seconds) / scale.seconds) * (WIDTH - M.left - M.right);
  const parts: string[] = [];
  clusters.forEach((cluster, c) => {
    const top = c * (PANEL + M.top + M.bottom) + M.top;
    const y = (v: number) => top + PANEL - (v / scale.maxTasks) * PANEL;
    const bottom = top + PANEL;
    parts.push(`<text x="${M.left}" y="${top - 44}" class="panel-title">cluster ${esc(cluster)}</text>`);
    // Alarm periods first, under everything else.
    for (const period of alarmPeriods(report)) {
      const x1 = x(tOf(period.from));
      const x2 = x(period.to ? tOf(period.to) : scale.seconds);
      parts.push(`<rect x="${f(x1)}" y="${top}" width="${f(Math.max(2, x2 - x1))}" height="${PANEL}" class="alarm"><title>${esc(`${period.name} in ALARM`)}</title></rect>`);
      parts.push(`<text x="${f(x1 + 3)}" y="${top + 12}" class="alarm-label">${esc(period.name)} ALARM</text>`);
    }
    // Axes and grid: ticks at round numbers.
    for (const v of ticks(scale.maxTasks, 5)) {
      parts.push(`<line x1="${M.left}" x2="${WIDTH - M.right}" y1="${f(y(v))}" y2="${f(y(v))}" class="grid"/>`);
      parts.push(`<text x="${M.left - 6}" y="${f(y(v) + 4)}" class="tick" text-anchor="end">${v}</text>`);
    }
    for (const t of timeTicks(scale.seconds)) {
      parts.push(`<line x1="${f(x(t))}" x2="${f(x(t))}" y1="${bottom}" y2="${bottom + 4}" class="axis"/>`);
      parts.push(`<text x="${f(x(t))}" y="${bottom + 16}" class="tick" text-anchor="middle">${formatSeconds(t)}</text>`);
    }
    parts.push(`<line x1="${M.left}" y1="${bottom}" x2="${WIDTH - M.right}" y2="${bottom}" class="axis"/>`);
    parts.push(`<line x1="${M.left}" y1="${top}" x2="${M.left}" y2="${bottom}" class="axis"/>`);
    parts.push(`<text x="${M.left - 40}" y="${top + PANEL / 2}" class="tick" transform="rotate(-90 ${M.left - 40} ${top + PANEL / 2})" text-anchor="middle">tasks</text>`);
    parts.push(`<text x="${WIDTH - M.right}" y="${bottom + 32}" class="tick" text-anchor="end">virtual time since the start</text>`);
    // Desired (dashed) and running (solid) per provider.
    const color = (p: string) => PROVIDER_COLORS[scale.providers.indexOf(p) % PROVIDER_COLORS.length]!;
    const desired = desiredSeries(report, cluster, context.initial.get(cluster) ?? []);
    const samples = report.running[cluster] ?? [];
    for (const provider of scale.providers) {
      if (!samples.some((s) => provider in s.byProvider)) continue;
      const points = samples.map((s) => `${f(x(s.t))},${f(y(s.byProvider[provider] ?? 0))}`).join(' ');
      parts.push(`<polyline points="${points}" class="running" stroke="${color(provider)}"><title>${esc(`${provider}: RUNNING tasks`)}</title></polyline>`);
      const steps: string[] = [];
      desired.forEach((d, i) => {
        const next = desired[i + 1]?.t ?? scale.seconds;
        const v = y(d.byProvider.get(provider) ?? 0);
        steps.push(`${f(x(d.t))},${f(v)} ${f(x(next))},${f(v)}`);
      });
      parts.push(`<polyline points="${steps.join(' ')}" class="desired" stroke="${color(provider)}"><title>${esc(`${provider}: tasks by the strategies (desired)`)}</title></polyline>`);
    }
    // Spot warnings and terminations along the bottom, counted when they bunch up.
    for (const [g, group] of bunch(report.interruptions.filter((i) => i.cluster === cluster).map((i) => ({ t: tOf(i.warnedAt), item: i })), scale.seconds).entries()) {
      const gx = x(group.t);
      parts.push(`<line x1="${f(gx)}" x2="${f(gx)}" y1="${bottom}" y2="${bottom - 12}" class="warning"><title>${esc(group.items.map((i) => `Spot warning ${i.ec2InstanceId}`).join('\n'))}</title></line>`);
      parts.push(`<text x="${f(gx)}" y="${bottom - 15 - (g % 2) * 11}" class="warning-label" text-anchor="middle">${group.items.length} warned</text>`);
    }
    for (const group of bunch(report.interruptions.filter((i) => i.cluster === cluster && i.terminatedAt).map((i) => ({ t: tOf(i.terminatedAt!), item: i })), scale.seconds)) {
      const lost = group.items.reduce((n, i) => n + i.tasksLost, 0);
      parts.push(`<text x="${f(x(group.t))}" y="${bottom - 30}" class="termination" text-anchor="middle">×${group.items.length}<title>${esc(`${group.items.length} terminated, ${lost} task(s) lost`)}</title></text>`);
      if (lost > 0) parts.push(`<text x="${f(x(group.t))}" y="${bottom - 44}" class="lost" text-anchor="middle">${lost} lost</text>`);
    }
    for (const [g, group] of bunch(report.drains.filter((d) => d.cluster === cluster).map((d) => ({ t: tOf(d.time), item: d })), scale.seconds).entries()) {
      const spot = group.items.filter((d) => d.interrupted).length;
      const other = group.items.length - spot;
      const label = [spot ? `${spot} drained` : '', other ? `${other} drained (other reason)` : ''].filter(Boolean).join(', ');
      parts.push(`<path d="M${f(x(group.t) - 5)},${bottom + 1} l5,-9 l5,9 z" class="${other ? 'drain-other' : 'drain'}"><title>${esc(label)}</title></path>`);
      parts.push(`<text x="${f(x(group.t))}" y="${bottom - 60 - (g % 2) * 11}" class="drain-label" text-anchor="middle">${esc(label)}</text>`);
    }
    // Strategy changes: a line and a label on the chart, staggered so neighbours stay legible.
    const changes = bunch(report.strategyChanges.filter((s) => s.cluster === cluster).map((s) => ({ t: tOf(s.time), item: s })), scale.seconds);
    changes.forEach((group, i) => {
      const gx = x(group.t);
      const label = changeLabel(group.items, report, context);
      parts.push(`<line x1="${f(gx)}" x2="${f(gx)}" y1="${top - 30 + (i % 2) * 14}" y2="${bottom}" class="change"/>`);
      parts.push(`<text x="${f(gx + 3)}" y="${top - 20 + (i % 2) * 14}" class="change-label">${esc(label)}<title>${esc(group.items.map((s) => `${s.service}: ${describeStrategy(s.strategy)}`).join('\n'))}</title></text>`);
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="run-chart" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${esc(run.label)}">\n${parts.join('\n')}\n</svg>`;
}

/** The desired split per provider of a cluster over time: each service's desiredCount placed by its strategy then. */
function desiredSeries(
  report: SimReport,
  cluster: string,
  initial: readonly { name?: string; desiredCount: number; strategy: Strategy }[],
): { t: number; byProvider: Map<string, number> }[] {
  const start = Date.parse(report.start);
  const current = new Map(initial.map((s, i) => [s.name ?? String(i), s]));
  const total = () => {
    const sum = new Map<string, number>();
    for (const s of current.values()) for (const [p, n] of splitByStrategy(s.strategy, s.desiredCount)) sum.set(p, (sum.get(p) ?? 0) + n);
    return sum;
  };
  const series = [{ t: 0, byProvider: total() }];
  for (const change of report.strategyChanges.filter((c) => c.cluster === cluster)) {
    const svc = current.get(change.service);
    if (!svc) continue;
    current.set(change.service, { ...svc, strategy: change.strategy });
    series.push({ t: (Date.parse(change.time) - start) / 1000, byProvider: total() });
  }
  return series;
}

function changeLabel(items: { service: string; strategy: Strategy }[], report: SimReport, context: { policy: Policy; initial: ReadonlyMap<string, { name: string; strategy: Strategy }[]> }): string {
  const kinds = new Map<string, string[]>();
  for (const item of items) {
    const cluster = Object.keys(report.running).find((c) => context.initial.get(c)?.some((s) => s.name === item.service));
    const spot = new Set(Object.entries(context.policy.clusters[cluster ?? '']?.providers ?? {}).filter(([, k]) => k === 'spot').map(([p]) => p));
    spot.add('FARGATE_SPOT');
    const spotWeight = item.strategy.filter((s) => spot.has(s.capacityProvider)).reduce((n, s) => n + s.weight, 0);
    const kind = spotWeight === 0 && item.strategy.some((s) => spot.has(s.capacityProvider)) ? 'fallback' : spotWeight > 0 && spot.size > 1 ? 'restore' : 'strategy';
    kinds.set(kind, [...(kinds.get(kind) ?? []), item.service]);
  }
  return [...kinds].map(([kind, services]) => `${kind} ${[...new Set(services)].join(', ')}`).join('; ');
}

function describeStrategy(strategy: Strategy): string {
  return strategy.map((s) => `${s.capacityProvider} base ${s.base} weight ${s.weight}`).join(', ');
}

/** Periods each alarm spent in ALARM, from the simulator's alarm changes. */
function alarmPeriods(report: SimReport): { name: string; from: string; to: string | null }[] {
  const open = new Map<string, string>();
  const periods: { name: string; from: string; to: string | null }[] = [];
  for (const change of report.alarmChanges) {
    if (change.to === 'ALARM' && !open.has(change.alarmName)) open.set(change.alarmName, change.time);
    else if (change.to !== 'ALARM' && open.has(change.alarmName)) {
      periods.push({ name: change.alarmName, from: open.get(change.alarmName)!, to: change.time });
      open.delete(change.alarmName);
    }
  }
  for (const [name, from] of open) periods.push({ name, from, to: null });
  return periods;
}

/** Groups marks closer than 1.5% of the span, so a storm is one labelled mark, not a smear. */
function bunch<T>(marks: { t: number; item: T }[], span: number): { t: number; items: T[] }[] {
  const groups: { t: number; items: T[] }[] = [];
  for (const mark of [...marks].sort((a, b) => a.t - b.t)) {
    const last = groups.at(-1);
    if (last && mark.t - last.t <= span * 0.015) last.items.push(mark.item);
    else groups.push({ t: mark.t, items: [mark.item] });
  }
  return groups;
}

/** Time ticks at whole minutes (or round seconds for short runs), at most 10 of them. */
export function timeTicks(seconds: number): number[] {
  const step = [10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400].find((s) => seconds / s <= 10) ?? 86400;
  const out: number[] = [];
  for (let t = 0; t <= seconds + 1e-9; t += step) out.push(t);
  return out;
}

/** Round tick values from 0 to max (1, 2 or 5 times a power of ten apart). */
export function ticks(max: number, wanted: number): number[] {
  const raw = max / wanted;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(Math.round(v * 1000) / 1000);
  return out;
}

function niceCeiling(v: number): number {
  const t = ticks(v, 5);
  const step = (t[1] ?? 1) - (t[0] ?? 0);
  return Math.ceil(v / step) * step;
}

function formatSeconds(t: number): string {
  if (t === 0) return '0';
  if (t % 3600 === 0 && t >= 7200) return `${t / 3600} h`;
  if (t % 60 === 0) return `${t / 60} min`;
  return `${t} s`;
}

function f(n: number): string {
  return n.toFixed(1);
}

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
