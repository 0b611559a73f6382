import PDFDocument from 'pdfkit';
import type { ComparisonSummary, PointComparison, ProfileBin, SegregationIndices } from '../maps/index.js';
import { indexDefinitions } from './index-definitions.js';
import { asciiSafe, collectPdf, needsCjk, reportFonts } from './fonts.js';
import { reportPhraser, reportTranslator, type ReportLanguage, type ReportTranslate } from './report-i18n.js';
import { drawProfileChart, type ProfileSeries } from './profile-chart.js';
import { fitPhrase, samplePhrase, R2_DETERMINATION } from '../ml/fit-words.js';
import { intervalFor, coveragePhrase, type IntervalCalibration } from '../ml/conformal.js';
import type { SampleLabel } from '../api/methods/cnn.js';
import type { Phrase } from '../api/phrase.js';
import type { AcceptanceResult } from './acceptance.js';
import { sdDigits } from './repeatability-arithmetic.js';

// Length (~420 lines): one printed document — header, plant fields, maps, indices, acceptance, comparison, model
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
  /** The caption as sentences written as codes (core/services/shared/map-notes.ts), for the report's language; null: only the English. */
  captionPhrases?: Phrase[] | null;
  /** A line under the map in the report's language (the smoothed map's contours beside the model's interval). */
  notePhrase?: Phrase | null;
}

export interface ComparisonFit {
  r2: number;
  r2Determination: number;
  meanBias: number;
  sample: SampleLabel | null;
  /** The model's training mean (wt.%) and its MAE predicted at the same readings: the baseline that knows no image (null/absent: not known). */
  trainingMean?: number | null;
  baselineMae?: number | null;
}

