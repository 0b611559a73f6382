import { describe, it, expect } from 'vitest';
import { buildReproductionHtml, buildReproductionPdf, figureSvg, type ReproductionReportInput } from '../../../core/report/experiments/index.js';
import { layoutChart } from '../../../core/report/experiments/chart-geometry.js';
import type { ExperimentFigure } from '../../../core/experiments/types.js';
import { parsePdf } from './helpers.js';

// The reproduction report on its own: names typed by users are escaped, a bar figure draws one bar per value,
// and measured data carry no SYNTHETIC banner.
const bars: ExperimentFigure = {
  id: 'aug',
  title: 'Augmentation ablation',
  kind: 'bar',
  x: { label: 'augmentation' },
  y: { label: 'MAE', unit: 'wt.%' },
  series: [
    { name: 'measured', points: ['none', 'rotation', 'mirroring', 'both'].map((x, i) => ({ x, y: 0.03 - 0.004 * i })) },
    { name: 'paper', paper: true, points: ['none', 'both'].map((x, i) => ({ x, y: 0.025 - 0.01 * i })) },
  ],
};

const input = (synthetic: boolean): ReproductionReportInput => ({
  runId: 4,
  kind: 'segregation',
  budget: 'full',
  seed: 9,
  backend: 'wasm',
  fingerprint: 'f'.repeat(64),
  synthetic,
  inputs: ['<script>alert(1)</script> & co'],
  startedAt: '2026-01-01T00:00:00Z',
  generatedAt: '2026-01-01T01:00:00Z',
  elapsedMs: 65_000,
  attempts: 1,
  version: '0.1.0',
  results: [
    {
      id: 'aug',
      title: 'Augmentation <ablation>',
      paperRef: 'Supp. Table 1',
      tables: [{ id: 't', title: 'MAE', sample: 'held-out', columns: [{ key: 'a', label: 'Aug' }, { key: 'mae', label: 'MAE', unit: 'wt.%', digits: 4 }], rows: [{ key: 'none', cells: { a: 'none', mae: 0.0312 }, paper: { mae: 0.028 } }] }],
      figures: [bars],
      seeds: { split: 3 },
      settings: { epochs: 60 },
      notes: [],
      elapsedMs: 1000,
    },
  ],
});

describe('reproduction report', () => {
  it('escapes names and titles in the HTML, and shows no banner for measured data', async () => {
    const html = buildReproductionHtml(input(false));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(html).toContain('Augmentation &lt;ablation&gt;');
    expect(html).not.toContain('SYNTHETIC');
    expect(html).toContain('Budget: full — the paper’s settings');
    expect(html).toContain('<span class="measured">0.0312</span> <span class="paper">(paper 0.0280)</span>');
    const pdf = parsePdf(await buildReproductionPdf(input(false))).text.join('\n');
    expect(pdf).not.toContain('SYNTHETIC');
    expect(pdf).toContain('0.0312');
    expect(pdf).toContain('(paper 0.0280)');
    expect(pdf).toContain('Compute time: 65.0 s');
  });

  it('prints a billet named in Chinese in the PDF (the CJK font is embedded for it)', async () => {
    const zh = { ...input(false), inputs: ['铸坯 42CrMo-7'] };
    const pdf = parsePdf(await buildReproductionPdf(zh)).text.join('\n');
    expect(pdf).toContain('铸坯 42CrMo-7');
  });

  it('puts the SYNTHETIC banner on every page of the PDF', async () => {
    const many = input(true);
    many.results = Array.from({ length: 4 }, (_, i) => ({ ...many.results[0], id: `aug${i}` }));
    const pdf = parsePdf(await buildReproductionPdf(many));
    expect(pdf.pages).toBeGreaterThan(1);
    for (const page of pdf.text) expect(page).toContain('SYNTHETIC DATA');
  });

  it('lays a bar figure out as categories: one bar per value, inside the plot, the paper series dashed', () => {
    const L = layoutChart(bars, { x: 0, y: 0, width: 400, height: 200 });
    expect(L.xTicks.map((t) => t.label)).toEqual(['none', 'rotation', 'mirroring', 'both']);
    expect(L.series.map((s) => [s.points.length, s.dashed])).toEqual([[4, false], [2, true]]);
    for (const s of L.series) for (const p of s.points) {
      expect(p.px).toBeGreaterThan(L.plot.left);
      expect(p.px).toBeLessThan(L.plot.right);
      expect(p.py).toBeGreaterThanOrEqual(L.plot.top);
      expect(p.py).toBeLessThanOrEqual(L.plot.bottom);
    }
    // Higher MAE is a taller bar: y grows upwards.
    expect(L.series[0].points[0].py).toBeLessThan(L.series[0].points[3].py);
    const svg = figureSvg(bars);
    expect(svg.match(/<rect /g)!.length).toBe(1 + 6); // the frame + 4 measured + 2 paper bars
  });
});
