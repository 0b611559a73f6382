/**
 * Shared shapes of the imaging domain. Pixel coordinates are full-resolution image pixels with the
 * origin at the top-left corner (x right, y down). Millimetre coordinates are relative to the billet
 * centre with the SAME axis directions (x right, y down), so a point's mm position maps to pixels by
 * a scale and a shift only — no mirroring to get wrong between the viewer, patches and maps.
 */

import type { ClaheSettings, PatchSettings } from '../api/methods/images.js';

/** An 8-bit single-channel image, row-major, `data.length === width * height`. */
export interface GreyImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A circle in full-resolution pixels. */
export interface Circle {
  cx: number;
  cy: number;
  r: number;
}

export interface Point2 {
  x: number;
  y: number;
}

/** Where a circle came from: automatic fit, user drag, three rim clicks, or given numerically. */
export type CircleSource = 'auto' | 'manual' | 'three-point' | 'synthetic';

/** Pixel ↔ mm calibration of one section image. */
export interface Calibration {
  circle: Circle;
  nominalDiameterMm: number;
  /** mm per full-resolution pixel = nominal diameter / (2 r). */
  mmPerPx: number;
}

/**
 * CLAHE settings as passed to sharp's `clahe()` (libvips hist_local, sliding window), the contract's shape:
 * `width`/`height` the window in pixels of the (resampled) patch; `maxSlope` the contrast limit (slope of the
 * cumulative histogram), 0 = plain local equalisation.
 */
export type { ClaheSettings };

export const DEFAULT_CLAHE: ClaheSettings = { width: 32, height: 32, maxSlope: 3 };

/**
 * How patches are cut, the contract's shape: `sizeMm` the side on the section (null = `nativeSizePx` pixels
 * at the scan's native scale, the paper's 224 px) and `outputSizePx` the side handed to the model (resampled).
 */
export type { PatchSettings };

export const DEFAULT_PATCH_SETTINGS: PatchSettings = { sizeMm: null, nativeSizePx: 224, outputSizePx: 224 };

/** One patch cut around a labelled point; `data` is grey, `size × size`, row-major. */
export interface Patch {
  label: string;
  size: number;
  data: Uint8Array;
  /**
   * Centre in full-resolution pixels (null for an attached patch of a billet without a calibrated section) and
   * the side that was cut from the section, or of the attached image's centred square, before resampling.
   */
  centerPx: Point2 | null;
  sourceSizePx: number;
  /** Fraction of the cut window that lay outside the image (filled by edge replication). */
  outsideFraction: number;
}
