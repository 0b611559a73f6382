import { parseStrictDecimal, type DecimalMark } from '../../../core/api/strict-decimal.js';

/**
 * Numbers as the user's language writes them — and never a guess (issue 15).
 *
 * Display: Intl.NumberFormat of the UI language (0,438 in Italian, 0.438 in English and Chinese), never with
 * thousands grouping, so a shown number can be typed back as it is and "1.234" on an Italian screen can only
 * mean one thing.
 *
 * Input: the language's decimal mark only. The other mark is refused with the way to write it ("0,438" in
 * English: a decimal comma where a point is expected). An entry that two conventions read as two different
 * numbers — "1,234" in English is 1234 to someone who groups thousands and 1.234 to someone who writes a
 * decimal comma — is refused with both readings, never guessed. Everything else goes through the one strict
 * parser (core/api/strict-decimal.ts), so "0.", ".5", "0x37", "1e-400" stay refused.
 *
 * Kept free of Svelte and of the i18n catalog so unit tests run it in node: messages come back as a key and its
 * variables, which the caller translates with `t`.
 */

export type NumberLang = 'en' | 'zh' | 'it';

/** What each language writes between the units and the fraction. */
export function decimalMarkOf(lang: NumberLang): DecimalMark {
  return lang === 'it' ? ',' : '.';
}

/** The thousands separator people of that language write (never accepted in input; used to spot ambiguity). */
export function groupMarkOf(lang: NumberLang): DecimalMark {
  return lang === 'it' ? '.' : ',';
}

/** The Intl locale each UI language formats numbers with (also the charts' axes: lib/i18n.svelte.ts). */
export const INTL_LOCALE: Record<NumberLang, string> = { en: 'en-GB', zh: 'zh-CN', it: 'it-IT' };

export interface FormatOptions {
  /** Exactly this many fraction digits. Omitted: as many as the value needs, up to maxDigits. */
  digits?: number;
  maxDigits?: number;
  /**
   * This many significant digits, as toPrecision writes them but in the language's notation and never in
   * exponent form ("0,00452", "1,50", "123"); takes precedence over digits/maxDigits.
   */
  significant?: number;
  /** At most this many significant digits, trailing zeros dropped (as `+v.toPrecision(n)` wrote it): "1,5", "0,00452". */
  maxSignificant?: number;
  /** Appended after a non-breaking space ("0,438 wt.%"); units are the same in every language. */
  unit?: string;
}

/** A number for display in the UI language: "0,438 wt.%" (it), "0.438 wt.%" (en, zh); "—" for no value. */
export function formatNumber(value: number | null | undefined, lang: NumberLang, opts: FormatOptions = {}): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const fmt = new Intl.NumberFormat(
    INTL_LOCALE[lang],
    opts.significant !== undefined
      ? { useGrouping: false, minimumSignificantDigits: opts.significant, maximumSignificantDigits: opts.significant }
      : opts.maxSignificant !== undefined
      ? { useGrouping: false, maximumSignificantDigits: opts.maxSignificant }
      : { useGrouping: false, minimumFractionDigits: opts.digits ?? 0, maximumFractionDigits: opts.digits ?? opts.maxDigits ?? 6 },
  );
  // Intl writes U+2212 for minus in some locales; keep the ASCII one so copied text reads back anywhere.
  const text = fmt.format(value).replace(/\u2212/g, '-');
  return opts.unit ? `${text}\u00a0${opts.unit}` : text;
}

/** A refusal as a catalog key (namespace "numbers") and its variables, so every language words it. */
export interface NumberRefusal {
  key: 'numbers:empty' | 'numbers:notNumber' | 'numbers:wrongMark' | 'numbers:ambiguous' | 'numbers:outOfRange';
  vars: Record<string, string>;
}

export type LocaleNumberResult = { ok: true; value: number } | { ok: false; refusal: NumberRefusal };

/** "1,234" or "12.345": one to three digits (no leading zero), one mark, exactly three digits — a thousands group. */
const GROUPED = (mark: DecimalMark) => new RegExp(`^[+-]?[1-9]\\d{0,2}(\\${mark}\\d{3})+$`);

/**
 * Reads what the user typed in a decimal field of the UI language `lang`. `min`/`max` bound the value (inclusive);
 * the refusal names the bound in the user's notation.
 */
export function parseLocaleNumber(text: string, lang: NumberLang, bounds: { min?: number; max?: number } = {}): LocaleNumberResult {
  const s = text.trim().replace(/^\u2212/, '-');
  const mark = decimalMarkOf(lang);
  const other = groupMarkOf(lang);
  if (s === '') return { ok: false, refusal: { key: 'numbers:empty', vars: {} } };
  // The language's own grouping of thousands: two conventions, two numbers. Show both and let the user write one.
  if (GROUPED(other).test(s)) {
    const asGrouped = Number(s.split(other).join(''));
    const asDecimal = Number(s.replace(other, '.'));
    if (s.split(other).length === 2) {
      return {
        ok: false,
        refusal: { key: 'numbers:ambiguous', vars: { value: text.trim(), a: formatNumber(asGrouped, lang), b: formatNumber(asDecimal, lang) } },
      };
    }
  }
  const r = parseStrictDecimal(s, { decimalMark: mark });
  if (!r.ok) {
    if (parseStrictDecimal(s, { decimalMark: other }).ok) {
      const fixed = s.replace(other, mark);
      return { ok: false, refusal: { key: 'numbers:wrongMark', vars: { value: text.trim(), mark, other, fixed } } };
    }
    return { ok: false, refusal: { key: 'numbers:notNumber', vars: { value: text.trim(), reason: r.reason } } };
  }
  const { min, max } = bounds;
  if ((min !== undefined && r.value < min) || (max !== undefined && r.value > max)) {
    return {
      ok: false,
      refusal: { key: 'numbers:outOfRange', vars: { value: text.trim(), min: min === undefined ? '−∞' : formatNumber(min, lang), max: max === undefined ? '∞' : formatNumber(max, lang) } },
    };
  }
  return { ok: true, value: r.value };
}
