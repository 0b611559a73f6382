import { afterAll, describe, expect, it } from 'vitest';
import { tempContext } from '../../helpers/temp.js';
import { localClient } from '../../../core/app/dispatch.js';
import { generateSyntheticBillet, syntheticSectionPng } from '../../../core/synth/index.js';
import type { PoreSummary } from '../../../core/api/methods/images.js';
import { runCli } from '../../helpers/cli.js';

/** Pore detection as the app runs it: a job over the imported section, stored per image content (migration 014). */
describe('pores of a billet section (images.detectPores / images.pores)', () => {
  const ctx = tempContext();
  const api = localClient(ctx);
  afterAll(() => ctx.dispose());

  it('detects once per section content, stores the result, reads it back for a second billet with the same pixels', async () => {
    const b = generateSyntheticBillet({ seed: 3, sizePx: 800 });
    const png = await syntheticSectionPng(b);
    const importInto = async (name: string) => {
      const billet = await api['billets.create']({ name, nominalDiameterMm: 600 });
      const job = await api['images.import']({ billetId: billet.id, upload: { uploadId: ctx.uploads.saveBytes(png), name: 'section.png' } });
      expect((await ctx.jobs.wait(job.id)).state).toBe('done');
      return billet.id;
    };
    const first = await importInto('B-pores');
    const empty = await api['billets.create']({ name: 'no section', nominalDiameterMm: 600 });
    expect((await api['images.pores']({ billetId: empty.id })).status).toBe('no-section');
    expect(await api['images.pores']({ billetId: first })).toMatchObject({ status: 'not-run', count: null, pores: [] });

    const job = await api['images.detectPores']({ billetId: first });
    const end = await ctx.jobs.wait(job.id);
    expect(end.state).toBe('done');
    const s = end.result as PoreSummary;
    expect(s.status).toBe('detected');
    expect(s.count).toBe(s.pores.length);
    expect(s.count!).toBeGreaterThan(3);
    expect(s.minDiameterMm!).toBeGreaterThanOrEqual(1);
    // every detected pore lies near a true one (the section was calibrated by the import's rim fit)
    for (const p of s.pores) expect(b.params.field.pores.some((t) => Math.hypot(p.xMm - t.xMm, p.yMm - t.yMm) <= t.radiusMm + p.diameterMm / 2 + 1)).toBe(true);
    expect(await api['images.pores']({ billetId: first })).toEqual(s);
    // the CLI says the same: `billet show` (JSON and text) and `billet pores`
    const shown = await runCli(ctx.paths.root, 'billet', 'show', String(first), '--json');
    expect(shown.rc).toBe(0);
    expect(JSON.parse(shown.out).pores).toEqual(s);
    const text = await runCli(ctx.paths.root, 'billet', 'show', String(first));
    expect(text.out).toContain(`pores detected: ${s.count} (≥ ${s.minDiameterMm!.toFixed(1)} mm)`);
    const listed = await runCli(ctx.paths.root, 'billet', 'pores', String(first));
    expect(listed.out.trim().split('\n')).toHaveLength(1 + s.count!);
    expect((await runCli(ctx.paths.root, 'billet', 'show', String(empty.id))).out).toContain('pores detected: not searched (no section image)');
    const rows = () => (ctx.db.prepare('SELECT COUNT(*) AS n FROM pore_detections').get() as { n: number }).n;
    expect(rows()).toBe(1);

    // the same pixels under another billet: read back, not searched again
    const second = await importInto('B-pores copy');
    const again = await ctx.jobs.wait((await api['images.detectPores']({ billetId: second })).id);
    expect(again.result).toEqual(s);
    expect(rows()).toBe(1);
    // a moved rim is a new detection (mm change)
    const img = (await api['images.forBillet']({ billetId: second }))!;
    await api['images.setCircle']({ imageId: img.id, circle: { ...img.circle!, r: img.circle!.r * 0.98 } });
    expect((await api['images.pores']({ billetId: second })).status).toBe('not-run');
    // once no billet holds those pixels, their pores go with the section folder
    await api['billets.delete']({ id: first, confirmName: 'B-pores' });
    expect(rows()).toBe(1);
    await api['billets.delete']({ id: second, confirmName: 'B-pores copy' });
    expect(rows()).toBe(0);
  });
});
