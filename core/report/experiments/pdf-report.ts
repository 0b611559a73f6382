import PDFDocument from 'pdfkit';
import type { ExperimentFigure, ExperimentTable } from '../../experiments/types.js';
import { asciiSafe, collectPdf, needsCjk, reportFonts } from '../fonts.js';
import { layoutChart } from './chart-geometry.js';
import { cellWithPaper, settingsText, type ReproductionReportInput } from './report-input.js';
import { reproductionWords, type ReproductionWords } from './report-words.js';

/**
 * The reproduction report as a PDF (pdfkit, A4): the same content as the HTML report — tables with the paper's
 * value under each measured one, figures drawn as vectors from the same chart layout, run description, notes and
 * settings — and the SYNTHETIC DATA banner on the first page and at the top of every page when the data are.
 */

const MARGIN = 40;
type Doc = InstanceType<typeof PDFDocument>;

export async function buildReproductionPdf(input: ReproductionReportInput): Promise<Buffer> {
  const w = reproductionWords(input);
  // A Chinese report, or a billet or dataset typed in Chinese, prints in the CJK font, as in the map report.
  const fonts = reportFonts(w.lang === 'zh' || needsCjk(input.inputs));
  const T = (s: string) => asciiSafe(s, fonts.unicode);
  const title = w.title();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN + (input.synthetic ? 18 : 0), bottom: MARGIN, left: MARGIN, right: MARGIN },
    autoFirstPage: false,
    info: {
      Title: T(`${title}${input.synthetic ? ` (${w.text.syntheticShort})` : ''}`),
      Creator: `Ferrolab ${input.version}`,
      Producer: `Ferrolab ${input.version} (pdfkit)`,
      Keywords: `fingerprint:${input.fingerprint}`,
    },
  });
  const done = collectPdf(doc, fonts);
  // Every page of synthetic data says so at its top, whatever made the page break.
  doc.on('pageAdded', () => {
    if (!input.synthetic) return;
    const y = doc.y;
    doc.save().rect(MARGIN, 18, doc.page.width - 2 * MARGIN, 16).fill('#b00020');
    doc.font('bold').fontSize(9).fillColor('#fff').text(T(w.banner), MARGIN + 6, 22, { lineBreak: false });
    doc.restore();
    doc.fillColor('#000').font('body');
    doc.y = y;
  });
  doc.addPage();
  const W = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN;
  const ensure = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage();
  };
  const para = (s: string, size = 9, font = 'body') => {
    doc.font(font).fontSize(size).fillColor('#000').text(T(s), MARGIN, doc.y, { width: W });
  };

  doc.font('bold').fontSize(15).text(T(title), MARGIN, doc.y, { width: W });
  doc.moveDown(0.3);
  if (input.synthetic) para(w.banner, 11, 'bold');
  para(w.budget());
  doc.moveDown(0.3);
  for (const [k, v] of w.runRows()) para(w.tr('colon', { label: k }) + ` ${v}`);
  doc.moveDown(0.3);
  para(w.text.explainPdf, 8);

  for (const r of input.results) {
    ensure(120);
    doc.moveDown(0.8);
    doc.font('bold').fontSize(12).text(T(`${w.resultTitle(r)} (${r.paperRef})`), MARGIN, doc.y, { width: W });
    doc.moveDown(0.2);
    for (const t of r.tables) drawTable(doc, t, W, T, ensure, w);
    for (const f of r.figures) drawFigure(doc, f, W, T, ensure, w);
    if (r.notes.length) {
      ensure(30);
      para(w.text.notes, 9, 'bold');
      r.notes.forEach((_n, i) => para(`• ${w.note(r, i)}`, 8));
    }
    const settings = Object.entries(r.settings);
    if (settings.length) {
      ensure(30);
      para(w.text.settings, 9, 'bold');
      for (const [k, v] of settings) para(`${k}: ${settingsText(v)}`, 8);
    }
    para(w.seedsTime(r), 8);
  }
  if (!input.results.length) para(w.text.none);
  doc.end();
  return done;
}

