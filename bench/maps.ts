/**
 * Maps benchmark: `npx tsx bench/maps.ts` (or `npm run bench maps`).
 *
 * 1. The model-free pipeline on a 600 mm section: thin-plate spline through 85 points, a dense grid,
 *    indices, PNG rendering and the PDF report.
 * 2. A dense predicted map of a 600 mm section at the default stride (≈ 1000 patches): the lattice
 *    machinery with an analytic predictor (overhead only), then the CNN per backend and preset when the
 *    CNN domain provides a predictor factory (see core/maps/predictor-source.ts).
 */
import { layoutPoints } from '../core/segregation/index.js';
import {
  measuredMap,
  segregationIndices,
  renderMapPng,
  defaultLevels,
  predictedMap,
  defaultStrideMm,
  patchLattice,
  comparePoints,
  type PatchPredictor,
} from '../core/maps/index.js';
import { buildMapReport, dataFingerprint } from '../core/report/index.js';
import { cnnBench } from './_maps-cnn.js';

const R = 300;
const field = (x: number, y: number) => 0.42 * (1 + 0.08 * Math.exp(-((Math.hypot(x, y) / R / 0.2) ** 2)) - 0.03 * Math.exp(-(((Math.hypot(x, y) / R - 0.72) / 0.06) ** 2)));

async function time<T>(fn: () => Promise<T> | T, repeat = 3): Promise<{ ms: number; value: T }> {
  let best = Infinity;
  let value!: T;
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    value = await fn();
    best = Math.min(best, performance.now() - t);
  }
  return { ms: best, value };
}

const rows: string[][] = [];
const row = (...c: string[]) => rows.push(c);

const pts = layoutPoints({ diameterMm: 600 }).map((p) => ({ ...p, carbonWtPct: field(p.xMm, p.yMm) }));
const mm = await time(() => measuredMap(pts, R));
row('measured map: TPS 85 points → 161×161 grid', '', '', mm.ms.toFixed(1));
const ix = await time(() => segregationIndices(mm.value.grid, { bulkCarbonWtPct: 0.42 }));
row('segregation indices (20 353 cells)', '', '', ix.ms.toFixed(1));
const png1000 = await time(() => renderMapPng(mm.value.grid, { quantity: 'carbon', widthPx: 1000, c0WtPct: 0.42, levels: defaultLevels([0.4, 0.46], 0.42), markers: pts.map((p) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm, text: p.carbonWtPct.toFixed(3), value: p.carbonWtPct })) }));
row('PNG 1000 px (field, contours, 85 labels, legend)', '', '', png1000.ms.toFixed(1));
const png1400 = await time(() => renderMapPng(mm.value.grid, { quantity: 'carbon', widthPx: 1400, c0WtPct: 0.42, levels: defaultLevels([0.4, 0.46], 0.42) }));
row('PNG 1400 px (report resolution)', '', '', png1400.ms.toFixed(1));
const pdf = await time(() =>
  buildMapReport({
    paper: 'A4',
    header: { lab: 'bench', billetName: 'bench billet', grade: '42CrMo', diameterMm: 600, heat: null, castingNotes: null, date: new Date().toISOString(), operator: null },
    synthetic: true,
    indicesSource: 'measured map',
    maps: [{ title: 'Measured', png: png1400.value.png }],
    indices: ix.value,
    methodNote: mm.value.method,
    points: comparePoints(pts, pts.map(() => null)),
    version: 'bench',
    fingerprint: dataFingerprint(pts),
  }),
);
row(`PDF report A4 (${(pdf.value.length / 1024).toFixed(0)} kB)`, '', '', pdf.ms.toFixed(1));

const stride = defaultStrideMm(600);
const patches = patchLattice(R, stride).centres.length;
const analytic: PatchPredictor = async (c) => c.map(({ xMm, yMm }) => ({ mean: field(xMm, yMm), sd: 0.003 }));
const lattice = await time(() => predictedMap(analytic, { radiusMm: R, strideMm: stride }));
row(`predicted map, analytic predictor (lattice overhead), stride ${stride} mm`, 'none', String(patches), lattice.ms.toFixed(1));

for (const r of await cnnBench({ radiusMm: R, strideMm: stride })) row(r.what, r.backend, String(r.patches), r.ms.toFixed(0));

const head = ['what', 'backend / preset', 'patches', 'ms'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (c: string[]) => `| ${c.map((x, i) => (i >= 2 ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join(' | ')} |`;
console.log(line(head));
console.log(`|${widths.map((w, i) => (i >= 2 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
for (const r of rows) console.log(line(r));
