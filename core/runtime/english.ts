import i18next from 'i18next';
import enPhrases from '../api/i18n/en/phrases.json' with { type: 'json' };
import { isPhrase, type Phrase } from '../api/phrase.js';

/**
 * The English words of a core sentence, from the same catalog the interface and the report use
 * (core/api/i18n/en/phrases.json): an error or job message written as a code is worded once, in the catalog, and the
 * CLI, the logs and an error's `message` read these words. Numbers keep the decimal point, as the CLI prints them.
 */
const instance = i18next.createInstance();
void instance.init({
  resources: { en: { phrases: enPhrases } },
  lng: 'en',
  ns: ['phrases'],
  defaultNS: 'phrases',
  interpolation: { escapeValue: false }, // plain text for a terminal, a log or a message: nothing to escape
  initAsync: false,
});
const t = instance.getFixedT('en', 'phrases');

/**
 * A phrase's parameters as text for a terminal, a log or a PDF: numbers with the decimal point, fixed digits kept;
 * a nested sentence worded by `word` (the caller's language; English by default).
 */
export function plainVars(p: Phrase, word: (nested: Phrase) => string = english): Record<string, string | number> {
  const vars: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(p.params))
    vars[k] = typeof v !== 'object' ? v : isPhrase(v) ? word(v) : v.digits === undefined ? String(v.value) : v.value.toFixed(v.digits);
  return vars;
}

export function english(p: Phrase): string {
  return String(t(p.code, plainVars(p) as Record<string, string>));
}
