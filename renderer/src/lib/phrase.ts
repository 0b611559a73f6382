import type { Phrase, PhraseParam } from '../../../core/api/phrase.js';
import type { JobInfo } from '../../../core/api/index';
import { i18n, t } from './i18n.svelte';
import { formatNumber } from './locale-number';

/**
 * A sentence the core wrote, in the interface language: its code through the "phrases" catalog
 * (core/api/i18n/<lang>/phrases.json), numbers written with the language's decimal mark (0,05 in Italian).
 * Results stored before codes carry only the English sentence: `fallback` is shown then.
 */
export function say(p: Phrase | null | undefined, fallback: string | null = null): string {
  if (!p) return fallback ?? '';
  const vars: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(p.params)) vars[k] = param(v);
  return t(`phrases:${p.code}`, vars);
}

function param(v: PhraseParam): string | number {
  // a sentence inside the sentence (a contract check's refusal in its frame): worded in the same language
  if (typeof v === 'object' && 'code' in v) return say(v);
  if (typeof v === 'object') return formatNumber(v.value, i18n.lang, v.digits === undefined ? {} : { digits: v.digits });
  // a count stays a number; a plain number keeps the decimal mark of the language as well
  return typeof v === 'number' && !Number.isInteger(v) ? formatNumber(v, i18n.lang) : v;
}

/** A note of several sentences (a map layer's method): each worded, Chinese runs them on, the others space them. */
export function sayNote(ps: readonly Phrase[] | null | undefined, fallback: string): string {
  return ps && ps.length ? ps.map((p) => say(p)).join(i18n.lang === 'zh' ? '' : ' ') : fallback;
}

/** Several sentences of one refusal (a CSV line's problems), joined as the English message joins them. */
export function sayAll(ps: readonly Phrase[] | null | undefined, fallback: string): string {
  return ps && ps.length ? ps.map((p) => say(p)).join('; ') : fallback;
}

/** An error for the user: in the interface language where the core sent its message as a code, else its message. */
export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const p = (err as { phrase?: Phrase }).phrase;
    return p ? say(p, err.message) : err.message;
  }
  return String(err);
}

/** A job's current message (progress, or why it failed) in the interface language where the job wrote a code. */
export function jobText(job: Pick<JobInfo, 'message' | 'phrase'>): string {
  return say(job.phrase, job.message);
}

/** A failed job's error as something `showError` words in the interface language. */
export function jobError(job: Pick<JobInfo, 'message' | 'error'>): Error & { phrase?: Phrase } {
  const e: Error & { phrase?: Phrase } = new Error(job.error?.message ?? job.message);
  if (job.error?.phrase) e.phrase = job.error.phrase;
  return e;
}