export interface MapReportInput {
  paper: Paper;
  /** The language the report is printed in (default English); Chinese embeds a CJK font. */
  language?: ReportLanguage;
  header: ReportHeader;
  synthetic: boolean;
  /** What the indices were computed from, e.g. "measured map (thin-plate spline)". */
  indicesSource: string;
  maps: ReportMap[];
  indices: SegregationIndices;
  /** What a predicted map's indices are to its model (in-sample: its training image); null for a measured map or not known. */
  indicesSample?: SampleLabel | null;
  /** What a predicted map's indices are taken over: its smoothed field (which shrinks extremes) or the raw patch mosaic; null for a measured map. */
  indicesField?: 'smoothed' | 'mosaic' | null;
  plant?: PlantReportFields | null;
  /**
   * A predicted map's section scale against its file's resolution tag and its model's training check, as stored with
   * the map (migration 029), in words (core/api/scale-check-words.ts). Undefined for a measured map (no patches were cut).
   */
  scaleWords?: Phrase[];
  /** What follows "Pores detected:" (count and minimum diameter, cells masked), e.g. "12 (≥ 1.0 mm)". */
  pores?: string | null;
  /** A second profile to compare (e.g. measured when the indices come from the predicted map). */
  extraProfile?: { name: string; bins: ProfileBin[] } | null;
  methodNote: string;
  /** methodNote as sentences written as codes, printed in the report's language (null: only the English). */
  methodPhrases?: Phrase[] | null;
  points: PointComparison[];
  /**
   * The analyser's repeatability pooled from the points read at least twice (core/segregation/repeatability.ts):
   * printed under the points table; null: no point was read twice (said so); absent: not stated.
   */
  repeatability?: { sdWtPct: number; df: number; points: number } | null;
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
  const lang = input.language ?? 'en';
  const tr = reportTranslator(lang);
  const say = reportPhraser(lang);
  /** A note of several sentences (codes) in the report's language: Chinese runs its sentences on, the others space them. */
  const sayNote = (ps: Phrase[] | null | undefined, fallback: string) => (ps?.length ? ps.map((p) => say(p)).join(lang === 'zh' ? '' : ' ') : fallback);
  // a Chinese billet or lab name needs the CJK font even in an English report
  const fonts = reportFonts(lang === 'zh' || hasCjk(input));
  const T = (s: string) => asciiSafe(s, fonts.unicode);
  /** "Label:" with the language's colon (full-width in Chinese). */
  const colon = (label: string) => tr('colon', { label });
  const doc = new PDFDocument({
    size: input.paper === 'Letter' ? 'LETTER' : 'A4',
    margins: { top: MARGIN, bottom: MARGIN + FOOTER_H, left: MARGIN, right: MARGIN },
    bufferPages: true,
    autoFirstPage: true,
    info: {
      Title: T(tr('meta.title', { billet: input.header.billetName })),
      Author: T(input.header.operator ?? 'Ferrolab'),
      Subject: T(input.synthetic ? tr('meta.subjectSynthetic', { billet: input.header.billetName }) : tr('meta.subject', { billet: input.header.billetName })),
      Creator: `Ferrolab ${input.version}`,
      Producer: `Ferrolab ${input.version} (pdfkit)`,
      Keywords: `fingerprint:${input.fingerprint}`,
    },
  });
  const done = collectPdf(doc, fonts);

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
  doc.font('bold').fontSize(16).fillColor('#000').text(T(tr('title')), MARGIN, MARGIN, { width: W * 0.65 });
  const titleBottom = doc.y; // a title that wraps (Italian) pushes the rest down
  doc.font('body').fontSize(9).fillColor('#333').text(T(h.lab ?? tr('labUnknown')), MARGIN + W * 0.6, MARGIN + 4, { width: W * 0.4, align: 'right' });
  doc.y = Math.max(MARGIN + 26, titleBottom + 4);
  if (input.synthetic) {
    const y = doc.y;
    doc.rect(MARGIN, y, W, 20).fillColor('#b00020').fill();
    doc.font('bold').fontSize(11).fillColor('#fff').text(T(tr('syntheticBanner')), MARGIN, y + 5, { width: W, align: 'center' });
    doc.y = y + 26;
  }
  // a predicted map's indices (and its acceptance class) are in-sample on the image the model trained on: said where the source is
  const sourceWithSample = input.indicesSample ? tr('sourceSample', { source: input.indicesSource, sample: say(samplePhrase(input.indicesSample)) }) : input.indicesSource;
  // short fields in two columns; long ones (names, notes) on full-width rows so nothing is cut
  const short: [string, string][] = [
    [tr('field.grade'), h.grade ?? '—'],
    [tr('field.diameter'), `Ø ${h.diameterMm} mm`],
    [tr('field.heat'), h.heat ?? '—'],
    [tr('field.date'), h.date.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC')],
    [tr('field.operator'), h.operator ?? '—'],
  ];
  const wide: [string, string][] = [
    [tr('field.mapSource'), sourceWithSample],
    ['C0', `${input.indices.c0WtPct.toFixed(3)} wt.% (${input.indices.c0Source === 'bulk' ? tr('c0.bulkLong') : input.indices.c0Source === 'measured-area-mean' ? tr('c0.measuredAreaLong') : input.indices.c0Source === 'lattice-mean' ? tr('c0.latticeLong') : tr('c0.meanLong')})`],
  ];
  if (h.castingNotes) wide.push([tr('field.castingNotes'), h.castingNotes]);
  const plant = input.plant ?? {};
  if (plant.etchant) wide.push([tr('field.etchant'), plant.etchant]);
  if (plant.analyserMethod) wide.push([tr('field.analyserMethod'), plant.analyserMethod]);
  if (plant.signedOffBy) wide.push([tr('field.signedOffBy'), plant.signedOffBy]);
  if (plant.acceptance) wide.push([tr('field.acceptance'), `${plant.acceptance.headline} — ${plant.acceptance.verdict}`]);
  if (input.pores) wide.push([tr('field.pores'), input.pores]);
  if (input.scaleWords !== undefined) wide.push([tr('field.sectionScale'), input.scaleWords.map((p) => say(p)).join(lang === 'zh' ? '；' : '; ')]);
  // as wide as the longest label in this language (Italian ones are longer), within reason
  doc.font('bold').fontSize(9);
  const labelW = Math.min(130, Math.max(84, ...[tr('field.billet'), ...short.map(([k]) => k), ...wide.map(([k]) => k)].map((k) => doc.widthOfString(T(colon(k))) + 2)));
  {
    const y = doc.y;
    doc.font('bold').fontSize(9).fillColor('#000').text(T(colon(tr('field.billet'))), MARGIN, y, { width: labelW, lineBreak: false });
    doc.font('bold').fontSize(10.5).text(T(h.billetName), MARGIN + labelW + 2, y - 1, { width: W - labelW - 2 });
    doc.moveDown(0.2);
  }
  const y0 = doc.y;
  const colW = W / 2;
  short.forEach(([k, v], i) => {
    const col = i % 2;
    const row = Math.floor(i / 2);
    doc.font('bold').fontSize(9).fillColor('#000').text(T(colon(k)), MARGIN + col * colW, y0 + row * 13, { width: labelW, lineBreak: false });
    doc.font('body').text(T(v), MARGIN + col * colW + labelW + 2, y0 + row * 13, { width: colW - labelW - 6, lineBreak: false, ellipsis: true });
  });
  doc.y = y0 + Math.ceil(short.length / 2) * 13;
  for (const [k, v] of wide) {
    const y = doc.y;
    doc.font('bold').fontSize(9).text(T(colon(k)), MARGIN, y, { width: labelW, lineBreak: false });
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
    doc.font('bold').fontSize(10.5).fillColor('#000').text(T(tr('figure', { n: i + 1, title: m.title })), MARGIN, doc.y);
    const top = doc.y + 2;
    doc.image(m.png, MARGIN + (W - w) / 2, top, { width: w, height: hgt });
    doc.y = top + hgt + 2;
    if (m.notePhrase) doc.font('body').fontSize(7.5).fillColor('#000').text(T(say(m.notePhrase)), MARGIN, doc.y, { width: W });
    if (m.caption) doc.font('body').fontSize(7.5).fillColor('#333').text(T(sayNote(m.captionPhrases, m.caption)), MARGIN, doc.y, { width: W });
    doc.moveDown(0.6);
  }

  // ── radial profile ─────────────────────────────────────────────────────────────────────────────
  ensure(250);
  heading(tr('heading.profile'));
  const chartY = doc.y;
  const series: ProfileSeries[] = [{ name: input.indicesSource, bins: input.indices.radialProfile, color: '#1f4e9c', band: true }];
  if (input.extraProfile) series.push({ name: input.extraProfile.name, bins: input.extraProfile.bins, color: '#c2571a', dashed: true });
  drawProfileChart(doc, { x: MARGIN, y: chartY, width: W, height: 200, series, whiteBand: input.indices.whiteBand, cetRing: input.indices.cetRing, font: 'body', text: T });
  doc.y = chartY + 206;

  // ── indices ────────────────────────────────────────────────────────────────────────────────────
  heading(tr('heading.indices'));
  const ix = input.indices;
  const pos = (e: { xMm: number; yMm: number; rOverR: number }) => tr('idx.pos', { x: e.xMm.toFixed(0), y: e.yMm.toFixed(0), r: e.rOverR.toFixed(2) });
  const at = (e: { wtPct: number; xMm: number; yMm: number; rOverR: number }) => tr('idx.wtAt', { wt: e.wtPct.toFixed(4), pos: pos(e) });
  const rc = ix.centralRadiusMm.toFixed(0);
  const rows: string[][] = [
    ['C0', `${ix.c0WtPct.toFixed(4)} wt.%`, ix.c0Source === 'bulk' ? tr('c0.bulk') : ix.c0Source === 'measured-area-mean' ? tr('c0.measuredArea') : ix.c0Source === 'lattice-mean' ? tr('c0.lattice') : tr('c0.mean')],
    [tr('idx.sectionMean'), `${ix.sectionMeanWtPct.toFixed(4)} wt.%`, `C/C0 ${(ix.sectionMeanWtPct / ix.c0WtPct).toFixed(3)}`],
    [tr('idx.centre'), ix.centre ? ix.centre.ratio.toFixed(3) : tr('idx.centreMasked'), ix.centre ? tr('idx.centreDetail', { rc, at: at(ix.centre) }) : tr('idx.centreRadius', { rc })],
    [tr('idx.max'), ix.max.ratio.toFixed(3), at(ix.max)],
    [tr('idx.min'), ix.min.ratio.toFixed(3), at(ix.min)],
    [tr('idx.sd'), `${ix.sdWtPct.toFixed(4)} wt.%`, tr('idx.sdDetail', { n: ix.cellCount, area: ix.cellAreaMm2.toFixed(1) })],
    [tr('idx.range'), `${ix.rangeWtPct.toFixed(4)} wt.%`, ''],
    ...ix.areaAbove.map((a) => [tr('idx.areaAbove', { t: a.threshold.toFixed(2) }), `${(a.fraction * 100).toFixed(1)} %`, tr('idx.ofArea')]),
    ...ix.areaBelow.map((a) => [tr('idx.areaBelow', { t: a.threshold.toFixed(2) }), `${(a.fraction * 100).toFixed(1)} %`, tr('idx.ofArea')]),
    [tr('idx.whiteBand'), ix.whiteBand ? `r/R ${ix.whiteBand.rOverR.toFixed(2)}` : tr('idx.notDetected'), ix.whiteBand ? tr('idx.whiteBandDetail', { r: ix.whiteBand.rMm.toFixed(0), ratio: ix.whiteBand.ratio.toFixed(3), depth: ix.whiteBand.prominence.toFixed(3) }) : tr('idx.whiteBandNone')],
    [tr('idx.cet'), ix.cetRing ? `r/R ${ix.cetRing.rOverR.toFixed(2)}` : tr('idx.notDetected'), ix.cetRing ? tr('idx.cetDetail', { r: ix.cetRing.rMm.toFixed(0), ratio: ix.cetRing.ratio.toFixed(3), height: ix.cetRing.prominence.toFixed(3) }) : tr('idx.cetNone')],
    [tr('idx.covered'), `${(ix.coveredFraction * 100).toFixed(1)} %`, tr('idx.coveredDetail')],
    ...(ix.coverageRule ? [[tr('idx.extrapolated'), `${(ix.extrapolatedFraction * 100).toFixed(1)} %`, say(ix.coverageRulePhrase, ix.coverageRule)]] : []),
  ];
  table(doc, [{ title: tr('col.index'), width: 0.24 }, { title: tr('col.value'), width: 0.18 }, { title: tr('col.detail'), width: 0.58 }], rows, { T, W, ensure });
  // a smoothed field's max, sd, range and area fractions are smaller than the patches': the table says which it took
  if (input.indicesField) doc.font('body').fontSize(8).fillColor('#333').text(T(input.indicesField === 'smoothed' ? tr('idx.overSmoothed') : tr('idx.overMosaic')), MARGIN, doc.y, { width: W }).fillColor('#000');

  if (plant.acceptance) {
    const a = plant.acceptance;
    heading(tr('heading.acceptance'), 60);
    // a class that holds only at the point estimate is printed in the warning colour, as a rejection is
    doc.font('bold').fontSize(10).fillColor(a.className && !a.pointEstimateOnly ? '#000' : '#b00020').text(T(a.headline), MARGIN, doc.y, { width: W });
    // one reference C0 for every figure of the section, stated once
    const c0Words = a.c0Source === 'bulk' ? tr('acceptance.c0Source.bulk') : a.c0Source === 'measured-area-mean' ? tr('acceptance.c0Source.measuredAreaMean') : tr('acceptance.c0Source.sectionMean'); // sectionMean's words: the raw lattice's mean
    doc.font('body').fontSize(8.5).fillColor('#000');
    if (a.c0WtPct !== null) doc.text(T(tr('acceptance.c0Line', { c0: a.c0WtPct.toFixed(4), source: c0Words })), MARGIN, doc.y, { width: W });
    const line = ix.coverageRule ? tr('acceptance.lineCovered', { verdict: a.mapFigure, source: sourceWithSample }) : tr('acceptance.line', { verdict: a.mapFigure, source: sourceWithSample });
    doc.text(T(line), MARGIN, doc.y, { width: W });
    for (const f of a.otherFigures) doc.text(T(f), MARGIN, doc.y, { width: W });
    if (a.basis) doc.font('body').fontSize(8).fillColor('#333').text(T(a.basis), MARGIN, doc.y, { width: W });
    doc.font('body').fontSize(8).fillColor('#333').text(T(tr('acceptance.rule', { rule: a.rule })), MARGIN, doc.y, { width: W });
    doc.fillColor('#000');
  }

  heading(tr('heading.definitions'));
  doc.font('body').fontSize(7.5).fillColor('#000');
  for (const d of indexDefinitions(tr)) {
    ensure(20);
    doc.font('bold').text(T(`${colon(d.name)} `), MARGIN, doc.y, { continued: true, width: W }).font('body').text(T(d.definition), { width: W });
  }
  ensure(30);
  doc.moveDown(0.3).font('bold').text(T(`${colon(tr('mapMethod'))} `), MARGIN, doc.y, { continued: true, width: W }).font('body').text(T(sayNote(input.methodPhrases, input.methodNote)), { width: W });

  // ── points ─────────────────────────────────────────────────────────────────────────────────────
  heading(tr('heading.points', { n: input.points.length }));
  const hasPred = input.points.some((p) => p.predictedWtPct !== null);
  if (input.comparison) {
    const c = input.comparison;
    doc.font('body').fontSize(8.5).text(
      T(
        tr('comparison', {
          count: c.n, // the plural of "points" (i18next _one/_other): "over 1 point"
          sample: input.comparisonFit?.sample ? say(samplePhrase(input.comparisonFit.sample)) : tr('sampleUnknown'),
          mae: c.maeWtPct.toFixed(4),
          max: c.maxAbsErrorWtPct.toFixed(4),
          rel: (c.meanAbsRelativeError * 100).toFixed(2),
          within: (c.within5Pct * 100).toFixed(0),
          fit: input.comparisonFit ? say(fitPhrase(input.comparisonFit)) : `${R2_DETERMINATION} ${Number.isFinite(c.r2) ? c.r2.toFixed(3) : '—'}`,
          baseline: comparisonBaseline(input.comparisonFit, c.n, tr),
        }),
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
    doc.font('body').fontSize(8.5).text(T(cal ? tr('predicted.calibrated', { coverage: say(coveragePhrase(cal)) }) : tr('predicted.none')), MARGIN, doc.y, { width: W });
    doc.moveDown(0.3);
  }
  /** Why a point has no prediction, in the report's language (the map domain's reasons are identifiers). */
  const maskWhy = (w: string): string =>
    w === 'outside' ? tr('maskReason.outside') : w === 'porosity' ? tr('maskReason.porosity') : w === 'lowContrast' ? tr('maskReason.lowContrast') : w === 'quality' ? tr('maskReason.quality') : w === 'not predicted' ? tr('maskReason.notPredicted') : w;
  const pRows = input.points.map((p) => [
    p.label,
    p.xMm.toFixed(1),
    p.yMm.toFixed(1),
    p.measuredWtPct === null ? '—' : p.measuredWtPct.toFixed(4),
    // how many readings the mean averages and their spread: a single reading stays plainly single
    p.replicates > 0 ? String(p.replicates) : '—',
    p.replicates >= 2 && p.replicateSdWtPct !== null ? p.replicateSdWtPct.toFixed(4) : p.replicates === 1 ? tr('points.single') : '—',
    p.predictedWtPct === null ? (p.masked && hasPred ? tr('masked', { why: maskWhy(p.masked) }) : '—') : predictedText(p),
    p.errorWtPct === null ? '—' : `${p.errorWtPct >= 0 ? '+' : ''}${f4(p.errorWtPct)}`,
    p.relativeError === null ? '—' : `${p.relativeError >= 0 ? '+' : ''}${(p.relativeError * 100).toFixed(2)} %`,
  ]);
  table(
    doc,
    [
      { title: tr('col.point'), width: 0.07 },
      { title: 'x, mm', width: 0.07, align: 'right' },
      { title: 'y, mm', width: 0.07, align: 'right' },
      { title: tr('col.measured'), width: 0.15, align: 'right' },
      { title: 'n', width: 0.04, align: 'right' },
      { title: tr('col.spread'), width: 0.1, align: 'right' },
      { title: nominal ? tr('col.predictedInterval', { nominal }) : tr('col.predicted'), width: 0.28, align: 'right' },
      { title: tr('col.error'), width: 0.11, align: 'right' },
      { title: tr('col.relError'), width: 0.11, align: 'right' },
    ],
    pRows,
    { T, W, ensure, fontSize: 7.5 },
  );
  doc.font('body').fontSize(7).fillColor('#333').text(T(tr('pointsNote')), MARGIN, doc.y + 2, { width: W });
  doc.text(T(tr('pointsReplicatesNote')), MARGIN, doc.y, { width: W });
  if (input.repeatability !== undefined) {
    const r = input.repeatability;
    doc.text(T(r ? tr('repeatability.pooled', { sd: sdDigits(r.sdWtPct), df: r.df, points: r.points }) : tr('repeatability.none')), MARGIN, doc.y, { width: W });
  }

  // ── model card ─────────────────────────────────────────────────────────────────────────────────
  if (input.model) {
    const m = input.model;
    heading(tr('heading.modelCard'));
    const mRows: string[][] = [
      [tr('card.model'), m.synthetic ? tr('card.nameSynthetic', { id: m.id, name: m.name }) : `#${m.id} ${m.name}`],
      [tr('card.preset'), m.preset ?? '—'],
      [tr('card.trainingData'), m.trainingData],
      [tr('card.backend'), m.backend],
      [tr('card.trained'), m.createdAt],
      ...m.metrics.map((x) => [x.name, x.value]),
    ];
    table(doc, [{ title: tr('col.item'), width: 0.28 }, { title: tr('col.value'), width: 0.72 }], mRows, { T, W, ensure });
  }

  // ── sign-off ───────────────────────────────────────────────────────────────────────────────────
  if (plant.signedOffBy) {
    heading(tr('heading.signOff'), 70);
    const y = doc.y + 4;
    doc.font('body').fontSize(9).fillColor('#000').text(T(`${colon(tr('field.signedOffBy'))} ${plant.signedOffBy}`), MARGIN, y, { width: W * 0.5 });
    doc.text(T(tr('signatureLine')), MARGIN + W * 0.5, y, { width: W * 0.5 });
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
    const footer = { version: input.version, fingerprint: input.fingerprint.slice(0, 16) };
    doc.text(T(input.synthetic ? tr('footerSynthetic', footer) : tr('footer', footer)), MARGIN, fy, { width: W * 0.75, lineBreak: false });
    doc.text(T(tr('page', { n: i - range.start + 1, count: range.count })), MARGIN + W * 0.75, fy, { width: W * 0.25, align: 'right', lineBreak: false });
    doc.page.margins.bottom = saved;
  }
  doc.end();
  return done;
}


/** Whether anything the user typed (names, notes, plant fields) is Chinese, Japanese or Korean text. */
function hasCjk(input: MapReportInput): boolean {
  const h = input.header;
  const p = input.plant ?? {};
  return needsCjk([h.lab, h.billetName, h.grade, h.heat, h.castingNotes, h.operator, p.etchant, p.analyserMethod, p.signedOffBy, input.model?.name]);
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
    // a title wider than its column wraps onto a taller header row (a language's longer words must not run over the
    // next title or the first row); a one-line header keeps the height it always had
    doc.font('bold').fontSize(fs);
    const oneLine = doc.heightOfString('X');
    const extra = Math.max(0, ...cols.map((c) => doc.heightOfString(o.T(c.title), { width: c.width * o.W - 2 * pad }) - oneLine));
    const hh = fs + extra + 2 * pad;
    // never leave a header (or a header and one row) alone at the foot of a page
    o.ensure(first ? hh + (fs + 2 * pad) * Math.min(rows.length, 5) : hh + 2 * fs);
    let x = MARGIN;
    const y = doc.y;
    doc.rect(MARGIN, y, o.W, hh).fillColor('#e8ecf2').fill();
    doc.font('bold').fontSize(fs).fillColor('#000');
    for (const c of cols) {
      doc.text(o.T(c.title), x + pad, y + pad, { width: c.width * o.W - 2 * pad, align: c.align ?? 'left' });
      x += c.width * o.W;
    }
    doc.y = y + hh;
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

/** The MAE of the baseline that knows no image (the model's training mean at every reading), beside the model's. */
function comparisonBaseline(fit: ComparisonFit | null | undefined, n: number, tr: ReportTranslate): string {
  // no fit: fewer than 2 readings compared (nothing is computed on one), else no model recorded with the map
  if (!fit) return n < 2 ? tr('comparisonTooFew', { count: n }) : tr('comparisonNoModel');
  const mean = fit?.trainingMean;
  const mae = fit?.baselineMae;
  return mean === null || mean === undefined || mae === null || mae === undefined ? tr('comparisonNoBaseline') : tr('comparisonBaseline', { mean: mean.toFixed(4), mae: mae.toFixed(4) });
}
