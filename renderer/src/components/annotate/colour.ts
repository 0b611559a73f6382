/** Carbon → colour on the viridis scale (perceptually even, readable for colour-blind users, prints in grey). */
const VIRIDIS: Array<[number, number, number]> = [
  [68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [110, 206, 88], [181, 222, 43], [253, 231, 37],
];

export function viridis(t: number): string {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [VIRIDIS[i], VIRIDIS[i + 1]];
  const c = a.map((v, k) => Math.round(v + (b[k] - v) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
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
