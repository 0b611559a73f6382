import { parseLocaleNumber, type NumberLang, type NumberRefusal } from '../../lib/locale-number.js';

/**
 * What a metallurgist types into a reading cell: one value or replicates separated by spaces, "/" or ";",
 * each number in the UI language's decimal mark ("0,452 0,448" in Italian, "0.452 0.448" in English and
 * Chinese) and read by the locale-number reader: the other mark is refused with the way to write it, a
 * thousands-like "1,234" with both readings, and the strict parser's refusals ("0.", ".5", "0x37", "1e-400")
 * hold. Values are wt.%; "ppm" after a number is converted.
 */
export type Entry = { values: number[] } | { error: string };

/** Words a refusal in the user's language (the renderer passes `t`); the default keeps key and values for tests. */
export type Translate = (key: string, vars?: Record<string, unknown>) => string;
const plain: Translate = (key, vars) => `${key} ${JSON.stringify(vars ?? {})}`;

export const MAX_CARBON_WT_PCT = 2.5;

export function parseEntry(text: string, lang: NumberLang = 'en', tr: Translate = plain): Entry {
  const t = text.trim();
  if (!t) return { error: 'type a carbon value in wt.%' };
  const ppm = /ppm\s*$/i.test(t);
  const body = t.replace(/ppm\s*$/i, '').replace(/wt\.?\s*%|%/gi, '').trim();
  const parts = body.split(/[\s/;]+/).filter(Boolean);
  if (parts.length > 20) return { error: 'at most 20 replicates' };
  const values: number[] = [];
  for (const p of parts) {
    const r = parseLocaleNumber(p, lang);
    if (!r.ok) return { error: say(r.refusal, tr) };
    // Division by 10 000 is correctly rounded, so "4520 ppm" is exactly the double of 0.452: no rounding here.
    const v = ppm ? r.value / 10_000 : r.value;
    if (v < 0) return { error: `${p} is negative` };
    if (v > MAX_CARBON_WT_PCT) return { error: `${p}${ppm ? ' ppm' : ' wt.%'} is above ${MAX_CARBON_WT_PCT} wt.% — ${ppm ? '' : 'ppm? type "4500 ppm"'}`.replace(/ — $/, '') };
    values.push(v);
  }
  return values.length ? { values } : { error: 'type a carbon value in wt.%' };
}

function say(refusal: NumberRefusal, tr: Translate): string {
  return tr(refusal.key, refusal.vars);
}

export function formatCarbon(v: number | null, digits = 3): string {
  return v === null ? '' : v.toFixed(digits);
}
