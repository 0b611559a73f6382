import { parseStrictDecimal, type DecimalMark } from '../../../../core/api/strict-decimal.js';

/**
 * What a metallurgist types into a reading cell: one value or replicates separated by spaces, "/" or ";",
 * with a decimal point or comma ("0,452 0,448") — one mark per cell, read by the same strict parser as the
 * CSV import ("0.", ".5", "0x37", "1e-400" are refused). Values are wt.%; "ppm" after a number is converted.
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
  // One cell, one mark: a comma anywhere makes it the cell's decimal mark, and then a point is refused.
  const decimalMark: DecimalMark = parts.some((p) => p.includes(',')) ? ',' : '.';
  for (const p of parts) {
    const r = parseStrictDecimal(p, { decimalMark });
    if (!r.ok) return { error: `"${p}" ${r.reason}` };
    // Division by 10 000 is correctly rounded, so "4520 ppm" is exactly the double of 0.452: no rounding here.
    const v = ppm ? r.value / 10_000 : r.value;
    if (v < 0) return { error: `${p} is negative` };
    if (v > MAX_CARBON_WT_PCT) return { error: `${p}${ppm ? ' ppm' : ' wt.%'} is above ${MAX_CARBON_WT_PCT} wt.% — ${ppm ? '' : 'ppm? type "4500 ppm"'}`.replace(/ — $/, '') };
    values.push(v);
  }
  return values.length ? { values } : { error: 'type a carbon value in wt.%' };
}

export function formatCarbon(v: number | null, digits = 3): string {
  return v === null ? '' : v.toFixed(digits);
}
