import type { SimReport } from '../model/types.js';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

/**
 * An SVG line chart of RUNNING tasks per capacity provider over virtual time, one panel per
 * cluster, with Spot interruption warnings (red ticks), terminations (black crosses) and
 * strategy changes (dashed blue lines) marked. Plain SVG, no dependency.
 */
export function runningTasksChart(report: SimReport, title: string): string {
  const clusters = Object.keys(report.running).sort();
  const width = 900;
  const panelHeight = 260;
  const margin = { left: 56, right: 170, top: 36, bottom: 36 };
  const height = clusters.length * (panelHeight + margin.top + margin.bottom) + 10;
  const parts: string[] = [];
  const start = Date.parse(report.start);
  const span = Math.max(1, report.elapsedSeconds);
  clusters.forEach((cluster, c) => {
    const samples = report.running[cluster] ?? [];
    const top = c * (panelHeight + margin.top + margin.bottom) + margin.top;
    const providers = [...new Set(samples.flatMap((s) => Object.keys(s.byProvider)))].sort();
    const maxY = Math.max(1, ...samples.flatMap((s) => Object.values(s.byProvider)));
    const x = (t: number) => margin.left + (t / span) * (width - margin.left - margin.right);
    const y = (v: number) => top + panelHeight - (v / maxY) * panelHeight;
    const tOf = (iso: string) => (Date.parse(iso) - start) / 1000;
    parts.push(`<text x="${margin.left}" y="${top - 12}" font-size="14" font-weight="bold">${escape(title)} — cluster ${escape(cluster)}</text>`);
    parts.push(`<line x1="${margin.left}" y1="${top + panelHeight}" x2="${width - margin.right}" y2="${top + panelHeight}" stroke="#333"/>`);
    parts.push(`<line x1="${margin.left}" y1="${top}" x2="${margin.left}" y2="${top + panelHeight}" stroke="#333"/>`);
    for (let i = 0; i <= 4; i++) {
      const v = Math.round((maxY * i) / 4);
      parts.push(`<text x="${margin.left - 6}" y="${y(v) + 4}" font-size="10" text-anchor="end">${v}</text>`);
    }
    for (let i = 0; i <= 6; i++) {
      const t = Math.round((span * i) / 6);
      parts.push(`<text x="${x(t)}" y="${top + panelHeight + 14}" font-size="10" text-anchor="middle">${t}s</text>`);
    }
    for (const change of report.strategyChanges.filter((s) => s.cluster === cluster)) {
      const cx = x(tOf(change.time));
      parts.push(`<line x1="${cx}" y1="${top}" x2="${cx}" y2="${top + panelHeight}" stroke="#1f4e9c" stroke-dasharray="4 3" opacity="0.6"><title>${escape(`${change.service}: ${change.strategy.map((s) => `${s.capacityProvider} ${s.base}/${s.weight}`).join(', ')}`)}</title></line>`);
    }
    for (const intr of report.interruptions.filter((i) => i.cluster === cluster)) {
      const wx = x(tOf(intr.warnedAt));
      parts.push(`<line x1="${wx}" y1="${top + panelHeight}" x2="${wx}" y2="${top + panelHeight - 10}" stroke="#d62728" stroke-width="2"><title>${escape(`Spot warning ${intr.ec2InstanceId}`)}</title></line>`);
      if (intr.terminatedAt) {
        const tx = x(tOf(intr.terminatedAt));
        parts.push(`<text x="${tx}" y="${top + panelHeight - 12}" font-size="11" text-anchor="middle">×<title>${escape(`${intr.ec2InstanceId} terminated, ${intr.tasksLost} task(s) lost`)}</title></text>`);
      }
    }
    providers.forEach((provider, p) => {
      const color = PALETTE[p % PALETTE.length]!;
      const points = samples.map((s) => `${x(s.t).toFixed(1)},${y(s.byProvider[provider] ?? 0).toFixed(1)}`).join(' ');
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points}"/>`);
      parts.push(`<rect x="${width - margin.right + 14}" y="${top + p * 18}" width="12" height="12" fill="${color}"/>`);
      parts.push(`<text x="${width - margin.right + 32}" y="${top + p * 18 + 10}" font-size="12">${escape(provider)}</text>`);
    });
    const legendTop = top + providers.length * 18 + 10;
    parts.push(`<text x="${width - margin.right + 14}" y="${legendTop + 10}" font-size="11" fill="#d62728">| Spot warning</text>`);
    parts.push(`<text x="${width - margin.right + 14}" y="${legendTop + 26}" font-size="11">× termination</text>`);
    parts.push(`<text x="${width - margin.right + 14}" y="${legendTop + 42}" font-size="11" fill="#1f4e9c">┆ strategy change</text>`);
    parts.push(`<text x="${margin.left - 40}" y="${top + panelHeight / 2}" font-size="11" transform="rotate(-90 ${margin.left - 40} ${top + panelHeight / 2})" text-anchor="middle">running tasks</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
