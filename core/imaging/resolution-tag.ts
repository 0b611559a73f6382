import sharp from 'sharp';
import { phrase, type Phrase } from '../api/phrase.js';

/**
 * A section file's own resolution tag, as a second opinion on the rim calibration (nominal diameter / rim
 * diameter in px). The calibration is what every patch size, point position and map follows; a diameter typed
 * wrong or a rim fitted to the wrong edge moves it silently, and a flatbed scanner's tag says what the scan
 * really is. The tag only warns: the rim can be corrected later, and a wrong tag must not block an import.
 *
 * Which tags are believed (the rule, tested in test/unit/imaging/resolution-tag.test.ts):
 *  - the unit is inch or cm (a PNG without a unit gives only the pixel aspect);
 *  - the density is not one that cameras, phones and programs write whatever the subject: 72 and 96 (screen
 *    defaults: macOS/GIMP/ImageMagick, Windows), 180 and 350 (Canon, Sony, Panasonic), 240 (Lightroom's export),
 *    300 (Nikon, Pentax, Photoshop print). A camera cannot know its distance to the section, so its tag is one of
 *    these; a scanner writes the resolution it scanned at (400–4800 dpi, or an exact export value). The price: a
 *    genuine 300 dpi scan (or 180/240/350) is not cross-checked;
 *  - the density is at least 50 px/inch. sharp reports it in whole pixels per inch whatever the file's unit, so
 *    the tag's mm per px is known to ±0.5/density: ±1 % at 50, ±0.4 % at 120, less at scanner resolutions. Below
 *    50 that rounding eats half the 2 % agreement, and no scanner scans that coarse.
 */
export const DEFAULT_DENSITIES_PX_PER_INCH: readonly number[] = [72, 96, 180, 240, 300, 350];
/** Coarser tags are not believed (see the rule above). */
export const MIN_TAG_PX_PER_INCH = 50;

/** Calibration and tag agree when their mm per px are within this fraction (the attached patches' rule too). */
export const SCALE_AGREEMENT = 0.02;

export interface ResolutionTag {
  /** The file's density as sharp reads it (pixels per inch). */
  pxPerInch: number;
  /** 25.4 / pxPerInch. */
  mmPerPx: number;
}

/** The tag when it is believed (see the rule above), else null. */
export function trustedResolutionTag(meta: { density?: number; resolutionUnit?: string }): ResolutionTag | null {
  const d = meta.density;
  if (d === undefined || !Number.isFinite(d) || d < MIN_TAG_PX_PER_INCH) return null;
  if (meta.resolutionUnit !== 'inch' && meta.resolutionUnit !== 'cm') return null;
  if (DEFAULT_DENSITIES_PX_PER_INCH.some((x) => Math.abs(d - x) < 0.5)) return null;
  return { pxPerInch: d, mmPerPx: 25.4 / d };
}

/** Reads the file's header (not its pixels) for a believed resolution tag. */
export async function readResolutionTag(file: string, page = 0): Promise<ResolutionTag | null> {
  return trustedResolutionTag(await sharp(file, { page, limitInputPixels: false }).metadata());
}

/**
 * The warning when the rim calibration and a believed tag disagree by more than SCALE_AGREEMENT, naming both
 * scales, their ratio, the diameter the tag would give the rim, and what to check; null when they agree or there
 * is nothing to compare.
 */
export function scaleContradiction(calibration: { mmPerPx: number; nominalDiameterMm: number; rimRadiusPx: number } | null, tag: ResolutionTag | null): Phrase | null {
  if (!calibration || !tag) return null;
  const ratio = calibration.mmPerPx / tag.mmPerPx;
  if (Math.abs(ratio - 1) <= SCALE_AGREEMENT) return null;
  return phrase('scale.tagContradicts', {
    calibrated: { value: calibration.mmPerPx, digits: 5 },
    diameter: calibration.nominalDiameterMm,
    rimPx: { value: 2 * calibration.rimRadiusPx, digits: 1 },
    tagged: { value: tag.mmPerPx, digits: 5 },
    dpi: Math.round(tag.pxPerInch),
    ratio: { value: ratio, digits: 2 },
    tagDiameter: { value: 2 * calibration.rimRadiusPx * tag.mmPerPx, digits: 1 },
  });
}
