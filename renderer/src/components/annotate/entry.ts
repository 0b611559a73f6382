import { formatNumber, parseLocaleNumber, type NumberLang, type NumberRefusal } from '../../lib/locale-number.js';

/**
 * What a metallurgist types into a reading cell: one value or replicates separated by spaces, "/" or ";",
 * each number in the UI language's decimal mark ("0,452 0,448" in Italian, "0.452 0.448" in English and
 * Chinese) and read by the locale-number reader: the other mark is refused with the way to write it, a
 * thousands-like "1,234" with both readings, and the strict parser's refusals ("0.", ".5", "0x37", "1e-400")
 * hold. Values are wt.%; "ppm" after a number is converted.
 *
 * A refusal comes back as a catalog key and its variables (as NumberRefusal does), so the cell words it in the
 * interface language when it is shown — and again after a language switch. Typed values are quoted as typed;
 * the limits are written in the language's notation ("2,5 wt.%" in Italian).
 */
export interface EntryRefusal {
  key:
    | NumberRefusal['key']
    | 'annotate:entry.empty'
    | 'annotate:entry.tooMany'
    | 'annotate:entry.negative'
    | 'annotate:entry.aboveWt'
    | 'annotate:entry.abovePpm';
  vars: Record<string, string>;
}

export type Entry = { values: number[] } | { error: EntryRefusal };

export const MAX_CARBON_WT_PCT = 2.5;
export const MAX_REPLICATES = 20;

export function parseEntry(text: string, lang: NumberLang = 'en'): Entry {
  const t = text.trim();
  if (!t) return { error: { key: 'annotate:entry.empty', vars: {} } };
  const ppm = /ppm\s*$/i.test(t);
  const body = t.replace(/ppm\s*$/i, '').replace(/wt\.?\s*%|%/gi, '').trim();
  const parts = body.split(/[\s/;]+/).filter(Boolean);
  if (parts.length > MAX_REPLICATES) return { error: { key: 'annotate:entry.tooMany', vars: { max: formatNumber(MAX_REPLICATES, lang) } } };
  const values: number[] = [];
  for (const p of parts) {
    const r = parseLocaleNumber(p, lang);
    if (!r.ok) return { error: r.refusal };
    // Division by 10 000 is correctly rounded, so "4520 ppm" is exactly the double of 0.452: no rounding here.
    const v = ppm ? r.value / 10_000 : r.value;
    if (v < 0) return { error: { key: 'annotate:entry.negative', vars: { value: p } } };
    if (v > MAX_CARBON_WT_PCT) {
      const max = formatNumber(MAX_CARBON_WT_PCT, lang);
      return { error: { key: ppm ? 'annotate:entry.abovePpm' : 'annotate:entry.aboveWt', vars: { value: p, max } } };
    }
    values.push(v);
  }
  return values.length ? { values } : { error: { key: 'annotate:entry.empty', vars: {} } };
}
