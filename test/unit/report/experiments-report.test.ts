import { describe, it, expect } from 'vitest';
import { buildReproductionHtml, buildReproductionPdf, figureSvg, type ReproductionReportInput } from '../../../core/report/experiments/index.js';
import { layoutChart } from '../../../core/report/experiments/chart-geometry.js';
import type { ExperimentFigure } from '../../../core/experiments/types.js';
import { parsePdf } from './helpers.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { phrase } from '../../../core/api/phrase.js';
import { captioned, labelled, notesOf, titled } from '../../../core/experiments/words.js';

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

  it('prints the report in Chinese and Italian (--lang): headings, the experiments’ coded words, the paper beside ours; English-only words stay', async () => {
    const coded = (language: 'zh' | 'it'): ReproductionReportInput => {
      const base = input(true);
      const r = base.results[0];
      return {
        ...base,
        language,
        budget: 'quick',
        results: [{
          ...r,
          ...titled(phrase('experiments.augmentation.title')),
          tables: [{ ...r.tables[0], ...titled(phrase('experiments.table.heldOut')), ...captioned(phrase('experiments.table.heldOutCaption')), columns: [{ key: 'a', ...labelled(phrase('experiments.col.variant')) }, { key: 'mae', ...labelled(phrase('experiments.col.mae')), unit: 'wt.%', digits: 4 }] }],
          ...notesOf(['an English-only note', phrase('experiments.note.synthetic')]),
        }],
      };
    };
    const zhHtml = buildReproductionHtml(coded('zh'));
    for (const w of ['<html lang="zh-CN">', '碳偏析 CNN 论文的复现', '合成数据 — 由 Ferrolab 生成，并非实测', '预算：快速', '数据指纹', '数据增强消融实验', '留出指标（各共享划分的平均）', '[留出]', '变体', '<span class="paper">(论文 0.0280)</span>', '<li>an English-only note</li>', '合成数据：这些数值检验的是方法，而不是某种钢。', '备注', '随机种子：split = 3。']) expect(zhHtml, w).toContain(w);
    expect(zhHtml).not.toContain('Held-out figures');
    const dir = mkdtempSync(join(tmpdir(), 'ferrolab-repro-lang-'));
    try {
      const text = async (language: 'zh' | 'it') => {
        const file = join(dir, `${language}.pdf`);
        writeFileSync(file, await buildReproductionPdf(coded(language)));
        return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      };
      const zh = await text('zh');
      for (const w of ['碳偏析 CNN 论文的复现', '数据增强消融实验', '留出指标（各共享划分的平均）', '论文 0.0280', '计算时间： 65.0 s', '备注']) expect(zh, w).toContain(w);
      const it_ = await text('it');
      for (const w of ["Riproduzione dell'articolo sulla CNN per la segregazione del carbonio", 'DATI SINTETICI — generati da Ferrolab, non misurati', "Ablazione dell'aumento dei dati", 'Valori sui punti esclusi (media sulle suddivisioni comuni)', '[esclusi]', 'articolo 0.0280', 'Tempo di calcolo: 65.0 s', 'Note', 'an English-only note']) expect(it_, w).toContain(w);
      expect(it_).not.toContain('Compute time');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
