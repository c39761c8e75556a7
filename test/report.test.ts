// The HTML report as a person sees it: `rebalancer simulate --report DIR` as a real process,
// the page opened in real headless Chromium (Debian's /usr/bin/chromium, installed by .ci/run,
// driven by playwright-core; no browser is downloaded), a screenshot kept in DIR.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBinAsync } from '@ecs-rebalancer/cli/test-support';

const CHROMIUM = '/usr/bin/chromium';

const dir = process.env.REPORT_TEST_DIR ?? join(mkdtempSync(join(tmpdir(), 'report-')), 'spot-storm');
let browser: Browser;

beforeAll(async () => {
  const run = await runBinAsync(['simulate', '--scenario', 'spot-storm', '--report', dir]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: .ci/run installs Debian's chromium with apt-get`).toBe(true);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

describe('the simulate --report page in headless Chromium', () => {
  it('shows the title, one legend, one chart per run with its labels, and the summary table, with no console error', { timeout: 120_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    // Self-contained: any request beyond the file itself is a failure.
    page.on('request', (r) => {
      if (!r.url().startsWith('file://')) problems.push(`network: ${r.url()}`);
    });
    await page.goto(`file://${join(dir, 'index.html')}`);

    expect(await page.title()).toBe('ecs-rebalancer report — spot-storm');
    await expect.poll(() => page.locator('h1').textContent()).toBe('ecs-rebalancer report — spot-storm');
    const legend = page.getByRole('list', { name: 'legend' });
    expect(await legend.count()).toBe(1);
    expect(await legend.isVisible()).toBe(true);
    for (const item of ['spot-arm64 running', 'od-arm64 desired (by strategy)', 'Spot warning', 'alarm in ALARM', 'strategy change (labelled)']) {
      expect(await legend.getByText(item, { exact: true }).isVisible(), item).toBe(true);
    }
    // One chart per run, each captioned, all drawn to the same width.
    const captions = await page.locator('figure figcaption').allTextContents();
    expect(captions).toEqual(['rebalancer', 'nothing reacts', 'ECS Spot draining']);
    const charts = page.locator('svg.run-chart');
    expect(await charts.count()).toBe(3);
    const boxes = await Promise.all([0, 1, 2].map(async (i) => (await charts.nth(i).boundingBox())!));
    expect(boxes[0]!.width).toBeGreaterThan(600);
    expect(boxes[1]!.width).toBe(boxes[0]!.width);
    expect(boxes[2]!.width).toBe(boxes[0]!.width);
    // Strategy changes are labelled on the chart itself, not only in tooltips.
    const labels = await charts.nth(0).locator('text.change-label').allTextContents();
    expect(labels.some((l) => l.startsWith('fallback') && l.includes('web') && l.includes('api'))).toBe(true);
    expect(labels.some((l) => l.startsWith('restore'))).toBe(true);
    expect(await charts.nth(1).locator('text.change-label').count()).toBe(0);
    expect(await charts.nth(0).locator('text.alarm-label').first().textContent()).toBe('prod-spot-interruptions ALARM');
    expect(await charts.nth(1).locator('text.lost').allTextContents()).not.toEqual([]);
    // The summary table, the runs side by side.
    const header = await page.locator('table.summary thead th').allTextContents();
    expect(header).toEqual(['', 'rebalancer', 'nothing reacts', 'ECS Spot draining']);
    const lost = await page.locator('table.summary tbody tr', { hasText: 'tasks lost' }).locator('td').allTextContents();
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { runs: { tasksLost: number }[] };
    expect(lost).toEqual(summary.runs.map((r) => String(r.tasksLost)));
    expect(lost[0]).toBe('0');
    expect(Number(lost[1])).toBeGreaterThan(0);
    // ECS's agent drains on the warning too: its chart shows drains, and no strategy change.
    expect(await charts.nth(2).locator('path.drain').count()).toBeGreaterThan(0);
    expect(await charts.nth(2).locator('text.change-label').count()).toBe(0);

    await page.screenshot({ path: join(dir, 'screenshot.png'), fullPage: true });
    expect(readFileSync(join(dir, 'screenshot.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(problems).toEqual([]);
  });

  it('writes summary.json with every run', () => {
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { runs: { label: string; tasksLost: number }[]; tasksLost: number };
    expect(summary.runs.map((r) => r.label)).toEqual(['rebalancer', 'nothing reacts', 'ECS Spot draining']);
    expect(summary.runs[0]!.tasksLost).toBe(0);
    expect(summary.runs[1]!.tasksLost).toBeGreaterThan(0);
    expect(summary.tasksLost).toBe(0);
  });
});
