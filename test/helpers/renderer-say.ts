import i18next from 'i18next';
import en from '../../core/api/i18n/en/phrases.json' with { type: 'json' };
import zh from '../../core/api/i18n/zh/phrases.json' with { type: 'json' };
import itCatalog from '../../core/api/i18n/it/phrases.json' with { type: 'json' };
import type { Phrase } from '../../core/api/phrase.js';

/**
 * The interface's `say` (renderer/src/lib/phrase.ts) in a unit test, for the tests that check how the interface words
 * a core phrase. Its i18n module (a Svelte rune module, bundled by vite) is stood in for by an i18next instance on the
 * core catalogs, the one thing `say` reads. A test file mocks the module with this stand-in — the mock must be
 * declared in the test file itself, where vitest hoists it above the imports:
 *
 *   vi.mock('../../../renderer/src/lib/i18n.svelte', async () => (await import('../../helpers/renderer-say.js')).i18nStandIn());
 *   const say = await rendererSay();
 *   sayLang.current = 'it';
 */

export type SayLanguage = 'en' | 'zh' | 'it';

/** The interface language the stand-in words in: a test sets `current`. */
export const sayLang: { current: SayLanguage } = { current: 'en' };

const instance = i18next.createInstance();
void instance.init({ resources: { en: { phrases: en }, zh: { phrases: zh }, it: { phrases: itCatalog } }, lng: 'en', interpolation: { escapeValue: false }, initAsync: false });

/** What renderer/src/lib/i18n.svelte gives `say`: the language, and `t` on the core catalogs. */
export function i18nStandIn(): { i18n: { readonly lang: SayLanguage }; t: (key: string, vars?: Record<string, unknown>) => string } {
  return {
    i18n: {
      get lang() {
        return sayLang.current;
      },
    },
    t: (key, vars) => String(instance.getFixedT(sayLang.current)(key, vars as Record<string, string>)),
  };
}

export type Say = (p: Phrase | null | undefined, fallback?: string | null) => string;

/** The renderer's own `say`, loaded after the test file's mock of its i18n module. */
export async function rendererSay(): Promise<Say> {
  // a path in a variable: the root type-check (NodeNext) does not follow it into the renderer's vite-resolved modules
  const sayModule = '../../renderer/src/lib/phrase.js';
  return ((await import(sayModule)) as { say: Say }).say;
}
