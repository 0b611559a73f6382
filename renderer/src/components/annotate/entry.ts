/**
 * What a metallurgist types into a reading cell: one value or replicates separated by spaces, "/" or ";",
 * each with a decimal point or comma ("0,452 0,448"). Values are wt.%; "ppm" after a number is converted.
 */
export type Entry = { values: number[] } | { error: string };

export const MAX_CARBON_WT_PCT = 2.5;

export function parseEntry(text: string): Entry {
  const t = text.trim();
  if (!t) return { error: 'type a carbon value in wt.%' };
  const ppm = /ppm\s*$/i.test(t);
  const body = t.replace(/ppm\s*$/i, '').replace(/wt\.?\s*%|%/gi, '').trim();
  const parts = body.split(/[\s/;]+/).filter(Boolean);
  if (parts.length > 20) return { error: 'at most 20 replicates' };
  const values: number[] = [];
  for (const p of parts) {
    if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(p)) return { error: `"${p}" is not a number` };
    let v = Number(p.replace(',', '.'));
    if (ppm) v /= 10_000;
    if (v < 0) return { error: `${p} is negative` };
    if (v > MAX_CARBON_WT_PCT) return { error: `${p}${ppm ? ' ppm' : ' wt.%'} is above ${MAX_CARBON_WT_PCT} wt.% — ${ppm ? '' : 'ppm? type "4500 ppm"'}`.replace(/ — $/, '') };
    values.push(Math.round(v * 1e6) / 1e6);
  }
  return values.length ? { values } : { error: 'type a carbon value in wt.%' };
}

export function formatCarbon(v: number | null, digits = 3): string {
  return v === null ? '' : v.toFixed(digits);
}
