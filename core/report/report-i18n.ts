import i18next, { type TFunction } from 'i18next';
import en from './i18n/en/report.json' with { type: 'json' };
import zh from './i18n/zh/report.json' with { type: 'json' };
import it from './i18n/it/report.json' with { type: 'json' };
import enPhrases from '../api/i18n/en/phrases.json' with { type: 'json' };
import zhPhrases from '../api/i18n/zh/phrases.json' with { type: 'json' };
import itPhrases from '../api/i18n/it/phrases.json' with { type: 'json' };
import type { Phrase } from '../api/phrase.js';
import { plainVars } from '../runtime/english.js';
import { italianArticles } from '../api/italian-articles.js';

/**
 * The printed report's words in English, Simplified Chinese and Italian (issue 15), through i18next like the
 * renderer (one library for both sides: the same {{variable}} syntax and catalog layout). The report has its
 * own language, so a Chinese lab can print an English report for a customer. Catalogs: core/report/i18n/<lang>/report.json,
 * checked key for key by test/unit/renderer/i18n-catalogs.test.ts.
 */
export const REPORT_LANGUAGES = ['en', 'zh', 'it'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

const instance = i18next.createInstance();
void instance.init({
  // "phrases": the sentences the core writes as codes (core/api/phrase.ts), the same catalog the interface uses
  resources: { en: { report: en, phrases: enPhrases }, zh: { report: zh, phrases: zhPhrases }, it: { report: it, phrases: itPhrases } },
  lng: 'en',
  fallbackLng: 'en',
  ns: ['report', 'phrases'],
  defaultNS: 'report',
  interpolation: { escapeValue: false }, // plain text into a PDF, nothing to escape
  initAsync: false,
});

/** Italian: the article before a number follows how it is read ("degli 85"), known only once the number is in. */
const inLanguage = (lang: ReportLanguage, text: string): string => (lang === 'it' ? italianArticles(text) : text);

export type ReportTranslate = (key: string, vars?: Record<string, unknown>) => string;

/** A translator fixed to one language: `tr('heading.indices')`. */
export function reportTranslator(lang: ReportLanguage): ReportTranslate {
  const t: TFunction = instance.getFixedT(lang, 'report');
  return (key, vars) => inLanguage(lang, String(t(key, (vars ?? {}) as Record<string, string>)));
}

export type ReportPhrase = (p: Phrase | null | undefined, fallback?: string | null) => string;

/**
 * A core-written sentence in the report's language; `fallback` (the English sentence) where a stored result has
 * no code. Numbers keep the decimal point, like every other number the report prints.
 */
export function reportPhraser(lang: ReportLanguage): ReportPhrase {
  const t: TFunction = instance.getFixedT(lang, 'phrases');
  const word = (p: Phrase): string => inLanguage(lang, String(t(p.code, plainVars(p, word) as Record<string, string>)));
  return (p, fallback = null) => (p ? word(p) : (fallback ?? ''));
}

/**
 * A core-written sentence through a report translator (its language), for builders handed only `tr` (the model card):
 * the same words as `reportPhraser` of that language.
 */
export function sayWith(tr: ReportTranslate, p: Phrase): string {
  const word = (q: Phrase): string => tr(`phrases:${q.code}`, plainVars(q, word));
  return word(p);
}
