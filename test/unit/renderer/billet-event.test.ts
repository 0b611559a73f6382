import { describe, expect, it } from 'vitest';
import { afterBilletEvent } from '../../../renderer/src/components/annotate/billet-event.js';

describe("Annotate: a 'billet' event re-reads points and image only when the diameter changed (task 24-I)", () => {
  // every typed reading emits 'billet' (the list's counts change): it had sent points.list + images.forBillet each time
  const reads = (answer: () => Promise<{ nominalDiameterMm: number }>) => {
    let n = 0;
    return { read: () => { n++; return answer(); }, count: () => n };
  };

  it("keeps the shown points when the billet's diameter is the one shown; re-reads when it changed or none is shown", async () => {
    const same = reads(async () => ({ nominalDiameterMm: 600 }));
    expect(await afterBilletEvent(same.read, () => 600)).toBe('keep');
    expect(await afterBilletEvent(same.read, () => 300)).toBe('reread');
    // the first load still on its way: its answer may be older than the change
    expect(await afterBilletEvent(same.read, () => null)).toBe('reread');
    expect(same.count()).toBe(3);
  });

  it('says a billet deleted elsewhere is gone (no error banner); any other failure is the caller\'s to show', async () => {
    const gone = Object.assign(new Error('billet 7 not found'), { code: 'not_found' });
    expect(await afterBilletEvent(() => Promise.reject(gone), () => 600)).toBe('gone');
    const broken = Object.assign(new Error('database is locked'), { code: 'internal' });
    await expect(afterBilletEvent(() => Promise.reject(broken), () => 600)).rejects.toBe(broken);
  });
});
