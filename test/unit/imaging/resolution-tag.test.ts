import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { apiSession } from '../../helpers/api-session.js';
import { cliInTempFolder } from '../../helpers/cli.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';
import { generateSyntheticBillet, type SyntheticBillet } from '../../../core/synth/index.js';
import { trustedResolutionTag } from '../../../core/imaging/index.js';
import type { ImageRecord } from '../../../core/api/methods/images.js';

// Task 24-G: a section's scale is the typed diameter over the detected rim, and nothing checked it. A 150 mm section
// tagged at its true 119.7 px/inch, imported as Ø600, was calibrated 4× off without a word. Fails before: the
// import never read the tag (ImageRecord had no resolutionTag / scaleWarning, the CLI printed no warning).

const { ctx, api, finished } = apiSession();
const en = reportPhraser('en');
const it_ = reportPhraser('it');
const zh = reportPhraser('zh');

/** A 150 mm synthetic section's pixels with no synthetic label (a "real" scan), tagged with `density` px/inch. */
async function tagged(b: SyntheticBillet, format: 'png' | 'tiff', density: number): Promise<Buffer> {
  return sharp(b.data, { raw: { width: b.width, height: b.height, channels: 1 } }).withMetadata({ density }).toFormat(format).toBuffer();
}

async function imported(bytes: Buffer, name: string, diameter: number): Promise<ImageRecord> {
  const billet = await api['billets.create']({ name: `${name} Ø${diameter}`, nominalDiameterMm: diameter });
  await finished((await api['images.import']({ billetId: billet.id, upload: { uploadId: ctx.uploads.saveBytes(bytes), name } })).id);
  return (await api['images.forBillet']({ billetId: billet.id }))!;
}

describe('which resolution tags are believed', () => {
  it('believes a scanner density in inch or cm; not the 72/96/180/240/300/350 defaults, nor one under 50 px/inch, nor a tag without unit', () => {
    expect(trustedResolutionTag({ density: 120, resolutionUnit: 'inch' })).toEqual({ pxPerInch: 120, mmPerPx: 25.4 / 120 });
    expect(trustedResolutionTag({ density: 1200, resolutionUnit: 'cm' })).toEqual({ pxPerInch: 1200, mmPerPx: 25.4 / 1200 });
    for (const d of [72, 96, 180, 240, 300, 350]) expect(trustedResolutionTag({ density: d, resolutionUnit: 'inch' }), String(d)).toBeNull();
    expect(trustedResolutionTag({ density: 50, resolutionUnit: 'inch' })?.pxPerInch).toBe(50);
    expect(trustedResolutionTag({ density: 49, resolutionUnit: 'inch' })).toBeNull(); // whole px/inch: ±1 % rounding and worse below
    expect(trustedResolutionTag({ density: 120 })).toBeNull();
    expect(trustedResolutionTag({})).toBeNull();
  });
});

