import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateAssertions } from '../assertions/assertion-evaluator.js';
import type { Journal } from '../journal.js';
import { bucketize } from '../measure/buckets.js';
import { parseScenario } from '../scenario/scenario.parser.js';
import { syntheticInput, syntheticRecords } from '../testing/synthetic.js';
import { renderHtmlReport } from './html-report.js';
import { writeReports } from './report-writer.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.log(`skipped: browser report test needs ${CHROMIUM} (apt-get install chromium)`);

function syntheticJournal(): Journal {
  const scenario = parseScenario({
    name: 'zone-outage',
    description: 'zone-a <goes> dark & comes back',
    load: { rate: 40, duration: '12s' },
    steps: [{ name: 'zone-a-down', at: '3s', duration: '5s', fault: { type: 'down', targets: { zone: 'zone-a' } } }],
    assertions: [
      { share: { service: 'catalog', zone: 'zone-b', min: 0.95, step: 'zone-a-down', within: '2s' } },
      { failback: { service: 'catalog', zone: 'zone-a', min: 0.9, step: 'zone-a-down', within: '500ms' } },
    ],
  });
  const records = syntheticRecords(12_000, 40, (t) => {
    if (t >= 3000 && t < 3750) return { error: 'ECONNREFUSED', latencyMs: 2 };
    if (t >= 3750 && t < 9000) return { zone: 'zone-b', latencyMs: 40 + (t % 7) };
    return { zone: 'zone-a', latencyMs: 8 + (t % 5) };
  });
  const steps = [{ name: 'zone-a-down', type: 'down' as const, targets: ['catalog-zone-a-1'], startMs: 3000, endMs: 8000 }];
  const assertions = evaluateAssertions(syntheticInput({ records, durationMs: 12_000, steps }), scenario.assertions);
  return {
    version: 1,
    scenario,
    mode: 'zonemesh',
    target: { gatewayUrl: 'http://127.0.0.1:8080', toxiproxyUrl: 'http://127.0.0.1:8474', registryUrls: {} },
    startedAt: '2025-01-31T12:00:00.000Z',
    durationMs: 12_000,
    bucketMs: 250,
    steps,
    events: [{ t: 3000, kind: 'fault', message: 'zone-a-down: down on catalog-zone-a-1' }],
    records,
    buckets: bucketize(records, 12_000),
    clusterSamples: [],
    clustersAvailable: false,
    registrySamples: [],
    steadyState: [],
    assertions,
    passed: assertions.every((a) => a.passed),
  };
}

describe('HTML report', () => {
  it('is self-contained: no script or stylesheet fetched, text escaped, one row per assertion', () => {
    const html = renderHtmlReport(syntheticJournal());
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!127\.0\.0\.1|www\.w3\.org)/);
    expect(html).toContain('zone-a &lt;goes&gt; dark &amp; comes back');
    expect(html.match(/<tr class="(pass|fail)">/g)).toHaveLength(2);
    expect(html).toContain('FAILED');
  });

  it('writes <scenario>-<time>.json and .html side by side', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chaos-report-'));
    try {
      const paths = await writeReports(syntheticJournal(), dir);
      expect(paths.json).toBe(join(dir, 'zone-outage-2025-01-31T12-00-00-000Z.json'));
      const journal = JSON.parse(await readFile(paths.json, 'utf8')) as Journal;
      expect(journal.buckets).toHaveLength(48);
      expect(journal.assertions[0]).toMatchObject({ passed: true, value: 750 });
      expect(existsSync(paths.html)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('in headless Chromium', () => {
    let browser: Browser | undefined;
    afterAll(async () => {
      await browser?.close();
    });

    it.skipIf(!haveChromium)('renders every chart with data points, shaded fault windows and the assertion table', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'chaos-report-'));
      try {
        const { html } = await writeReports(syntheticJournal(), dir);
        browser = await chromium.launch({
          executablePath: CHROMIUM,
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
        });
        const page = await browser.newPage();
        const requests: string[] = [];
        page.on('request', (r) => requests.push(r.url()));
        await page.goto(pathToFileURL(html).href);

        const charts = await page.$$eval('svg.chart', (svgs) =>
          svgs.map((svg) => {
            const box = svg.getBoundingClientRect();
            return {
              id: svg.id,
              width: box.width,
              height: box.height,
              faults: svg.querySelectorAll('rect.fault').length,
              series: [...svg.querySelectorAll('path.series')].map((p) => ({
                name: p.getAttribute('data-series'),
                points: Number(p.getAttribute('data-points')),
                length: (p as unknown as { getTotalLength(): number }).getTotalLength(),
              })),
            };
          }),
        );
        expect(charts.map((c) => c.id)).toEqual(['chart-rps', 'chart-errors', 'chart-latency', 'chart-share-catalog', 'chart-share-inventory', 'chart-share-pricing']);
        for (const chart of charts) {
          expect(chart.width).toBeGreaterThan(300);
          expect(chart.height).toBeGreaterThan(50);
          expect(chart.faults).toBe(1);
          // 48 buckets: every series draws most of them as a visible line.
          for (const s of chart.series) if (s.name !== 'errors/s') expect(s.points).toBeGreaterThanOrEqual(40);
          expect(chart.series.some((s) => s.length > 100)).toBe(true);
        }
        const catalog = charts.find((c) => c.id === 'chart-share-catalog')!;
        expect(catalog.series.map((s) => s.name)).toEqual(['zone-a', 'zone-b']);

        const rows = await page.$$eval('#assertions tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
        expect(rows[0]!.slice(0, 4)).toEqual(['PASS', 'run', 'share catalog@zone-b >= 0.95', '750 ms']);
        expect(rows[1]![0]).toBe('FAIL');
        expect(await page.textContent('#verdict')).toBe('FAILED');
        expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
