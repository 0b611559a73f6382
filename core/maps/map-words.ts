import { isPhrase, type Phrase, type PhraseParam } from '../api/phrase.js';
import { reportPhraser, type ReportLanguage } from '../report/report-i18n.js';

/**
 * A map picture's words in one language (issue 15): its sentences from the phrase catalogs (core/api/i18n/<lang>/
 * phrases.json, through the report's phraser), its numbers with that language's decimal mark (0,438 in Italian).
 * The same object words the title and subtitle (core/services/maps) and the legend (render-png.ts), so one PNG never
 * mixes two conventions.
 */
export type MapLanguage = ReportLanguage;
export type DecimalMark = '.' | ',';

export interface MapWords {
  language: MapLanguage;
  decimalMark: DecimalMark;
  /** A sentence in the language, its numbers with the decimal mark. */
  say(p: Phrase): string;
  /** `v` with `digits` decimals (all it needs when omitted), the decimal mark, and a true minus sign. */
  num(v: number, digits?: number): string;
}

/** The decimal mark a language writes: a comma in Italian, a point in English and Chinese. */
export const decimalMarkOf = (language: MapLanguage): DecimalMark => (language === 'it' ? ',' : '.');

export function mapWords(language: MapLanguage = 'en', decimalMark: DecimalMark = decimalMarkOf(language)): MapWords {
  const phraser = reportPhraser(language);
  const num = (v: number, digits?: number): string => {
    const s = digits === undefined ? String(v) : v.toFixed(digits);
    return s.replace(/^-/, '−').replace('.', decimalMark);
  };
  // every parameter becomes text here (a nested phrase worded the same way), so the phraser, which passes strings
  // through, keeps this mark
  const text = (v: PhraseParam): string => (typeof v === 'string' ? v : typeof v === 'number' ? num(v) : isPhrase(v) ? say(v) : num(v.value, v.digits));
  const say = (p: Phrase): string => phraser({ code: p.code, params: Object.fromEntries(Object.entries(p.params).map(([k, v]) => [k, text(v)])) });
  return { language, decimalMark, num, say };
}
