import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import sharp from 'sharp';
import { cliInTempFolder } from '../../helpers/cli.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import { generateSyntheticBillet, syntheticSectionPng } from '../../../core/synth/index.js';
import { judgeRimFit, rimRefusedPhrase, RIM_MIN_ON_CIRCLE, RIM_MAX_OUTSIDE } from '../../../core/imaging/index.js';
import type { ImageRecord } from '../../../core/api/methods/images.js';

// A poor automatic rim fit calibrated the section silently: the seed-7 section squeezed to 1200×1000 px (an oblique
// photo) imported at 0.47319 mm/px from a circle reaching 297 px above the image, with 254 of 720 edge points on it.

describe('judgeRimFit: an automatic rim is taken only when it fits the outline and lies in the image', () => {
  it('takes a fit with most rim points on a circle inside the image', () => {
    expect(judgeRimFit({ inliers: 700, total: 720 }, { cx: 600, cy: 600, r: 563 }, 1200, 1200)).toBeNull();
    // a section cut by the frame: a third of the circle outside, the points found on it
    expect(judgeRimFit({ inliers: 448, total: 512 }, { cx: 596, cy: 601, r: 563 }, 1200, 800)).toBeNull();
  });

  it('refuses too few points on the circle, or a circle mostly outside the image, with the figures', () => {
    const squeezed = judgeRimFit({ inliers: 254, total: 720 }, { cx: 596.1, cy: 337.1, r: 634 }, 1200, 1000)!;
    expect(squeezed.inliers).toBe(254);
    expect(squeezed.total).toBe(720);
    expect(squeezed.onCircle).toBeCloseTo(254 / 720, 12);
    expect(squeezed.outside).toBeGreaterThan(0.5);
    expect(squeezed.outside).toBeLessThan(0.56);
    // every point on a circle of which two thirds lie beyond the image's edges: refused on the outside share alone
    const off = judgeRimFit({ inliers: 300, total: 300 }, { cx: 600, cy: -300, r: 700 }, 1200, 1000)!;
    expect(off.onCircle).toBe(1);
    expect(off.outside).toBeGreaterThan(RIM_MAX_OUTSIDE);
    expect(judgeRimFit({ inliers: Math.ceil(RIM_MIN_ON_CIRCLE * 720) - 1, total: 720 }, { cx: 600, cy: 600, r: 563 }, 1200, 1200)).not.toBeNull();
    expect(judgeRimFit({ inliers: Math.ceil(RIM_MIN_ON_CIRCLE * 720), total: 720 }, { cx: 600, cy: 600, r: 563 }, 1200, 1200)).toBeNull();
  });

  it('says why in English, Italian and Chinese, with the share and how to give the rim by hand', () => {
    const p = rimRefusedPhrase({ inliers: 254, total: 720, onCircle: 254 / 720, outside: 0.532 });
    expect(reportPhraser('en')(p)).toBe(
      "The automatic rim was not taken: only 254 of 720 edge points (35 %) lie on the fitted circle (a round section's outline puts most of them there), and 53 % of that circle lies outside the image. The section is not round in this image (an oblique or stretched photo?) or not in it, so no mm scale was set from it: give the rim by hand in Annotate (“Rim: click 3 points”), or import a square-on photo of the whole section",
    );
    expect(reportPhraser('it')(p)).toContain('solo 254 punti del contorno su 720 (35 %)');
    expect(reportPhraser('it')(p)).toContain('«Bordo: clic su 3 punti»');
    expect(reportPhraser('zh')(p)).toContain('只有 720 个边缘点中的 254 个（35 %）');
  });
});

describe('ferrolab billet import: a squeezed section is stored without a rim, and says why', () => {
  const { dir, cli } = cliInTempFolder('ferrolab-rim-fit-');
  const normal = join(dir, 'round.png');
  const squeezed = join(dir, 'oblique.png');
  beforeAll(async () => {
    // the reviewer's section: seed 7 at 1200 px, and the same squeezed to 1200×1000 as an oblique photo is
    const png = await syntheticSectionPng(generateSyntheticBillet({ seed: 7, sizePx: 1200 }));
    // the synthetic label is dropped (sharp writes no text chunks), so --diameter is the lab's, as for a photo
    await sharp(png).png().toFile(normal);
    await sharp(png).resize(1200, 1000, { fit: 'fill' }).png().toFile(squeezed);
  }, 60_000);

  it('a round section takes its automatic rim, as before', async () => {
    const r = await cli('billet', 'import', normal, '--name', 'round', '--diameter', '600');
    expect(r.code).toBe(0);
    expect(r.out).toContain('rim (auto): centre (596.6, 601.0) px, radius 562.8 px → 0.53306 mm/px at Ø600 mm');
    expect(r.out).not.toContain('WARNING');
  }, 60_000);

  it('the squeezed one: no automatic rim, no mm scale, a warning naming the share on the circle and the hand route', async () => {
    const r = await cli('billet', 'import', squeezed, '--name', 'oblique', '--diameter', '600', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { image: ImageRecord; rimRefused: string | null };
    expect(out.image.circle).toBeNull();
    expect(out.image.autoCircle).toBeNull();
    expect(out.image.mmPerPx).toBeNull();
    expect(out.rimRefused).toContain('only 254 of 720 edge points (35 %) lie on the fitted circle');
    expect(out.rimRefused).toContain('53 % of that circle lies outside the image');
    const human = await cli('billet', 'import', squeezed, '--name', 'oblique 2', '--diameter', '600');
    expect(human.out).toContain('  WARNING: The automatic rim was not taken: only 254 of 720 edge points (35 %)');
    expect(human.out).not.toContain('mm/px');
    // stored so: the billet has its section and no scale until the rim is given by hand
    const shown = JSON.parse((await cli('billet', 'show', 'oblique', '--json')).out) as { image: ImageRecord | null };
    expect(shown.image!.circle).toBeNull();
    expect(shown.image!.mmPerPx).toBeNull();
  }, 60_000);
});
