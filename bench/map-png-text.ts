/**
 * Map PNG render time with its text (issue 15: the text is drawn as glyph outlines from the shipped fonts):
 * `npx tsx bench/map-png-text.ts`. A 600 mm section, a 161×161 measured grid, 97 labelled markers (label +
 * value each), contours, title, subtitle and legend; 1000 px (the Maps view) and 1400 px (the report), the best
 * of 5 runs after one warm-up (the warm-up pays the fonts' first load and shapes the labels once). Languages where the renderer has them.
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

/** Best wall time and best CPU time (all threads: sharp/librsvg work off the JS thread) of `repeat` runs, in ms. */
async function best(opts: RenderOptions, repeat = 5): Promise<{ wall: number; cpu: number }> {
  await renderMapPng(grid, opts);
  let wall = Infinity;
  let cpu = Infinity;
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    await renderMapPng(grid, opts);
    const used = process.cpuUsage(c);
    wall = Math.min(wall, performance.now() - t);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
  }
  return { wall, cpu };
}

const rows: string[] = ['| width | language | wall ms (best of 5) | CPU ms (best of 5) |', '|---|---|---|---|'];
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
    const b = await best(opts);
    rows.push(`| ${widthPx} | ${language} | ${b.wall.toFixed(1)} | ${b.cpu.toFixed(1)} |`);
  }
}
console.log(rows.join('\n'));
