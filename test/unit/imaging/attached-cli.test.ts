import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { tempDir } from '../../helpers/temp.js';
import { greyPngOf } from '../../helpers/grey-image.js';
import { runCli } from '../../helpers/cli.js';
import { createAppContext } from '../../../core/app/context.js';
import { localClient } from '../../../core/app/dispatch.js';
import { applyClahe, resampleSquare, DEFAULT_CLAHE } from '../../../core/imaging/index.js';

let dir: string, cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

const cli = (...args: string[]) => runCli(join(dir, 'data'), ...args);

const pixels = (n: number, seed: number) => Uint8Array.from({ length: n * n }, (_, i) => (i * 7 + seed * 31 + ((i * seed) % 13) * 9) & 255);

describe('ferrolab patches attach', () => {
  it('attaches a folder to a billet without a section and exports those patches; a bad folder is refused naming the files', async () => {
    const ctx = createAppContext({ dataDir: join(dir, 'data'), shell: 'cli', backend: 'wasm' });
    const api = localClient(ctx);
    await api['billets.create']({ name: 'B7', nominalDiameterMm: 600 });
    await api['points.layout']({ billetId: 1 });
    await ctx.close();

    const good = join(dir, 'good');
    mkdirSync(good);
    const px = [pixels(40, 1), pixels(40, 2)];
    writeFileSync(join(good, 'B7-P01.png'), await greyPngOf(px[0], 40, 40));
    writeFileSync(join(good, 'p85.png'), await greyPngOf(px[1], 40, 40));
    writeFileSync(join(good, 'Thumbs.db'), 'x');
    const att = await cli('patches', 'attach', 'B7', good, '--json');
    expect(att.rc).toBe(0);
    const r = JSON.parse(att.out);
    expect(r.matched).toEqual([{ file: 'B7-P01.png', label: 'P01' }, { file: 'p85.png', label: 'P85' }]);
    expect(r.skipped).toEqual(['Thumbs.db']);

    const out = join(dir, 'out');
    const pat = await cli('patches', 'B7', '--out', out, '--clahe', '--json');
    expect(pat.rc).toBe(0);
    const s = JSON.parse(pat.out);
    expect([s.count, s.attached, s.missing.length, s.sourceSizePx, s.outputSizePx]).toEqual([2, 2, 83, null, 224]);
    expect(s.patches.map((p: { label: string; source: string }) => [p.label, p.source])).toEqual([['P01', 'attached'], ['P85', 'attached']]);
    // The exported CLAHE patch is the attached image resampled to 224 px and enhanced, pixel for pixel.
    const { data } = await sharp(join(out, 'P85-clahe.png')).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    const expected = await applyClahe(await resampleSquare(px[1], 40, 224), 224, 224, DEFAULT_CLAHE);
    expect(Buffer.compare(data, Buffer.from(expected))).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['P01-clahe.png', 'P01.png', 'P85-clahe.png', 'P85.png', 'quality.csv', 'settings.json']);
    expect(readFileSync(join(out, 'quality.csv'), 'utf8').split('\n')[1]).toMatch(/^P01,[-\d.]+,[-\d.]+,0\.000,.*,attached$/);
    const human = await cli('patches', 'B7', '--out', join(dir, 'out2'));
    expect(human.out).toMatch(/NO PATCH for 83 points .*: P02, P03/);

    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'P02.png'), 'not a picture');
    writeFileSync(join(bad, 'P200.png'), await greyPngOf(px[0], 40, 40));
    const refused = await cli('patches', 'attach', 'B7', bad, '--json');
    expect(refused.rc).toBe(1);
    const e = JSON.parse(refused.out).error;
    expect(e.message).toMatch(/^Nothing attached — 2 files refused: P02.png: not an image.*; P200.png: "P200" is not a point label/);
    expect(e.details.errors.map((x: { file: string }) => x.file)).toEqual(['P02.png', 'P200.png']);
    const list = await cli('patches', 'B7', '--out', join(dir, 'out3'), '--json');
    expect(JSON.parse(list.out).count).toBe(2); // the refused folder changed nothing

    const listed = JSON.parse((await cli('patches', 'list', 'B7', '--json')).out) as { label: string; originalName: string }[];
    expect(listed.map((a) => a.label).sort()).toEqual(['P01', 'P85']);
    const detached = await cli('patches', 'detach', 'B7', 'P85', '--json');
    expect(JSON.parse(detached.out).removed).toEqual(['P85']);
    expect((await cli('patches', 'list', 'B7')).out.trim()).toMatch(/^P01 /);
    expect(JSON.parse((await cli('patches', 'detach', 'B7', '--json')).out).removed).toEqual(['P01']);
    expect((await cli('patches', 'list', 'B7')).out.trim()).toBe('no attached patch images');
  });
});
