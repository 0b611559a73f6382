import i18next from 'i18next';
import { describe, expect, it, vi } from 'vitest';
import en from '../../../core/api/i18n/en/phrases.json' with { type: 'json' };
import zh from '../../../core/api/i18n/zh/phrases.json' with { type: 'json' };
import itCatalog from '../../../core/api/i18n/it/phrases.json' with { type: 'json' };
import { phrase, plain, type Phrase } from '../../../core/api/phrase.js';

/**
 * The interface's `say` (renderer/src/lib/phrase.ts) words a sentence nested in another — a JoMiner contract
 * check inside the dispatcher's "method: field …" frame, a budget reduction inside an experiment note — in the same
 * language, numbers with that language's decimal mark (issue 15). The interface's i18n module (a Svelte rune module,
 * bundled by vite) is stood in for by an i18next instance on the same core catalog, the one thing `say` reads.
 */
const lang = vi.hoisted(() => ({ current: 'it' }));
const instance = i18next.createInstance();
void instance.init({ resources: { en: { phrases: en }, zh: { phrases: zh }, it: { phrases: itCatalog } }, lng: 'en', interpolation: { escapeValue: false }, initAsync: false });
vi.mock('../../../renderer/src/lib/i18n.svelte', () => ({
  i18n: {
    get lang() {
      return lang.current;
    },
  },
  t: (key: string, vars?: Record<string, unknown>) => String(instance.getFixedT(lang.current)(key, vars as Record<string, string>)),
}));
// a path in a variable: the root type-check (NodeNext) does not follow it into the renderer's vite-resolved modules
const sayModule = '../../../renderer/src/lib/phrase.js';
const { say } = (await import(sayModule)) as { say: (p: Phrase) => string };

describe('say words nested phrases in the interface language', () => {
  const refusal = phrase('errors.app.invalidField', { where: 'jominy.predict', field: 'chemistry.C', detail: phrase('chem.aboveLimit', { el: 'C', value: plain(1.25), limit: plain(1.2) }) });

  it('Italian: the frame and the inner sentence, decimal commas in both', () => {
    lang.current = 'it';
    expect(say(refusal)).toBe('jominy.predict: campo «chemistry.C»: C 1,25 wt.% supera il limite di 1,2 wt.%');
  });

  it('Chinese and English', () => {
    lang.current = 'zh';
    expect(say(refusal)).toBe('jominy.predict：字段“chemistry.C”：C 1.25 wt.% 超过上限 1.2 wt.%');
    lang.current = 'en';
    expect(say(refusal)).toBe('jominy.predict: field "chemistry.C": C 1.25 wt.% is above the limit of 1.2 wt.%');
  });

  it('two levels: a reduction inside an experiment note', () => {
    lang.current = 'it';
    const note = phrase('expNotes.jominy.reduced2', { a: phrase('expNotes.jominy.cut.targets', { n: 48, of: 243 }), b: phrase('expNotes.jominy.cut.ga', { q: 12, ng: 8 }) });
    expect(say(note)).toBe("Ridotto (budget): 48 delle 243 colate obiettivo (le prime; l'articolo usa tutte le sue 243 colate di test); budget del GA Q = 12, NG = 8 (l'articolo: Q = 50, NG = 100).");
  });
});
