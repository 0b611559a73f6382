import { describe, expect, it, vi } from 'vitest';
import { phrase, plain } from '../../../core/api/phrase.js';
import { rendererSay, sayLang } from '../../helpers/renderer-say.js';

/**
 * The interface's `say` (renderer/src/lib/phrase.ts) words a sentence nested in another — a JoMiner contract
 * check inside the dispatcher's "method: field …" frame, a budget reduction inside an experiment note — in the same
 * language, numbers with that language's decimal mark (issue 15). Its i18n module is stood in for by an i18next
 * instance on the same core catalog (test/helpers/renderer-say.ts).
 */
vi.mock('../../../renderer/src/lib/i18n.svelte', async () => (await import('../../helpers/renderer-say.js')).i18nStandIn());
const say = await rendererSay();

describe('say words nested phrases in the interface language', () => {
  const refusal = phrase('errors.app.invalidField', { where: 'jominy.predict', field: 'chemistry.C', detail: phrase('chem.aboveLimit', { el: 'C', value: plain(1.25), limit: plain(1.2) }) });

  it('Italian: the frame and the inner sentence, decimal commas in both', () => {
    sayLang.current = 'it';
    expect(say(refusal)).toBe('jominy.predict: campo «chemistry.C»: C 1,25 wt.% supera il limite di 1,2 wt.%');
  });

  it('Chinese and English', () => {
    sayLang.current = 'zh';
    expect(say(refusal)).toBe('jominy.predict：字段“chemistry.C”：C 1.25 wt.% 超过上限 1.2 wt.%');
    sayLang.current = 'en';
    expect(say(refusal)).toBe('jominy.predict: field "chemistry.C": C 1.25 wt.% is above the limit of 1.2 wt.%');
  });

  it('two levels: a reduction inside an experiment note', () => {
    sayLang.current = 'it';
    const note = phrase('expNotes.jominy.reduced2', { a: phrase('expNotes.jominy.cut.targets', { n: 48, of: 243 }), b: phrase('expNotes.jominy.cut.ga', { q: 12, ng: 8 }) });
    expect(say(note)).toBe("Ridotto (budget): 48 delle 243 curve obiettivo (le prime; una ripetizione è una curva della sua colata; l'articolo usa tutte le sue 243 colate di test); budget del GA Q = 12, NG = 8 (l'articolo: Q = 50, NG = 100).");
  });
});
