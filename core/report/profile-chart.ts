import type PDFDocument from 'pdfkit';
import type { BandFeature, ProfileBin } from '../maps/index.js';
import { decimalsFor, niceRange, niceTicks } from '../maps/index.js';

export interface ProfileSeries {
  name: string;
  bins: ProfileBin[];
  color: string;
  dashed?: boolean;
  /** Draw the ±1 sd band (first series only, to keep the chart readable). */
  band?: boolean;
}

export interface ProfileChartOptions {
  x: number;
  y: number;
  width: number;
  height: number;
  series: ProfileSeries[];
  whiteBand?: BandFeature | null;
  cetRing?: BandFeature | null;
  font: string;
  text: (s: string) => string;
}

/** Mean C/C0 against r/R with a ±1 sd band, drawn as vectors so it prints sharp at any size. */
export function drawProfileChart(doc: InstanceType<typeof PDFDocument>, o: ProfileChartOptions): void {
  const left = o.x + 42;
  const bottom = o.y + o.height - 28;
  const top = o.y + 8;
  const right = o.x + o.width - 8;
  const pw = right - left;
  const ph = bottom - top;
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of o.series) {
    for (const b of s.bins) {
      if (!Number.isFinite(b.mean)) continue;
      const l = s.band ? b.mean - b.sd : b.mean;
      const h = s.band ? b.mean + b.sd : b.mean;
      lo = Math.min(lo, l);
      hi = Math.max(hi, h);
    }
  }
  if (!Number.isFinite(lo)) {
    lo = 0.95;
    hi = 1.05;
  }
  [lo, hi] = niceRange(Math.min(lo, 1), Math.max(hi, 1), 6);
  const X = (r: number) => left + r * pw;
  const Y = (v: number) => bottom - ((v - lo) / (hi - lo)) * ph;

  doc.save();
  doc.font(o.font).fontSize(7.5).fillColor('#000');
  // grid + axes
  const yt = niceTicks(lo, hi, 6);
  const dec = decimalsFor(yt.length > 1 ? yt[1] - yt[0] : 0.01);
  for (const t of yt) {
    doc.moveTo(left, Y(t)).lineTo(right, Y(t)).lineWidth(0.3).strokeColor('#cccccc').stroke();
    doc.fillColor('#000').text(t.toFixed(dec), o.x, Y(t) - 3.5, { width: 38, align: 'right', lineBreak: false });
  }
  for (let k = 0; k <= 10; k++) {
    const r = k / 10;
    doc.moveTo(X(r), top).lineTo(X(r), bottom).lineWidth(0.3).strokeColor('#e0e0e0').stroke();
    doc.fillColor('#000').text(r.toFixed(1), X(r) - 10, bottom + 3, { width: 20, align: 'center', lineBreak: false });
  }
  doc.rect(left, top, pw, ph).lineWidth(0.7).strokeColor('#000').stroke();
  doc.fontSize(8).text('r/R', left + pw / 2 - 10, bottom + 13, { width: 20, align: 'center', lineBreak: false });
  doc.save().rotate(-90, { origin: [o.x + 6, top + ph / 2] }).text('C/C0', o.x - 14, top + ph / 2 - 4, { width: 40, align: 'center', lineBreak: false }).restore();
  if (1 > lo && 1 < hi) doc.moveTo(left, Y(1)).lineTo(right, Y(1)).lineWidth(0.6).dash(3, { space: 2 }).strokeColor('#555').stroke().undash();

  // features
  for (const [f, label] of [[o.whiteBand, 'white band'], [o.cetRing, 'CET ring']] as const) {
    if (!f) continue;
    doc.moveTo(X(f.rOverR), top).lineTo(X(f.rOverR), bottom).lineWidth(0.8).dash(2, { space: 2 }).strokeColor('#b03030').stroke().undash();
    doc.fillColor('#b03030').fontSize(7).text(o.text(`${label} ${f.rOverR.toFixed(2)}`), X(f.rOverR) + 2, top + 2, { lineBreak: false });
  }

  // series
  for (const s of o.series) {
    const pts = s.bins.filter((b) => Number.isFinite(b.mean));
    if (!pts.length) continue;
    if (s.band) {
      doc.moveTo(X(pts[0].rOverR), Y(pts[0].mean + pts[0].sd));
      for (const b of pts.slice(1)) doc.lineTo(X(b.rOverR), Y(b.mean + b.sd));
      for (const b of [...pts].reverse()) doc.lineTo(X(b.rOverR), Y(b.mean - b.sd));
      doc.closePath().fillOpacity(0.18).fillColor(s.color).fill().fillOpacity(1);
    }
    doc.moveTo(X(pts[0].rOverR), Y(pts[0].mean));
    for (const b of pts.slice(1)) doc.lineTo(X(b.rOverR), Y(b.mean));
    if (s.dashed) doc.dash(4, { space: 2 });
    doc.lineWidth(1.3).strokeColor(s.color).stroke().undash();
    for (const b of pts) doc.circle(X(b.rOverR), Y(b.mean), 1.6).fillColor(s.color).fill();
  }
  // legend, on a white box so the band behind it does not cross the text
  doc.fontSize(7);
  const legendW = o.series.reduce((w, s) => w + 30 + doc.widthOfString(o.text(s.band ? `${s.name} (band ±1 sd)` : s.name)), 0);
  doc.rect(left + 3, bottom - 17, legendW + 4, 14).fillOpacity(0.9).fillColor('#ffffff').fill().fillOpacity(1);
  let lx = left + 6;
  for (const s of o.series) {
    const ly = bottom - 10;
    doc.moveTo(lx, ly).lineTo(lx + 16, ly).lineWidth(1.3).strokeColor(s.color);
    if (s.dashed) doc.dash(4, { space: 2 });
    doc.stroke().undash();
    const label = s.band ? `${s.name} (band ±1 sd)` : s.name;
    doc.fillColor('#000').fontSize(7).text(o.text(label), lx + 19, ly - 3.5, { lineBreak: false });
    lx += 30 + doc.widthOfString(o.text(label));
  }
  doc.restore();
}
