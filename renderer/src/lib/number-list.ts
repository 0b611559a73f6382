import { decimalMarkOf, formatNumber, parseLocaleNumber, type NumberLang, type NumberRefusal } from './locale-number.js';

/**
 * Several numbers typed in one field (contour levels: "0,95 1 1,05" in Italian, "0.95, 1, 1.05" in English).
 *
 * Where the language writes a decimal comma, a comma is never a separator: "0,95 1,05" is two numbers, 0.95 and
 * 1.05, where splitting on commas read four (0, 95, 1 and 5) — a confident wrong number. Numbers are then separated
 * by spaces or ";" only; in English and Chinese also by ",". Each number is read as the UI language's decimal field
 * reads it (lib/locale-number.ts), so the other mark and an ambiguous "1.234" are refused, never guessed.
 */
export type NumberListResult = { ok: true; values: number[] } | { ok: false; part: string; refusal: NumberRefusal };

export function parseNumberList(text: string, lang: NumberLang): NumberListResult {
  const separators = decimalMarkOf(lang) === ',' ? /[\s;]+/ : /[\s,;]+/;
  const values: number[] = [];
  for (const part of text.split(separators).filter(Boolean)) {
    const r = parseLocaleNumber(part, lang);
    if (!r.ok) return { ok: false, part, refusal: r.refusal };
    values.push(r.value);
  }
  return { ok: true, values };
}

/** A list written as the user would type it back: "0,95 1 1,05" (it), "0.95 1 1.05" (en, zh). */
export function formatNumberList(values: readonly number[], lang: NumberLang): string {
  return values.map((v) => formatNumber(v, lang)).join(' ');
}
