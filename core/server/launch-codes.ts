import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * How long after a code's exchange the same page may exchange it again and get the same answer: a reload that
 * came between the request and the page storing the answer (task 26-D). A reload takes well under a second; this
 * leaves room for a busy machine, and stays short because nothing else needs the code after its exchange.
 */
export const RELOAD_GRACE_MS = 15_000;

/** A page's key for one exchange: 128 random bits as hex (renderer/src/lib/api.ts makes it). */
const PAGE_KEY = /^[a-f0-9]{32}$/;

/**
 * One-time launch codes: what a browser is opened with instead of the API token. A code is good for
 * one exchange, within its time to live; redeeming deletes it, so a code read off a command line by
 * someone else is worthless once the real page has used it, and any code is worthless after its TTL.
 *
 * The one exception, for a reload (task 26-D). The answer to an exchange (the token) may never reach the page
 * that asked: the user reloads while it is on its way, and the reloaded page, whose code is spent, had no session.
 * So the page sends, with the code, a random key of its own that it keeps in its tab's sessionStorage (written in
 * the same task that takes the code out of the URL, so a reload at any later moment finds both); within
 * RELOAD_GRACE_MS of the exchange, the same code *with the same key* is answered again. Why this gives nothing
 * away: the threat is another local process replaying the code, which is on the system browser's command line
 * (/proc/<pid>/cmdline, world-readable). The key is not there: it exists only in that tab's sessionStorage and in
 * the exchange's POST body on the loopback interface (the server binds 127.0.0.1 only; the code itself is in the
 * URL fragment, never in a request line). Whoever can read either can already read the token in the answer, or
 * drive the page. Another page — another tab, another process — makes its own key and is refused as before, also
 * within the grace time; an exchange without a key (an older page, a script) gets no grace at all; and after the
 * grace time the code is dead for everyone. The key is compared in constant time, like the code.
 */
export class LaunchCodes {
  private codes = new Map<string, number>();
  /** Codes already exchanged by a page that sent a key: the key and until when it may exchange the code again. */
  private spent = new Map<string, { pageKey: string; until: number }>();
  constructor(private now: () => number = Date.now) {}

  mint(ttlMs: number): string {
    this.prune();
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, this.now() + ttlMs);
    return code;
  }

  /**
   * True when `code` was minted here, is unused and has not expired — or, within RELOAD_GRACE_MS of its exchange,
   * when the page that exchanged it asks again with the same `pageKey` (see above). False otherwise.
   */
  redeem(code: string, pageKey?: string): boolean {
    this.prune();
    const key = pageKey !== undefined && PAGE_KEY.test(pageKey) ? pageKey : null;
    const found = findEqual(this.codes.keys(), code);
    if (found !== null) {
      const expires = this.codes.get(found)!;
      this.codes.delete(found);
      if (expires <= this.now()) return false;
      if (key) this.spent.set(found, { pageKey: key, until: this.now() + RELOAD_GRACE_MS });
      return true;
    }
    if (!key) return false;
    const again = findEqual(this.spent.keys(), code);
    return again !== null && equal(this.spent.get(again)!.pageKey, key);
  }

  private prune(): void {
    const now = this.now();
    for (const [c, expires] of this.codes) if (expires <= now) this.codes.delete(c);
    for (const [c, s] of this.spent) if (s.until <= now) this.spent.delete(c);
  }
}

const equal = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The stored string equal to `given` (compared in constant time), or null. */
function findEqual(stored: Iterable<string>, given: string): string | null {
  for (const s of stored) if (equal(s, given)) return s;
  return null;
}
