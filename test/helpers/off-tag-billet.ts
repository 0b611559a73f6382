import { expect } from 'vitest';
import type { AppContext } from '../../core/app/context.js';
import { localClient } from '../../core/app/dispatch.js';
import { generateSyntheticBillet, syntheticReadings } from '../../core/synth/index.js';
import { layoutPoints } from '../../core/segregation/layouts.js';
import { taggedScan } from './pre-024-folder.js';

/**
 * A 150 mm synthetic section (seed 41, 400 px) imported as billet "Heat Ø600": its scan's resolution tag says the true
 * 150 mm, so its rim calibration is 4× off the tag; rim set, hex85 points measured (readings seed 7). The billet the
 * scale-warning tests train and map on.
 */
export async function offTagBillet(ctx: AppContext): Promise<number> {
  const api = localClient(ctx);
  const render = generateSyntheticBillet({ seed: 41, sizePx: 400, diameterMm: 150 });
  const billet = await api['billets.create']({ name: 'Heat Ø600', nominalDiameterMm: 600 }); // the tag says 150
  const upload = ctx.uploads.saveBytes(await taggedScan(render, 'png', 25.4 / render.mmPerPx));
  const imported = await ctx.jobs.wait((await api['images.import']({ billetId: billet.id, upload: { uploadId: upload, name: 'scan.png' } })).id);
  expect(imported.state).toBe('done');
  const img = (await api['images.forBillet']({ billetId: billet.id }))!;
  await api['images.setCircle']({ imageId: img.id, circle: { cx: render.circle.cx, cy: render.circle.cy, r: render.circle.r } });
  await api['points.layout']({ billetId: billet.id, pattern: 'hex85' });
  for (const r of syntheticReadings(render, layoutPoints({ pattern: 'hex85', diameterMm: 150 }), 7)) await api['readings.set']({ billetId: billet.id, label: r.label, values: [r.carbonWtPct] });
  return billet.id;
}

/**
 * Two 150 mm sections (400 px, each scanner tag at the true density), measured at the 85 points: seed 41 typed Ø600
 * (4× off its tag) and seed 42 typed Ø150 (agreeing). Two sections, not one imported twice: a training refuses one
 * section under two billets (its copies of a point would sit on both sides of a split). Answers the two billets' ids.
 */
export async function offAndAgreeingBillets(ctx: AppContext): Promise<{ off: number; agrees: number }> {
  const api = localClient(ctx);
  const ids = { off: 0, agrees: 0 };
  for (const [key, diameter, seed, readingsSeed] of [['off', 600, 41, 7], ['agrees', 150, 42, 8]] as const) {
    const render = generateSyntheticBillet({ seed, sizePx: 400, diameterMm: 150 });
    const bytes = new Uint8Array(await taggedScan(render, 'png', 25.4 / render.mmPerPx));
    const labels = syntheticReadings(render, layoutPoints({ pattern: 'hex85', diameterMm: 150 }), readingsSeed);
    const b = await api['billets.create']({ name: `Heat Ø${diameter}`, nominalDiameterMm: diameter });
    const end = await ctx.jobs.wait((await api['images.import']({ billetId: b.id, upload: { uploadId: ctx.uploads.saveBytes(bytes), name: `scan-${key}.png` } })).id);
    if (end.state !== 'done') throw new Error(`import ${end.state}: ${end.error?.message}`);
    const img = end.result as { id: number };
    await api['images.setCircle']({ imageId: img.id, circle: { cx: render.circle.cx, cy: render.circle.cy, r: render.circle.r } });
    await api['points.layout']({ billetId: b.id, pattern: 'hex85' });
    for (const r of labels) await api['readings.set']({ billetId: b.id, label: r.label, values: [r.carbonWtPct] });
    ids[key] = b.id;
  }
  return ids;
}
