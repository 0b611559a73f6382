/**
 * Map PNG render time with its text (issue 15: the text is drawn as glyph outlines from the shipped fonts):
 * `npx tsx bench/map-png-text.ts`. A 600 mm section, a 161×161 measured grid, 97 labelled markers (label +
 * value each), contours, title, subtitle and legend; 1000 px (the Maps view) and 1400 px (the report), the best
 * of 5 runs after one warm-up (the warm-up pays the fonts' first load). Languages where the renderer has them.
 */
import { measuredMap, renderMapPng, defaultLevels, type RenderOptions } from '../core/maps/index.js';

const R = 300;
const field = (x: number, y: number) => 0.42 * (1 + 0.08 * Math.exp(-((Math.hypot(x, y) / R / 0.2) ** 2)));
// 97 points on a sunflower spiral inside the section (deterministic, no seed needed)
const pts = Array.from({ length: 97 }, (_, i) => {
  const r = 0.92 * R * Math.sqrt((i + 0.5) / 97);
  const a = i * 2.399963229728653;
  const xMm = r * Math.cos(a);
  const yMm = r * Math.sin(a);
  return { label: `P${String(i + 1).padStart(2, '0')}`, xMm, yMm, carbonWtPct: field(xMm, yMm) };
});
const grid = measuredMap(pts, R).grid;
const languages = ['en', 'zh', 'it'];

async function best(opts: RenderOptions, repeat = 5): Promise<number> {
  await renderMapPng(grid, opts);
  let ms = Infinity;
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    await renderMapPng(grid, opts);
    ms = Math.min(ms, performance.now() - t);
  }
  return ms;
}

const rows: string[] = ['| width | language | ms (best of 5) |', '|---|---|---|'];
for (const widthPx of [1000, 1400]) {
  for (const language of languages) {
    const opts = {
      quantity: 'carbon',
      widthPx,
      c0WtPct: 0.42,
      c0Source: 'bulk',
      levels: defaultLevels([0.4, 0.46], 0.42),
      markers: pts.map((p) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm, text: p.carbonWtPct.toFixed(3), value: p.carbonWtPct })),
      title: 'B-1 — Measured carbon map',
      subtitle: 'Ø 600 mm · 42CrMo4 · heat 7731 · C0 = 0.420 wt.% (ladle/bulk)',
      language,
    } as RenderOptions;
    rows.push(`| ${widthPx} | ${language} | ${(await best(opts)).toFixed(1)} |`);
  }
}
console.log(rows.join('\n'));
