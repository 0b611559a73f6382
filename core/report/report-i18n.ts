import i18next, { type TFunction } from 'i18next';
import en from './i18n/en/report.json' with { type: 'json' };
import zh from './i18n/zh/report.json' with { type: 'json' };
import it from './i18n/it/report.json' with { type: 'json' };

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
  resources: { en: { report: en }, zh: { report: zh }, it: { report: it } },
  lng: 'en',
  fallbackLng: 'en',
  ns: ['report'],
  defaultNS: 'report',
  interpolation: { escapeValue: false }, // plain text into a PDF, nothing to escape
  initAsync: false,
});

export type ReportTranslate = (key: string, vars?: Record<string, unknown>) => string;

/** A translator fixed to one language: `tr('heading.indices')`. */
export function reportTranslator(lang: ReportLanguage): ReportTranslate {
  const t: TFunction = instance.getFixedT(lang, 'report');
  return (key, vars) => String(t(key, (vars ?? {}) as Record<string, string>));
}
