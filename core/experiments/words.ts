import type { Phrase } from '../api/phrase.js';
import { english } from '../runtime/english.js';

/**
 * Experiment results carry their words twice (issue 15): the English (stored, printed by the CLI and the English
 * report) and the code the Experiments view and a translated report word in the reader's language. These helpers
 * make both from one phrase, so they cannot drift apart.
 */
export const titled = (p: Phrase): { title: string; titlePhrase: Phrase } => ({ title: english(p), titlePhrase: p });
export const labelled = (p: Phrase): { label: string; labelPhrase: Phrase } => ({ label: english(p), labelPhrase: p });
export const captioned = (p: Phrase): { caption: string; captionPhrase: Phrase } => ({ caption: english(p), captionPhrase: p });
export const named = (p: Phrase): { name: string; namePhrase: Phrase } => ({ name: english(p), namePhrase: p });

/** Notes, some written as codes and some only in English: `notes` and `notePhrases` side by side. */
export function notesOf(items: readonly (Phrase | string)[]): { notes: string[]; notePhrases: (Phrase | null)[] } {
  return { notes: items.map((n) => (typeof n === 'string' ? n : english(n))), notePhrases: items.map((n) => (typeof n === 'string' ? null : n)) };
}
