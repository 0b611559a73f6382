import type { Phrase } from '../api/phrase.js';
import { english } from '../runtime/english.js';

/**
 * A stored scale check as report lines (its words: core/api/scale-check-words.ts): what was compared and what could
 * not be, each contradiction as a WARNING, then the check of the model it came from.
 */
export function scaleWarningLines(words: readonly Phrase[]): string[] {
  return words.map((p) => (p.code === 'scale.sectionOffTag' ? `WARNING: ${english(p)}` : english(p)));
}
