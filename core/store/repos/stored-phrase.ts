import { PhraseSchema, type Phrase } from '../../api/phrase.js';

/**
 * A phrase kept in a JSON column (a run's failure, migration 021). Read back through the contract's schema: a row
 * written by another version whose code this one does not know (or a damaged cell) reads as no phrase, and the
 * interface shows the English words stored beside it rather than failing the whole list.
 */
export function readStoredPhrase(json: string | null): Phrase | undefined {
  if (json === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = PhraseSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The column's value for a phrase, NULL for none. */
export const storedPhraseJson = (p: Phrase | null | undefined): string | null => (p ? JSON.stringify(p) : null);

/** The record with `errorPhrase` where the row stored one (the key absent otherwise: the contract has it optional). */
export function withErrorPhrase<T extends object>(json: string | null, rec: T): T & { errorPhrase?: Phrase } {
  const p = readStoredPhrase(json);
  return p ? { ...rec, errorPhrase: p } : rec;
}
