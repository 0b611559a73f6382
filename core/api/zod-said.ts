import type { z } from 'zod';
import { PhraseSchema, type Phrase } from './phrase.js';

/**
 * A contract check's refusal said as a code (issue 15): the check adds a zod custom issue that carries the phrase
 * in its params, and `fromZodError` (core/api/errors.ts) words it inside its frame ("method: field …: …") in the
 * user's language, where zod's own text would only be quoted. The English words are the catalog's (the issue's
 * `message` is only the code: fromZodError reads the phrase), so this module needs no catalog — the Electron
 * preload bundles the contract.
 */
export function saidIssue(p: Phrase, path?: PropertyKey[]): { code: 'custom'; message: string; params: { phrase: Phrase }; path?: PropertyKey[] } {
  return { code: 'custom', message: p.code, params: { phrase: p }, ...(path ? { path } : {}) };
}

/**
 * The phrase a check put on a zod issue (null: zod's own issue, or a check with English text only). A custom check
 * carries it in its params; a schema's own error (zod gives no params there, e.g. a required field missing) may say a
 * phrase that takes no parameters by giving its bare code as the message.
 */
export function issuePhrase(issue: z.core.$ZodIssue): Phrase | null {
  if (issue.code !== 'custom') {
    const bare = PhraseSchema.safeParse({ code: issue.message, params: {} });
    return bare.success ? bare.data : null;
  }
  const p = PhraseSchema.safeParse((issue.params as { phrase?: unknown } | undefined)?.phrase);
  return p.success ? p.data : null;
}
