import { phrase, type Phrase } from '../api/phrase.js';
import { english } from '../runtime/english.js';

/**
 * Why a backend was not used (shown in Settings and About beside each skipped backend): the English reason the
 * CLI and logs print, and the same reason as a phrase the interface words in its language. A loader throws a
 * `BackendRefusal` for a reason it knows; anything else (a library's own error) is quoted as it came.
 */
export class BackendRefusal extends Error {
  constructor(readonly phrase: Phrase) {
    super(english(phrase));
    this.name = 'BackendRefusal';
  }
}

/** The reason of a failed backend start, as its English words and its phrase. */
export function backendReason(err: unknown): { reason: string; reasonPhrase: Phrase } {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/.test(msg)) {
    const p = phrase('backend.notInstalled');
    return { reason: english(p), reasonPhrase: p };
  }
  if (err instanceof BackendRefusal) return { reason: err.message.split('\n')[0].slice(0, 300), reasonPhrase: err.phrase };
  const detail = msg.split('\n')[0].slice(0, 300);
  return { reason: detail, reasonPhrase: phrase('backend.failed', { detail }) };
}
