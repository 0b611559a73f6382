import { describe, expect, it } from 'vitest';
import { afterBilletEvent } from '../../../renderer/src/components/annotate/billet-event.js';

describe("Annotate: a 'billet' event re-reads points and image only when the diameter changed (task 24-I)", () => {
  // every typed reading emits 'billet' (the list's counts change): it had sent points.list + images.forBillet each time
  it("keeps the shown points when the billet's diameter is the one shown; re-reads when it changed; waits for the first load", async () => {
    let reads = 0;
    const read = async () => { reads++; return { nominalDiameterMm: 600 }; };
    expect(await afterBilletEvent(read, () => 600)).toEqual({ next: 'keep', diameterMm: 600 });
    expect(await afterBilletEvent(read, () => 300)).toEqual({ next: 'reread', diameterMm: 600 });
    // no points shown yet: the first load compares this diameter with its answer's when it lands
    expect(await afterBilletEvent(read, () => null)).toEqual({ next: 'pending', diameterMm: 600 });
    expect(reads).toBe(3);
  });

  it('says a billet deleted elsewhere is gone (no error banner); any other failure is the caller\'s to show', async () => {
    const gone = Object.assign(new Error('billet 7 not found'), { code: 'not_found' });
    expect(await afterBilletEvent(() => Promise.reject(gone), () => 600)).toEqual({ next: 'gone' });
    const broken = Object.assign(new Error('database is locked'), { code: 'internal' });
    await expect(afterBilletEvent(() => Promise.reject(broken), () => 600)).rejects.toBe(broken);
  });
});
