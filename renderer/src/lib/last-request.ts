/**
 * Requests whose answers can land out of order. Two requests for the same thing in flight (a billet chosen, then
 * another before the first one's data came back; a decimal mark changed twice; a setting chosen twice) may be
 * answered in either order, and the view must end on the last one asked, not on the last answer to arrive.
 */

/**
 * What `LastRequest.run` resolves to: the answer, or `stale` when a later request was asked (or `drop`) meanwhile.
 * With `fallBack`, `failed` says that the answer is the newest one that came while the later reads failed (show it,
 * and show that error).
 */
export type Answer<T> = { stale: false; value: T; failed?: unknown } | { stale: true };

export interface LastRequestOptions {
  /**
   * For re-reads of one and the same thing (not a choice between things): when every read asked after an answer
   * failed, that answer counts after all (the newest the view could get), rather than leaving the view on older data
   * or on none. A `drop` still makes every answer before it stale.
   */
  fallBack?: boolean;
}

/** Reads for one piece of a view's state: only the answer to the last one asked is taken (a request counter). */
export class LastRequest {
  private asked = 0;
  /** The request whose answer was handed out last (fallBack). */
  private taken = 0;
  /** Requests that failed, after the last `drop` (fallBack). */
  private readonly failures = new Set<number>();
  /** The newest answer that came stale while a later read was still on its way (fallBack). */
  private kept: { n: number; value: unknown } | null = null;

  constructor(private readonly opts: LastRequestOptions = {}) {}

  /** Runs `request`; its answer, or its failure, counts only if no later request was asked meanwhile. */
  async run<T>(request: () => Promise<T>): Promise<Answer<T>> {
    const mine = ++this.asked;
    let value: T;
    try {
      value = await request();
    } catch (err) {
      if (!this.opts.fallBack) {
        if (mine !== this.asked) return { stale: true };
        throw err;
      }
      this.failures.add(mine);
      const kept = this.kept;
      if (kept && kept.n > this.taken && this.failedAfter(kept.n)) return this.take(kept.n, kept.value as T, err);
      if (mine !== this.asked) return { stale: true };
      throw err;
    }
    if (mine === this.asked) return this.take(mine, value);
    if (this.opts.fallBack && mine > this.taken) {
      if (this.failedAfter(mine)) return this.take(mine, value);
      if (!this.kept || this.kept.n < mine) this.kept = { n: mine, value };
    }
    return { stale: true };
  }

  /** Answers still on their way count no more (what they were for is no longer shown). */
  drop(): void {
    this.asked++;
    this.taken = this.asked;
    this.failures.clear();
    this.kept = null;
  }

  /** Every request asked after request `n` has failed. */
  private failedAfter(n: number): boolean {
    for (let k = n + 1; k <= this.asked; k++) if (!this.failures.has(k)) return false;
    return true;
  }

  private take<T>(n: number, value: T, failed?: unknown): Answer<T> {
    this.taken = n;
    if (this.kept && this.kept.n <= n) this.kept = null;
    // failures up to the answer taken can no longer make an older one count
    for (const k of this.failures) if (k <= n) this.failures.delete(k);
    return failed === undefined ? { stale: false, value } : { stale: false, value, failed };
  }
}

/**
 * Writes of one setting, one after another in the order asked: sent together, the server could store them in either
 * order and keep the older one (the job-threads field in CI). A failed write does not stop the next.
 */
export function oneAfterAnother(): <T>(write: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(write: () => Promise<T>): Promise<T> => {
    const next = tail.then(write);
    tail = next.catch(() => undefined);
    return next;
  };
}