function drawTable(doc: Doc, t: ExperimentTable, W: number, T: (s: string) => string, ensure: (h: number) => void, w: ReproductionWords): void {
  ensure(50);
  doc.moveDown(0.4);
  doc.font('bold').fontSize(9).fillColor('#000').text(T(`${w.tableTitle(t)} [${w.sample(t.sample)}]`), MARGIN, doc.y, { width: W });
  if (t.caption) doc.font('body').fontSize(7.5).text(T(w.caption(t)!), MARGIN, doc.y, { width: W });
  doc.moveDown(0.2);
  const cw = W / Math.max(1, t.columns.length);
  const size = t.columns.length > 8 ? 6 : 7;
  const rowOf = (texts: string[], font: string, fill: string | null) => {
    doc.font(font).fontSize(size);
    const h = Math.max(...texts.map((s) => doc.heightOfString(T(s), { width: cw - 4 }))) + 4;
    ensure(h);
    const y = doc.y;
    if (fill) doc.rect(MARGIN, y, W, h).fill(fill);
    texts.forEach((s, i) => {
      doc.fillColor('#000').font(font).fontSize(size).text(T(s), MARGIN + i * cw + 2, y + 2, { width: cw - 4 });
    });
    doc.moveTo(MARGIN, y + h).lineTo(MARGIN + W, y + h).lineWidth(0.3).strokeColor('#999').stroke();
    doc.x = MARGIN;
    doc.y = y + h;
  };
  rowOf(t.columns.map((c) => w.column(c)), 'bold', '#eeeeee');
  for (const r of t.rows) {
    rowOf(
      t.columns.map((c) => {
        const v = cellWithPaper(r.cells[c.key], r.paper?.[c.key], c);
        return v.paper === null ? v.measured : `${v.measured}\n(${w.paper(v.paper)})`;
      }),
      'body',
      null,
    );
  }
}

function drawFigure(doc: Doc, f: ExperimentFigure, W: number, T: (s: string) => string, ensure: (h: number) => void, w: ReproductionWords): void {
  const H = 200;
  ensure(H + 40);
  doc.moveDown(0.4);
  const y0 = doc.y;
  const L = layoutChart({ ...f, series: f.series.map((s) => ({ ...s, name: w.series(s) })) }, { x: MARGIN, y: y0, width: W, height: H });
  const { plot } = L;
  doc.save();
  doc.font('body').fontSize(7).fillColor('#000');
  for (const t of L.yTicks) {
    doc.moveTo(plot.left, t.at).lineTo(plot.right, t.at).lineWidth(0.3).strokeColor('#cccccc').stroke();
    doc.fillColor('#000').text(T(t.label), MARGIN, t.at - 3.5, { width: plot.left - MARGIN - 4, align: 'right', lineBreak: false });
  }
  for (const t of L.xTicks) doc.fillColor('#000').text(T(t.label), t.at - 30, plot.bottom + 4, { width: 60, align: 'center', lineBreak: false });
  doc.rect(plot.left, plot.top, plot.right - plot.left, plot.bottom - plot.top).lineWidth(0.6).strokeColor('#333').stroke();
  for (const s of L.series) {
    if (s.dashed) doc.dash(4, { space: 2 });
    else doc.undash();
    if (f.kind === 'bar') {
      for (const p of s.points) {
        const top = Math.min(p.py, L.zeroY);
        const r = doc.rect(p.px - L.barWidth / 2, top, L.barWidth, Math.abs(L.zeroY - p.py));
        if (s.dashed) r.lineWidth(0.8).strokeColor(s.color).stroke();
        else r.fill(s.color);
      }
    } else {
      if (f.kind === 'line' && s.points.length > 1) {
        doc.moveTo(s.points[0].px, s.points[0].py);
        for (const p of s.points.slice(1)) doc.lineTo(p.px, p.py);
        doc.lineWidth(1.2).strokeColor(s.color).stroke();
      }
      doc.undash();
      for (const p of s.points) doc.circle(p.px, p.py, 1.8).lineWidth(0.6).fillAndStroke(s.dashed ? '#ffffff' : s.color, s.color);
    }
    doc.undash();
    for (const p of s.points) if (p.plo !== undefined && p.phi !== undefined) doc.moveTo(p.px, p.plo).lineTo(p.px, p.phi).lineWidth(0.6).strokeColor(s.color).stroke();
  }
  doc.undash();
  const xl = w.axis(f.x);
  const yl = w.axis(f.y);
  doc.fillColor('#000').fontSize(8).text(T(xl), plot.left, plot.bottom + 14, { width: plot.right - plot.left, align: 'center', lineBreak: false });
  doc.fontSize(7).text(T(`y: ${yl}`), plot.left + 4, plot.top + 2, { lineBreak: false });
  L.series.forEach((s, i) => {
    const lx = plot.left + i * 140;
    const ly = y0 + H + 2;
    if (s.dashed) doc.dash(4, { space: 2 });
    doc.moveTo(lx, ly + 4).lineTo(lx + 16, ly + 4).lineWidth(1.4).strokeColor(s.color).stroke();
    doc.undash();
    doc.fillColor('#000').fontSize(7).text(T(s.name), lx + 20, ly, { width: 118, lineBreak: false });
  });
  doc.restore();
  doc.x = MARGIN;
  doc.y = y0 + H + 14;
  doc.font('body').fontSize(8).fillColor('#000').text(T(`${w.figureTitle(f)}${f.caption ? ` — ${w.caption(f)}` : ''}`), MARGIN, doc.y, { width: W });
}
