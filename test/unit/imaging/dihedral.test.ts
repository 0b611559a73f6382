import { describe, expect, it } from 'vitest';
import { applyDihedral, composeDihedral, inverseDihedral, DIHEDRAL, augmentDihedral, type DihedralIndex } from '../../../core/imaging/index.js';

const key = (a: ArrayLike<number>) => Array.from(a).join(',');

describe.each([4, 5])('dihedral transforms on a %i×%i patch', (n) => {
  // Distinct values so every transform is visible as a permutation of indices.
  const img = Float32Array.from({ length: n * n }, (_, i) => i);

  it('are 8 distinct exact pixel permutations', () => {
    const outs = DIHEDRAL.map((k) => applyDihedral(img, n, k));
    for (const o of outs) expect([...o].sort((a, b) => a - b)).toEqual([...img]);
    expect(new Set(outs.map(key)).size).toBe(8);
  });

  it('rot90 turns the top row into the right column (clockwise) and mirror flips left↔right', () => {
    const r = applyDihedral(img, n, 1);
    for (let x = 0; x < n; x++) expect(r[x * n + (n - 1)]).toBe(img[x]);
    const m = applyDihedral(img, n, 4);
    for (let x = 0; x < n; x++) expect(m[x]).toBe(img[n - 1 - x]);
  });

  it('form a group: closure, identity, inverses, and composition agrees with the table', () => {
    const table = new Map(DIHEDRAL.map((k) => [key(applyDihedral(img, n, k)), k]));
    for (const a of DIHEDRAL)
      for (const b of DIHEDRAL) {
        const ab = applyDihedral(applyDihedral(img, n, b), n, a); // b first, then a
        const found = table.get(key(ab));
        expect(found).toBeDefined();
        expect(composeDihedral(a, b)).toBe(found);
      }
    for (const k of DIHEDRAL) {
      expect(key(applyDihedral(applyDihedral(img, n, k), n, inverseDihedral(k)))).toBe(key(img));
      expect(composeDihedral(k, 0)).toBe(k);
    }
    // Non-abelian: rot90 ∘ mirror ≠ mirror ∘ rot90.
    expect(composeDihedral(1, 4)).not.toBe(composeDihedral(4, 1));
  });
});

describe('augmentation iterator', () => {
  it('yields 8 transforms per sample on the fly, carrying label and target', () => {
    const samples = [0, 1, 2].map((s) => ({ label: `P0${s + 1}`, size: 3, data: Uint8Array.from({ length: 9 }, (_, i) => i + 10 * s), target: 0.4 + s / 100 }));
    const out = [...augmentDihedral(samples)];
    expect(out).toHaveLength(24);
    expect(out.filter((o) => o.label === 'P02').map((o) => o.transform)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(out.filter((o) => o.label === 'P03').map((o) => key(o.data))).size).toBe(8);
    expect(out.every((o) => o.target === samples[Number(o.label.slice(1)) - 1].target)).toBe(true);
    // The dataset is not copied 8×: the identity item shares the source buffer.
    expect(out[0].data).toBe(samples[0].data);
  });
  it('follows a given order of (sample, transform) pairs and rejects indices out of range', () => {
    const s = [{ label: 'A', size: 2, data: new Uint8Array([1, 2, 3, 4]) }];
    const got = [...augmentDihedral(s, { order: [7, 0, 3] })].map((o) => o.transform as DihedralIndex);
    expect(got).toEqual([7, 0, 3]);
    expect(() => [...augmentDihedral(s, { order: [8] })]).toThrow(/outside 0..7/);
  });
});