describe('a section whose rim calibration contradicts its resolution tag', () => {
  // 150 mm at 800 px (the case measured in task 24-F): the true scale and the density a scanner would have written for it
  const b = generateSyntheticBillet({ seed: 31, sizePx: 800, diameterMm: 150 });
  const trueDpi = 25.4 / b.mmPerPx;

  it('imported as Ø600 (tag 4× off): imports, and says both scales, the ratio and what to check, in en/it/zh', async () => {
    expect(b.mmPerPx).toBeCloseTo(150 / (2 * b.circle.r), 9);
    const img = await imported(await tagged(b, 'png', trueDpi), 'scan.png', 600);
    expect(Math.abs(img.circle!.r - b.circle.r) / b.circle.r).toBeLessThan(0.02); // the rim is right: the diameter is not
    expect(img.resolutionTag!.pxPerInch).toBe(Math.round(trueDpi)); // sharp reads whole px/inch
    expect(Math.abs(img.resolutionTag!.mmPerPx / b.mmPerPx - 1)).toBeLessThanOrEqual(0.5 / trueDpi); // ±0.4 % at 120 px/inch
    const ratio = img.mmPerPx! / img.resolutionTag!.mmPerPx;
    expect(ratio).toBeGreaterThan(3.9);
    expect(ratio).toBeLessThan(4.1);
    const w = img.scaleWarning!;
    expect(w.code).toBe('scale.tagContradicts');
    expect(w.params).toMatchObject({ diameter: 600, dpi: Math.round(trueDpi), ratio: { value: ratio, digits: 2 } });
    const text = en(w);
    expect(text).toContain(`The rim calibration gives ${img.mmPerPx!.toFixed(5)} mm/px (Ø600 mm over a rim ${(2 * img.circle!.r).toFixed(1)} px across)`);
    expect(text).toContain(`the file's resolution tag says ${img.resolutionTag!.mmPerPx.toFixed(5)} mm/px (${Math.round(trueDpi)} pixels per inch): ${ratio.toFixed(2)}× apart`);
    // the diameter the tag gives the rim is the true one, within the rim fit and the tag's rounding
    const tagDiameter = 2 * img.circle!.r * img.resolutionTag!.mmPerPx;
    expect(Math.abs(tagDiameter - 150)).toBeLessThan(3);
    expect(text).toContain(`Check the diameter typed (is the billet Ø600 mm? at the tag's scale the rim is Ø${tagDiameter.toFixed(1)} mm) and the rim in Annotate`);
    expect(it_(w)).toContain(`il tag di risoluzione del file dice ${img.resolutionTag!.mmPerPx.toFixed(5)} mm/px (${Math.round(trueDpi)} pixel per pollice): differiscono di ${ratio.toFixed(2)}×`);
    expect(zh(w)).toContain(`相差 ${ratio.toFixed(2)}×`);
  });

  it('a TIFF tagged at its true scale, imported as Ø150: no warning (agrees within 2 %)', async () => {
    const img = await imported(await tagged(b, 'tiff', trueDpi), 'scan.tif', 150);
    expect(img.format).toBe('tiff');
    expect(img.resolutionTag).not.toBeNull();
    expect(Math.abs(img.mmPerPx! / img.resolutionTag!.mmPerPx - 1)).toBeLessThan(0.02);
    expect(img.scaleWarning).toBeNull();
  });

  it("a 72 dpi default tag says nothing: no tag, no warning, even at Ø600", async () => {
    const img = await imported(await tagged(b, 'png', 72), 'phone.png', 600);
    expect(img.resolutionTag).toBeNull();
    expect(img.scaleWarning).toBeNull();
  });

  it('a rim correction re-checks: a wrong rim warns (2× apart), restoring the fitted rim clears it', async () => {
    const img = await imported(await tagged(b, 'png', trueDpi), 'rim.png', 150);
    expect(img.scaleWarning).toBeNull();
    const c = img.circle!;
    const wrong = await api['images.setCircle']({ imageId: img.id, circle: { cx: c.cx, cy: c.cy, r: c.r / 2 } });
    expect(wrong.scaleWarning?.code).toBe('scale.tagContradicts');
    expect((wrong.scaleWarning!.params.ratio as { value: number }).value).toBeCloseTo((2 * img.mmPerPx!) / img.resolutionTag!.mmPerPx, 9);
    expect((await api['images.forBillet']({ billetId: img.billetId }))!.scaleWarning).toEqual(wrong.scaleWarning);
    const back = await api['images.setCircle']({ imageId: img.id, restoreAuto: true });
    expect(back.circle).toEqual(c);
    expect(back.scaleWarning).toBeNull();
  });
});

describe('ferrolab billet import says the contradiction (text and JSON)', () => {
  const { dir, cli } = cliInTempFolder('ferrolab-tag-cli-');
  const b = generateSyntheticBillet({ seed: 31, sizePx: 800, diameterMm: 150 });
  const scan = join(dir, 'scan.png');
  beforeAll(async () => {
    writeFileSync(scan, await tagged(b, 'png', 25.4 / b.mmPerPx)); // bytes as made: sharp's toFile would drop the tag
  });

  it('Ø600: imported, the rim line then a WARNING naming both scales; the JSON carries it as words and as a phrase', async () => {
    const r = await cli('billet', 'import', scan, '--name', 'Heat 600', '--diameter', '600');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[1]).toMatch(/^ {2}rim \(auto\): .* → 0\.8\d{4} mm\/px at Ø600 mm$/);
    expect(lines[2]).toMatch(/^ {2}WARNING: The rim calibration gives 0\.8\d{4} mm\/px \(Ø600 mm over a rim .* px across\), but the file's resolution tag says 0\.2\d{4} mm\/px \(\d{3} pixels per inch\): 4\.0\d× apart\. Check the diameter typed/);
    const j = JSON.parse((await cli('billet', 'import', scan, '--name', 'Heat 600 again', '--diameter', '600', '--json')).out) as { scaleWarning: string; image: ImageRecord };
    expect(j.scaleWarning).toBe(lines[2].replace('  WARNING: ', ''));
    expect(j.image.scaleWarning!.code).toBe('scale.tagContradicts');
    expect(en(j.image.scaleWarning!)).toBe(j.scaleWarning);
    const shown = await cli('billet', 'show', String(j.image.billetId));
    expect(shown.out).toContain(lines[2]);
  });

  it('Ø150: no warning in the text or the JSON', async () => {
    const r = await cli('billet', 'import', scan, '--name', 'Heat 150', '--diameter', '150');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('WARNING');
    const j = JSON.parse((await cli('billet', 'import', scan, '--name', 'Heat 150 again', '--diameter', '150', '--json')).out) as { scaleWarning: string | null; image: ImageRecord };
    expect(j.scaleWarning).toBeNull();
    expect(j.image.scaleWarning).toBeNull();
  });
});
