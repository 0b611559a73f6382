import i18next from 'i18next';
import { Chart } from 'chart.js';
import { INTL_LOCALE } from './locale-number';
import { italianArticles } from '../../../core/api/italian-articles.js';

/**
 * The renderer's translations (issue 15), through i18next: one JSON catalog per language and namespace under
 * renderer/src/i18n/<lang>/<namespace>.json, the same keys in every language (test/unit/renderer/i18n-catalogs).
 * Keys are written "namespace:key.path"; `t` is reactive because it reads `i18n.lang`, a rune.
 */

export const LANGUAGES = ['en', 'zh', 'it'] as const;
export type Language = (typeof LANGUAGES)[number];

// Vite bundles every catalog at build time: nothing is fetched at run time (offline app).
const files = import.meta.glob<Record<string, unknown>>('../i18n/*/*.json', { eager: true, import: 'default' });
// The words of the sentences the core writes as codes (core/api/phrase.ts): one catalog shared with the PDF report,
// namespace "phrases" (renderer/src/lib/phrase.ts words them).
const coreFiles = import.meta.glob<Record<string, unknown>>('../../../core/api/i18n/*/phrases.json', { eager: true, import: 'default' });

function resources(): Record<string, Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [path, catalog] of [...Object.entries(files), ...Object.entries(coreFiles)]) {
    const m = /\/i18n\/([a-z]+)\/([a-z0-9-]+)\.json$/.exec(path);
    if (!m) continue;
    (out[m[1]] ??= {})[m[2]] = catalog;
  }
  return out;
}

const res = resources();

void i18next.init({
  resources: res,
  lng: 'en',
  fallbackLng: 'en',
  ns: Object.keys(res.en ?? {}),
  defaultNS: 'common',
  interpolation: { escapeValue: false }, // Svelte escapes text itself.
  initAsync: false,
  returnNull: false,
});

export const i18n = $state({ lang: 'en' as Language });

/** The language the OS / browser prefers, when Ferrolab has it; English otherwise. */
export function systemLanguage(preferred: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if ((LANGUAGES as readonly string[]).includes(base)) return base as Language;
  }
  return 'en';
}

export function setLanguage(lang: Language): void {
  void i18next.changeLanguage(lang);
  i18n.lang = lang;
  // Chart axes write their numbers in the same notation as the text (0,95 in Italian); charts redraw on a switch.
  Chart.defaults.locale = INTL_LOCALE[lang];
  if (typeof document !== 'undefined') document.documentElement.lang = lang === 'zh' ? 'zh-CN' : lang;
}

/** Translate "namespace:key" with {{variables}}. Reading i18n.lang makes every caller re-render on a switch. */
export function t(key: string, vars?: Record<string, unknown>): string {
  const text = String(i18next.t(key, (vars ?? {}) as Record<string, string>));
  // Italian: the article before a number follows how it is read ("degli 85"), known only once the number is in
  return i18n.lang === 'it' ? italianArticles(text) : text;
}
