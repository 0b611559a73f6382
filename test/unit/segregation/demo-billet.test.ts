import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempContext } from '../../helpers/temp.js';
import { localClient } from '../../../core/app/dispatch.js';
import { demoReadingsSeed } from '../../../core/services/demo/index.js';

let ctx: ReturnType<typeof tempContext>;
let api: ReturnType<typeof localClient>;
beforeAll(() => { ctx = tempContext(); api = localClient(ctx); });
afterAll(async () => ctx.dispose());

const runDemo = async (args: { seed?: number; variant?: 'base' | 'stirring' | 'low-carbon'; sizePx?: number }) => {
  const job = await api['billets.loadDemo'](args);
  expect(job.kind).toBe('demo-billet');
  const done = await ctx.jobs.wait(job.id);
  if (done.state !== 'done') throw new Error(`demo job ${done.state}: ${done.message}`);
  return done.result as { billetId: number; name: string; imageId: number; points: number; readings: number };
};

describe('billets.loadDemo', () => {
  it('creates a labelled synthetic billet with its image, the hex85 layout and readings; same seed → same data', async () => {
    const a = await runDemo({ seed: 11, sizePx: 400 });
    expect(a).toMatchObject({ points: 85, readings: 85, name: 'Demo billet (synthetic, seed 11, base)' });
    const billet = await api['billets.get']({ id: a.billetId });
    expect(billet).toMatchObject({ synthetic: true, pointCount: 85, readingCount: 85, imageCount: 1, nominalDiameterMm: 600 });
    const info = ctx.repos.billets.syntheticInfo(a.billetId) as Record<string, unknown>;
    expect(info).toMatchObject({ synthetic: true, seed: 11, variant: 'base', sizePx: 400, readingsSeed: demoReadingsSeed(11) });
    const img = ctx.db.prepare('SELECT * FROM images WHERE id = ?').get(a.imageId) as Record<string, number | string>;
    expect(img).toMatchObject({ width: 400, height: 400, circle_source: 'synthetic', format: 'png' });
    expect(Number(img.mm_per_px)).toBeCloseTo(600 / (2 * Number(img.circle_r_px)), 9);
    expect(existsSync(join(ctx.paths.images, String(img.content_hash), 'tiles.dzi'))).toBe(true);

    const pts = (await api['points.list']({ billetId: a.billetId })).points;
    const c = pts.map((p) => p.meanWtPct!);
    // a steel around the research recipe's bulk carbon with a real spread between points
    expect(Math.min(...c)).toBeGreaterThan(0.05);
    expect(Math.max(...c)).toBeLessThan(1.5);
    expect(Math.max(...c) - Math.min(...c)).toBeGreaterThan(0.01);
    expect(pts[0].readings[0].source).toBe('synthetic');

    const b = await runDemo({ seed: 11, sizePx: 400 });
    expect(b.name).toBe('Demo billet (synthetic, seed 11, base) #2');
    const img2 = ctx.db.prepare('SELECT content_hash FROM images WHERE id = ?').get(b.imageId) as { content_hash: string };
    expect(img2.content_hash).toBe(img.content_hash);
    expect((await api['points.list']({ billetId: b.billetId })).points.map((p) => p.meanWtPct)).toEqual(c);

    const other = await runDemo({ seed: 12, variant: 'low-carbon', sizePx: 400 });
    const c2 = (await api['points.list']({ billetId: other.billetId })).points.map((p) => p.meanWtPct!);
    expect(c2).not.toEqual(c);
  });
});
