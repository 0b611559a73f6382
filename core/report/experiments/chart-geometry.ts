import type { ExperimentFigure } from '../../experiments/types.js';
import { decimalsFor, niceRange, niceTicks } from '../../maps/nice-ticks.js';

/**
 * The one layout of an experiment figure, drawn by both the HTML report (SVG) and the PDF (vectors): axes ranges,
 * ticks, and each series' points in plot coordinates. X is numeric when every x is a number, else categorical
 * (the categories in first-seen order).
 */
export interface ChartBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedPoint {
  px: number;
  py: number;
  /** Interval ends in plot coordinates, when the point has one. */
  plo?: number;
  phi?: number;
}

export interface ChartLayout {
  plot: { left: number; top: number; right: number; bottom: number };
  xTicks: { at: number; label: string }[];
  yTicks: { at: number; label: string }[];
  /** Per series: placed points, colour, dashed (paper series). */
  series: { name: string; color: string; dashed: boolean; points: PlacedPoint[] }[];
  /** Bar width in plot units (bar figures), else 0. */
  barWidth: number;
  zeroY: number;
}

const PALETTE = ['#1f5fa8', '#c0392b', '#2e8b57', '#8e44ad', '#d68910', '#16a085', '#7f8c8d', '#b03a2e'];

export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length];
}

export function layoutChart(fig: ExperimentFigure, box: ChartBox): ChartLayout {
  const plot = { left: box.x + 46, top: box.y + 10, right: box.x + box.width - 10, bottom: box.y + box.height - 30 };
  const all = fig.series.flatMap((s) => s.points);
  const numericX = all.length > 0 && all.every((p) => typeof p.x === 'number') && fig.kind !== 'bar';
  const cats: string[] = [];
  if (!numericX) for (const p of all) if (!cats.includes(String(p.x))) cats.push(String(p.x));
  let xLo = 0;
  let xHi = 1;
  if (numericX) {
    const xs = all.map((p) => p.x as number);
    [xLo, xHi] = niceRange(Math.min(...xs), Math.max(...xs), 6);
  }
  const ys = all.flatMap((p) => [p.y, p.lo ?? p.y, p.hi ?? p.y]).filter(Number.isFinite);
  let yLo = ys.length ? Math.min(...ys) : 0;
  let yHi = ys.length ? Math.max(...ys) : 1;
  if (fig.kind === 'bar') {
    yLo = Math.min(0, yLo);
    yHi = Math.max(0, yHi);
  }
  [yLo, yHi] = niceRange(yLo, yHi, 6);
  const pw = plot.right - plot.left;
  const ph = plot.bottom - plot.top;
  const slot = cats.length ? pw / cats.length : pw;
  const nSeries = Math.max(1, fig.series.length);
  const barWidth = fig.kind === 'bar' ? (slot * 0.8) / nSeries : 0;
  const X = (x: number | string, si: number): number => {
    if (numericX) return plot.left + (((x as number) - xLo) / (xHi - xLo || 1)) * pw;
    const c = cats.indexOf(String(x));
    const centre = plot.left + (c + 0.5) * slot;
    return fig.kind === 'bar' ? centre - (slot * 0.8) / 2 + (si + 0.5) * barWidth : centre;
  };
  const Y = (y: number) => plot.bottom - ((y - yLo) / (yHi - yLo || 1)) * ph;
  const yt = niceTicks(yLo, yHi, 6);
  const yDec = decimalsFor(yt.length > 1 ? yt[1] - yt[0] : 0.1);
  const xTicks = numericX
    ? (() => {
        const xt = niceTicks(xLo, xHi, 6);
        const d = decimalsFor(xt.length > 1 ? xt[1] - xt[0] : 1);
        return xt.map((t) => ({ at: X(t, 0), label: t.toFixed(d) }));
      })()
    : cats.map((c, i) => ({ at: plot.left + (i + 0.5) * slot, label: c }));
  return {
    plot,
    xTicks,
    yTicks: yt.map((t) => ({ at: Y(t), label: t.toFixed(yDec) })),
    series: fig.series.map((s, si) => ({
      name: s.name,
      color: s.paper ? '#555555' : seriesColor(si),
      dashed: Boolean(s.paper),
      points: s.points
        .filter((p) => Number.isFinite(p.y))
        .map((p) => ({
          px: X(p.x, si),
          py: Y(p.y),
          ...(p.lo !== undefined && p.hi !== undefined ? { plo: Y(p.lo), phi: Y(p.hi) } : {}),
        })),
    })),
    barWidth,
    zeroY: Y(Math.max(yLo, Math.min(yHi, 0))),
  };
}
