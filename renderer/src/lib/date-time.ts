import { INTL_LOCALE, type NumberLang } from './locale-number.js';

/**
 * A stored time (ISO 8601, UTC) as a local date and time in the interface language's notation — the same locale as
 * its numbers and charts (INTL_LOCALE: day/month/year in English as en-GB writes it, not the US order a bare 'en'
 * gave). One helper, so every table writes a time alike.
 */
export function formatDateTime(iso: string, lang: NumberLang): string {
  return new Date(iso).toLocaleString(INTL_LOCALE[lang]);
}
