import { ECS_HANDLERS } from '../server/ecs.js';
import { PROVIDER_COLORS, chartScale, esc, runChart, type ChartRun } from './chart.js';
import type { Scenario } from './schema.js';
import type { RunSummary } from './summary.js';

/** One run of a report: the rebalancer or a baseline, what the simulator recorded and its summary. */
export interface ReportRun extends ChartRun {
  summary: RunSummary;
}

/** The calls a run made, ECS apart from the other AWS services (CloudWatch, EventBridge). */
export function splitApiCalls(apiCalls: Record<string, number>): { ecs: Record<string, number>; other: Record<string, number>; ecsTotal: number; otherTotal: number } {
  const ecs: Record<string, number> = {};
  const other: Record<string, number> = {};
  for (const [action, n] of Object.entries(apiCalls)) (action in ECS_HANDLERS || action === 'ListClusters' ? ecs : other)[action] = n;
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  return { ecs, other, ecsTotal: sum(ecs), otherTotal: sum(other) };
}

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; margin: 24px auto; max-width: 1040px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 6px; }
.meta { color: #555; margin: 0 0 16px; }
table.summary { border-collapse: collapse; margin: 8px 0 16px; }
table.summary th, table.summary td { border-bottom: 1px solid #ddd; padding: 4px 12px; text-align: right; }
table.summary th:first-child, table.summary td:first-child { text-align: left; }
table.summary thead th { border-bottom: 2px solid #888; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 6px 0 10px; padding: 8px 10px; background: #f6f6f6; border-radius: 6px; }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
.legend svg { vertical-align: middle; }
figure { margin: 0 0 12px; } figcaption { font-weight: 600; margin: 4px 0; }
svg text { font-family: system-ui, sans-serif; }
.panel-title { font-size: 13px; font-weight: 600; }
.tick { font-size: 11px; fill: #444; } .grid { stroke: #e6e6e6; } .axis { stroke: #333; }
.running { fill: none; stroke-width: 3; opacity: 0.55; } .desired { fill: none; stroke-width: 2; stroke-dasharray: 7 5; }
.alarm { fill: #d62728; opacity: 0.10; } .alarm-label { font-size: 11px; fill: #a31515; }
.warning { stroke: #d62728; stroke-width: 2.5; } .warning-label { font-size: 10px; fill: #d62728; }
.termination { font-size: 13px; font-weight: 700; } .lost { font-size: 11px; fill: #a31515; font-weight: 600; }
.drain { fill: #2ca02c; } .drain-other { fill: #bcbd22; } .drain-label { font-size: 10px; fill: #1d6b1d; }
.change { stroke: #1f4e9c; stroke-width: 1.2; stroke-dasharray: 3 3; } .change-label { font-size: 11px; fill: #1f4e9c; font-weight: 600; }
`;

function legend(providers: readonly string[]): string {
  const swatch = (body: string) => `<svg width="28" height="14" aria-hidden="true">${body}</svg>`;
  const items = providers.flatMap((p, i) => {
    const color = PROVIDER_COLORS[i % PROVIDER_COLORS.length];
    return [
      `<span>${swatch(`<line x1="0" y1="7" x2="28" y2="7" stroke="${color}" stroke-width="3" opacity="0.55"/>`)}${esc(p)} running</span>`,
      `<span>${swatch(`<line x1="0" y1="7" x2="28" y2="7" stroke="${color}" stroke-width="2" stroke-dasharray="7 5"/>`)}${esc(p)} desired (by strategy)</span>`,
    ];
  });
  items.push(
    `<span>${swatch('<line x1="14" y1="2" x2="14" y2="14" stroke="#d62728" stroke-width="2.5"/>')}Spot warning</span>`,
    `<span>${swatch('<text x="8" y="12" font-size="13" font-weight="700">×</text>')}termination (tasks lost)</span>`,
    `<span>${swatch('<path d="M9,13 l5,-9 l5,9 z" fill="#2ca02c"/>')}drain on a Spot warning</span>`,
    `<span>${swatch('<path d="M9,13 l5,-9 l5,9 z" fill="#bcbd22"/>')}drain, other reason</span>`,
    `<span>${swatch('<rect x="0" y="1" width="28" height="12" fill="#d62728" opacity="0.15"/>')}alarm in ALARM</span>`,
    `<span>${swatch('<line x1="14" y1="0" x2="14" y2="14" stroke="#1f4e9c" stroke-dasharray="3 3"/>')}strategy change (labelled)</span>`,
  );
  return `<div class="legend" role="list" aria-label="legend">${items.map((i) => i.replace('<span>', '<span role="listitem">')).join('')}</div>`;
}

function summaryTable(runs: readonly ReportRun[]): string {
  const leads = (s: RunSummary) => Object.values(s.drainLeadSeconds).filter((v): v is number => v !== null).sort((a, b) => a - b);
  const median = (v: number[]) => (v.length === 0 ? '–' : String(Math.round(v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2)));
  const rows: [string, (s: RunSummary) => string][] = [
    ['tasks lost', (s) => String(s.tasksLost)],
    ['instances warned (Spot)', (s) => String(s.interrupted.length)],
    ['drained before termination', (s) => `${leads(s).length}/${s.interrupted.length}`],
    ['median drain lead (s)', (s) => median(leads(s))],
    ['strategy changes', (s) => String(s.strategyChanges.length)],
    ['ECS calls', (s) => String(splitApiCalls(s.apiCalls).ecsTotal)],
    ['other AWS calls (CloudWatch, EventBridge)', (s) => String(splitApiCalls(s.apiCalls).otherTotal)],
    ['throttled calls', (s) => String(s.throttled)],
    ['records retried / in DLQ', (s) => `${s.queue.retried} / ${s.queue.dlq}`],
  ];
  const head = `<thead><tr><th></th>${runs.map((r) => `<th scope="col">${esc(r.label)}</th>`).join('')}</tr></thead>`;
  const body = rows.map(([name, cell]) => `<tr><th scope="row">${esc(name)}</th>${runs.map((r) => `<td>${esc(cell(r.summary))}</td>`).join('')}</tr>`).join('\n');
  return `<table class="summary">${head}<tbody>\n${body}\n</tbody></table>`;
}

/**
 * One self-contained HTML page (inline CSS and SVG, no script, no network) with the runs of
 * a scenario side by side on the same axes: a chart per run, one legend, and the summary
 * table.
 */
export function renderReport(scenario: Scenario, runs: readonly ReportRun[]): string {
  const initial = new Map(scenario.clusters.map((c) => [c.cluster, c.services.map((s) => ({ name: s.name, desiredCount: s.desiredCount, strategy: s.strategy }))]));
  const scale = chartScale(runs, initial);
  const expectations = runs.find((r) => r.summary.withRebalancer)?.summary.expectations;
  const charts = runs
    .map((run) => `<figure><figcaption>${esc(run.label)}</figcaption>\n${runChart(run, scale, { policy: scenario.policy, initial })}\n</figure>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`ecs-rebalancer report — ${scenario.name}`)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${esc(`ecs-rebalancer report — ${scenario.name}`)}</h1>
<p class="meta">${esc(scenario.description ?? '')} ${esc(`${scale.seconds} s simulated from ${scenario.start}; ${runs.length} run(s) on the same axes.`)}${
    expectations ? ` Expectations: ${expectations.passed ? 'all passed' : esc(`FAILED — ${expectations.failures.join('; ')}`)}.` : ''
  }</p>
<h2>Summary</h2>
${summaryTable(runs)}
<h2>Tasks per capacity provider</h2>
${legend(scale.providers)}
${charts}
</body>
</html>
`;
}
