import { describe, expect, it } from 'vitest';
import { LastRequest, oneAfterAnother } from '../../../renderer/src/lib/last-request.js';

/** A request whose answer the test hands over when it wants (an answer that lands late). */
function held<T>() {
  let answer!: (v: T) => void;
  let fail!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    answer = res;
    fail = rej;
  });
  return { promise, answer, fail };
}

describe('LastRequest: the answer to the last request asked wins, not the last to arrive', () => {
  it('an older answer landing after a newer one is stale; the newer one is taken', async () => {
    const last = new LastRequest();
    const a = held<string>();
    const b = held<string>();
    const ra = last.run(() => a.promise);
    const rb = last.run(() => b.promise);
    b.answer('B');
    expect(await rb).toEqual({ stale: false, value: 'B' });
    a.answer('A');
    expect(await ra).toEqual({ stale: true });
  });

  it('an older answer landing first is stale too (a newer request was already asked)', async () => {
    const last = new LastRequest();
    const a = held<string>();
    const b = held<string>();
    const ra = last.run(() => a.promise);
    const rb = last.run(() => b.promise);
    a.answer('A');
    expect(await ra).toEqual({ stale: true });
    b.answer('B');
    expect(await rb).toEqual({ stale: false, value: 'B' });
  });

  it("a stale request's failure is dropped; the current one's is thrown", async () => {
    const last = new LastRequest();
    const a = held<string>();
    const ra = last.run(() => a.promise);
    const b = held<string>();
    const rb = last.run(() => b.promise);
    a.fail(new Error('for a billet no longer shown'));
    expect(await ra).toEqual({ stale: true });
    b.fail(new Error('current'));
    await expect(rb).rejects.toThrow('current');
  });

  it('fallBack: the later re-read fails after the older answer came: the older answer is handed out with the failure', async () => {
    const last = new LastRequest({ fallBack: true });
    const a = held<string>();
    const b = held<string>();
    const ra = last.run(() => a.promise);
    const rb = last.run(() => b.promise);
    a.answer('A');
    expect(await ra).toEqual({ stale: true });
    const failure = new Error('store locked');
    b.fail(failure);
    expect(await rb).toEqual({ stale: false, value: 'A', failed: failure });
  });

  it('fallBack: the later re-read failed before the older answer came: the older answer counts when it comes', async () => {
    const last = new LastRequest({ fallBack: true });
    const a = held<string>();
    const b = held<string>();
    const ra = last.run(() => a.promise);
    const rb = last.run(() => b.promise);
    b.fail(new Error('store locked'));
    await expect(rb).rejects.toThrow('store locked');
    a.answer('A');
    expect(await ra).toEqual({ stale: false, value: 'A' });
  });

  it('fallBack: the newest answer that came wins over older ones, and one older than an answer handed out never counts', async () => {
    const last = new LastRequest({ fallBack: true });
    const a = held<string>();
    const b = held<string>();
    const c = held<string>();
    const ra = last.run(() => a.promise);
    const rb = last.run(() => b.promise);
    const rc = last.run(() => c.promise);
    b.answer('B');
    expect(await rb).toEqual({ stale: true });
    c.fail(new Error('store locked'));
    expect(await rc).toMatchObject({ stale: false, value: 'B' });
    a.answer('A');
    expect(await ra).toEqual({ stale: true });
  });

  it('fallBack: nothing comes back across a drop (the thing read is no longer shown)', async () => {
    const last = new LastRequest({ fallBack: true });
    const a = held<string>();
    const ra = last.run(() => a.promise);
    last.drop();
    const b = held<string>();
    const rb = last.run(() => b.promise);
    b.fail(new Error('store locked'));
    await expect(rb).rejects.toThrow('store locked');
    a.answer('A');
    expect(await ra).toEqual({ stale: true });
  });

  it('without fallBack a failed later request leaves the older answer stale (a choice between things)', async () => {
    const last = new LastRequest();
    const a = held<string>();
    const b = held<string>();
    const ra = last.run(() => a.promise);
    const rb = last.run(() => b.promise);
    b.fail(new Error('for the billet chosen now'));
    await expect(rb).rejects.toThrow();
    a.answer('A');
    expect(await ra).toEqual({ stale: true });
  });

  it('drop(): an answer on its way when the selection was cleared is stale', async () => {
    const last = new LastRequest();
    const a = held<number>();
    const ra = last.run(() => a.promise);
    last.drop();
    a.answer(1);
    expect(await ra).toEqual({ stale: true });
    expect(await last.run(async () => 2)).toEqual({ stale: false, value: 2 });
  });
});

describe('oneAfterAnother: writes of one setting in the order asked', () => {
  it('the second write starts only when the first has answered, so the server stores them in order', async () => {
    const inOrder = oneAfterAnother();
    const started: string[] = [];
    const first = held<void>();
    const p1 = inOrder(() => {
      started.push('zh');
      return first.promise;
    });
    const p2 = inOrder(async () => {
      started.push('it');
    });
    // Let every queued microtask run: the second write must still wait for the first one's answer.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(started).toEqual(['zh']);
    first.answer();
    await Promise.all([p1, p2]);
    expect(started).toEqual(['zh', 'it']);
  });

  it("a failed write rejects its own promise and the next still runs", async () => {
    const inOrder = oneAfterAnother();
    const p1 = inOrder(async () => {
      throw new Error('refused');
    });
    const p2 = inOrder(async () => 'stored');
    await expect(p1).rejects.toThrow('refused');
    expect(await p2).toBe('stored');
  });
});
