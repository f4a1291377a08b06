import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureReport, buildUnknownReport } from '../src/report/fixtures.ts';
import { renderHtml } from '../src/report/index.ts';
import { loadReportAssets } from '../src/report-assets/load-assets.ts';
import type { Report } from '../src/schema/index.ts';

// The HTML report in a real headless Chromium (the Debian package; never a downloaded browser).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOT = join(tmpdir(), 'etcd-analyzer-report-fixture.png');

let browser: Browser;
let dir: string;

interface Opened {
  page: Page;
  url: string;
  errors: string[];
  requests: string[];
}

/** Opens a rendered report; anything that is not the page itself is recorded and refused. */
async function open(report: Report, name: string): Promise<Opened> {
  const file = join(dir, name);
  await writeFile(file, renderHtml(report, await loadReportAssets()));
  const url = pathToFileURL(file).href;
  // A non-UTC browser zone: the chart axes and legend must still speak UTC.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/New_York' });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url, { waitUntil: 'load' });
  // Every holder ends with a canvas or a "no data" note; a broken script would time out here.
  // (A string: the test's tsconfig has no DOM types.)
  await page.waitForFunction("[...document.querySelectorAll('[data-chart]')].every((el) => el.querySelector('canvas') || el.classList.contains('chart-empty'))", undefined, { timeout: 15_000 });
  return { page, url, errors, requests };
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  dir = await mkdtemp(join(tmpdir(), 'etcd-analyzer-report-'));
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('HTML report in headless Chromium', () => {
  it('renders the fixture report offline: content, one sized canvas per chart, UTC times, no errors', async () => {
    const report = buildFixtureReport();
    const { page, url, errors, requests } = await open(report, 'fixture.html');
    const text = await page.locator('body').innerText();
    expect(text).toContain('CRITICAL');
    for (const m of report.members) expect(text).toContain(m.name);
    expect(text).toContain(report.findings[0]!.summary);
    expect(text).toContain(report.rootCauses[0]!.cause);
    expect(text).toContain(report.recommendations[0]!.command!);

    const sizes = await page.$$eval('[data-chart] canvas', (cs) => cs.map((c) => c.getBoundingClientRect()).map((r) => [r.width, r.height]));
    expect(sizes).toHaveLength(report.charts.length);
    for (const [w, h] of sizes) {
      expect(w).toBeGreaterThan(200);
      expect(h).toBeGreaterThan(100);
    }
    // One legend entry per member (plus time, plus the threshold where it is drawn).
    const legend = await page.locator('[data-chart="0"] .u-legend').innerText();
    for (const m of report.members) expect(legend).toContain(m.name);
    expect(legend).toContain('threshold');

    // Hovering shows the sample time in UTC although the browser runs in New York time.
    await page.locator('[data-chart="0"] .u-over').hover({ position: { x: 3, y: 60 } });
    const time = page.locator('[data-chart="0"] .u-legend .u-series').first().locator('.u-value');
    await expect.poll(() => time.innerText()).toMatch(/^2025-05-12 09:0\d:\d\d UTC$/);

    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);

    await page.mouse.move(0, 0);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect((await stat(SCREENSHOT)).size).toBeGreaterThan(100_000);
  });

  it('copes with no data, empty series and hostile strings: "no data" notes, nothing executed', async () => {
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    const report: Report = {
      ...buildUnknownReport(),
      cluster: evil,
      members: [{ name: evil, present: false }],
      problems: [{ source: 'logs', kind: 'malformed', message: evil }],
      charts: [
        { metric: 'walFsyncP99', title: evil, unit: 'seconds', threshold: 0.01, series: [] },
        { metric: 'dbSize', title: 'DB size', unit: 'bytes', threshold: null, series: [{ member: evil, points: [] }] },
      ],
    };
    const { page, url, errors, requests } = await open(report, 'unknown.html');
    const text = await page.locator('body').innerText();
    expect(text).toContain('UNKNOWN');
    expect(text).toContain(evil);
    expect(await page.locator('.chart-empty').allInnerTexts()).toEqual(['no data in this window', 'no data in this window']);
    expect(await page.locator('canvas').count()).toBe(0);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
  });

  it('draws a young lab\'s few samples, even isolated ones, as visible points', async () => {
    const base = buildFixtureReport();
    const t0 = Date.parse(base.window.end) / 1000 - 45;
    // One sample per member (a rate needs two scrapes, so a lab this young has one): no line
    // can join them, so without dots the chart is an empty frame.
    const report: Report = { ...base, charts: [{ metric: 'walFsyncP99', title: 'WAL fsync p99 (5m)', unit: 'seconds', threshold: null, series: [
      { member: 'etcd-0', points: [[t0, 0.002]] },
      { member: 'etcd-1', points: [[t0 + 15, 0.003]] },
      { member: 'etcd-2', points: [[t0 + 30, 0.0025]] },
    ] }] };
    const { page, errors } = await open(report, 'young.html');
    // Count painted (non-background) pixels on the plot canvas.
    const painted = await page.$eval('[data-chart="0"] canvas', (c) => {
      const ctx = (c as unknown as { getContext(k: string): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } }).getContext('2d');
      const { width, height } = c as unknown as { width: number; height: number };
      const d = ctx.getImageData(0, 0, width, height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 0 && !(d[i]! > 230 && d[i + 1]! > 230 && d[i + 2]! > 230) && !(Math.abs(d[i]! - d[i + 1]!) < 8 && Math.abs(d[i + 1]! - d[i + 2]!) < 8)) n++;
      return n;
    });
    // Coloured (non-grey) pixels only come from the series; three dots of 6 px are well over 40.
    expect(painted).toBeGreaterThan(40);
    expect(errors).toEqual([]);
  });
});

