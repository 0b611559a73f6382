import PDFDocument from 'pdfkit';
import type { ComparisonSummary, PointComparison, ProfileBin, SegregationIndices } from '../maps/index.js';
import { INDEX_DEFINITIONS } from '../maps/index.js';
import { asciiSafe, reportFonts } from './fonts.js';
import { drawProfileChart, type ProfileSeries } from './profile-chart.js';
import { fitWords, sampleWords, R2_DETERMINATION } from '../ml/fit-words.js';
import { intervalFor, coverageWords, type IntervalCalibration } from '../ml/conformal.js';
import type { SampleLabel } from '../api/methods/cnn.js';
import type { AcceptanceResult } from './acceptance.js';

// Length (~380 lines): one printed document — header, plant fields, maps, indices, acceptance, comparison, model
// card and sign-off flow down shared pages with one cursor; the chart, fonts and fingerprint live in their own files.

/**
 * The printed billet segregation report (pdfkit, A4 or Letter). Everything is drawn in core: the maps
 * come in as PNGs rendered by core/maps, the radial profile is vector graphics, tables are text — so
 * the CLI, the Electron app and browser mode produce the same file.
 */
export type Paper = 'A4' | 'Letter';

export interface ReportHeader {
  lab: string | null;
  billetName: string;
  grade: string | null;
  diameterMm: number;
  heat: string | null;
  castingNotes: string | null;
  /** ISO date-time the report was made. */
  date: string;
  operator: string | null;
}

/** Optional plant-report fields, each printed only when given. */
export interface PlantReportFields {
  etchant?: string | null;
  analyserMethod?: string | null;
  signedOffBy?: string | null;
  /** Acceptance class from the user's limits on the max C/C0 of the indices' map. */
  acceptance?: AcceptanceResult | null;
}

export interface ModelCard {
  id: number;
  name: string;
  preset: string | null;
  trainingData: string;
  backend: string;
  metrics: { name: string; value: string }[];
  createdAt: string;
  synthetic: boolean;
}

export interface ReportMap {
  title: string;
  png: Buffer;
  caption?: string;
}

export interface ComparisonFit {
  r2: number;
  r2Determination: number;
  meanBias: number;
  sample: SampleLabel | null;
}

export interface MapReportInput {
  paper: Paper;
  header: ReportHeader;
  synthetic: boolean;
  /** What the indices were computed from, e.g. "measured map (thin-plate spline)". */
  indicesSource: string;
  maps: ReportMap[];
  indices: SegregationIndices;
  plant?: PlantReportFields | null;
  /** What follows "Pores detected:" (count and minimum diameter, cells masked), e.g. "12 (≥ 1.0 mm)". */
  pores?: string | null;
  /** A second profile to compare (e.g. measured when the indices come from the predicted map). */
  extraProfile?: { name: string; bins: ProfileBin[] } | null;
  methodNote: string;
  points: PointComparison[];
  comparison?: ComparisonSummary | null;
  /** Both R², the bias and what the comparison's points are to the model (null label: not known). */
  comparisonFit?: ComparisonFit | null;
  /** The predicted map's interval calibration: every predicted point is printed with its interval (null: none). */
  calibration?: IntervalCalibration | null;
  model?: ModelCard | null;
  version: string;
  fingerprint: string;
}

const MARGIN = 45;
const FOOTER_H = 26;

