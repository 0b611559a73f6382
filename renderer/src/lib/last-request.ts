/**
 * Requests whose answers can land out of order. Two requests for the same thing in flight (a billet chosen, then
 * another before the first one's data came back; a decimal mark changed twice; a setting chosen twice) may be
 * answered in either order, and the view must end on the last one asked, not on the last answer to arrive.
 */

/** What `LastRequest.run` resolves to: the answer, or `stale` when a later request was asked (or `drop`) meanwhile. */
export type Answer<T> = { stale: false; value: T } | { stale: true };

/** Reads for one piece of a view's state: only the answer to the last one asked is taken (a request counter). */
export class LastRequest {
  private asked = 0;

  /** Runs `request`; its answer, or its failure, counts only if no later request was asked meanwhile. */
  async run<T>(request: () => Promise<T>): Promise<Answer<T>> {
    const mine = ++this.asked;
    try {
      const value = await request();
      return mine === this.asked ? { stale: false, value } : { stale: true };
    } catch (err) {
      if (mine !== this.asked) return { stale: true };
      throw err;
    }
  }

  /** Answers still on their way count no more (what they were for is no longer shown). */
  drop(): void {
    this.asked++;
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
