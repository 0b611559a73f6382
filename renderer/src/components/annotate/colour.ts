import { interpolateViridis } from 'd3-scale-chromatic';

/**
 * Carbon → colour on the viridis scale (perceptually even, readable for colour-blind users, prints in grey):
 * d3-scale-chromatic's ramp, the same colours as the rendered maps (core/maps/colormaps.ts).
 */
export function viridis(t: number): string {
  return interpolateViridis(Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)));
}

/** The colour range of a set of values: min..max, widened to at least 0.01 wt.% so one value still shows. */
export function carbonRange(values: Array<number | null>): { min: number; max: number } | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (!v.length) return null;
  let min = Math.min(...v), max = Math.max(...v);
  if (max - min < 0.01) { const m = (min + max) / 2; min = m - 0.005; max = m + 0.005; }
  return { min, max };
}

export function carbonColour(v: number | null, range: { min: number; max: number } | null): string {
  if (v === null || !range) return '#ffffff';
  return viridis((v - range.min) / (range.max - range.min));
}

/** Label text colour that stays readable on a viridis fill. */
export function inkOn(v: number | null, range: { min: number; max: number } | null): string {
  if (v === null || !range) return '#1d232b';
  return (v - range.min) / (range.max - range.min) > 0.55 ? '#1d232b' : '#ffffff';
}
