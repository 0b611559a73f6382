import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { tempDir } from '../../helpers/temp.js';
import { runCli } from '../../helpers/cli.js';

let dir: string, cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

const cli = (...args: string[]) => runCli(join(dir, 'data'), ...args);

describe('ferrolab synth / billet import / patches', () => {
  it('synthesises a billet, imports it as a synthetic billet with its rim, lays out points and exports 85 patches with quality', async () => {
    const syn = await cli('synth', 'billet', '--seed', '21', '--variant', 'low-carbon', '--size', '600', '--out', join(dir, 'syn'), '--json');
    expect(syn.rc).toBe(0);
    const s = JSON.parse(syn.out);
    expect(s.synthetic).toBe(true);
    expect(s.stats.stdWtPct).toBeGreaterThanOrEqual(0.015);
    expect(s.stats.stdWtPct).toBeLessThanOrEqual(0.03);
    expect(readdirSync(join(dir, 'syn')).sort()).toEqual(['readings.csv', 'section.png', 'truth.json']);
    const truth = JSON.parse(readFileSync(join(dir, 'syn', 'truth.json'), 'utf8'));

    const imp = await cli('billet', 'import', join(dir, 'syn', 'section.png'), '--name', 'Low C', '--json');
    expect(imp.rc).toBe(0);
    const r = JSON.parse(imp.out);
    expect(r.synthetic).toBe(true);
    expect(Math.abs(r.image.circle.r - truth.image.circlePx.r) / truth.image.circlePx.r).toBeLessThan(0.01);
    expect(Math.abs(r.image.mmPerPx - truth.image.mmPerPx) / truth.image.mmPerPx).toBeLessThan(0.01);

    expect((await cli('points', 'layout', 'Low C')).rc).toBe(0);
    const pat = await cli('patches', 'Low C', '--out', join(dir, 'patches'), '--clahe', '--json');
    expect(pat.rc).toBe(0);
    const p = JSON.parse(pat.out);
    expect(p.count).toBe(85);
    expect(p.meanClahe.rmsContrast).toBeGreaterThan(p.meanRaw.rmsContrast);
    const files = readdirSync(join(dir, 'patches'));
    expect(files.filter((f) => /^P\d\d\.png$/.test(f))).toHaveLength(85);
    expect(files.filter((f) => /^P\d\d-clahe\.png$/.test(f))).toHaveLength(85);
    const q = readFileSync(join(dir, 'patches', 'quality.csv'), 'utf8').trim().split('\n');
    expect(q).toHaveLength(86);
    expect(q[0]).toBe('label,x_mm,y_mm,outside_fraction,rms_raw,glcm_raw,entropy_raw,rms_clahe,glcm_clahe,entropy_clahe,low_etch_contrast,source');
    expect(q.slice(1).every((l) => l.endsWith(',section'))).toBe(true);
    const m = await sharp(join(dir, 'patches', 'P43.png')).metadata();
    expect([m.width, m.height, m.channels]).toEqual([224, 224, 1]);

    // The set is written whole or not at all: it was written in place, so a failure part-way left some new PNGs
    // beside the old quality.csv (or a fresh folder without one) that looked like a finished set.
    const before = readdirSync(join(dir, 'patches')).sort().map((f) => [f, readFileSync(join(dir, 'patches', f))] as const);
    process.env.FERROLAB_TEST_FAIL_AT = 'export:written-not-renamed';
    try {
      const failed = await cli('patches', 'Low C', '--out', join(dir, 'patches'));
      expect([failed.rc, failed.err]).toEqual([1, expect.stringContaining('injected failure at export:written-not-renamed')]);
      expect((await cli('patches', 'Low C', '--out', join(dir, 'fresh'))).rc).toBe(1);
    } finally {
      delete process.env.FERROLAB_TEST_FAIL_AT;
    }
    const after = readdirSync(join(dir, 'patches')).sort();
    expect(after).toEqual(before.map(([f]) => f));
    for (const [f, bytes] of before) expect(readFileSync(join(dir, 'patches', f)).equals(bytes)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['data', 'patches', 'syn']); // no fresh/, no temporary folder
    // Without --clahe the new set replaces the earlier one whole: no -clahe.png of the old set stays beside it.
    expect((await cli('patches', 'Low C', '--out', join(dir, 'patches'))).rc).toBe(0);
    expect(readdirSync(join(dir, 'patches')).filter((f) => f.endsWith('-clahe.png'))).toEqual([]);
    expect(readdirSync(join(dir, 'patches'))).toHaveLength(87);
    // A folder of other files is never replaced.
    writeFileSync(join(dir, 'syn', 'keep.txt'), 'mine');
    const refused = await cli('patches', 'Low C', '--out', join(dir, 'syn'));
    expect([refused.rc, refused.err]).toEqual([1, expect.stringContaining('holds files that are not a patch set')]);
    expect(readdirSync(join(dir, 'syn')).sort()).toEqual(['keep.txt', 'readings.csv', 'section.png', 'truth.json']);
  });

  it('a refused import leaves no billet behind', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'not an image');
    const imp = await cli('billet', 'import', join(dir, 'notes.txt'), '--name', 'Nope', '--diameter', '600');
    expect(imp.rc).toBe(1);
    expect(imp.err).toContain('Cannot import "notes.txt": not an image');
    const list = await cli('billet', 'list', '--json');
    expect(JSON.parse(list.out)).toEqual([]);
    expect(readdirSync(join(dir, 'data', 'images'))).toEqual([]);
  });

  it('rejects a bad variant with a usage error', async () => {
    const r = await cli('synth', 'billet', '--seed', '1', '--variant', 'heavy', '--out', join(dir, 'x'));
    expect(r.rc).toBe(2);
    expect(r.err).toContain('--variant must be one of base, stirring, low-carbon');
  });
});