export async function buildMapReport(input: MapReportInput): Promise<Buffer> {
  const fonts = reportFonts();
  const T = (s: string) => asciiSafe(s, fonts.unicode);
  const doc = new PDFDocument({
    size: input.paper === 'Letter' ? 'LETTER' : 'A4',
    margins: { top: MARGIN, bottom: MARGIN + FOOTER_H, left: MARGIN, right: MARGIN },
    bufferPages: true,
    autoFirstPage: true,
    info: {
      Title: T(`Carbon segregation report — ${input.header.billetName}`),
      Author: T(input.header.operator ?? 'Ferrolab'),
      Subject: T(`Billet ${input.header.billetName}${input.synthetic ? ' (SYNTHETIC DATA)' : ''}`),
      Creator: `Ferrolab ${input.version}`,
      Producer: `Ferrolab ${input.version} (pdfkit)`,
      Keywords: `fingerprint:${input.fingerprint}`,
    },
  });
  doc.registerFont('body', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const W = doc.page.width - 2 * MARGIN;
  const pageBottom = () => doc.page.height - MARGIN - FOOTER_H;
  const ensure = (h: number) => {
    if (doc.y + h > pageBottom()) doc.addPage();
  };
  const heading = (s: string, need = 100) => {
    ensure(need); // the heading stays with what follows it
    doc.moveDown(0.4).font('bold').fontSize(12).fillColor('#000').text(T(s), MARGIN, doc.y);
    doc.moveDown(0.25);
  };

  // ── header ─────────────────────────────────────────────────────────────────────────────────────
  const h = input.header;
  doc.font('bold').fontSize(16).fillColor('#000').text(T('Billet carbon segregation report'), MARGIN, MARGIN, { width: W * 0.65 });
  doc.font('body').fontSize(9).fillColor('#333').text(T(h.lab ?? 'Laboratory: —'), MARGIN + W * 0.6, MARGIN + 4, { width: W * 0.4, align: 'right' });
  doc.y = MARGIN + 26;
  if (input.synthetic) {
    const y = doc.y;
    doc.rect(MARGIN, y, W, 20).fillColor('#b00020').fill();
    doc.font('bold').fontSize(11).fillColor('#fff').text('SYNTHETIC DATA — generated by Ferrolab from a seed, not a real billet', MARGIN, y + 5, { width: W, align: 'center' });
    doc.y = y + 26;
  }
  // short fields in two columns; long ones (names, notes) on full-width rows so nothing is cut
  const short: [string, string][] = [
    ['Steel grade', h.grade ?? '—'],
    ['Diameter', `Ø ${h.diameterMm} mm`],
    ['Heat', h.heat ?? '—'],
    ['Date', h.date.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC')],
    ['Operator', h.operator ?? '—'],
  ];
  const wide: [string, string][] = [
    ['Map source', input.indicesSource],
    ['C0', `${input.indices.c0WtPct.toFixed(3)} wt.% (${input.indices.c0Source === 'bulk' ? 'ladle/bulk carbon of the heat' : 'section mean of the map — no ladle carbon entered'})`],
  ];
  if (h.castingNotes) wide.push(['Casting notes', h.castingNotes]);
  const plant = input.plant ?? {};
  if (plant.etchant) wide.push(['Etchant', plant.etchant]);
  if (plant.analyserMethod) wide.push(['Analyser method', plant.analyserMethod]);
  if (plant.signedOffBy) wide.push(['Signed off by', plant.signedOffBy]);
  if (plant.acceptance) wide.push(['Acceptance', plant.acceptance.verdict]);
  if (input.pores) wide.push(['Pores detected', input.pores]);
  const labelW = 84;
  {
    const y = doc.y;
    doc.font('bold').fontSize(9).fillColor('#000').text('Billet:', MARGIN, y, { width: labelW, lineBreak: false });
    doc.font('bold').fontSize(10.5).text(T(h.billetName), MARGIN + labelW + 2, y - 1, { width: W - labelW - 2 });
    doc.moveDown(0.2);
  }
  const y0 = doc.y;
  const colW = W / 2;
  short.forEach(([k, v], i) => {
    const col = i % 2;
    const row = Math.floor(i / 2);
    doc.font('bold').fontSize(9).fillColor('#000').text(T(`${k}:`), MARGIN + col * colW, y0 + row * 13, { width: labelW, lineBreak: false });
    doc.font('body').text(T(v), MARGIN + col * colW + labelW + 2, y0 + row * 13, { width: colW - labelW - 6, lineBreak: false, ellipsis: true });
  });
  doc.y = y0 + Math.ceil(short.length / 2) * 13;
  for (const [k, v] of wide) {
    const y = doc.y;
    doc.font('bold').fontSize(9).text(T(`${k}:`), MARGIN, y, { width: labelW, lineBreak: false });
    doc.font('body').text(T(v), MARGIN + labelW + 2, y, { width: W - labelW - 2 });
    doc.moveDown(0.15);
  }
  doc.moveTo(MARGIN, doc.y + 3).lineTo(MARGIN + W, doc.y + 3).lineWidth(0.6).strokeColor('#000').stroke();
  doc.y += 8;

  // ── maps ───────────────────────────────────────────────────────────────────────────────────────
  for (const [i, m] of input.maps.entries()) {
    const img = (doc as unknown as { openImage(b: Buffer): { width: number; height: number } }).openImage(m.png);
    const avail = pageBottom() - doc.y - 36;
    let w = W;
    let hgt = (img.height / img.width) * w;
    if (hgt > avail) {
      // a map squeezed below three quarters of its size reads badly: start it on a fresh page
      if (avail < 0.75 * hgt) doc.addPage();
      const a2 = pageBottom() - doc.y - 36;
      if (hgt > a2) {
        hgt = a2;
        w = (img.width / img.height) * hgt;
      }
    }
    doc.font('bold').fontSize(10.5).fillColor('#000').text(T(`Figure ${i + 1}. ${m.title}`), MARGIN, doc.y);
    const top = doc.y + 2;
    doc.image(m.png, MARGIN + (W - w) / 2, top, { width: w, height: hgt });
    doc.y = top + hgt + 2;
    if (m.caption) doc.font('body').fontSize(7.5).fillColor('#333').text(T(m.caption), MARGIN, doc.y, { width: W });
    doc.moveDown(0.6);
  }

  // ── radial profile ─────────────────────────────────────────────────────────────────────────────
  ensure(250);
  heading('Radial profile');
  const chartY = doc.y;
  const series: ProfileSeries[] = [{ name: input.indicesSource, bins: input.indices.radialProfile, color: '#1f4e9c', band: true }];
  if (input.extraProfile) series.push({ name: input.extraProfile.name, bins: input.extraProfile.bins, color: '#c2571a', dashed: true });
  drawProfileChart(doc, { x: MARGIN, y: chartY, width: W, height: 200, series, whiteBand: input.indices.whiteBand, cetRing: input.indices.cetRing, font: 'body', text: T });
  doc.y = chartY + 206;

  // ── indices ────────────────────────────────────────────────────────────────────────────────────
  heading('Segregation indices');
  const ix = input.indices;
  const pos = (e: { xMm: number; yMm: number; rOverR: number }) => `at (${e.xMm.toFixed(0)}, ${e.yMm.toFixed(0)}) mm, r/R ${e.rOverR.toFixed(2)}`;
  const rows: string[][] = [
    ['C0', `${ix.c0WtPct.toFixed(4)} wt.%`, ix.c0Source === 'bulk' ? 'ladle/bulk carbon' : 'section mean'],
    ['Section mean', `${ix.sectionMeanWtPct.toFixed(4)} wt.%`, `C/C0 ${(ix.sectionMeanWtPct / ix.c0WtPct).toFixed(3)}`],
    ['Centre C/C0', ix.centre ? ix.centre.ratio.toFixed(3) : '— (centre masked)', ix.centre ? `max within r ≤ ${ix.centralRadiusMm.toFixed(0)} mm; ${ix.centre.wtPct.toFixed(4)} wt.% ${pos(ix.centre)}` : `r ≤ ${ix.centralRadiusMm.toFixed(0)} mm`],
    ['Max C/C0', ix.max.ratio.toFixed(3), `${ix.max.wtPct.toFixed(4)} wt.% ${pos(ix.max)}`],
    ['Min C/C0', ix.min.ratio.toFixed(3), `${ix.min.wtPct.toFixed(4)} wt.% ${pos(ix.min)}`],
    ['Section sd', `${ix.sdWtPct.toFixed(4)} wt.%`, `over ${ix.cellCount} cells of ${ix.cellAreaMm2.toFixed(1)} mm²`],
    ['Range (max − min)', `${ix.rangeWtPct.toFixed(4)} wt.%`, ''],
    ...ix.areaAbove.map((a) => [`Area C/C0 ≥ ${a.threshold.toFixed(2)}`, `${(a.fraction * 100).toFixed(1)} %`, 'of the mapped area']),
    ...ix.areaBelow.map((a) => [`Area C/C0 ≤ ${a.threshold.toFixed(2)}`, `${(a.fraction * 100).toFixed(1)} %`, 'of the mapped area']),
    ['White band', ix.whiteBand ? `r/R ${ix.whiteBand.rOverR.toFixed(2)}` : 'not detected', ix.whiteBand ? `r = ${ix.whiteBand.rMm.toFixed(0)} mm, C/C0 ${ix.whiteBand.ratio.toFixed(3)}, depth ${ix.whiteBand.prominence.toFixed(3)}` : 'no dip ≥ 0.01 C/C0 in r/R 0.45–0.95'],
    ['CET ring', ix.cetRing ? `r/R ${ix.cetRing.rOverR.toFixed(2)}` : 'not detected', ix.cetRing ? `r = ${ix.cetRing.rMm.toFixed(0)} mm, C/C0 ${ix.cetRing.ratio.toFixed(3)}, height ${ix.cetRing.prominence.toFixed(3)}` : 'no peak ≥ 0.01 C/C0 in r/R 0.15–0.70'],
    ['Covered', `${(ix.coveredFraction * 100).toFixed(1)} %`, 'of the section area: the indices are taken over this'],
    ...(ix.coverageRule ? [['Extrapolated (left out)', `${(ix.extrapolatedFraction * 100).toFixed(1)} %`, ix.coverageRule]] : []),
  ];
  table(doc, [{ title: 'Index', width: 0.24 }, { title: 'Value', width: 0.18 }, { title: 'Detail', width: 0.58 }], rows, { T, W, ensure });

  if (plant.acceptance) {
    const a = plant.acceptance;
    heading('Acceptance', 60);
    doc.font('bold').fontSize(10).fillColor(a.className ? '#000' : '#b00020').text(T(a.className ? `Class ${a.className}` : 'NOT ACCEPTED (no class)'), MARGIN, doc.y, { width: W });
    doc.font('body').fontSize(8.5).fillColor('#000').text(T(`${a.verdict}, max C/C0 of the ${input.indicesSource}${ix.coverageRule ? ' over the area the sampling points cover' : ''}, C0 = ${ix.c0WtPct.toFixed(4)} wt.% (${ix.c0Source === 'bulk' ? 'ladle/bulk' : 'section mean'}).`), MARGIN, doc.y, { width: W });
    doc.font('body').fontSize(8).fillColor('#333').text(T(`Rule: ${a.rule}`), MARGIN, doc.y, { width: W });
    doc.fillColor('#000');
  }

  heading('Definitions');
  doc.font('body').fontSize(7.5).fillColor('#000');
  for (const d of INDEX_DEFINITIONS) {
    ensure(20);
    doc.font('bold').text(T(`${d.name}: `), MARGIN, doc.y, { continued: true, width: W }).font('body').text(T(d.definition), { width: W });
  }
  ensure(30);
  doc.moveDown(0.3).font('bold').text(T('Map method: '), MARGIN, doc.y, { continued: true, width: W }).font('body').text(T(input.methodNote), { width: W });

  // ── points ─────────────────────────────────────────────────────────────────────────────────────
  heading(`Sampling points (${input.points.length})`);
  const hasPred = input.points.some((p) => p.predictedWtPct !== null);
  if (input.comparison) {
    const c = input.comparison;
    doc.font('body').fontSize(8.5).text(
      T(
        `Model vs. readings over ${c.n} points, ${input.comparisonFit?.sample ? sampleWords(input.comparisonFit.sample) : 'sample label unknown'}: MAE ${c.maeWtPct.toFixed(4)} wt.%, max |error| ${c.maxAbsErrorWtPct.toFixed(4)} wt.%, mean |relative error| ${(c.meanAbsRelativeError * 100).toFixed(2)} %, ${(c.within5Pct * 100).toFixed(0)} % of points within ±5 %, ` +
          (input.comparisonFit ? `${fitWords(input.comparisonFit)}.` : `${R2_DETERMINATION} ${Number.isFinite(c.r2) ? c.r2.toFixed(3) : '—'}.`),
      ),
      MARGIN,
      doc.y,
      { width: W },
    );
    doc.moveDown(0.3);
  }
  const f4 = (v: number | null) => (v === null ? '—' : v.toFixed(4));
  const cal = input.calibration ?? null;
  const nominal = cal ? `${Math.round((1 - cal.alpha) * 100)} %` : null;
  /** The same interval as the Maps view's uncertainty layer and `cnn.predict` (core/ml/conformal.ts). */
  const predictedText = (p: PointComparison): string => {
    const m = p.predictedWtPct!;
    if (!cal || (cal.method !== 'split-conformal-absolute' && p.predictedSdWtPct === null)) return m.toFixed(4);
    const iv = intervalFor(m, cal, p.predictedSdWtPct);
    return `${m.toFixed(4)} [${iv.lo.toFixed(4)}, ${iv.hi.toFixed(4)}]`;
  };
  if (hasPred) {
    doc.font('body').fontSize(8.5).text(T(cal ? `Predicted values with their calibrated ${coverageWords(cal)} (split-conformal on the model's held-out split residuals; on a billet unlike the training ones the coverage is not guaranteed).` : 'No calibrated interval: the model has too few held-out points (or is gone); predicted values are shown without one.'), MARGIN, doc.y, { width: W });
    doc.moveDown(0.3);
  }
  const pRows = input.points.map((p) => [
    p.label,
    p.xMm.toFixed(1),
    p.yMm.toFixed(1),
    p.measuredWtPct === null ? '—' : p.measuredWtPct.toFixed(4),
    p.predictedWtPct === null ? (p.masked && hasPred ? `masked (${p.masked})` : '—') : predictedText(p),
    p.errorWtPct === null ? '—' : `${p.errorWtPct >= 0 ? '+' : ''}${f4(p.errorWtPct)}`,
    p.relativeError === null ? '—' : `${p.relativeError >= 0 ? '+' : ''}${(p.relativeError * 100).toFixed(2)} %`,
  ]);
  table(
    doc,
    [
      { title: 'Point', width: 0.08 },
      { title: 'x, mm', width: 0.08, align: 'right' },
      { title: 'y, mm', width: 0.08, align: 'right' },
      { title: 'Measured, wt.%', width: 0.14, align: 'right' },
      { title: nominal ? `Predicted [${nominal} interval], wt.%` : 'Predicted, wt.%', width: 0.34, align: 'right' },
      { title: 'Error, wt.%', width: 0.14, align: 'right' },
      { title: 'Rel. error', width: 0.14, align: 'right' },
    ],
    pRows,
    { T, W, ensure, fontSize: 7.5 },
  );
  doc.font('body').fontSize(7).fillColor('#333').text(T('x to the right, y downwards, mm from the billet centre (as on the etched image). Error = predicted − measured; relative error = error / measured.'), MARGIN, doc.y + 2, { width: W });

  // ── model card ─────────────────────────────────────────────────────────────────────────────────
  if (input.model) {
    const m = input.model;
    heading('Model card');
    const mRows: string[][] = [
      ['Model', `#${m.id} ${m.name}${m.synthetic ? ' (trained on SYNTHETIC DATA)' : ''}`],
      ['Preset', m.preset ?? '—'],
      ['Training data', m.trainingData],
      ['Backend', m.backend],
      ['Trained', m.createdAt],
      ...m.metrics.map((x) => [x.name, x.value]),
    ];
    table(doc, [{ title: 'Item', width: 0.28 }, { title: 'Value', width: 0.72 }], mRows, { T, W, ensure });
  }

  // ── sign-off ───────────────────────────────────────────────────────────────────────────────────
  if (plant.signedOffBy) {
    heading('Sign-off', 70);
    const y = doc.y + 4;
    doc.font('body').fontSize(9).fillColor('#000').text(T(`Signed off by: ${plant.signedOffBy}`), MARGIN, y, { width: W * 0.5 });
    doc.text(T('Date: ____________    Signature: ______________________'), MARGIN + W * 0.5, y, { width: W * 0.5 });
    doc.moveDown(1);
  }

  // ── footer on every page ───────────────────────────────────────────────────────────────────────
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const fy = doc.page.height - MARGIN - FOOTER_H + 10;
    // writing inside the bottom margin must not trigger an automatic page break
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.moveTo(MARGIN, fy - 3).lineTo(MARGIN + W, fy - 3).lineWidth(0.4).strokeColor('#888').stroke();
    doc.font('body').fontSize(7).fillColor('#333');
    doc.text(T(`Ferrolab ${input.version} · data fingerprint ${input.fingerprint.slice(0, 16)}${input.synthetic ? ' · SYNTHETIC DATA' : ''}`), MARGIN, fy, { width: W * 0.75, lineBreak: false });
    doc.text(`page ${i - range.start + 1} of ${range.count}`, MARGIN + W * 0.75, fy, { width: W * 0.25, align: 'right', lineBreak: false });
    doc.page.margins.bottom = saved;
  }
  doc.end();
  return done;
}

interface Col {
  title: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

function table(
  doc: InstanceType<typeof PDFDocument>,
  cols: Col[],
  rows: string[][],
  o: { T: (s: string) => string; W: number; ensure: (h: number) => void; fontSize?: number },
): void {
  const fs = o.fontSize ?? 8.5;
  const pad = 3;
  const header = (first: boolean) => {
    // never leave a header (or a header and one row) alone at the foot of a page
    o.ensure(first ? (fs + 2 * pad) * (Math.min(rows.length, 5) + 1) : fs * 3);
    let x = MARGIN;
    const y = doc.y;
    doc.rect(MARGIN, y, o.W, fs + 2 * pad).fillColor('#e8ecf2').fill();
    doc.font('bold').fontSize(fs).fillColor('#000');
    for (const c of cols) {
      doc.text(o.T(c.title), x + pad, y + pad, { width: c.width * o.W - 2 * pad, align: c.align ?? 'left', lineBreak: false });
      x += c.width * o.W;
    }
    doc.y = y + fs + 2 * pad;
  };
  header(true);
  doc.font('body').fontSize(fs);
  rows.forEach((r, ri) => {
    const hs = r.map((cell, ci) => doc.heightOfString(o.T(cell), { width: cols[ci].width * o.W - 2 * pad }));
    const rh = Math.max(fs, ...hs) + 2 * pad - 1;
    if (doc.y + rh > doc.page.height - MARGIN - FOOTER_H) {
      doc.addPage();
      header(false);
      doc.font('body').fontSize(fs);
    }
    const y = doc.y;
    if (ri % 2 === 1) doc.rect(MARGIN, y, o.W, rh).fillColor('#f6f7f9').fill();
    doc.fillColor('#000');
    let x = MARGIN;
    r.forEach((cell, ci) => {
      doc.text(o.T(cell), x + pad, y + pad - 0.5, { width: cols[ci].width * o.W - 2 * pad, align: cols[ci].align ?? 'left' });
      x += cols[ci].width * o.W;
    });
    doc.y = y + rh;
  });
  doc.moveDown(0.3);
}
