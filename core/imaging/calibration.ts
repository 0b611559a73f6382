import type { Calibration, Circle, Point2 } from './types.js';

/** mm per full-resolution pixel from the fitted rim and the billet's nominal diameter (always given: never assumed). */
export function calibrate(circle: Circle, nominalDiameterMm: number): Calibration {
  if (!(circle.r > 0) || !Number.isFinite(circle.r)) throw new Error(`calibrate: circle radius must be positive, got ${circle.r}`);
  if (!(nominalDiameterMm > 0)) throw new Error(`calibrate: nominal diameter must be positive, got ${nominalDiameterMm}`);
  return { circle, nominalDiameterMm, mmPerPx: nominalDiameterMm / (2 * circle.r) };
}

/** Billet-centred mm (x right, y down) → full-resolution pixels. */
export function mmToPx(cal: Calibration, xMm: number, yMm: number): Point2 {
  return { x: cal.circle.cx + xMm / cal.mmPerPx, y: cal.circle.cy + yMm / cal.mmPerPx };
}

/** Full-resolution pixels → billet-centred mm (x right, y down). */
export function pxToMm(cal: Calibration, xPx: number, yPx: number): { xMm: number; yMm: number } {
  return { xMm: (xPx - cal.circle.cx) * cal.mmPerPx, yMm: (yPx - cal.circle.cy) * cal.mmPerPx };
}
