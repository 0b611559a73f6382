import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * One-time launch codes: what a browser is opened with instead of the API token. A code is good for
 * one exchange, within its time to live; redeeming deletes it, so a code read off a command line by
 * someone else is worthless once the real page has used it, and any code is worthless after its TTL.
 */
export class LaunchCodes {
  private codes = new Map<string, number>();
  constructor(private now: () => number = Date.now) {}

  mint(ttlMs: number): string {
    this.prune();
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, this.now() + ttlMs);
    return code;
  }

  /** True (once) when `code` was minted here, is unused and has not expired. */
  redeem(code: string): boolean {
    this.prune();
    const given = Buffer.from(code);
    for (const [c, expires] of this.codes) {
      const mine = Buffer.from(c);
      if (mine.length === given.length && timingSafeEqual(mine, given)) {
        this.codes.delete(c);
        return expires > this.now();
      }
    }
    return false;
  }

  private prune(): void {
    const now = this.now();
    for (const [c, expires] of this.codes) if (expires <= now) this.codes.delete(c);
  }
}
